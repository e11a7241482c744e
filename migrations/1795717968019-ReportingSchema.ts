import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting: the completion report's materialised aggregate (report_completion_fact, rebuilt by
 * 'reports.refresh'), the refresh log, and the protected open-data tables. No foreign keys: these
 * are derived caches that the refresh rewrites.
 */
export class ReportingSchema1795717968019 implements MigrationInterface {
  name = 'ReportingSchema1795717968019';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"report_completion_fact\" (\"org_unit_id\" uuid NOT NULL, \"course_id\" uuid NOT NULL, \"enrolled\" integer NOT NULL, \"not_started\" integer NOT NULL, \"in_progress\" integer NOT NULL, \"completed\" integer NOT NULL, \"overdue\" integer NOT NULL, \"assigned_enrolled\" integer NOT NULL, \"assigned_not_started\" integer NOT NULL, \"assigned_in_progress\" integer NOT NULL, \"assigned_completed\" integer NOT NULL, \"assigned_overdue\" integer NOT NULL, CONSTRAINT \"PK_8f7136dc16c93b0f1668910980a\" PRIMARY KEY (\"org_unit_id\", \"course_id\"))");
    await queryRunner.query("CREATE INDEX \"idx_report_completion_fact_course\" ON \"report_completion_fact\"  (\"course_id\") ");
    await queryRunner.query("CREATE TABLE \"report_refresh\" (\"name\" text NOT NULL, \"refreshed_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"duration_ms\" integer NOT NULL, \"row_count\" integer NOT NULL, CONSTRAINT \"PK_9c2524c1dc18fc60684c5799281\" PRIMARY KEY (\"name\"))");
    await queryRunner.query("CREATE TABLE \"open_data_table\" (\"dimension\" text NOT NULL, \"generated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"payload\" jsonb NOT NULL, CONSTRAINT \"PK_7ce49d6a6c056148de7d8d2161a\" PRIMARY KEY (\"dimension\"))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"open_data_table\"");
    await queryRunner.query("DROP TABLE \"report_refresh\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_report_completion_fact_course\"");
    await queryRunner.query("DROP TABLE \"report_completion_fact\"");
  }
}
