import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #20: each institution signs its certificates with its own Ed25519 key. A key belongs to
 * one institution or, with `institution_id` NULL, to the instance (schools that are not an
 * institution's root, the federation feed, status lists). One active key per owner: the partial
 * unique index now covers the owner. Existing keys stay the instance's.
 */
export class InstitutionSigningKeys1796800000050 implements MigrationInterface {
  name = 'InstitutionSigningKeys1796800000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credential_issuer_key" ADD "institution_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "credential_issuer_key" ADD CONSTRAINT "fk_credential_issuer_key_institution" FOREIGN KEY ("institution_id") REFERENCES "institution"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`DROP INDEX "uq_credential_issuer_key_active"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_credential_issuer_key_active" ON "credential_issuer_key" ((COALESCE(institution_id, '00000000-0000-0000-0000-000000000000'::uuid))) WHERE retired_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_credential_issuer_key_active"`);
    await queryRunner.query(`DELETE FROM "credential_issuer_key" WHERE institution_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_credential_issuer_key_active" ON "credential_issuer_key" ((retired_at IS NULL)) WHERE retired_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "credential_issuer_key" DROP CONSTRAINT "fk_credential_issuer_key_institution"`);
    await queryRunner.query(`ALTER TABLE "credential_issuer_key" DROP COLUMN "institution_id"`);
  }
}
