import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs: the outbox event keeps the X-Request-Id of the HTTP request whose transaction wrote it, so
 * the jobs it causes (and the events those write) log the same id as the request (docs/jobs.md).
 * Nullable: scheduled jobs and the CLI have no request. Adding a nullable column without a default
 * rewrites nothing, so it is instant on a large table.
 */
export class OutboxRequestId1796610000500 implements MigrationInterface {
  name = 'OutboxRequestId1796610000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_event" ADD "request_id" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_event" DROP COLUMN "request_id"`);
  }
}
