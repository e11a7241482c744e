import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CoreSchema1795715935912 implements MigrationInterface {
  name = 'CoreSchema1795715935912';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"org_unit\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"code\" text NOT NULL, \"name\" text NOT NULL, \"kind\" text NOT NULL, \"parent_id\" uuid, \"path\" text NOT NULL, \"depth\" integer NOT NULL DEFAULT '0', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_ba1c59043dc14bb66023c1d07c7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_org_unit_code\" ON \"org_unit\"  (\"code\") ");
    await queryRunner.query("CREATE INDEX \"idx_org_unit_parent\" ON \"org_unit\"  (\"parent_id\") ");
    await queryRunner.query("CREATE TABLE \"app_user\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"email\" text NOT NULL, \"display_name\" text NOT NULL, \"password_hash\" text, \"org_unit_id\" uuid NOT NULL, \"job_role_code\" text, \"manager_id\" uuid, \"locale\" text NOT NULL DEFAULT 'en', \"time_zone\" text NOT NULL DEFAULT 'UTC', \"gender\" text, \"locality\" text, \"status\" text NOT NULL DEFAULT 'active', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_22a5c4a3d9b2fb8e4e73fc4ada1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_app_user_email\" ON \"app_user\"  (\"email\") ");
    await queryRunner.query("CREATE INDEX \"idx_app_user_manager\" ON \"app_user\"  (\"manager_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_app_user_job_role\" ON \"app_user\"  (\"job_role_code\") ");
    await queryRunner.query("CREATE INDEX \"idx_app_user_org_unit\" ON \"app_user\"  (\"org_unit_id\") ");
    await queryRunner.query("CREATE TABLE \"role_grant\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"role\" text NOT NULL, \"scope_org_unit_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b9e50aafa723c536731c38529fb\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_role_grant_user\" ON \"role_grant\"  (\"user_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_role_grant_scope\" ON \"role_grant\"  (\"scope_org_unit_id\") ");
    await queryRunner.query("CREATE TABLE \"course\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"slug\" text NOT NULL, \"school_org_unit_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_bf95180dd756fd204fb01ce4916\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_course_slug\" ON \"course\"  (\"slug\") ");
    await queryRunner.query("CREATE INDEX \"idx_course_school\" ON \"course\"  (\"school_org_unit_id\") ");
    await queryRunner.query("CREATE TABLE \"course_version\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"course_id\" uuid NOT NULL, \"version\" integer NOT NULL, \"status\" text NOT NULL, \"content_hash\" text NOT NULL, \"default_language\" text NOT NULL, \"languages\" text array NOT NULL, \"title\" jsonb NOT NULL, \"summary\" jsonb NOT NULL, \"audience\" text NOT NULL, \"level\" text NOT NULL, \"estimated_minutes\" integer NOT NULL, \"framework_key\" text NOT NULL, \"competencies\" jsonb NOT NULL, \"aligned_with\" jsonb NOT NULL, \"completion\" jsonb NOT NULL, \"certificate_validity_months\" integer, \"quiz\" jsonb, \"search_text\" text NOT NULL DEFAULT '', \"created_by\" uuid, \"published_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_be2c44542ff683636ad90e1b179\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_course_version\" ON \"course_version\"  (\"course_id\", \"version\") ");
    await queryRunner.query("CREATE TABLE \"lesson\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"course_version_id\" uuid NOT NULL, \"slug\" text NOT NULL, \"position\" integer NOT NULL, \"required\" boolean NOT NULL DEFAULT true, \"minutes\" integer NOT NULL, \"title\" jsonb NOT NULL, \"body\" jsonb NOT NULL, CONSTRAINT \"PK_0ef25918f0237e68696dee455bd\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_lesson_slug\" ON \"lesson\"  (\"course_version_id\", \"slug\") ");
    await queryRunner.query("CREATE TABLE \"enrolment\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"course_id\" uuid NOT NULL, \"course_version_id\" uuid NOT NULL, \"status\" text NOT NULL DEFAULT 'enrolled', \"source\" text NOT NULL, \"assignment_id\" uuid, \"due_reason\" text, \"due_at\" TIMESTAMP WITH TIME ZONE, \"progress\" integer NOT NULL DEFAULT '0', \"cycle\" integer NOT NULL DEFAULT '1', \"enrolled_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"started_at\" TIMESTAMP WITH TIME ZONE, \"completed_at\" TIMESTAMP WITH TIME ZONE, \"withdrawn_at\" TIMESTAMP WITH TIME ZONE, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5d2679f6c891d77c58aa0e05f2b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_enrolment_assignment\" ON \"enrolment\"  (\"assignment_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_enrolment_due\" ON \"enrolment\"  (\"due_at\") ");
    await queryRunner.query("CREATE INDEX \"idx_enrolment_course\" ON \"enrolment\"  (\"course_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_enrolment_user\" ON \"enrolment\"  (\"user_id\") ");
    await queryRunner.query("CREATE TABLE \"outbox_event\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"payload\" jsonb NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"relayed_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_cc0c9e40998e45ecfc5e313429d\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("ALTER TABLE \"org_unit\" ADD CONSTRAINT \"FK_b8e4301109a2850200ba2c7c512\" FOREIGN KEY (\"parent_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"FK_90433b02ee8b208cb2ea924d947\" FOREIGN KEY (\"org_unit_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD CONSTRAINT \"FK_56cf55efae335a51d5ab9ac09cc\" FOREIGN KEY (\"manager_id\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"role_grant\" ADD CONSTRAINT \"FK_cbca8b01eca20fa033ef14946b2\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"role_grant\" ADD CONSTRAINT \"FK_cafc09cbb8348a5b56486d8bda5\" FOREIGN KEY (\"scope_org_unit_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"course\" ADD CONSTRAINT \"FK_fe04a68c1eb8bf9b400f3bb4553\" FOREIGN KEY (\"school_org_unit_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"course_version\" ADD CONSTRAINT \"FK_0066962861e162340c248a0c200\" FOREIGN KEY (\"course_id\") REFERENCES \"course\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"lesson\" ADD CONSTRAINT \"FK_ce666ac57386f0cda8663c7264a\" FOREIGN KEY (\"course_version_id\") REFERENCES \"course_version\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"enrolment\" ADD CONSTRAINT \"FK_9fb006e88f06e280df626956366\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"enrolment\" ADD CONSTRAINT \"FK_2b2ef611d7003a8a61eb2838a3d\" FOREIGN KEY (\"course_id\") REFERENCES \"course\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"enrolment\" ADD CONSTRAINT \"FK_b8b0ceb6d64f6e84c8b745ddb90\" FOREIGN KEY (\"course_version_id\") REFERENCES \"course_version\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");

    // Hand-written parts the entity metadata cannot express (declared there with synchronize: false).
    // "This unit and everything below it" is a prefix match on the materialised path.
    await queryRunner.query(`CREATE INDEX "idx_org_unit_path_prefix" ON "org_unit" ("path" text_pattern_ops)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_role_grant" ON "role_grant" ("user_id", "role", "scope_org_unit_id") NULLS NOT DISTINCT`);
    // One active enrolment per person and course.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_enrolment_active" ON "enrolment" ("user_id", "course_id") WHERE status IN ('enrolled', 'in_progress')`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_unrelayed" ON "outbox_event" ("created_at") WHERE relayed_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "enrolment" ADD CONSTRAINT "ck_enrolment_status" CHECK (status IN ('enrolled', 'in_progress', 'completed', 'withdrawn'))`);
    await queryRunner.query(`ALTER TABLE "enrolment" ADD CONSTRAINT "ck_enrolment_progress" CHECK (progress BETWEEN 0 AND 100)`);
    await queryRunner.query(`ALTER TABLE "course_version" ADD CONSTRAINT "ck_course_version_status" CHECK (status IN ('draft', 'published'))`);
    // Published course versions and their lessons are immutable.
    await queryRunner.query(`CREATE FUNCTION lms_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'course_version' THEN
          IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'published course version % is immutable', OLD.id USING ERRCODE = 'check_violation';
          END IF;
        ELSIF EXISTS (SELECT 1 FROM course_version v WHERE v.id = OLD.course_version_id AND v.status = 'published') THEN
          RAISE EXCEPTION 'lessons of a published course version are immutable' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER trg_course_version_immutable BEFORE UPDATE OR DELETE ON course_version FOR EACH ROW EXECUTE FUNCTION lms_refuse_published_change()`);
    await queryRunner.query(`CREATE TRIGGER trg_lesson_immutable BEFORE UPDATE OR DELETE ON lesson FOR EACH ROW EXECUTE FUNCTION lms_refuse_published_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_lesson_immutable ON lesson`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_course_version_immutable ON course_version`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS lms_refuse_published_change()`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_outbox_unrelayed"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "uq_enrolment_active"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "uq_role_grant"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_org_unit_path_prefix"`);
    await queryRunner.query("ALTER TABLE \"enrolment\" DROP CONSTRAINT \"FK_b8b0ceb6d64f6e84c8b745ddb90\"");
    await queryRunner.query("ALTER TABLE \"enrolment\" DROP CONSTRAINT \"FK_2b2ef611d7003a8a61eb2838a3d\"");
    await queryRunner.query("ALTER TABLE \"enrolment\" DROP CONSTRAINT \"FK_9fb006e88f06e280df626956366\"");
    await queryRunner.query("ALTER TABLE \"lesson\" DROP CONSTRAINT \"FK_ce666ac57386f0cda8663c7264a\"");
    await queryRunner.query("ALTER TABLE \"course_version\" DROP CONSTRAINT \"FK_0066962861e162340c248a0c200\"");
    await queryRunner.query("ALTER TABLE \"course\" DROP CONSTRAINT \"FK_fe04a68c1eb8bf9b400f3bb4553\"");
    await queryRunner.query("ALTER TABLE \"role_grant\" DROP CONSTRAINT \"FK_cafc09cbb8348a5b56486d8bda5\"");
    await queryRunner.query("ALTER TABLE \"role_grant\" DROP CONSTRAINT \"FK_cbca8b01eca20fa033ef14946b2\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"FK_56cf55efae335a51d5ab9ac09cc\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP CONSTRAINT \"FK_90433b02ee8b208cb2ea924d947\"");
    await queryRunner.query("ALTER TABLE \"org_unit\" DROP CONSTRAINT \"FK_b8e4301109a2850200ba2c7c512\"");
    await queryRunner.query("DROP TABLE \"outbox_event\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_enrolment_user\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_enrolment_course\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_enrolment_due\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_enrolment_assignment\"");
    await queryRunner.query("DROP TABLE \"enrolment\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_lesson_slug\"");
    await queryRunner.query("DROP TABLE \"lesson\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_course_version\"");
    await queryRunner.query("DROP TABLE \"course_version\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_course_school\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_course_slug\"");
    await queryRunner.query("DROP TABLE \"course\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_role_grant_scope\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_role_grant_user\"");
    await queryRunner.query("DROP TABLE \"role_grant\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_app_user_org_unit\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_app_user_job_role\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_app_user_manager\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_app_user_email\"");
    await queryRunner.query("DROP TABLE \"app_user\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_org_unit_parent\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_org_unit_code\"");
    await queryRunner.query("DROP TABLE \"org_unit\"");
  }
}
