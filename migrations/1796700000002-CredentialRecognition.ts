import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Federation (docs/hub.md): credentials of trusted peer instances recognised here, and competency
 * evidence from them (source `recognition`).
 */
export class CredentialRecognition1796700000002 implements MigrationInterface {
  name = 'CredentialRecognition1796700000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "credential_recognition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "peer_url" text NOT NULL, "credential_id" text NOT NULL, "issuer_id" text NOT NULL, "issuer_name" text, "achievement_name" text, "kid" text NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE, "status_checked" boolean NOT NULL, "recognised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_credential_recognition" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_credential_recognition_credential" ON "credential_recognition" ("peer_url", "credential_id") `);
    await queryRunner.query(`CREATE INDEX "idx_credential_recognition_user" ON "credential_recognition" ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "credential_recognition" ADD CONSTRAINT "fk_credential_recognition_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "competency_evidence" DROP CONSTRAINT "ck_competency_evidence_source"`);
    await queryRunner.query(`ALTER TABLE "competency_evidence" ADD CONSTRAINT "ck_competency_evidence_source" CHECK (source IN ('course', 'manual', 'recognition'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "competency_evidence" WHERE source = 'recognition'`);
    await queryRunner.query(`ALTER TABLE "competency_evidence" DROP CONSTRAINT "ck_competency_evidence_source"`);
    await queryRunner.query(`ALTER TABLE "competency_evidence" ADD CONSTRAINT "ck_competency_evidence_source" CHECK (source IN ('course', 'manual'))`);
    await queryRunner.query(`DROP TABLE "credential_recognition"`);
  }
}
