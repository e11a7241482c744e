import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type FieldError } from '@lms/platform';
import type { LrsClientIdentity } from './lrs-client.service.js';
import { idsFormat, prepareStatement, type PreparedStatement } from './statement-shape.js';
import { StatementRepository, type StatementFilter } from './statement.repository.js';
import { loadStatementValidator, statementProblems } from './statement-validation.js';
import { isIri, parseAgentParam } from './xapi-agent.js';
import { LrsScopeError, StatementConflictError, XapiBadRequestError, XapiNotFoundError } from './xapi.errors.js';
import { Cmi5Service } from './runtime/cmi5.service.js';
import { agentKey } from './xapi-agent.js';
import { LrsForwarder } from './forward/lrs-forwarder.js';

/**
 * The platform itself as the authority of the statements it writes (native learning): not a row of
 * lrs_client (client_id stays null); its key cannot clash with a generated one (`lrs_…`).
 */
export const PLATFORM_LRS_CLIENT: LrsClientIdentity = Object.freeze({ id: '', key: 'lms', name: 'Learning platform', scopes: ['statements/write'] }) as LrsClientIdentity;

function agentKeyOfActor(p: PreparedStatement): string | null {
  return agentKey(p.statement.actor);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The most statements one GET returns (limit=0 and larger limits get this many). */
export const MAX_STATEMENTS_PER_PAGE = 200;
const QUERY_PARAMS = new Set(['statementId', 'voidedStatementId', 'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending', 'more']);
const SINGLE_PARAMS = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);

export type StatementFormat = 'exact' | 'ids' | 'canonical';

export type StatementsResult =
  | { kind: 'one'; statement: Record<string, unknown>; stored: Date }
  | { kind: 'many'; statements: Record<string, unknown>[]; more: string };

interface Cursor {
  f: StatementFilter;
  s: string;
  l: number;
  fmt: StatementFormat;
}

