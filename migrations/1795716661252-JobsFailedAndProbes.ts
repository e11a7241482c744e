import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Jobs: the failed-job list, and the diagnostic probe tables (job_probe, job_probe_effect). */
export class JobsFailedAndProbes1795716661252 implements MigrationInterface {
  name = 'JobsFailedAndProbes1795716661252';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"failed_job\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"job_id\" text NOT NULL, \"name\" text NOT NULL, \"queue\" text NOT NULL, \"payload\" jsonb NOT NULL, \"error\" text NOT NULL, \"attempts\" integer NOT NULL, \"failed_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_80c464e5e96567a752cd3d87298\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_failed_job_failed_at\" ON \"failed_job\"  (\"failed_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_failed_job_job_id\" ON \"failed_job\"  (\"job_id\") ");
    await queryRunner.query("CREATE TABLE \"job_probe\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"hold_ms\" integer NOT NULL DEFAULT '0', \"fail_attempts\" integer NOT NULL DEFAULT '0', \"runs\" integer NOT NULL DEFAULT '0', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_job_probe_fail_attempts\" CHECK (fail_attempts BETWEEN 0 AND 100), CONSTRAINT \"ck_job_probe_hold_ms\" CHECK (hold_ms BETWEEN 0 AND 60000), CONSTRAINT \"PK_8e79958ab2e2284a651f6d73b6a\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"job_probe_effect\" (\"probe_id\" uuid NOT NULL, \"job_id\" text NOT NULL, \"attempt\" integer NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_6182faf5c0eda832c3639e242e9\" PRIMARY KEY (\"probe_id\"))");
    await queryRunner.query("ALTER TABLE \"job_probe_effect\" ADD CONSTRAINT \"FK_6182faf5c0eda832c3639e242e9\" FOREIGN KEY (\"probe_id\") REFERENCES \"job_probe\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"job_probe_effect\" DROP CONSTRAINT \"FK_6182faf5c0eda832c3639e242e9\"");
    await queryRunner.query("DROP TABLE \"job_probe_effect\"");
    await queryRunner.query("DROP TABLE \"job_probe\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_failed_job_job_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_failed_job_failed_at\"");
    await queryRunner.query("DROP TABLE \"failed_job\"");
  }
}
