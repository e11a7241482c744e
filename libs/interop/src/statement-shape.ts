import { createHash, randomUUID } from 'node:crypto';
import { agentKey } from './xapi-agent.js';
import { VOIDED_VERB } from './statement-validation.js';

type Json = Record<string, unknown>;

/** A statement ready to store, with the columns its queries use. */
export interface PreparedStatement {
  id: string;
  statement: Json;
  contentHash: string;
  verbId: string;
  activityId: string | null;
  relatedActivityIds: string[];
  agentKeys: string[];
  relatedAgentKeys: string[];
  registration: string | null;
  stored: string;
  timestamp: string;
  voidsStatementId: string | null;
}

/** JSON with sorted keys, so equal content hashes equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Json)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Json)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The submitted content that decides "same statement" (id, stored, authority and version are the LRS's). */
export function contentHash(statement: Json): string {
  const { id: _id, stored: _stored, authority: _authority, version: _version, ...content } = statement;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function activitiesOf(statement: Json, related: boolean): string[] {
  const out: string[] = [];
  const object = statement.object as Json | undefined;
  if (object && (object.objectType === undefined || object.objectType === 'Activity') && typeof object.id === 'string') out.push(object.id);
  if (!related) return out;
  const contextActivities = (statement.context as Json | undefined)?.contextActivities as Record<string, unknown> | undefined;
  for (const group of ['parent', 'grouping', 'category', 'other']) {
    const list = contextActivities?.[group];
    for (const a of Array.isArray(list) ? list : list ? [list] : []) if (a && typeof (a as Json).id === 'string') out.push((a as Json).id as string);
  }
  if (object?.objectType === 'SubStatement') out.push(...activitiesOf(object, true));
  return [...new Set(out)];
}

function agentsOf(statement: Json, related: boolean): string[] {
  const out: string[] = [];
  const add = (a: unknown): void => {
    const key = agentKey(a);
    if (key) out.push(key);
    const members = (a as Json | undefined)?.member;
    if (related && Array.isArray(members)) members.forEach(add);
  };
  add(statement.actor);
  const object = statement.object as Json | undefined;
  if (object?.objectType === 'Agent' || object?.objectType === 'Group') add(object);
  if (related) {
    const context = statement.context as Json | undefined;
    add(context?.instructor);
    add(context?.team);
    add(statement.authority);
    if (object?.objectType === 'SubStatement') out.push(...agentsOf(object, true));
  }
  return [...new Set(out)];
}

/**
 * What the LRS stores for a submitted statement: its id (a new UUID when absent), `stored` (now),
 * `timestamp` (= stored when absent), the client's authority and version 1.0.0 when absent.
 */
export function prepareStatement(submitted: Json, authority: Json, now: Date): PreparedStatement {
  const stored = now.toISOString();
  const id = typeof submitted.id === 'string' ? submitted.id.toLowerCase() : randomUUID();
  const statement: Json = {
    ...submitted,
    id,
    timestamp: typeof submitted.timestamp === 'string' ? submitted.timestamp : stored,
    stored,
    authority,
    version: typeof submitted.version === 'string' ? submitted.version : '1.0.0',
  };
  const verbId = String((submitted.verb as Json).id);
  const object = submitted.object as Json;
  const registration = (submitted.context as Json | undefined)?.registration;
  return {
    id,
    statement,
    contentHash: contentHash(submitted),
    verbId,
    activityId: activitiesOf(submitted, false)[0] ?? null,
    relatedActivityIds: activitiesOf(submitted, true),
    agentKeys: agentsOf(submitted, false),
    relatedAgentKeys: agentsOf(statement, true),
    registration: typeof registration === 'string' ? registration.toLowerCase() : null,
    stored,
    timestamp: String(statement.timestamp),
    voidsStatementId: verbId === VOIDED_VERB && object?.objectType === 'StatementRef' && typeof object.id === 'string' ? object.id.toLowerCase() : null,
  };
}

function minimalAgent(agent: unknown): unknown {
  if (!agent || typeof agent !== 'object') return agent;
  const a = agent as Json;
  const out: Json = {};
  if (a.objectType) out.objectType = a.objectType;
  for (const ifi of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (a[ifi] !== undefined) out[ifi] = a[ifi];
  if (!agentKey(a) && Array.isArray(a.member)) out.member = a.member.map(minimalAgent);
  return out;
}

function idsObject(object: unknown): unknown {
  const o = object as Json;
  if (!o || typeof o !== 'object') return o;
  if (o.objectType === 'Agent' || o.objectType === 'Group') return minimalAgent(o);
  if (o.objectType === 'SubStatement') return idsFormat(o);
  if (o.objectType === 'StatementRef') return o;
  return { objectType: 'Activity', id: o.id };
}

/** `format=ids`: agents by their identifier only, activities and verbs by id only. */
export function idsFormat(statement: Json): Json {
  const out: Json = { ...statement, actor: minimalAgent(statement.actor), verb: { id: (statement.verb as Json).id }, object: idsObject(statement.object) };
  if (statement.authority) out.authority = minimalAgent(statement.authority);
  const context = statement.context as Json | undefined;
  if (context) {
    const c: Json = { ...context };
    if (c.instructor) c.instructor = minimalAgent(c.instructor);
    if (c.team) c.team = minimalAgent(c.team);
    const ca = c.contextActivities as Record<string, unknown> | undefined;
    if (ca) {
      c.contextActivities = Object.fromEntries(Object.entries(ca).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map((a) => ({ id: (a as Json).id }))]));
    }
    out.context = c;
  }
  return out;
}