/** The Statements resource of the built-in LRS (xAPI 1.0.3, docs/xapi.md). */
@Injectable()
export class StatementService {
  constructor(
    @Inject(StatementRepository) private readonly repo: StatementRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Cmi5Service) private readonly cmi5: Cmi5Service,
    @Inject(LrsForwarder) private readonly forwarder: LrsForwarder,
  ) {}

  /** The platform's own statements (native learning, docs/xapi.md): validated and stored like a client's, authority = the platform. */
  storeAsPlatform(statements: Array<Record<string, unknown>>): Promise<string[]> {
    return this.store(statements, PLATFORM_LRS_CLIENT);
  }

  /**
   * Stores a batch all-or-nothing: every statement valid, no id twice, no stored id with other
   * content (409); ids already stored with the same content are not stored again. Returns the ids in order.
   */
  async store(body: unknown, client: LrsClientIdentity, putId?: string): Promise<string[]> {
    const list = putId !== undefined ? [body] : Array.isArray(body) ? body : [body];
    if (!list.length) throw new XapiBadRequestError('The body holds no statement');
    await loadStatementValidator();
    const problems: FieldError[] = [];
    list.forEach((s, i) => problems.push(...statementProblems(s, Array.isArray(body) ? `statements[${i}]` : 'statement')));
    if (putId !== undefined) {
      const given = (body as Record<string, unknown> | null)?.id;
      if (given !== undefined && typeof given === 'string' && given.toLowerCase() !== putId.toLowerCase()) problems.push({ field: 'statement.id', message: 'must equal the statementId parameter' });
    }
    if (problems.length) throw new XapiBadRequestError('The statement is not valid xAPI 1.0.3', problems.slice(0, 50));
    const now = new Date();
    const authority = this.authorityOf(client);
    const prepared = list.map((s) => prepareStatement(putId !== undefined ? { ...(s as object), id: putId } : (s as Record<string, unknown>), authority, now));
    const session = client.session;
    if (session && prepared.some((p) => agentKeyOfActor(p) !== session.actorKey)) {
      throw new LrsScopeError('statements/write for the launched actor only');
    }
    const ids = prepared.map((p) => p.id);
    if (new Set(ids).size !== ids.length) throw new XapiBadRequestError('The batch holds the same statement id twice', [{ field: 'statements', message: 'ids must be unique' }]);
    await this.repo.transaction(async (manager) => {
      await this.checkVoiding(manager, prepared);
      const inserted = await this.repo.insertNew(manager, prepared, client.id || null);
      const existing = prepared.filter((p) => !inserted.has(p.id));
      if (existing.length) {
        const hashes = await this.repo.contentHashes(manager, existing.map((p) => p.id));
        const clash = existing.find((p) => hashes.get(p.id)?.hash !== p.contentHash);
        if (clash) throw new StatementConflictError(clash.id);
      }
      await this.repo.applyVoiding(manager, [...inserted]);
      // Forwarding to external LRSs: the new statements are queued in this transaction (outbox).
      if (inserted.size) await this.forwarder.queue(manager, { statementIds: [...inserted] });
    });
    if (session) await this.cmi5.afterStatements(session, prepared);
    return ids;
  }

  /** A voiding statement may not target another voiding statement (xAPI 1.0.3, Voided). */
  private async checkVoiding(manager: Parameters<StatementRepository['contentHashes']>[0], prepared: PreparedStatement[]): Promise<void> {
    const targets = prepared.filter((p) => p.voidsStatementId).map((p) => p.voidsStatementId!);
    if (!targets.length) return;
    const inBatch = new Set(prepared.filter((p) => p.voidsStatementId).map((p) => p.id));
    const stored = await this.repo.contentHashes(manager, targets);
    for (const t of targets) {
      if (inBatch.has(t) || stored.get(t)?.voidsStatementId) throw new XapiBadRequestError('A voiding statement cannot void another voiding statement', [{ field: 'object.id', message: 'targets a voiding statement' }]);
    }
  }

  /** The authority the LRS sets on every statement: the LRS client, as an account on this server. */
  authorityOf(client: LrsClientIdentity): Record<string, unknown> {
    return { objectType: 'Agent', name: client.name, account: { homePage: this.config.publicUrl, name: client.key } };
  }

  /** GET /xapi/statements: one statement (statementId / voidedStatementId) or a filtered page. */
  async get(query: Record<string, unknown>): Promise<StatementsResult> {
    for (const [k, v] of Object.entries(query)) {
      if (!QUERY_PARAMS.has(k)) throw new XapiBadRequestError(`Unknown parameter ${k}`, [{ field: k, message: 'not a Statements resource parameter' }]);
      if (typeof v !== 'string') throw new XapiBadRequestError(`Parameter ${k} is given more than once`, [{ field: k, message: 'give it once' }]);
    }
    const q = query as Record<string, string>;
    const format = this.format(q.format);
    if (q.attachments !== undefined && !['true', 'false'].includes(q.attachments)) throw new XapiBadRequestError('attachments must be true or false', [{ field: 'attachments', message: 'true or false' }]);
    if (q.statementId !== undefined || q.voidedStatementId !== undefined) {
      if (q.statementId !== undefined && q.voidedStatementId !== undefined) throw new XapiBadRequestError('Give statementId or voidedStatementId, not both');
      const extra = Object.keys(q).filter((k) => !SINGLE_PARAMS.has(k));
      if (extra.length) throw new XapiBadRequestError(`statementId cannot be combined with ${extra.join(', ')}`, extra.map((f) => ({ field: f, message: 'not allowed with statementId' })));
      const id = q.statementId ?? q.voidedStatementId!;
      const field = q.statementId !== undefined ? 'statementId' : 'voidedStatementId';
      if (!UUID.test(id)) throw new XapiBadRequestError(`${field} must be a UUID`, [{ field, message: 'a UUID' }]);
      const row = await this.repo.findOne(id.toLowerCase(), q.voidedStatementId !== undefined);
      if (!row) throw new XapiNotFoundError('The statement');
      return { kind: 'one', statement: format === 'ids' ? idsFormat(row.statement) : row.statement, stored: row.stored };
    }
    let filter: StatementFilter;
    let limit: number;
    let after: string | null = null;
    let fmt = format;
    if (q.more !== undefined) {
      const others = Object.keys(q).filter((k) => k !== 'more');
      if (others.length) throw new XapiBadRequestError('more cannot be combined with other parameters');
      const cursor = decodeCursor(q.more);
      ({ f: filter, l: limit, s: after, fmt } = cursor);
    } else {
      filter = this.filterOf(q);
      limit = this.limitOf(q.limit);
    }
    const rows = await this.repo.query(filter, after, limit);
    const page = rows.slice(0, limit);
    const more = rows.length > limit ? `/xapi/statements?more=${encodeCursor({ f: filter, s: page[page.length - 1].seq, l: limit, fmt })}` : '';
    return { kind: 'many', statements: page.map((r) => (fmt === 'ids' ? idsFormat(r.statement) : r.statement)), more };
  }

  private format(raw: string | undefined): StatementFormat {
    if (raw === undefined) return 'exact';
    if (raw === 'exact' || raw === 'ids' || raw === 'canonical') return raw;
    throw new XapiBadRequestError('format must be ids, exact or canonical', [{ field: 'format', message: 'ids, exact or canonical' }]);
  }

  private limitOf(raw: string | undefined): number {
    if (raw === undefined) return MAX_STATEMENTS_PER_PAGE;
    if (!/^\d{1,9}$/.test(raw)) throw new XapiBadRequestError('limit must be a whole number', [{ field: 'limit', message: 'a whole number, 0 for the server maximum' }]);
    const n = Number(raw);
    return n === 0 || n > MAX_STATEMENTS_PER_PAGE ? MAX_STATEMENTS_PER_PAGE : n;
  }

  private filterOf(q: Record<string, string>): StatementFilter {
    const bool = (name: string): boolean => {
      const v = q[name];
      if (v === undefined || v === 'false') return false;
      if (v === 'true') return true;
      throw new XapiBadRequestError(`${name} must be true or false`, [{ field: name, message: 'true or false' }]);
    };
    const time = (name: string): string | undefined => {
      const v = q[name];
      if (v === undefined) return undefined;
      if (!ISO_TIME.test(v) || Number.isNaN(Date.parse(v))) throw new XapiBadRequestError(`${name} must be an ISO 8601 timestamp`, [{ field: name, message: 'an ISO 8601 timestamp with a time zone' }]);
      return new Date(v).toISOString();
    };
    const iri = (name: string): string | undefined => {
      const v = q[name];
      if (v !== undefined && !isIri(v)) throw new XapiBadRequestError(`${name} must be an IRI`, [{ field: name, message: 'an absolute IRI' }]);
      return v;
    };
    if (q.registration !== undefined && !UUID.test(q.registration)) throw new XapiBadRequestError('registration must be a UUID', [{ field: 'registration', message: 'a UUID' }]);
    return {
      verb: iri('verb'),
      activity: iri('activity'),
      relatedActivities: bool('related_activities'),
      agentKey: q.agent !== undefined ? parseAgentParam(q.agent).key : undefined,
      relatedAgents: bool('related_agents'),
      registration: q.registration?.toLowerCase(),
      since: time('since'),
      until: time('until'),
      ascending: bool('ascending'),
    };
  }

  /** The Activities resource: the activity as last defined in a statement (or just its id). */
  async activity(activityId: unknown): Promise<Record<string, unknown>> {
    if (!isIri(activityId)) throw new XapiBadRequestError('activityId must be an IRI', [{ field: 'activityId', message: 'an absolute IRI' }]);
    const found = await this.repo.latestActivity(activityId);
    return found ? { objectType: 'Activity', id: activityId, definition: found.definition } : { objectType: 'Activity', id: activityId };
  }
}


function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (!c || typeof c !== 'object' || typeof c.s !== 'string' || !/^\d+$/.test(c.s) || !Number.isInteger(c.l) || c.l < 1 || c.l > MAX_STATEMENTS_PER_PAGE || !c.f || typeof c.f !== 'object') throw new Error('bad');
    const f = c.f;
    for (const k of ['verb', 'activity', 'agentKey', 'registration', 'since', 'until'] as const) if (f[k] !== undefined && typeof f[k] !== 'string') throw new Error('bad');
    if (f.registration !== undefined && !UUID.test(f.registration)) throw new Error('bad');
    if ((f.since !== undefined && Number.isNaN(Date.parse(f.since))) || (f.until !== undefined && Number.isNaN(Date.parse(f.until)))) throw new Error('bad');
    return { f: { ...f, relatedActivities: f.relatedActivities === true, relatedAgents: f.relatedAgents === true, ascending: f.ascending === true }, s: c.s, l: c.l, fmt: c.fmt === 'ids' ? 'ids' : c.fmt === 'canonical' ? 'canonical' : 'exact' };
  } catch {
    throw new XapiBadRequestError('more is not a cursor this LRS gave out', [{ field: 'more', message: 'use the more link of a previous answer' }]);
  }
}
