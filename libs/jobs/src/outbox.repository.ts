import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface ClaimedOutboxRow {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  request_id: string | null;
}

/** The relay's queries on outbox_event. */
@Injectable()
export class OutboxRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Locks up to `limit` committed, unrelayed rows, oldest first, for the caller's transaction.
   * SKIP LOCKED: several relays (API replicas, workers) share the work instead of waiting on each other.
   */
  async claim(manager: EntityManager, limit: number, exclude: string[] = []): Promise<ClaimedOutboxRow[]> {
    return (await manager.query(
      `SELECT id, name, payload, request_id FROM outbox_event
        WHERE relayed_at IS NULL ${exclude.length ? 'AND id <> ALL($2::uuid[])' : ''}
        ORDER BY created_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      exclude.length ? [limit, exclude] : [limit],
    )) as ClaimedOutboxRow[];
  }

  async markRelayed(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!ids.length) return;
    await manager.query(`UPDATE outbox_event SET relayed_at = now() WHERE id = ANY($1::uuid[]) AND relayed_at IS NULL`, [ids]);
  }

  /**
   * Deletes up to `limit` rows relayed more than `olderThanDays` days ago (partial index
   * idx_outbox_relayed); returns how many. One short statement per batch, so the relay and writers
   * never wait long behind it; SKIP LOCKED leaves rows another prune is deleting.
   */
  async deleteRelayedBatch(olderThanDays: number, limit: number): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM outbox_event WHERE id IN (
         SELECT id FROM outbox_event
          WHERE relayed_at IS NOT NULL AND relayed_at < now() - make_interval(days => $1::int)
          ORDER BY relayed_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED)`,
      [olderThanDays, limit],
    )) as [unknown[], number];
    return count;
  }

  /** How many rows wait for the relay, and how old the oldest is (seconds). */
  async backlog(): Promise<{ unrelayed: number; oldestAgeSeconds: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS unrelayed, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
         FROM outbox_event WHERE relayed_at IS NULL`,
    )) as Array<{ unrelayed: number; age: number }>;
    return { unrelayed: row.unrelayed, oldestAgeSeconds: row.age };
  }
}
