import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { XapiDocumentKind } from './xapi-document.entity.js';
import { isIri, parseAgentParam } from './xapi-agent.js';
import { ConcurrencyHeaderRequiredError, PreconditionFailedError, XapiBadRequestError, XapiNotFoundError } from './xapi.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Where a document lives: the resource and its key parts ('' when absent). */
export interface DocumentAddress {
  kind: XapiDocumentKind;
  activityId: string;
  agentKey: string;
  registration: string;
}

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updatedAt: Date;
}

/** The body as Fastify parsed it: an object (JSON), a string (text/plain) or a Buffer (any other type). */
export interface DocumentBody {
  body: unknown;
  contentType: string | undefined;
}

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

const PARAMS: Record<XapiDocumentKind, { allowed: string[]; id: string }> = {
  state: { allowed: ['activityId', 'agent', 'registration', 'stateId', 'since'], id: 'stateId' },
  activity_profile: { allowed: ['activityId', 'profileId', 'since'], id: 'profileId' },
  agent_profile: { allowed: ['agent', 'profileId', 'since'], id: 'profileId' },
};

function etagOf(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

function tagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

function isJsonType(contentType: string): boolean {
  return /^application\/(.+\+)?json\b/i.test(contentType);
}

/**
 * The State, Activity Profile and Agent Profile resources: documents by key with ETags,
 * If-Match / If-None-Match preconditions (412), JSON merge on POST, and (profiles) 409 on a PUT
 * that overwrites an existing document without a precondition.
 */
@Injectable()
export class DocumentService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Validates the query parameters of a document request; `needsId` for PUT/POST. */
  address(kind: XapiDocumentKind, query: Record<string, unknown>, needsId: boolean): { address: DocumentAddress; documentId?: string; since?: string } {
    const spec = PARAMS[kind];
    for (const [k, v] of Object.entries(query)) {
      if (!spec.allowed.includes(k)) throw new XapiBadRequestError(`Unknown parameter ${k}`, [{ field: k, message: 'not a parameter of this resource' }]);
      if (typeof v !== 'string') throw new XapiBadRequestError(`Parameter ${k} is given more than once`, [{ field: k, message: 'give it once' }]);
    }
    const q = query as Record<string, string>;
    let activityId = '';
    let agentKey = '';
    let registration = '';
    if (kind !== 'agent_profile') {
      if (!isIri(q.activityId)) throw new XapiBadRequestError('activityId is required and must be an IRI', [{ field: 'activityId', message: 'an absolute IRI' }]);
      activityId = q.activityId;
    }
    if (kind !== 'activity_profile') agentKey = parseAgentParam(q.agent).key;
    if (q.registration !== undefined) {
      if (!UUID.test(q.registration)) throw new XapiBadRequestError('registration must be a UUID', [{ field: 'registration', message: 'a UUID' }]);
      registration = q.registration.toLowerCase();
    }
    const documentId = q[spec.id];
    if (documentId !== undefined && (documentId === '' || documentId.length > 1000)) throw new XapiBadRequestError(`${spec.id} must be 1 to 1000 characters`, [{ field: spec.id, message: '1 to 1000 characters' }]);
    if (needsId && documentId === undefined) throw new XapiBadRequestError(`${spec.id} is required`, [{ field: spec.id, message: 'required' }]);
    if (q.since !== undefined && (documentId !== undefined || !ISO_TIME.test(q.since) || Number.isNaN(Date.parse(q.since)))) {
      throw new XapiBadRequestError('since must be an ISO 8601 timestamp and only lists ids', [{ field: 'since', message: 'an ISO 8601 timestamp, without a document id' }]);
    }
    return { address: { kind, activityId, agentKey, registration }, documentId, since: q.since };
  }

  async get(address: DocumentAddress, documentId: string): Promise<StoredDocument> {
    const rows = (await this.ds.query(
      `SELECT content, content_type, etag, updated_at FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4 AND document_id = $5`,
      [address.kind, address.activityId, address.agentKey, address.registration, documentId],
    )) as Array<{ content: Buffer; content_type: string; etag: string; updated_at: Date }>;
    if (!rows.length) throw new XapiNotFoundError('The document');
    return { content: rows[0].content, contentType: rows[0].content_type, etag: rows[0].etag, updatedAt: rows[0].updated_at };
  }

  /** The ids of the documents at an address (state: of the given registration, or of none when none is given). */
  async ids(address: DocumentAddress, since?: string): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT document_id FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4 AND ($5::timestamptz IS NULL OR updated_at > $5::timestamptz) ORDER BY document_id`,
      [address.kind, address.activityId, address.agentKey, address.registration, since ?? null],
    )) as Array<{ document_id: string }>;
    return rows.map((r) => r.document_id);
  }

  /** PUT (replace) or POST (merge JSON objects). Returns the new ETag. */
  async write(address: DocumentAddress, documentId: string, input: DocumentBody, mode: 'put' | 'post', pre: Preconditions): Promise<string> {
    let { content, contentType } = this.contentOf(input);
    return this.ds.transaction(async (m) => {
      const [existing] = (await m.query(
        `SELECT id, content, content_type, etag FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4 AND document_id = $5 FOR UPDATE`,
        [address.kind, address.activityId, address.agentKey, address.registration, documentId],
      )) as Array<{ id: string; content: Buffer; content_type: string; etag: string }>;
      this.checkPreconditions(existing?.etag, pre);
      if (existing && mode === 'put' && address.kind !== 'state' && pre.ifMatch === undefined && pre.ifNoneMatch === undefined) throw new ConcurrencyHeaderRequiredError();
      if (existing && mode === 'post') {
        if (!isJsonType(existing.content_type) || !isJsonType(contentType)) throw new XapiBadRequestError('POST merges JSON objects: the stored and the sent document must both be application/json');
        const before = parseObject(existing.content);
        const after = parseObject(content);
        if (!before || !after) throw new XapiBadRequestError('POST merges JSON objects: the stored and the sent document must both be JSON objects');
        content = Buffer.from(JSON.stringify({ ...before, ...after }));
        contentType = 'application/json';
      } else if (mode === 'post' && isJsonType(contentType) && !parseObject(content)) {
        throw new XapiBadRequestError('POST with JSON needs a JSON object');
      }
      const etag = etagOf(content);
      const [row] = (await m.query(
        `INSERT INTO xapi_document (kind, activity_id, agent_key, registration, document_id, content_type, content, etag, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (kind, activity_id, agent_key, registration, document_id)
         DO UPDATE SET content_type = EXCLUDED.content_type, content = EXCLUDED.content, etag = EXCLUDED.etag, updated_at = now()
           WHERE $9::boolean
         RETURNING id`,
        [address.kind, address.activityId, address.agentKey, address.registration, documentId, contentType, content, etag, pre.ifNoneMatch === undefined],
      )) as Array<{ id: string }>;
      // If-None-Match: * lost a race with a concurrent create.
      if (!row) throw new PreconditionFailedError('The document exists (If-None-Match: *)');
      return etag;
    });
  }

  /** DELETE one document, or (state without stateId) every state document at the address. */
  async delete(address: DocumentAddress, documentId: string | undefined, pre: Preconditions): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (documentId === undefined) {
        await m.query(`DELETE FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4`, [address.kind, address.activityId, address.agentKey, address.registration]);
        return;
      }
      const [existing] = (await m.query(
        `SELECT etag FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4 AND document_id = $5 FOR UPDATE`,
        [address.kind, address.activityId, address.agentKey, address.registration, documentId],
      )) as Array<{ etag: string }>;
      this.checkPreconditions(existing?.etag, pre);
      await m.query(`DELETE FROM xapi_document WHERE kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4 AND document_id = $5`, [
        address.kind,
        address.activityId,
        address.agentKey,
        address.registration,
        documentId,
      ]);
    });
  }

  private checkPreconditions(etag: string | undefined, pre: Preconditions): void {
    if (pre.ifMatch !== undefined && (!etag || !tagMatches(pre.ifMatch, etag))) throw new PreconditionFailedError('The document changed since it was read (If-Match)');
    if (pre.ifNoneMatch !== undefined && etag && tagMatches(pre.ifNoneMatch, etag)) throw new PreconditionFailedError('The document exists (If-None-Match)');
  }

  private contentOf(input: DocumentBody): { content: Buffer; contentType: string } {
    const type = (input.contentType ?? 'application/octet-stream').split(';')[0].trim().toLowerCase() || 'application/octet-stream';
    if (Buffer.isBuffer(input.body)) return { content: input.body, contentType: type };
    if (typeof input.body === 'string') return { content: Buffer.from(input.body, 'utf8'), contentType: type };
    if (input.body === undefined || input.body === null) return { content: Buffer.alloc(0), contentType: type };
    return { content: Buffer.from(JSON.stringify(input.body)), contentType: 'application/json' };
  }
}

function parseObject(content: Buffer): Record<string, unknown> | null {
  try {
    const v = JSON.parse(content.toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
