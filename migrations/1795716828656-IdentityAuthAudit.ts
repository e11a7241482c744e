import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityAuthAudit1795716828656 implements MigrationInterface {
  name = 'IdentityAuthAudit1795716828656';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"auth_session\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"revoked_reason\" text, CONSTRAINT \"PK_19354ed146424a728c1112a8cbf\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_auth_session_user\" ON \"auth_session\"  (\"user_id\") ");
    await queryRunner.query("CREATE TABLE \"refresh_token\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"family_id\" uuid NOT NULL, \"token_hash\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"used_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_b575dd3c21fb0831013c909e7fe\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_refresh_token_family\" ON \"refresh_token\"  (\"family_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_refresh_token_hash\" ON \"refresh_token\"  (\"token_hash\") ");
    await queryRunner.query("CREATE TABLE \"login_attempt\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"email\" text NOT NULL, \"ip\" text NOT NULL, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"outcome\" text NOT NULL DEFAULT 'pending', CONSTRAINT \"ck_login_attempt_outcome\" CHECK (\"outcome\" IN ('pending', 'failure', 'success', 'throttled', 'cleared')), CONSTRAINT \"PK_72829cd4f7424e3cdfd46c476c0\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_login_attempt_at\" ON \"login_attempt\"  (\"at\") ");
    await queryRunner.query("CREATE INDEX \"idx_login_attempt_ip\" ON \"login_attempt\"  (\"ip\", \"at\") ");
    await queryRunner.query("CREATE INDEX \"idx_login_attempt_email\" ON \"login_attempt\"  (\"email\", \"at\") ");
    await queryRunner.query("CREATE TABLE \"audit_event\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"actor_id\" uuid, \"action\" text NOT NULL, \"subject_type\" text NOT NULL, \"subject_id\" text NOT NULL, \"before\" jsonb, \"after\" jsonb, \"request_id\" text, CONSTRAINT \"PK_481efbe8b0a403efe3f47a6528f\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_audit_event_at\" ON \"audit_event\"  (\"at\") ");
    await queryRunner.query("CREATE INDEX \"idx_audit_event_actor\" ON \"audit_event\"  (\"actor_id\", \"at\") ");
    await queryRunner.query("CREATE INDEX \"idx_audit_event_subject\" ON \"audit_event\"  (\"subject_type\", \"subject_id\", \"at\") ");
    await queryRunner.query("ALTER TABLE \"org_unit\" ADD CONSTRAINT \"ck_org_unit_kind\" CHECK (\"kind\" IN ('country', 'institution', 'department', 'unit', 'school'))");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"ck_app_user_locality\" CHECK (\"locality\" IS NULL OR \"locality\" IN ('urban', 'rural'))");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"ck_app_user_gender\" CHECK (\"gender\" IS NULL OR \"gender\" IN ('female', 'male', 'other', 'undisclosed'))");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"ck_app_user_locale\" CHECK (\"locale\" IN ('en', 'sr-Latn', 'sr-Cyrl'))");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"ck_app_user_status\" CHECK (\"status\" IN ('active', 'disabled'))");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"ck_app_user_email_lower\" CHECK (\"email\" = lower(\"email\"))");
    await queryRunner.query("ALTER TABLE \"role_grant\" ADD CONSTRAINT \"ck_role_grant_role\" CHECK (\"role\" IN ('admin', 'hr', 'author', 'learner'))");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD CONSTRAINT \"FK_b8783d517fab10672700a39cb49\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"refresh_token\" ADD CONSTRAINT \"FK_eb31f2a7917404a46e17f539f19\" FOREIGN KEY (\"family_id\") REFERENCES \"auth_session\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // Hand-written: the audit log is append-only. UPDATE, DELETE and TRUNCATE are refused.
    await queryRunner.query(`CREATE FUNCTION lms_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER trg_audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION lms_refuse_audit_change()`);
    await queryRunner.query(`CREATE TRIGGER trg_audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION lms_refuse_audit_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_audit_event_no_truncate ON audit_event`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_audit_event_append_only ON audit_event`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS lms_refuse_audit_change()`);
    await queryRunner.query("ALTER TABLE \"refresh_token\" DROP CONSTRAINT \"FK_eb31f2a7917404a46e17f539f19\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP CONSTRAINT \"FK_b8783d517fab10672700a39cb49\"");
    await queryRunner.query("ALTER TABLE \"role_grant\" DROP CONSTRAINT \"ck_role_grant_role\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"ck_app_user_email_lower\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"ck_app_user_status\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"ck_app_user_locale\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"ck_app_user_gender\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"ck_app_user_locality\"");
    await queryRunner.query("ALTER TABLE \"org_unit\" DROP CONSTRAINT \"ck_org_unit_kind\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_event_subject\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_event_actor\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_audit_event_at\"");
    await queryRunner.query("DROP TABLE \"audit_event\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_login_attempt_email\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_login_attempt_ip\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_login_attempt_at\"");
    await queryRunner.query("DROP TABLE \"login_attempt\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_refresh_token_hash\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_refresh_token_family\"");
    await queryRunner.query("DROP TABLE \"refresh_token\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_auth_session_user\"");
    await queryRunner.query("DROP TABLE \"auth_session\"");
  }
}
