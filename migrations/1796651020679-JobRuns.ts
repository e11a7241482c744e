import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Recent runs of the scheduled jobs (time, duration, outcome) for the administrators' jobs page; the last 50 per job are kept. */
export class JobRuns1796651020679 implements MigrationInterface {
  name = 'JobRuns1796651020679';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"job_run\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"job_id\" text NOT NULL, \"name\" text NOT NULL, \"attempt\" integer NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"duration_ms\" integer NOT NULL, \"outcome\" text NOT NULL, CONSTRAINT \"PK_96fe0b041b8bc157dcec25bd8ef\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_job_run_name_started\" ON \"job_run\"  (\"name\", \"started_at\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_job_run_name_started\"");
    await queryRunner.query("DROP TABLE \"job_run\"");
  }
}
