import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, pageOf } from '@lms/platform';

/** Keys whose values never enter the audit log (at any depth): password, passwordHash, refreshToken, apiSecret, privateKey… */
const SECRET_KEY = /(password|passwd|passphrase|hash|token|secret|private_?key|otp)$/i;

/** A copy of `value` without any secret-looking keys, at any depth. */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(k) || v === undefined) continue;
      out[k] = scrubSecrets(v);
    }
    return out;
  }
  return value;
}

export interface AuditEntry {
  /** Who did it: a principal (or anything with userId), or null for the system. */
  actor: { userId: string } | null;
  /** Dotted verb, e.g. `user.updated`, `org_unit.moved`, `certificate.revoked`. */
  action: string;
  subjectType: string;
  subjectId: string;
  before?: object | null;
  after?: object | null;
  requestId?: string | null;
}

export interface AuditEventView {
  id: string;
  at: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditQuery {
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  action?: string;
  /** Events at or after this instant. */
  from?: Date;
  /** Events before this instant. */
  to?: Date;
  page: number;
  limit: number;
}

/**
 * The append-only audit log. Record admin/HR writes INSIDE the transaction that makes them
 * (pass its EntityManager) so the entry commits or rolls back with the change.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /** Set-based: one INSERT for any number of entries. */
  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      actor_id: e.actor?.userId ?? null,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: e.subjectId,
      before: e.before == null ? null : scrubSecrets(e.before),
      after: e.after == null ? null : scrubSecrets(e.after),
      request_id: e.requestId ?? null,
    }));
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_event (actor_id, action, subject_type, subject_id, before, after, request_id)
       SELECT r.actor_id, r.action, r.subject_type, r.subject_id, r.before, r.after, r.request_id
         FROM jsonb_to_recordset($1::jsonb) AS r(actor_id uuid, action text, subject_type text, subject_id text, before jsonb, after jsonb, request_id text)`,
      [JSON.stringify(rows)],
    );
  }

  async list(query: AuditQuery): Promise<Page<AuditEventView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.subjectType) add('subject_type = ?', query.subjectType);
    if (query.subjectId) add('subject_id = ?', query.subjectId);
    if (query.actorId) add('actor_id = ?', query.actorId);
    if (query.action) add('action = ?', query.action);
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_event ${clause}`, params)) as Array<{
      total: number;
    }>;
    const rows = (await this.dataSource.query(
      `SELECT id, at, actor_id, action, subject_type, subject_id, before, after, request_id
         FROM audit_event ${clause}
        ORDER BY at DESC, id DESC
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, (query.page - 1) * query.limit],
    )) as Array<{
      id: string;
      at: Date;
      actor_id: string | null;
      action: string;
      subject_type: string;
      subject_id: string;
      before: unknown;
      after: unknown;
      request_id: string | null;
    }>;
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        before: r.before,
        after: r.after,
        requestId: r.request_id,
      })),
      total,
      query,
    );
  }
}
