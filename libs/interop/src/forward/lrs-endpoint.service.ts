import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@lms/identity';
import { AppConfig, NotFoundError, type Principal } from '@lms/platform';
import { sealEndpointPassword } from './endpoint-secret.js';
import { LrsForwarder } from './lrs-forwarder.js';

export interface LrsEndpointInput {
  name: string;
  url: string;
  username: string;
  password: string;
  /** Statement filter: verb IRIs (empty: any verb). */
  verbs?: string[];
  /** Statement filter: activity IRIs a statement's activities must be or lie under (empty: any). */
  activityPrefixes?: string[];
  /** Statement filter shorthand: course slugs, turned into `<PUBLIC_URL>/courses/<slug>` prefixes. */
  courseSlugs?: string[];
}

export interface LrsEndpointView {
  id: string;
  name: string;
  url: string;
  username: string;
  /** Never the password: only whether one is set. */
  hasPassword: boolean;
  verbs: string[];
  activityPrefixes: string[];
  createdAt: string;
  updatedAt: string;
  deliveries: { pending: number; delivered: number; dead: number };
}

export interface DeadLetterView {
  endpointId: string;
  endpointName: string;
  statementId: string;
  verb: string;
  activityId: string | null;
  stored: string;
  attempts: number;
  lastError: string | null;
  deadAt: string;
}

