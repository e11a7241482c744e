import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Imported SCORM/cmi5 packages of a course and their activities (docs/interop.md); files live in libs/storage. */
export class InteropPackages1796642845910 implements MigrationInterface {
  name = 'InteropPackages1796642845910';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"content_package\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"course_id\" uuid NOT NULL, \"standard\" text NOT NULL, \"edition\" text, \"identifier\" text NOT NULL, \"title\" text NOT NULL, \"file_count\" integer NOT NULL, \"byte_size\" bigint NOT NULL, \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_content_package_standard\" CHECK (\"standard\" IN ('scorm12', 'scorm2004', 'cmi5')), CONSTRAINT \"PK_5b90daee8b7c1298bbf4833fa95\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_content_package_course\" ON \"content_package\"  (\"course_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"package_activity\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"package_id\" uuid NOT NULL, \"course_id\" uuid NOT NULL, \"position\" integer NOT NULL, \"identifier\" text NOT NULL, \"title\" text NOT NULL, \"launch\" text NOT NULL, \"kind\" text NOT NULL, \"mastery_score\" double precision, \"move_on\" text, \"lesson_slug\" text NOT NULL, CONSTRAINT \"ck_package_activity_kind\" CHECK (\"kind\" IN ('sco', 'asset', 'au')), CONSTRAINT \"PK_34f68fd7672a5b54da1d1369e6f\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_package_activity_lesson\" ON \"package_activity\"  (\"course_id\", \"lesson_slug\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_package_activity_position\" ON \"package_activity\"  (\"package_id\", \"position\") ");
    await queryRunner.query("ALTER TABLE \"package_activity\" ADD CONSTRAINT \"FK_7fcd1e3f25cd9e644e726ea3cb3\" FOREIGN KEY (\"package_id\") REFERENCES \"content_package\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"package_activity\" DROP CONSTRAINT \"FK_7fcd1e3f25cd9e644e726ea3cb3\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_package_activity_position\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_package_activity_lesson\"");
    await queryRunner.query("DROP TABLE \"package_activity\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_content_package_course\"");
    await queryRunner.query("DROP TABLE \"content_package\"");
  }
}
