import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The completion aggregate keeps a second row per unit and course for the unit's whole subtree, so
 * the rolled-up report is a read, not an aggregation. The table is a cache: it is emptied and the
 * refresh stamp dropped, so the next report (or 'reports.refresh') rebuilds it.
 */
export class ReportingSubtreeFacts1795719102443 implements MigrationInterface {
  name = 'ReportingSubtreeFacts1795719102443';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE "report_completion_fact"`);
    await queryRunner.query(`DELETE FROM "report_refresh" WHERE name = 'completion'`);
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" ADD \"subtree\" boolean NOT NULL");
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" DROP CONSTRAINT \"PK_8f7136dc16c93b0f1668910980a\"");
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" ADD CONSTRAINT \"PK_c69d1e4f2f6a3c834b9d6533feb\" PRIMARY KEY (\"org_unit_id\", \"course_id\", \"subtree\")");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE "report_completion_fact"`);
    await queryRunner.query(`DELETE FROM "report_refresh" WHERE name = 'completion'`);
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" DROP CONSTRAINT \"PK_c69d1e4f2f6a3c834b9d6533feb\"");
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" ADD CONSTRAINT \"PK_8f7136dc16c93b0f1668910980a\" PRIMARY KEY (\"org_unit_id\", \"course_id\")");
    await queryRunner.query("ALTER TABLE \"report_completion_fact\" DROP COLUMN \"subtree\"");
  }
}
