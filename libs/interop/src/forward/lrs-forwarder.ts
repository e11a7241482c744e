import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@lms/jobs';
import { AppConfig } from '@lms/platform';
import { openEndpointPassword } from './endpoint-secret.js';

/** Statements one job sends per request (an xAPI POST of an array). */
export const FORWARD_CHUNK = 100;
/** The most statements in one delivery batch (one 'xapi.forward' job). */
export const FORWARD_BATCH = 500;
/** A request to an external LRS is given up after this long (and retried). */
export const FORWARD_TIMEOUT_MS = 15_000;

/** Which statements to queue: the ids a store just inserted, or a `stored` range (back-fill). */
export type ForwardSelection = { statementIds: string[] } | { from: Date; to: Date };

interface EndpointRow {
  id: string;
  url: string;
  username: string;
  password_encrypted: string;
}

/** What one request to an external LRS did to a chunk of statements. */
interface ChunkOutcome {
  delivered: string[];
  /** The LRS refused these statements as invalid (400): retrying cannot help. */
  rejected: Array<{ id: string; error: string }>;
  /** Set when the LRS failed part-way: the statements not settled are retried. */
  failure?: string;
}

class ForwardFailure extends Error {
  override readonly name = 'ForwardFailure';
}

/**
 * Forwarding to external LRSs: queueing (lrs_delivery rows and one 'xapi.forward-queued' outbox event
 * per endpoint and batch, in the caller's transaction) and delivery (the 'xapi.forward' job). A
 * statement is queued once per endpoint (primary key), sent with its id, and counts as delivered when
 * the LRS stores it or answers that it already holds that id (204/409), so nothing arrives twice.
 */
@Injectable()
export class LrsForwarder {
  private readonly logger = new Logger('LrsForwarder');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Queues the selected statements for every endpoint whose filter they match (or only `endpointId`),
   * skipping those already queued for it; returns how many deliveries were queued. Set-based: one
   * INSERT … SELECT; batches of FORWARD_BATCH statements per endpoint.
   */
  async queue(manager: EntityManager, selection: ForwardSelection, endpointId?: string): Promise<number> {
    const params: unknown[] = [];
    const p = (v: unknown): string => `$${params.push(v)}`;
    const which = 'statementIds' in selection ? `s.id = ANY(${p(selection.statementIds)}::uuid[])` : `s.stored >= ${p(selection.from)}::timestamptz AND s.stored < ${p(selection.to)}::timestamptz`;
    if ('statementIds' in selection && !selection.statementIds.length) return 0;
    const rows = (await manager.query(
      `WITH todo AS MATERIALIZED (
         SELECT e.id AS endpoint_id, s.id AS statement_id,
                (row_number() OVER (PARTITION BY e.id ORDER BY s.seq) - 1) / ${FORWARD_BATCH} AS grp
           FROM lrs_endpoint e
           JOIN xapi_statement s ON ${which}
          WHERE ${endpointId ? `e.id = ${p(endpointId)}::uuid` : 'true'}
            AND (cardinality(e.verbs) = 0 OR s.verb_id = ANY(e.verbs))
            AND (cardinality(e.activity_prefixes) = 0 OR EXISTS (
                   SELECT 1 FROM unnest(s.related_activity_ids) a, unnest(e.activity_prefixes) pre
                    WHERE a = pre OR starts_with(a, rtrim(pre, '/') || '/')))
            AND NOT EXISTS (SELECT 1 FROM lrs_delivery d WHERE d.endpoint_id = e.id AND d.statement_id = s.id)),
       batch AS (SELECT endpoint_id, grp, gen_random_uuid() AS batch_id FROM todo GROUP BY endpoint_id, grp),
       ins AS (
         INSERT INTO lrs_delivery (endpoint_id, statement_id, batch_id)
         SELECT t.endpoint_id, t.statement_id, b.batch_id FROM todo t JOIN batch b USING (endpoint_id, grp)
         ON CONFLICT (endpoint_id, statement_id) DO NOTHING
         RETURNING batch_id)
       SELECT batch_id, count(*)::int AS n FROM ins GROUP BY batch_id`,
      params,
    )) as Array<{ batch_id: string; n: number }>;
    if (!rows.length) return 0;
    await this.outbox.addMany(manager, 'xapi.forward-queued', rows.map((r) => ({ batchId: r.batch_id })));
    return rows.reduce((n, r) => n + r.n, 0);
  }

  /** Puts an endpoint's dead letters (or some of them) back in the queue, in new batches. */
  async requeueDead(manager: EntityManager, endpointId: string, statementIds?: string[]): Promise<number> {
    const rows = (await manager.query(
      `WITH todo AS MATERIALIZED (
         SELECT d.statement_id, (row_number() OVER (ORDER BY d.dead_at, d.statement_id) - 1) / ${FORWARD_BATCH} AS grp
           FROM lrs_delivery d
          WHERE d.endpoint_id = $1 AND d.state = 'dead' AND ($2::uuid[] IS NULL OR d.statement_id = ANY($2::uuid[]))),
       batch AS (SELECT grp, gen_random_uuid() AS batch_id FROM todo GROUP BY grp),
       upd AS (
         UPDATE lrs_delivery d SET state = 'pending', batch_id = b.batch_id, attempts = 0, dead_at = NULL
           FROM todo t JOIN batch b USING (grp)
          WHERE d.endpoint_id = $1 AND d.statement_id = t.statement_id
         RETURNING d.batch_id)
       SELECT batch_id, count(*)::int AS n FROM upd GROUP BY batch_id`,
      [endpointId, statementIds ?? null],
    )) as Array<{ batch_id: string; n: number }>;
    if (!rows.length) return 0;
    await this.outbox.addMany(manager, 'xapi.forward-queued', rows.map((r) => ({ batchId: r.batch_id })));
    return rows.reduce((n, r) => n + r.n, 0);
  }

