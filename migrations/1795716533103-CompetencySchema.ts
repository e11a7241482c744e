import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CompetencySchema1795716533103 implements MigrationInterface {
  name = 'CompetencySchema1795716533103';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"competency_framework\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"key\" text NOT NULL, \"version\" integer NOT NULL, \"title\" jsonb NOT NULL, \"description\" jsonb, \"levels\" jsonb NOT NULL, \"source\" text, \"content_hash\" text NOT NULL, \"imported_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_competency_framework_version\" CHECK (version >= 1), CONSTRAINT \"PK_329c8576ff531e718f75ef97f56\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_competency_framework_version\" ON \"competency_framework\"  (\"key\", \"version\") ");
    await queryRunner.query("CREATE TABLE \"competency\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"framework_id\" uuid NOT NULL, \"code\" text NOT NULL, \"parent_code\" text, \"position\" integer NOT NULL, \"title\" jsonb NOT NULL, \"description\" jsonb, \"crosswalk\" jsonb NOT NULL, CONSTRAINT \"PK_9b9cd5b5654e3900e92f6956436\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_competency_code\" ON \"competency\"  (\"code\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_competency_code\" ON \"competency\"  (\"framework_id\", \"code\") ");
    await queryRunner.query("CREATE TABLE \"job_role\" (\"code\" text NOT NULL, \"title\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_db7c36f479c5d9606a7ad516c60\" PRIMARY KEY (\"code\"))");
    await queryRunner.query("CREATE TABLE \"job_role_requirement\" (\"job_role_code\" text NOT NULL, \"framework_key\" text NOT NULL, \"competency_code\" text NOT NULL, \"level\" integer NOT NULL, CONSTRAINT \"ck_job_role_requirement_level\" CHECK (level >= 1), CONSTRAINT \"PK_884105cd236f0281fecbd2a07c2\" PRIMARY KEY (\"job_role_code\", \"framework_key\", \"competency_code\"))");
    await queryRunner.query("CREATE INDEX \"idx_job_role_requirement_competency\" ON \"job_role_requirement\"  (\"framework_key\", \"competency_code\") ");
    await queryRunner.query("CREATE TABLE \"competency_evidence\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"competency_code\" text NOT NULL, \"framework_key\" text NOT NULL, \"framework_version\" integer, \"level\" integer NOT NULL, \"source\" text NOT NULL, \"enrolment_id\" uuid, \"course_slug\" text, \"note\" text, \"recorded_by\" uuid, \"awarded_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_competency_evidence_enrolment\" CHECK ((source = 'course') = (enrolment_id IS NOT NULL)), CONSTRAINT \"ck_competency_evidence_level\" CHECK (level >= 1), CONSTRAINT \"ck_competency_evidence_source\" CHECK (source IN ('course', 'manual')), CONSTRAINT \"PK_0c2b0a69a2dc0580ab56633391d\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_competency_evidence_user\" ON \"competency_evidence\"  (\"user_id\", \"framework_key\", \"competency_code\", \"level\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_competency_evidence_enrolment\" ON \"competency_evidence\"  (\"enrolment_id\", \"competency_code\") ");
    await queryRunner.query("ALTER TABLE \"competency\" ADD CONSTRAINT \"FK_329c8576ff531e718f75ef97f56\" FOREIGN KEY (\"framework_id\") REFERENCES \"competency_framework\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"job_role_requirement\" ADD CONSTRAINT \"FK_3e50becf73665615e894f2981e4\" FOREIGN KEY (\"job_role_code\") REFERENCES \"job_role\"(\"code\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"competency_evidence\" ADD CONSTRAINT \"FK_8e74945e214789e5f05be8cf8ed\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"competency_evidence\" ADD CONSTRAINT \"FK_8d650a67df42f8ee6137c770f96\" FOREIGN KEY (\"enrolment_id\") REFERENCES \"enrolment\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"competency_evidence\" ADD CONSTRAINT \"FK_3d55f41044c0ee173d5b2a13cd9\" FOREIGN KEY (\"recorded_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"competency_evidence\" DROP CONSTRAINT \"FK_3d55f41044c0ee173d5b2a13cd9\"");
    await queryRunner.query("ALTER TABLE \"competency_evidence\" DROP CONSTRAINT \"FK_8d650a67df42f8ee6137c770f96\"");
    await queryRunner.query("ALTER TABLE \"competency_evidence\" DROP CONSTRAINT \"FK_8e74945e214789e5f05be8cf8ed\"");
    await queryRunner.query("ALTER TABLE \"job_role_requirement\" DROP CONSTRAINT \"FK_3e50becf73665615e894f2981e4\"");
    await queryRunner.query("ALTER TABLE \"competency\" DROP CONSTRAINT \"FK_329c8576ff531e718f75ef97f56\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_competency_evidence_enrolment\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_competency_evidence_user\"");
    await queryRunner.query("DROP TABLE \"competency_evidence\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_job_role_requirement_competency\"");
    await queryRunner.query("DROP TABLE \"job_role_requirement\"");
    await queryRunner.query("DROP TABLE \"job_role\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_competency_code\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_competency_code\"");
    await queryRunner.query("DROP TABLE \"competency\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_competency_framework_version\"");
    await queryRunner.query("DROP TABLE \"competency_framework\"");
  }
}
