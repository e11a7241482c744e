import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SCORM run-time data per enrolment and SCO, with the sequence of the last commit applied (docs/interop.md). */
export class ScormRuntime1796643208264 implements MigrationInterface {
  name = 'ScormRuntime1796643208264';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"scorm_runtime\" (\"enrolment_id\" uuid NOT NULL, \"activity_id\" uuid NOT NULL, \"sequence\" integer NOT NULL, \"cmi\" jsonb NOT NULL, \"completion_status\" text, \"success_status\" text, \"score_scaled\" double precision, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_37613970e74eca711711700efaa\" PRIMARY KEY (\"enrolment_id\", \"activity_id\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"scorm_runtime\"");
  }
}
