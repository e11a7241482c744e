import { ConfigError } from './app-config.js';

/**
 * Identity providers for federated sign-in, read from two JSON variables (OIDC_PROVIDERS and
 * SAML_PROVIDERS, each a JSON array). Validated here once; a bad entry stops the process with a
 * message naming the variable, the entry and the field.
 */

/** What federated providers share: how a person is found, and whether an unknown one may be created. */
export interface FederatedProviderBase {
  /** URL segment and stable name: lower-case letters, digits and `-` (e.g. `entra`). */
  key: string;
  /** Shown on the sign-in button: "Sign in with <name>". */
  name: string;
  /** Create an unknown person at first sign-in (just in time), as a learner of `orgUnitCode`. */
  createUsers: boolean;
  /** The org unit (by code) of people created just in time; required when createUsers is true. */
  orgUnitCode: string | null;
}

export interface OidcProviderConfig extends FederatedProviderBase {
  protocol: 'oidc';
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only, no client authentication). */
  clientSecret: string | null;
  scopes: string[];
  /** The ID-token / userinfo claim holding the e-mail address (default `email`). */
  emailClaim: string;
  /** The claim holding the HR system's person id (e.g. `employee_id`), or null. */
  externalIdClaim: string | null;
  /** The claim holding the display name (default `name`). */
  nameClaim: string;
  /**
   * Count the e-mail claim as verified when the provider sends no `email_verified` claim (Entra ID
   * sends none; set this only for a single-tenant directory whose e-mail addresses your
   * organisation assigns). An explicit `email_verified: false` is never overridden.
   */
  assumeEmailVerified: boolean;
  /** Plain-http issuer on a loopback address (development and tests only, never in production). */
  allowInsecureRequests: boolean;
}

export interface SamlProviderConfig extends FederatedProviderBase {
  protocol: 'saml';
  /** The IdP's single sign-on URL (HTTP-Redirect binding), for sign-ins started here. */
  entryPoint: string;
  /** The IdP's entity id: assertions from any other issuer are refused. */
  idpIssuer: string;
  /** The IdP's signing certificate(s), PEM or bare base64; several during a key rollover. */
  idpCerts: string[];
  /** This service's entity id (default `<PUBLIC_URL>/auth/saml/<key>/metadata`). */
  spEntityId: string | null;
  /** Attribute names (the claim URIs ADFS and Entra send; defaults are the common ones). */
  emailAttribute: string;
  externalIdAttribute: string | null;
  nameAttribute: string;
}

export type FederatedProviderConfig = OidcProviderConfig | SamlProviderConfig;

const KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;
const CLAIM = /^[\w.:/-]{1,256}$/;
const ORG_CODE = /^[\w.-]{1,64}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Json = Record<string, unknown>;

class EntryReader {
  constructor(
    private readonly variable: string,
    private readonly index: number,
    private readonly entry: Json,
  ) {}

  fail(field: string, expected: string): never {
    throw new ConfigError(this.variable, `entry ${this.index}: "${field}" ${expected}`);
  }

  text(field: string, opts: { required?: boolean; pattern?: RegExp; max?: number } = {}): string | null {
    const v = this.entry[field];
    if (v === undefined || v === null || v === '') {
      if (opts.required) this.fail(field, 'is required');
      return null;
    }
    if (typeof v !== 'string') this.fail(field, 'must be a string');
    const s = v.trim();
    if (s.length > (opts.max ?? 2048)) this.fail(field, `must be at most ${opts.max ?? 2048} characters`);
    if (opts.pattern && !opts.pattern.test(s)) this.fail(field, `has an unexpected form (got "${s.slice(0, 60)}")`);
    return s;
  }

  url(field: string): URL {
    const raw = this.text(field, { required: true })!;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
      return u;
    } catch {
      return this.fail(field, 'must be an http(s) URL');
    }
  }

  bool(field: string, def: boolean): boolean {
    const v = this.entry[field];
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false');
    return v;
  }

  strings(field: string): string[] | null {
    const v = this.entry[field];
    if (v === undefined || v === null) return null;
    const list = typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || !s.trim())) this.fail(field, 'must be a list of strings');
    return (list as string[]).map((s) => s.trim());
  }

  unknownFields(allowed: string[]): void {
    const extra = Object.keys(this.entry).filter((k) => !allowed.includes(k));
    if (extra.length) this.fail(extra[0], `is not a known field (known: ${allowed.join(', ')})`);
  }
}

function entries(variable: string, raw: string | undefined): Json[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(variable, 'must be a JSON array of provider objects');
  }
  if (!Array.isArray(parsed) || parsed.some((e) => !e || typeof e !== 'object' || Array.isArray(e)))
    throw new ConfigError(variable, 'must be a JSON array of provider objects');
  return parsed as Json[];
}