/** Admins configure external LRSs, see their dead letters and requeue them (docs/xapi.md, "Forwarding"). */
@Injectable()
export class LrsEndpointService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LrsForwarder) private readonly forwarder: LrsForwarder,
  ) {}

  /** Creates the endpoint. Only statements stored from now on are queued for it; older ones by back-fill. */
  async create(input: LrsEndpointInput, actor: Principal, requestId?: string): Promise<LrsEndpointView> {
    const prefixes = this.prefixes(input);
    const id = await this.ds.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO lrs_endpoint (name, url, username, password_encrypted, verbs, activity_prefixes, created_by) VALUES ($1, $2, $3, '', $4::text[], $5::text[], $6) RETURNING id`,
        [input.name, input.url, input.username, [...new Set(input.verbs ?? [])], prefixes, actor.userId],
      )) as Array<{ id: string }>;
      await m.query(`UPDATE lrs_endpoint SET password_encrypted = $2 WHERE id = $1`, [row.id, sealEndpointPassword(input.password, this.config.credentialKeySecret, row.id)]);
      await this.audit.record({ actor, action: 'lrs_endpoint.created', subjectType: 'lrs_endpoint', subjectId: row.id, after: { name: input.name, url: input.url, verbs: input.verbs ?? [], activityPrefixes: prefixes }, requestId }, m);
      return row.id;
    });
    return this.get(id);
  }

  /** Changes name, URL, credentials or filter (a new password replaces the old; none keeps it). */
  async update(id: string, input: Partial<LrsEndpointInput>, actor: Principal, requestId?: string): Promise<LrsEndpointView> {
    await this.ds.transaction(async (m) => {
      const [before] = (await m.query(`SELECT id, name, url, username, verbs, activity_prefixes FROM lrs_endpoint WHERE id = $1 FOR UPDATE`, [id])) as Array<{
        name: string;
        url: string;
        username: string;
        verbs: string[];
        activity_prefixes: string[];
      }>;
      if (!before) throw new NotFoundError('LRS endpoint', id);
      const filterGiven = input.verbs !== undefined || input.activityPrefixes !== undefined || input.courseSlugs !== undefined;
      const prefixes = input.activityPrefixes !== undefined || input.courseSlugs !== undefined ? this.prefixes(input) : before.activity_prefixes;
      const verbs = input.verbs !== undefined ? [...new Set(input.verbs)] : before.verbs;
      await m.query(
        `UPDATE lrs_endpoint SET name = $2, url = $3, username = $4, verbs = $5::text[], activity_prefixes = $6::text[],
                password_encrypted = COALESCE($7, password_encrypted), updated_at = now() WHERE id = $1`,
        [id, input.name ?? before.name, input.url ?? before.url, input.username ?? before.username, verbs, prefixes, input.password !== undefined ? sealEndpointPassword(input.password, this.config.credentialKeySecret, id) : null],
      );
      await this.audit.record(
        {
          actor,
          action: 'lrs_endpoint.updated',
          subjectType: 'lrs_endpoint',
          subjectId: id,
          before: { name: before.name, url: before.url, username: before.username, ...(filterGiven ? { verbs: before.verbs, activityPrefixes: before.activity_prefixes } : {}) },
          after: { name: input.name ?? before.name, url: input.url ?? before.url, username: input.username ?? before.username, passwordChanged: input.password !== undefined, ...(filterGiven ? { verbs, activityPrefixes: prefixes } : {}) },
          requestId,
        },
        m,
      );
    });
    return this.get(id);
  }

  /** Deletes the endpoint and its delivery records (nothing more is sent to it). */
  async remove(id: string, actor: Principal, requestId?: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [rows] = (await m.query(`DELETE FROM lrs_endpoint WHERE id = $1 RETURNING name, url`, [id])) as [Array<{ name: string; url: string }>, number];
      if (!rows.length) throw new NotFoundError('LRS endpoint', id);
      await this.audit.record({ actor, action: 'lrs_endpoint.deleted', subjectType: 'lrs_endpoint', subjectId: id, before: rows[0], requestId }, m);
    });
  }

  async list(page: number, limit: number): Promise<{ items: LrsEndpointView[]; total: number }> {
    const rows = await this.rows(`ORDER BY e.created_at DESC, e.id LIMIT $1 OFFSET $2`, [limit, (page - 1) * limit]);
    const [{ n }] = (await this.ds.query(`SELECT count(*)::int AS n FROM lrs_endpoint`)) as Array<{ n: number }>;
    return { items: rows, total: n };
  }

  async get(id: string): Promise<LrsEndpointView> {
    const [row] = await this.rows(`WHERE e.id = $1`, [id]);
    if (!row) throw new NotFoundError('LRS endpoint', id);
    return row;
  }

  /** The dead-letter list: statements that could not be delivered (newest first), of one endpoint or all. */
  async deadLetters(endpointId: string | undefined, page: number, limit: number): Promise<{ items: DeadLetterView[]; total: number }> {
    const rows = (await this.ds.query(
      `SELECT d.endpoint_id, e.name AS endpoint_name, d.statement_id, s.verb_id, s.activity_id, s.stored, d.attempts, d.last_error, d.dead_at,
              count(*) OVER () AS total
         FROM lrs_delivery d JOIN lrs_endpoint e ON e.id = d.endpoint_id JOIN xapi_statement s ON s.id = d.statement_id
        WHERE d.state = 'dead' AND ($1::uuid IS NULL OR d.endpoint_id = $1)
        ORDER BY d.dead_at DESC, d.statement_id LIMIT $2 OFFSET $3`,
      [endpointId ?? null, limit, (page - 1) * limit],
    )) as Array<{
      endpoint_id: string;
      endpoint_name: string;
      statement_id: string;
      verb_id: string;
      activity_id: string | null;
      stored: Date;
      attempts: number;
      last_error: string | null;
      dead_at: Date;
      total: string;
    }>;
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && page > 1) {
      const [{ n }] = (await this.ds.query(`SELECT count(*)::int AS n FROM lrs_delivery WHERE state = 'dead' AND ($1::uuid IS NULL OR endpoint_id = $1)`, [endpointId ?? null])) as Array<{ n: number }>;
      total = n;
    }
    return {
      items: rows.map((r) => ({
        endpointId: r.endpoint_id,
        endpointName: r.endpoint_name,
        statementId: r.statement_id,
        verb: r.verb_id,
        activityId: r.activity_id,
        stored: r.stored.toISOString(),
        attempts: r.attempts,
        lastError: r.last_error,
        deadAt: r.dead_at.toISOString(),
      })),
      total,
    };
  }

  /** Puts the endpoint's dead letters back in the queue (after the LRS or the credentials were fixed). */
  async retryDead(id: string, actor: Principal, requestId?: string): Promise<{ requeued: number }> {
    await this.get(id);
    return this.ds.transaction(async (m) => {
      const requeued = await this.forwarder.requeueDead(m, id);
      await this.audit.record({ actor, action: 'lrs_endpoint.dead_letters_requeued', subjectType: 'lrs_endpoint', subjectId: id, after: { requeued }, requestId }, m);
      return { requeued };
    });
  }

  /**
   * Back-fill: queues the statements stored in [from, to) that match the endpoint's filter (every
   * endpoint when none is named) and were never queued for it. Statements already delivered are
   * not sent again. Returns how many deliveries were queued.
   */
  async backfill(from: Date, to: Date, endpointId?: string): Promise<{ queued: number }> {
    if (endpointId) await this.get(endpointId);
    const queued = await this.ds.transaction((m) => this.forwarder.queue(m, { from, to }, endpointId));
    return { queued };
  }

  private prefixes(input: Partial<LrsEndpointInput>): string[] {
    const base = this.config.publicUrl.replace(/\/+$/, '');
    return [...new Set([...(input.activityPrefixes ?? []), ...(input.courseSlugs ?? []).map((slug) => `${base}/courses/${slug}`)])];
  }

  private async rows(tail: string, params: unknown[]): Promise<LrsEndpointView[]> {
    const rows = (await this.ds.query(
      `SELECT e.id, e.name, e.url, e.username, e.password_encrypted <> '' AS has_password, e.verbs, e.activity_prefixes, e.created_at, e.updated_at,
              (SELECT count(*)::int FROM lrs_delivery d WHERE d.endpoint_id = e.id AND d.state = 'pending') AS pending,
              (SELECT count(*)::int FROM lrs_delivery d WHERE d.endpoint_id = e.id AND d.state = 'delivered') AS delivered,
              (SELECT count(*)::int FROM lrs_delivery d WHERE d.endpoint_id = e.id AND d.state = 'dead') AS dead
         FROM lrs_endpoint e ${tail}`,
      params,
    )) as Array<{
      id: string;
      name: string;
      url: string;
      username: string;
      has_password: boolean;
      verbs: string[];
      activity_prefixes: string[];
      created_at: Date;
      updated_at: Date;
      pending: number;
      delivered: number;
      dead: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      url: r.url,
      username: r.username,
      hasPassword: r.has_password,
      verbs: r.verbs,
      activityPrefixes: r.activity_prefixes,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      deliveries: { pending: r.pending, delivered: r.delivered, dead: r.dead },
    }));
  }
}
