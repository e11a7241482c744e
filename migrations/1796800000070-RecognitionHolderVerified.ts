import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holder binding of peer credentials (docs/hub.md): whether the credential named its holder by an
 * e-mail hash that matched the person's e-mail here. Recognitions made before are marked false:
 * nothing was compared then.
 */
export class RecognitionHolderVerified1796800000070 implements MigrationInterface {
  name = 'RecognitionHolderVerified1796800000070';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credential_recognition" ADD "holder_verified" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credential_recognition" DROP COLUMN "holder_verified"`);
  }
}