function base(r: EntryReader): Omit<FederatedProviderBase, 'key'> & { key: string } {
  const key = r.text('key', { required: true, pattern: KEY })!;
  const name = r.text('name', { required: true, max: 80 })!;
  const createUsers = r.bool('createUsers', false);
  const orgUnitCode = r.text('orgUnitCode', { pattern: ORG_CODE });
  if (createUsers && !orgUnitCode) r.fail('orgUnitCode', 'is required when createUsers is true');
  return { key, name, createUsers, orgUnitCode };
}

const OIDC_FIELDS = [
  'key',
  'name',
  'issuer',
  'clientId',
  'clientSecret',
  'scopes',
  'emailClaim',
  'externalIdClaim',
  'nameClaim',
  'assumeEmailVerified',
  'createUsers',
  'orgUnitCode',
];
const SAML_FIELDS = [
  'key',
  'name',
  'entryPoint',
  'idpIssuer',
  'idpCert',
  'spEntityId',
  'emailAttribute',
  'externalIdAttribute',
  'nameAttribute',
  'createUsers',
  'orgUnitCode',
];

export function parseOidcProviders(raw: string | undefined, nodeEnv: string): OidcProviderConfig[] {
  return entries('OIDC_PROVIDERS', raw).map((entry, i) => {
    const r = new EntryReader('OIDC_PROVIDERS', i, entry);
    r.unknownFields(OIDC_FIELDS);
    const issuer = r.url('issuer');
    const insecure = issuer.protocol === 'http:';
    // Plain http is only for a provider on this machine (tests, a local Keycloak), never in production.
    if (insecure && (!LOOPBACK.has(issuer.hostname) || nodeEnv === 'production'))
      r.fail('issuer', 'must be an https URL (plain http only on a loopback address outside production)');
    const scopes = r.strings('scopes') ?? ['openid', 'email', 'profile'];
    if (!scopes.includes('openid')) r.fail('scopes', 'must include "openid"');
    return {
      protocol: 'oidc',
      ...base(r),
      // Kept exactly as written: the issuer is compared character for character with the provider's.
      issuer: r.text('issuer', { required: true })!,
      clientId: r.text('clientId', { required: true, max: 512 })!,
      clientSecret: r.text('clientSecret', { max: 1024 }),
      scopes,
      emailClaim: r.text('emailClaim', { pattern: CLAIM }) ?? 'email',
      externalIdClaim: r.text('externalIdClaim', { pattern: CLAIM }),
      nameClaim: r.text('nameClaim', { pattern: CLAIM }) ?? 'name',
      assumeEmailVerified: r.bool('assumeEmailVerified', false),
      allowInsecureRequests: insecure,
    };
  });
}

export function parseSamlProviders(raw: string | undefined): SamlProviderConfig[] {
  return entries('SAML_PROVIDERS', raw).map((entry, i) => {
    const r = new EntryReader('SAML_PROVIDERS', i, entry);
    r.unknownFields(SAML_FIELDS);
    const certs = r.strings('idpCert') ?? [];
    const certValue = entry.idpCert;
    // A PEM has spaces in its armour lines: take a string as one certificate, an array as several.
    const idpCerts = typeof certValue === 'string' ? [certValue.trim()] : certs;
    if (!idpCerts.length) r.fail('idpCert', 'is required (the IdP signing certificate, PEM or base64)');
    for (const c of idpCerts)
      if (!/^(-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----|[A-Za-z0-9+/=\s]{64,})$/.test(c))
        r.fail('idpCert', 'must be a PEM or base64 certificate');
    return {
      protocol: 'saml',
      ...base(r),
      entryPoint: r.url('entryPoint').href,
      idpIssuer: r.text('idpIssuer', { required: true, max: 1024 })!,
      idpCerts,
      spEntityId: r.text('spEntityId', { max: 1024 }),
      emailAttribute: r.text('emailAttribute', { pattern: CLAIM }) ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      externalIdAttribute: r.text('externalIdAttribute', { pattern: CLAIM }),
      nameAttribute: r.text('nameAttribute', { pattern: CLAIM }) ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    };
  });
}

/** Both lists, with keys unique across them (a key names one provider in URLs and audit rows). */
export function parseFederatedProviders(env: Record<string, string | undefined>, nodeEnv: string): FederatedProviderConfig[] {
  const all: FederatedProviderConfig[] = [...parseOidcProviders(env.OIDC_PROVIDERS, nodeEnv), ...parseSamlProviders(env.SAML_PROVIDERS)];
  const seen = new Set<string>();
  for (const p of all) {
    if (seen.has(p.key)) throw new ConfigError(p.protocol === 'oidc' ? 'OIDC_PROVIDERS' : 'SAML_PROVIDERS', `key "${p.key}" is used twice`);
    seen.add(p.key);
  }
  return all;
}
