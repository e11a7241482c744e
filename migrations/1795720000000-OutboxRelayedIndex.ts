import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Jobs: a partial index on relayed outbox rows, so the daily prune finds the old ones without a full scan. */
export class OutboxRelayedIndex1795720000000 implements MigrationInterface {
  name = 'OutboxRelayedIndex1795720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_outbox_relayed" ON "outbox_event" ("relayed_at") WHERE relayed_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_outbox_relayed"`);
  }
}
