import { Injectable } from '@nestjs/common';
import { EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { RequestContext } from '@lms/platform';
import type { EventName, EventPayloads } from './job-catalogue.js';

export type OutboxListener = () => void;

/** Marks a transaction's query runner as holding outbox events, so its commit wakes the relay. */
const OUTBOX_PENDING = 'lmsOutboxPending';

/**
 * Writes an event in the caller's transaction: pass the EntityManager of the transaction that
 * makes the state change, so the event commits (or rolls back) with it.
 */
@Injectable()
export class Outbox {
  private readonly listeners = new Set<OutboxListener>();

  async add<E extends EventName>(manager: EntityManager, name: E, payload: EventPayloads[E]): Promise<string> {
    // One round trip: the row, and a NOTIFY that wakes relays in other processes after commit (NOTIFY
    // is transactional: delivered on commit, dropped on rollback). The payload is constant, so
    // PostgreSQL folds a transaction's notifications into one.
    // The id of the HTTP request (or of the job's causing request) that writes the event travels with it.
    const [row] = (await manager.query(
      `WITH event AS (INSERT INTO outbox_event (name, payload, request_id) VALUES ($1, $2, $3) RETURNING id)
       SELECT id, pg_notify('lms_outbox', '') FROM event`,
      [name, payload, RequestContext.requestId()],
    )) as Array<{ id: string }>;
    this.wakeAfter(manager);
    return row.id;
  }

  /**
   * Writes many events of one kind in the caller's transaction, in ONE statement (the payloads
   * travel as one jsonb array, so there is no bind-parameter limit), with the same NOTIFY and
   * after-commit nudge as `add`. For bulk writers (CSV import, sweeps): `add` per row would cost a
   * round trip per event. Resolves with the new rows' ids. (Identical notifications fold into one per transaction.)
   */
  async addMany<E extends EventName>(manager: EntityManager, name: E, payloads: ReadonlyArray<EventPayloads[E]>): Promise<string[]> {
    if (!payloads.length) return [];
    const rows = (await manager.query(
      `WITH event AS (INSERT INTO outbox_event (name, payload, request_id) SELECT $1, p, $3 FROM jsonb_array_elements($2::jsonb) AS p RETURNING id)
       SELECT id, pg_notify('lms_outbox', '') FROM event`,
      [name, JSON.stringify(payloads), RequestContext.requestId()],
    )) as Array<{ id: string }>;
    this.wakeAfter(manager);
    return rows.map((r) => r.id);
  }

  /**
   * Writes one event per row of `select` (which must yield a jsonb column `payload`, and may use
   * $1…$n of `params`) in the caller's transaction, in ONE statement: for set-based writers whose
   * new rows only the database knows (a bulk assignment's enrolments). Resolves with the count.
   */
  async addFromQuery<E extends EventName>(manager: EntityManager, name: E, select: string, params: unknown[]): Promise<number> {
    const n = params.length;
    const [row] = (await manager.query(
      `WITH event AS (INSERT INTO outbox_event (name, payload, request_id) SELECT $${n + 1}, q.payload, $${n + 2} FROM (${select}) q RETURNING 1)
       SELECT count(*)::int AS n FROM event`,
      [...params, name, RequestContext.requestId()],
    )) as Array<{ n: number }>;
    if (row.n > 0) {
      await manager.query(`SELECT pg_notify('lms_outbox', '')`);
      this.wakeAfter(manager);
    }
    return row.n;
  }

  /**
   * Runs `insert` (an INSERT … RETURNING a jsonb column `payload`, typically ON CONFLICT DO NOTHING,
   * with $1…$n of `params`) and writes one event per row it returned, in ONE statement: the row and
   * its event commit together, and an insert that conflicts writes no event. For hot paths that
   * record a fact at most once (a lesson viewed once a day). Resolves with the number of events.
   */
  async addForInserted<E extends EventName>(manager: EntityManager, name: E, insert: string, params: unknown[]): Promise<number> {
    const n = params.length;
    const rows = (await manager.query(
      `WITH fact AS (${insert}),
            event AS (INSERT INTO outbox_event (name, payload, request_id) SELECT $${n + 1}, fact.payload, $${n + 2} FROM fact RETURNING 1)
       SELECT pg_notify('lms_outbox', '') FROM event`,
      [...params, name, RequestContext.requestId()],
    )) as unknown[];
    if (rows.length > 0) this.wakeAfter(manager);
    return rows.length;
  }

  /** Wake this process's relay once the caller's transaction commits (OutboxCommitSubscriber), or now outside one. */
  private wakeAfter(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      runner.data = { ...(runner.data ?? {}), [OUTBOX_PENDING]: true };
    } else {
      this.nudge();
    }
  }

  /** The relay subscribes here to be woken promptly; the polling safety net covers the rest. */
  onEvent(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  nudge(): void {
    for (const l of this.listeners) l();
  }
}

/** TypeORM subscriber: after a transaction that wrote outbox events commits, nudge the relay. */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly outbox: Outbox) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (take(event.queryRunner)) this.outbox.nudge();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    take(event.queryRunner);
  }
}

/** True (and cleared) when the finished top-level transaction wrote outbox events. */
function take(runner: QueryRunner): boolean {
  const data = runner.data as Record<string, unknown> | undefined;
  if (runner.isTransactionActive || !data?.[OUTBOX_PENDING]) return false;
  delete data[OUTBOX_PENDING];
  return true;
}
