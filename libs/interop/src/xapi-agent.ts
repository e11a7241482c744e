import { XapiBadRequestError } from './xapi.errors.js';

/** An Agent or Group as xAPI writes it (only the parts the LRS reads). */
export interface XapiAgent {
  objectType?: string;
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: { homePage?: string; name?: string };
  member?: XapiAgent[];
}

const IFIS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

/**
 * The key of an Agent or identified Group: its one inverse functional identifier, as a string
 * (`mbox:mailto:a@b`, `sha1:…`, `openid:…`, `account:<homePage>|<name>`). Null for an anonymous
 * Group (no IFI) or anything that is not an agent.
 */
export function agentKey(agent: unknown): string | null {
  if (!agent || typeof agent !== 'object') return null;
  const a = agent as XapiAgent;
  if (typeof a.mbox === 'string') return `mbox:${a.mbox}`;
  if (typeof a.mbox_sha1sum === 'string') return `sha1:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `openid:${a.openid}`;
  if (a.account && typeof a.account.homePage === 'string' && typeof a.account.name === 'string') return `account:${a.account.homePage}|${a.account.name}`;
  return null;
}

/**
 * The `agent` query parameter (a JSON Agent or identified Group): exactly one IFI, well-formed.
 * Throws a 400 naming the parameter otherwise.
 */
export function parseAgentParam(raw: unknown, name = 'agent'): { agent: XapiAgent; key: string } {
  if (typeof raw !== 'string' || raw.trim() === '') throw new XapiBadRequestError(`${name} is required`, [{ field: name, message: 'required: a JSON Agent' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new XapiBadRequestError(`${name} is not valid JSON`, [{ field: name, message: 'must be a JSON Agent object' }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new XapiBadRequestError(`${name} must be a JSON object`, [{ field: name, message: 'must be a JSON Agent object' }]);
  const agent = parsed as XapiAgent;
  const present = IFIS.filter((k) => (agent as Record<string, unknown>)[k] !== undefined);
  if (present.length !== 1) throw new XapiBadRequestError(`${name} must have exactly one inverse functional identifier`, [{ field: name, message: 'exactly one of mbox, mbox_sha1sum, openid, account' }]);
  if (agent.objectType !== undefined && agent.objectType !== 'Agent' && agent.objectType !== 'Group') throw new XapiBadRequestError(`${name}.objectType must be Agent or Group`, [{ field: `${name}.objectType`, message: 'Agent or Group' }]);
  if (agent.mbox !== undefined && (typeof agent.mbox !== 'string' || !/^mailto:[^\s@]+@[^\s@]+$/.test(agent.mbox))) throw new XapiBadRequestError(`${name}.mbox must be a mailto IRI`, [{ field: `${name}.mbox`, message: 'mailto:address' }]);
  if (agent.mbox_sha1sum !== undefined && (typeof agent.mbox_sha1sum !== 'string' || !/^[0-9a-f]{40}$/i.test(agent.mbox_sha1sum))) throw new XapiBadRequestError(`${name}.mbox_sha1sum must be 40 hex digits`, [{ field: `${name}.mbox_sha1sum`, message: '40 hex digits' }]);
  if (agent.openid !== undefined && (typeof agent.openid !== 'string' || !isIri(agent.openid))) throw new XapiBadRequestError(`${name}.openid must be an IRI`, [{ field: `${name}.openid`, message: 'an absolute IRI' }]);
  if (agent.account !== undefined && (typeof agent.account !== 'object' || typeof agent.account.name !== 'string' || typeof agent.account.homePage !== 'string' || !isIri(agent.account.homePage))) {
    throw new XapiBadRequestError(`${name}.account needs homePage (an IRL) and name`, [{ field: `${name}.account`, message: 'homePage and name' }]);
  }
  return { agent, key: agentKey(agent)! };
}

/** An absolute IRI: a scheme, a colon and something after it, no spaces. */
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value);
}

/** The Person object of the Agents resource: every IFI known for the agent (here: the one given). */
export function personOf(agent: XapiAgent): Record<string, unknown> {
  const person: Record<string, unknown> = { objectType: 'Person' };
  if (agent.name) person.name = [agent.name];
  if (agent.mbox) person.mbox = [agent.mbox];
  if (agent.mbox_sha1sum) person.mbox_sha1sum = [agent.mbox_sha1sum];
  if (agent.openid) person.openid = [agent.openid];
  if (agent.account) person.account = [agent.account];
  return person;
}
