import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CredentialsSchema1795716749806 implements MigrationInterface {
  name = 'CredentialsSchema1795716749806';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"certificate\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"enrolment_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"course_id\" uuid NOT NULL, \"course_version_id\" uuid NOT NULL, \"serial\" text NOT NULL, \"verification_code\" text NOT NULL, \"status_list\" integer NOT NULL, \"status_index\" integer NOT NULL, \"issued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"completed_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"revocation_reason\" text, \"revoked_by\" uuid, \"expiry_notified_at\" TIMESTAMP WITH TIME ZONE, \"holder_name\" text NOT NULL, \"holder_locale\" text NOT NULL, \"course_slug\" text NOT NULL, \"course_version\" integer NOT NULL, \"course_title\" jsonb NOT NULL, \"course_summary\" jsonb NOT NULL, \"default_language\" text NOT NULL, \"framework_key\" text NOT NULL, \"competencies\" jsonb NOT NULL, \"school_org_unit_id\" uuid NOT NULL, \"school_name\" text NOT NULL, \"credential_jwt\" text NOT NULL, \"issuer_kid\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_certificate_status_index\" CHECK (status_list >= 1 AND status_index >= 0), CONSTRAINT \"ck_certificate_revocation\" CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)), CONSTRAINT \"PK_8daddfc65f59e341c2bbc9c9e43\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_certificate_user\" ON \"certificate\"  (\"user_id\", \"issued_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_certificate_status_entry\" ON \"certificate\"  (\"status_list\", \"status_index\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_certificate_verification_code\" ON \"certificate\"  (\"verification_code\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_certificate_serial\" ON \"certificate\"  (\"serial\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_certificate_enrolment\" ON \"certificate\"  (\"enrolment_id\") ");
    await queryRunner.query("CREATE TABLE \"certificate_document\" (\"certificate_id\" uuid NOT NULL, \"pdf\" bytea NOT NULL, \"sha256\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_34da004ff41821b5c79b705a2b6\" PRIMARY KEY (\"certificate_id\"))");
    await queryRunner.query("CREATE TABLE \"credential_issuer_key\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"kid\" text NOT NULL, \"algorithm\" text NOT NULL DEFAULT 'EdDSA', \"public_jwk\" jsonb NOT NULL, \"private_key_encrypted\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"retired_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_390e45fea2bd14a093031e591b3\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_credential_issuer_key_kid\" ON \"credential_issuer_key\"  (\"kid\") ");
    await queryRunner.query("CREATE TABLE \"credential_verification_hit\" (\"client_key\" text NOT NULL, \"window_start\" TIMESTAMP WITH TIME ZONE NOT NULL, \"hits\" integer NOT NULL DEFAULT '1', CONSTRAINT \"PK_1e34a59d63d8c096355af8e8f68\" PRIMARY KEY (\"client_key\", \"window_start\"))");
    await queryRunner.query("CREATE INDEX \"idx_credential_verification_hit_window\" ON \"credential_verification_hit\"  (\"window_start\") ");
    await queryRunner.query("ALTER TABLE \"certificate\" ADD CONSTRAINT \"FK_006c65c4df51536ef09a8761689\" FOREIGN KEY (\"enrolment_id\") REFERENCES \"enrolment\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"certificate\" ADD CONSTRAINT \"FK_88977bc339155e25ec30c68a9b3\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"certificate\" ADD CONSTRAINT \"FK_5855acb3f0c9c7f287c7191cefa\" FOREIGN KEY (\"course_id\") REFERENCES \"course\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"certificate\" ADD CONSTRAINT \"FK_9f9a23518ec8826b0deba347e55\" FOREIGN KEY (\"course_version_id\") REFERENCES \"course_version\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"certificate\" ADD CONSTRAINT \"FK_0dad64fbaee20672b4b32707181\" FOREIGN KEY (\"school_org_unit_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"certificate_document\" ADD CONSTRAINT \"FK_34da004ff41821b5c79b705a2b6\" FOREIGN KEY (\"certificate_id\") REFERENCES \"certificate\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");

    // Hand-written parts the entity metadata cannot express (declared there with synchronize: false).
    // Serial numbers and status-list positions come from sequences (gaps are harmless).
    await queryRunner.query(`CREATE SEQUENCE "certificate_serial_seq" START 1`);
    await queryRunner.query(`CREATE SEQUENCE "certificate_status_seq" MINVALUE 0 START 0`);
    // The status list reads the revoked bits of one list; the expiry sweep looks for unnotified certificates by expiry.
    await queryRunner.query(`CREATE INDEX "idx_certificate_revoked" ON "certificate" ("status_list", "status_index") WHERE revoked_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_certificate_expiry_due" ON "certificate" ("expires_at") WHERE revoked_at IS NULL AND expiry_notified_at IS NULL AND expires_at IS NOT NULL`);
    // Exactly one active issuer key.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_credential_issuer_key_active" ON "credential_issuer_key" ((retired_at IS NULL)) WHERE retired_at IS NULL`);
    // An issued certificate is immutable except for revocation (once, never undone) and the expiry notice mark.
    await queryRunner.query(`CREATE FUNCTION lms_certificate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE mutable text[] := ARRAY['revoked_at', 'revocation_reason', 'revoked_by', 'expiry_notified_at'];
      BEGIN
        IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
          RAISE EXCEPTION 'certificate % is immutable once issued', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason) THEN
          RAISE EXCEPTION 'certificate % is revoked; a revocation cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER trg_certificate_guard BEFORE UPDATE ON certificate FOR EACH ROW EXECUTE FUNCTION lms_certificate_guard()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_certificate_guard ON certificate`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS lms_certificate_guard()`);
    await queryRunner.query(`DROP INDEX IF EXISTS "uq_credential_issuer_key_active"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_certificate_expiry_due"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_certificate_revoked"`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS "certificate_status_seq"`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS "certificate_serial_seq"`);
    await queryRunner.query("ALTER TABLE \"certificate_document\" DROP CONSTRAINT \"FK_34da004ff41821b5c79b705a2b6\"");
    await queryRunner.query("ALTER TABLE \"certificate\" DROP CONSTRAINT \"FK_0dad64fbaee20672b4b32707181\"");
    await queryRunner.query("ALTER TABLE \"certificate\" DROP CONSTRAINT \"FK_9f9a23518ec8826b0deba347e55\"");
    await queryRunner.query("ALTER TABLE \"certificate\" DROP CONSTRAINT \"FK_5855acb3f0c9c7f287c7191cefa\"");
    await queryRunner.query("ALTER TABLE \"certificate\" DROP CONSTRAINT \"FK_88977bc339155e25ec30c68a9b3\"");
    await queryRunner.query("ALTER TABLE \"certificate\" DROP CONSTRAINT \"FK_006c65c4df51536ef09a8761689\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_credential_verification_hit_window\"");
    await queryRunner.query("DROP TABLE \"credential_verification_hit\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_credential_issuer_key_kid\"");
    await queryRunner.query("DROP TABLE \"credential_issuer_key\"");
    await queryRunner.query("DROP TABLE \"certificate_document\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_certificate_enrolment\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_certificate_serial\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_certificate_verification_code\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_certificate_status_entry\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_certificate_user\"");
    await queryRunner.query("DROP TABLE \"certificate\"");
  }
}
