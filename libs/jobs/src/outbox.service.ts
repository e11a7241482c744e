import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EventName, EventPayloads } from './job-catalogue.js';

export type OutboxListener = () => void;

/**
 * Writes an event in the caller's transaction: pass the EntityManager of the transaction that
 * makes the state change, so the event commits (or rolls back) with it.
 */
@Injectable()
export class Outbox {
  private readonly listeners = new Set<OutboxListener>();

  async add<E extends EventName>(manager: EntityManager, name: E, payload: EventPayloads[E]): Promise<string> {
    const [row] = (await manager.query(`INSERT INTO outbox_event (name, payload) VALUES ($1, $2) RETURNING id`, [name, payload])) as Array<{
      id: string;
    }>;
    // Wake the relay after commit: NOTIFY is transactional (delivered on commit, dropped on rollback).
    await manager.query(`SELECT pg_notify('lms_outbox', $1)`, [row.id]);
    if (!manager.queryRunner?.isTransactionActive) this.nudge();
    else {
      // In-process nudge too (embedded mode has no LISTEN connection); the relay re-checks the table.
      setImmediate(() => this.nudge());
    }
    return row.id;
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
