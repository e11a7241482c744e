import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebSessionsAndOfflineSync1796417666873 implements MigrationInterface {
  name = 'WebSessionsAndOfflineSync1796417666873';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD \"kind\" text NOT NULL DEFAULT 'api'");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD \"secret_hash\" text");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD \"expires_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"quiz_attempt\" ADD \"client_key\" text");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_quiz_attempt_client_key\" ON \"quiz_attempt\"  (\"enrolment_id\", \"client_key\") ");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD CONSTRAINT \"ck_auth_session_web_secret\" CHECK (kind = 'api' OR (secret_hash IS NOT NULL AND expires_at IS NOT NULL))");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD CONSTRAINT \"ck_auth_session_kind\" CHECK (kind IN ('api', 'web'))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP CONSTRAINT \"ck_auth_session_kind\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP CONSTRAINT \"ck_auth_session_web_secret\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_quiz_attempt_client_key\"");
    await queryRunner.query("ALTER TABLE \"quiz_attempt\" DROP COLUMN \"client_key\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP COLUMN \"expires_at\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP COLUMN \"secret_hash\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP COLUMN \"kind\"");
  }
}
