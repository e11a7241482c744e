/** A trusted peer instance: its public address and the key its catalog feed must be signed with. */
export interface FederationPeer {
  /** The peer's PUBLIC_URL (origin and optional path, no trailing slash). */
  readonly url: string;
  /** RFC 7638 SHA-256 thumbprint (base64url) of the peer's pinned issuer key. */
  readonly keyThumbprint: string | null;
  /** Or the pinned key itself (an Ed25519 public JWK). */
  readonly jwk: Readonly<{ kty: 'OKP'; crv: 'Ed25519'; x: string }> | null;
}

const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;
const ED25519_X = /^[A-Za-z0-9_-]{43}$/;

/** A peer URL as compared and joined: http(s), no credentials, query or fragment, no trailing slash. */
export function normalisePeerUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) return null;
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

/**
 * FEDERATION_PEERS: the instances whose catalog feeds and credentials this one trusts. JSON array
 * `[{"url": "https://lms.example.me", "keyThumbprint": "<RFC 7638 thumbprint>"}]` or with
 * `"jwk": {"kty": "OKP", "crv": "Ed25519", "x": "…"}` instead of the thumbprint. Unset: no peers.
 * Throws an Error naming what is wrong (the caller wraps it in a ConfigError).
 */
export function parseFederationPeers(text: string | undefined): FederationPeer[] {
  if (text === undefined || !text.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON array: [{"url": "https://…", "keyThumbprint": "…"}, …]');
  }
  if (!Array.isArray(parsed)) throw new Error('must be a JSON array of {url, keyThumbprint | jwk}');
  const out: FederationPeer[] = [];
  parsed.forEach((entry: unknown, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`[${i}] must be an object {url, keyThumbprint | jwk}`);
    const e = entry as Record<string, unknown>;
    const url = typeof e.url === 'string' ? normalisePeerUrl(e.url) : null;
    if (!url) throw new Error(`[${i}].url must be an http(s) URL without query, fragment or credentials`);
    if (out.some((p) => p.url === url)) throw new Error(`[${i}].url ${url} is listed twice`);
    const thumbprint = e.keyThumbprint;
    const jwk = e.jwk as Record<string, unknown> | undefined;
    if (thumbprint !== undefined && (typeof thumbprint !== 'string' || !THUMBPRINT.test(thumbprint)))
      throw new Error(`[${i}].keyThumbprint must be an RFC 7638 SHA-256 thumbprint (43 base64url characters)`);
    if (jwk !== undefined && (!jwk || typeof jwk !== 'object' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || !ED25519_X.test(jwk.x)))
      throw new Error(`[${i}].jwk must be an Ed25519 public JWK {"kty": "OKP", "crv": "Ed25519", "x": "…"}`);
    if ((thumbprint === undefined) === (jwk === undefined)) throw new Error(`[${i}] must pin exactly one of keyThumbprint or jwk`);
    out.push({
      url,
      keyThumbprint: typeof thumbprint === 'string' ? thumbprint : null,
      jwk: jwk ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string } : null,
    });
  });
  return out;
}