  /**
   * The 'xapi.forward' job: sends the batch's pending statements, FORWARD_CHUNK at a time. A network
   * error, a timeout or an answer other than 200/204 (or 400/409, settled statement by statement)
   * fails the attempt: BullMQ retries with exponential backoff; after `maxAttempts` the statements
   * still pending become dead letters. Returns quietly when there is nothing left to send.
   */
  async deliver(batchId: string, attempt: number, maxAttempts: number): Promise<void> {
    const pending = (await this.ds.query(
      `SELECT d.endpoint_id, d.statement_id, s.statement
         FROM lrs_delivery d JOIN xapi_statement s ON s.id = d.statement_id
        WHERE d.batch_id = $1 AND d.state = 'pending' ORDER BY s.seq`,
      [batchId],
    )) as Array<{ endpoint_id: string; statement_id: string; statement: Record<string, unknown> }>;
    if (!pending.length) return;
    const [endpoint] = (await this.ds.query(`SELECT id, url, username, password_encrypted FROM lrs_endpoint WHERE id = $1`, [pending[0].endpoint_id])) as EndpointRow[];
    if (!endpoint) return; // deleted meanwhile: its deliveries went with it
    let failure: string | null = null;
    try {
      const auth = `Basic ${Buffer.from(`${endpoint.username}:${openEndpointPassword(endpoint.password_encrypted, this.config.credentialKeySecret, endpoint.id)}`, 'utf8').toString('base64')}`;
      for (let i = 0; i < pending.length; i += FORWARD_CHUNK) {
        const chunk = pending.slice(i, i + FORWARD_CHUNK);
        const outcome = await this.sendChunk(endpoint.url, auth, chunk.map((r) => forwardable(r.statement)));
        await this.settle(endpoint.id, outcome, attempt);
        if (outcome.failure) throw new ForwardFailure(outcome.failure);
      }
    } catch (e) {
      failure = e instanceof ForwardFailure ? e.message : `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;
    }
    if (failure === null) return;
    const last = attempt >= maxAttempts;
    await this.ds.query(
      `UPDATE lrs_delivery SET attempts = $2, last_error = $3, state = CASE WHEN $4 THEN 'dead' ELSE state END, dead_at = CASE WHEN $4 THEN now() ELSE dead_at END
        WHERE batch_id = $1 AND state = 'pending'`,
      [batchId, attempt, failure.slice(0, 500), last],
    );
    if (last) {
      this.logger.warn(`forwarding batch ${batchId} to LRS endpoint ${endpoint.id} failed for good after ${attempt} attempt(s): ${failure}; its statements are dead letters`);
      return;
    }
    throw new ForwardFailure(`LRS endpoint ${endpoint.id}: ${failure}`);
  }

  private async settle(endpointId: string, outcome: ChunkOutcome, attempt: number): Promise<void> {
    if (outcome.delivered.length) {
      await this.ds.query(
        `UPDATE lrs_delivery SET state = 'delivered', delivered_at = now(), attempts = $3, last_error = NULL
          WHERE endpoint_id = $1 AND statement_id = ANY($2::uuid[]) AND state = 'pending'`,
        [endpointId, outcome.delivered, attempt],
      );
    }
    for (const r of outcome.rejected) {
      await this.ds.query(
        `UPDATE lrs_delivery SET state = 'dead', dead_at = now(), attempts = $3, last_error = $4 WHERE endpoint_id = $1 AND statement_id = $2 AND state = 'pending'`,
        [endpointId, r.id, attempt, r.error],
      );
    }
  }

  /** POSTs the chunk; a 400 or 409 on a batch is settled statement by statement (PUT with statementId). */
  private async sendChunk(url: string, auth: string, statements: Array<Record<string, unknown>>): Promise<ChunkOutcome> {
    const ids = statements.map((s) => String(s.id));
    const status = await this.request('POST', statementsUrl(url), auth, statements);
    if (status === 200 || status === 204) return { delivered: ids, rejected: [] };
    if (status !== 400 && status !== 409) throw new ForwardFailure(`the LRS answered ${status}`);
    const outcome: ChunkOutcome = { delivered: [], rejected: [] };
    for (const s of statements) {
      const one = await this.request('PUT', `${statementsUrl(url)}?statementId=${encodeURIComponent(String(s.id))}`, auth, s);
      // 409: the LRS already holds a statement with this id (stored by an earlier attempt whose answer was lost).
      if (one === 204 || one === 200 || one === 409) outcome.delivered.push(String(s.id));
      else if (one === 400) outcome.rejected.push({ id: String(s.id), error: 'the LRS rejected the statement (400)' });
      else return { ...outcome, failure: `the LRS answered ${one}` }; // what was settled so far stays settled; the rest is retried
    }
    return outcome;
  }

  private async request(method: 'POST' | 'PUT', url: string, auth: string, body: unknown): Promise<number> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        redirect: 'manual',
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } })?.cause?.code;
      throw new ForwardFailure(`the LRS could not be reached (${cause ?? (e as Error)?.name ?? 'network error'})`);
    }
    // The body is read and dropped: it is never logged (it may echo the statements).
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  }
}

/** `<endpoint>/statements`, whether or not the configured URL ends in a slash. */
export function statementsUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/statements`;
}

/** The statement as sent onwards: with its id and timestamp; `stored` and `authority` are the receiving LRS's to set. */
export function forwardable(statement: Record<string, unknown>): Record<string, unknown> {
  const { stored: _stored, authority: _authority, ...rest } = statement;
  return rest;
}
