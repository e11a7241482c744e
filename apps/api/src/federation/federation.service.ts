import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calculateJwkThumbprint, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { AppConfig, normalisePeerUrl, ValidationError, type FederationPeer, type Principal } from '@lms/platform';
import { CourseAuthoringService, type VersionSummary } from '@lms/catalog';
import { EvidenceService, type RecognitionResult } from '@lms/competency';
import { decodeStatusList, isStatusSet, IssuerKeys, matchEmailIdentity, type PublishedJwk } from '@lms/credentials';
import {
  BadSignatureError,
  CredentialExpiredError,
  CredentialMalformedError,
  CredentialNotYetValidError,
  CredentialRevokedError,
  HolderMismatchError,
  HolderUnboundError,
  PeerFeedInvalidError,
  PeerCourseNotFoundError,
  PeerKeyMismatchError,
  PeerUnreachableError,
  StatusListUnavailableError,
  UntrustedIssuerError,
  UntrustedKeyError,
  UntrustedPeerError,
} from './federation.errors.js';

/** The JWS `typ` of a catalog feed. */
export const FEED_TYP = 'lms-catalog-feed+jwt';
/** How long a signed feed is valid: a peer re-reads it, a stolen copy stops verifying. */
const FEED_TTL_SECONDS = 3600;
const FETCH_TIMEOUT_MS = 5000;
const MAX_FEED_BYTES = 4 * 1024 * 1024;
const MAX_COURSES = 1000;
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** A peer's verified issuer keys are reused this long for recognitions (one feed read, not one per submission). */
const PEER_KEYS_CACHE_MS = 60_000;

export interface FeedCourse {
  slug: string;
  title: Record<string, string>;
  summary: Record<string, string>;
  languages: string[];
  defaultLanguage: string;
  licence: string | null;
  attribution: string | null;
  institution: { code: string; name: Record<string, string>; country: string | null } | null;
  framework: string | null;
  competencies: Array<{ code: string; level: number }>;
  version: number;
  publishedAt: string;
  package: string;
}

export interface CatalogFeed {
  iss: string;
  iat: number;
  exp: number;
  instance: { url: string };
  issuerKeys: { keys: PublishedJwk[] };
  courses: FeedCourse[];
}

/**
 * Federation between instances (docs/hub.md): this instance's signed catalog feed, the trusted
 * peers' feeds (verified against the key pinned in FEDERATION_PEERS) and recognition of their
 * Open Badges 3.0 credentials as competency evidence.
 */
@Injectable()
export class FederationService {
  private readonly logger = new Logger(FederationService.name);
  private readonly peerKeys = new Map<string, { jwks: ReturnType<typeof createLocalJWKSet>; at: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(IssuerKeys) private readonly keys: IssuerKeys,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
  ) {}

  // ── this instance's feed ────────────────────────────────────────────────────────────────────

  /** The feed's claims: public courses with their newest published version, and every issuer key. */
  async feed(): Promise<CatalogFeed> {
    const base = this.config.publicUrl;
    const rows = (await this.dataSource.query(
      `SELECT c.slug, c.licence, c.attribution, v.version, v.title, v.summary, v.languages, v.default_language AS "defaultLanguage",
              v.framework_key AS "framework", v.competencies, v.published_at AS "publishedAt",
              r.code AS "institutionCode", i.names AS "institutionNames", i.country
         FROM course c
         JOIN LATERAL (SELECT * FROM course_version v WHERE v.course_id = c.id AND v.status = 'published' ORDER BY v.version DESC LIMIT 1) v ON true
         JOIN org_unit s ON s.id = c.school_org_unit_id
         LEFT JOIN institution i ON i.root_org_unit_id::text = split_part(s.path, '/', 2)
         LEFT JOIN org_unit r ON r.id = i.root_org_unit_id
        WHERE c.visibility = 'public'
        ORDER BY c.slug
        LIMIT ${MAX_COURSES}`,
    )) as Array<{
      slug: string;
      licence: string | null;
      attribution: string | null;
      version: number;
      title: Record<string, string>;
      summary: Record<string, string>;
      languages: string[];
      defaultLanguage: string;
      framework: string | null;
      competencies: Array<{ code: string; level: number }>;
      publishedAt: Date;
      institutionCode: string | null;
      institutionNames: Record<string, string> | null;
      country: string | null;
    }>;
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: base,
      iat: now,
      exp: now + FEED_TTL_SECONDS,
      instance: { url: base },
      issuerKeys: await this.keys.jwks(),
      courses: rows.map((r) => ({
        slug: r.slug,
        title: r.title,
        summary: r.summary ?? {},
        languages: r.languages,
        defaultLanguage: r.defaultLanguage,
        licence: r.licence,
        attribution: r.attribution,
        institution: r.institutionCode ? { code: r.institutionCode, name: r.institutionNames ?? {}, country: r.country } : null,
        framework: r.framework,
        competencies: r.competencies ?? [],
        version: r.version,
        publishedAt: new Date(r.publishedAt).toISOString(),
        package: `${base}/federation/courses/${encodeURIComponent(r.slug)}/versions/${r.version}/package`,
      })),
    };
  }

  /** The feed as a compact JWS signed with the active issuer key. */
  async signedFeed(): Promise<string> {
    const { jwt } = await this.keys.sign({ ...(await this.feed()) }, FEED_TYP, null);
    return jwt;
  }

  // ── trusted peers ───────────────────────────────────────────────────────────────────────────

  peers(): Array<{ url: string; keyThumbprint: string | null; pinnedJwk: boolean }> {
    return this.config.federationPeers.map((p) => ({ url: p.url, keyThumbprint: p.keyThumbprint, pinnedJwk: p.jwk !== null }));
  }

  /** A trusted peer by its URL, or 404 `untrusted_peer`. */
  peer(url: unknown): FederationPeer {
    if (typeof url !== 'string' || !url.trim()) throw new ValidationError([{ field: 'url', message: 'url is required: a trusted peer URL', rule: 'required' }]);
    const normal = normalisePeerUrl(url.trim());
    const peer = normal ? this.config.federationPeers.find((p) => p.url === normal) : undefined;
    if (!peer) throw new UntrustedPeerError(normal ?? url.slice(0, 200));
    return peer;
  }

  /**
   * Reads a peer's catalog feed and verifies it: signed (EdDSA) with the pinned key — the pinned
   * JWK itself, or the key of the feed's own key set whose RFC 7638 thumbprint is the pinned one —
   * issued by the peer's URL and not expired. Anything else is refused (502 with its own code).
   */
  async peerFeed(peer: FederationPeer): Promise<CatalogFeed> {
    const jws = (await this.fetchText(peer.url, `${peer.url}/federation/catalog`, 'application/jwt', (why) => new PeerUnreachableError(peer.url, why))).trim();
    if (!JWS.test(jws)) throw new PeerFeedInvalidError(peer.url, 'the answer is not a compact JWS');
    let kid: string | undefined;
    let claims: Partial<CatalogFeed>;
    try {
      const header = decodeProtectedHeader(jws);
      if (header.alg !== 'EdDSA') throw new Error(`alg ${String(header.alg)} is not EdDSA`);
      if (header.typ !== FEED_TYP) throw new Error(`typ ${String(header.typ)} is not ${FEED_TYP}`);
      kid = header.kid;
      claims = decodeJwt(jws) as Partial<CatalogFeed>;
    } catch (e) {
      throw new PeerFeedInvalidError(peer.url, (e as Error).message);
    }
    let jwk: JWK;
    if (peer.jwk) {
      jwk = { ...peer.jwk };
    } else {
      const candidate = claims.issuerKeys?.keys?.find?.((k) => k && k.kid === kid);
      if (!candidate || candidate.kty !== 'OKP' || candidate.crv !== 'Ed25519' || typeof candidate.x !== 'string')
        throw new PeerKeyMismatchError(peer.url, `the signing key ${kid ?? '(no kid)'} is not in the feed's key set`);
      jwk = { kty: 'OKP', crv: 'Ed25519', x: candidate.x };
      const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
      if (thumbprint !== peer.keyThumbprint) throw new PeerKeyMismatchError(peer.url, `the signing key's thumbprint ${thumbprint} is not the pinned ${peer.keyThumbprint}`);
    }
    let payload: Partial<CatalogFeed>;
    try {
      const key = await importJWK(jwk, 'EdDSA');
      payload = (await jwtVerify(jws, key, { algorithms: ['EdDSA'], typ: FEED_TYP, issuer: peer.url })).payload as Partial<CatalogFeed>;
    } catch (e) {
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw new PeerKeyMismatchError(peer.url, 'the signature does not verify with the pinned key');
      throw new PeerFeedInvalidError(peer.url, (e as Error).message);
    }
    if (!payload.issuerKeys || !Array.isArray(payload.issuerKeys.keys) || !Array.isArray(payload.courses))
      throw new PeerFeedInvalidError(peer.url, 'issuerKeys.keys and courses must be arrays');
    return payload as CatalogFeed;
  }

  /**
   * Imports a public course of a trusted peer for adaptation: read from the peer's verified feed,
   * its package downloaded from the peer and saved as the draft of a new private course of the
   * caller's school (`as`: the slug here, default the peer's). Authors of that school, admins.
   */
  async importCourse(principal: Principal, body: unknown): Promise<VersionSummary & { importedFrom: { peer: string; slug: string; version: number } }> {
    const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const errors: Array<{ field: string; message: string; rule: string }> = [];
    for (const field of ['peer', 'slug', 'school'] as const) {
      if (typeof b[field] !== 'string' || !(b[field] as string).trim() || (b[field] as string).length > 300) errors.push({ field, message: `${field} is required (text)`, rule: 'required' });
    }
    if (b.as !== undefined && (typeof b.as !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(b.as) || b.as.length > 100))
      errors.push({ field: 'as', message: 'as must be a course slug (lower-case letters, digits and hyphens)', rule: 'format' });
    if (errors.length) throw new ValidationError(errors);
    const peer = this.peer(b.peer);
    const feed = await this.peerFeed(peer);
    const course = feed.courses.find((c) => c && c.slug === b.slug);
    if (!course) throw new PeerCourseNotFoundError(peer.url, String(b.slug));
    if (typeof course.package !== 'string') throw new PeerFeedInvalidError(peer.url, `course ${course.slug} has no package link`);
    const text = await this.fetchText(peer.url, course.package, 'application/json', (why) => new PeerUnreachableError(peer.url, why));
    let pkg: unknown;
    try {
      pkg = JSON.parse(text);
    } catch {
      throw new PeerFeedInvalidError(peer.url, `the package of ${course.slug} is not JSON`);
    }
    const titles = course.title && typeof course.title === 'object' ? course.title : {};
    const title = titles[course.defaultLanguage] ?? titles.en ?? Object.values(titles)[0] ?? course.slug;
    const by = course.institution?.name ? (course.institution.name[course.defaultLanguage] ?? course.institution.name.en ?? Object.values(course.institution.name)[0]) : null;
    const attribution = `“${title}”${by ? ` by ${by}` : ''}, version ${course.version}, ${peer.url}${course.attribution ? ` — ${course.attribution}` : ''}`;
    const slug = typeof b.as === 'string' ? b.as : String(b.slug);
    const summary = await this.authoring.importPackage(principal, { slug, school: String(b.school) }, pkg, {
      peerUrl: peer.url,
      slug: course.slug,
      version: course.version,
      licence: course.licence ?? null,
      attribution,
    });
    return { ...summary, importedFrom: { peer: peer.url, slug: course.slug, version: course.version } };
  }

  // ── recognising peer credentials ────────────────────────────────────────────────────────────

  /**
   * Verifies an Open Badges 3.0 VC-JWT of a trusted peer and records competency evidence from it
   * for the caller: issuer under a trusted peer's URL, signature by a key of the peer's verified
   * feed, dates (exp/nbf and validUntil/validFrom), the revocation bit in the peer's status list
   * (itself a VC-JWT verified with the same keys) when the credential names one. Holder binding:
   * one of the credential's e-mail IdentityObjects must be the salted hash of the caller's e-mail
   * (422 holder_mismatch); a credential with none is refused (422 holder_unbound) unless
   * FEDERATION_ACCEPT_UNBOUND, then recorded with holderVerified false.
   */
  async recognise(principal: Principal, body: unknown, requestId: string | null): Promise<RecognitionResult> {
    const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).credential : undefined;
    if (typeof raw !== 'string' || !raw.trim())
      throw new ValidationError([{ field: 'credential', message: 'credential is required: the VC-JWT (compact JWS) of an Open Badges 3.0 credential', rule: 'required' }]);
    const jwt = raw.trim();
    if (jwt.length > 64 * 1024 || !JWS.test(jwt)) throw new ValidationError([{ field: 'credential', message: 'credential must be a compact JWS of at most 64 KiB', rule: 'format' }]);
    let unverified: Record<string, unknown>;
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jwt).kid;
      unverified = decodeJwt(jwt);
    } catch (e) {
      throw new CredentialMalformedError((e as Error).message);
    }
    const iss = typeof unverified.iss === 'string' ? unverified.iss : issuerIdOf(unverified.issuer);
    if (!iss) throw new CredentialMalformedError('it names no issuer');
    const peer = this.config.federationPeers.find((p) => iss.startsWith(`${p.url}/`));
    if (!peer) throw new UntrustedIssuerError(iss.slice(0, 300));

    const jwks = await this.peerJwks(peer);
    let claims: Record<string, unknown>;
    try {
      claims = (await jwtVerify(jwt, jwks, { algorithms: ['EdDSA'], issuer: iss })).payload;
    } catch (e) {
      if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWKSMultipleMatchingKeys) throw new UntrustedKeyError(kid);
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw new BadSignatureError();
      if (e instanceof joseErrors.JWTExpired) throw new CredentialExpiredError();
      if (e instanceof joseErrors.JWTClaimValidationFailed && (e.claim === 'nbf' || e.claim === 'iat')) throw new CredentialNotYetValidError();
      throw new CredentialMalformedError((e as Error).message);
    }
    const types = Array.isArray(claims.type) ? claims.type : [];
    if (!types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')) throw new CredentialMalformedError('its type is not OpenBadgeCredential');
    const validUntil = dateOf(claims.validUntil);
    const validFrom = dateOf(claims.validFrom);
    if (validUntil && validUntil.getTime() <= Date.now()) throw new CredentialExpiredError();
    if (validFrom && validFrom.getTime() > Date.now() + 60_000) throw new CredentialNotYetValidError();
    const credentialId = typeof claims.jti === 'string' ? claims.jti : typeof claims.id === 'string' ? claims.id : null;
    if (!credentialId || credentialId.length > 500) throw new CredentialMalformedError('it has no id');
    const subject = (claims.credentialSubject && typeof claims.credentialSubject === 'object' ? claims.credentialSubject : {}) as Record<string, unknown>;
    const holderVerified = await this.checkHolder(principal, subject.identifier);

    const statusChecked = await this.checkStatus(peer, jwks, claims.credentialStatus);
    const achievement = (subject.achievement ?? {}) as Record<string, unknown>;
    const alignments = (Array.isArray(achievement.alignment) ? achievement.alignment : [])
      .filter((a): a is Record<string, unknown> => !!a && typeof a === 'object')
      .map((a) => ({
        frameworkKey: typeof a.targetFramework === 'string' ? a.targetFramework.slice(0, 100) : null,
        code: typeof a.targetCode === 'string' ? a.targetCode.slice(0, 100) : '',
        level: levelOf(a),
      }))
      .filter((a) => a.code)
      .slice(0, 100);
    const issuer = (claims.issuer ?? {}) as Record<string, unknown>;
    const result = await this.evidence.recordRecognition(
      principal,
      {
        peerUrl: peer.url,
        credentialId,
        issuerId: iss,
        issuerName: typeof issuer.name === 'string' ? issuer.name.slice(0, 300) : null,
        achievementName: typeof achievement.name === 'string' ? achievement.name.slice(0, 300) : null,
        kid: kid ?? '',
        validUntil,
        statusChecked,
        holderVerified,
        awardedAt: dateOf(claims.awardedDate) ?? validFrom ?? new Date(),
        alignments,
      },
      requestId,
    );
    this.logger.log(`recognised credential from ${peer.url}: ${result.recorded.length} evidence row(s)`);
    return result;
  }

  /**
   * Whether the credential is the caller's: true when one of its e-mail identifiers is the hash of
   * the caller's current e-mail here (read from the account, not the token); false when it has
   * none and FEDERATION_ACCEPT_UNBOUND is set. Otherwise 422 holder_mismatch / holder_unbound.
   */
  private async checkHolder(principal: Principal, identifier: unknown): Promise<boolean> {
    const [row] = (await this.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [principal.userId])) as Array<{ email: string }>;
    const outcome = row ? matchEmailIdentity(identifier, row.email) : 'mismatch';
    if (outcome === 'match') return true;
    if (outcome === 'mismatch') throw new HolderMismatchError();
    if (this.config.federationAcceptUnbound) return false;
    throw new HolderUnboundError();
  }

  /** The issuer keys of a peer's verified feed, as a key set (cached per process for a minute). */
  private async peerJwks(peer: FederationPeer): Promise<ReturnType<typeof createLocalJWKSet>> {
    const cached = this.peerKeys.get(peer.url);
    if (cached && Date.now() - cached.at < PEER_KEYS_CACHE_MS) return cached.jwks;
    const feed = await this.peerFeed(peer);
    let jwks: ReturnType<typeof createLocalJWKSet>;
    try {
      jwks = createLocalJWKSet({ keys: feed.issuerKeys.keys as JWK[] });
    } catch (e) {
      throw new PeerFeedInvalidError(peer.url, `its issuer keys are not a JWKS (${(e as Error).message})`);
    }
    this.peerKeys.set(peer.url, { jwks, at: Date.now() });
    return jwks;
  }

  /** True when a status list was checked (and the bit is clear); false when the credential names none. */
  private async checkStatus(peer: FederationPeer, jwks: ReturnType<typeof createLocalJWKSet>, status: unknown): Promise<boolean> {
    if (status === undefined || status === null) return false;
    const entries = (Array.isArray(status) ? status : [status]) as Array<Record<string, unknown>>;
    for (const entry of entries) {
      if (!entry || typeof entry !== 'object' || entry.type !== 'BitstringStatusListEntry') throw new CredentialMalformedError('its credentialStatus is not a BitstringStatusListEntry');
      const url = entry.statusListCredential;
      const index = Number(entry.statusListIndex);
      if (typeof url !== 'string' || !url.startsWith(`${peer.url}/`)) throw new CredentialMalformedError(`its status list is not at the issuer's instance ${peer.url}`);
      if (!Number.isInteger(index) || index < 0) throw new CredentialMalformedError('its statusListIndex is not a whole number');
      const jws = (await this.fetchText(peer.url, url, 'application/vc+jwt', (why) => new StatusListUnavailableError(why))).trim();
      let list: Record<string, unknown>;
      try {
        list = (await jwtVerify(jws, jwks, { algorithms: ['EdDSA'] })).payload;
      } catch (e) {
        throw new StatusListUnavailableError(`the status list does not verify with the peer's keys (${(e as Error).message})`);
      }
      const subject = (list.credentialSubject ?? {}) as Record<string, unknown>;
      let bits: Buffer;
      try {
        bits = decodeStatusList(String(subject.encodedList));
      } catch {
        throw new StatusListUnavailableError('the status list cannot be decoded');
      }
      if (index >= bits.length * 8) throw new StatusListUnavailableError('the index lies beyond the status list');
      if (isStatusSet(bits, index)) throw new CredentialRevokedError();
    }
    return true;
  }

  /** GET with a timeout, no redirects (no hop away from the trusted peer), a size limit. */
  private async fetchText(peerUrl: string, url: string, accept: string, fail: (why: string) => Error): Promise<string> {
    if (!/^https?:\/\//.test(url) || !(url === peerUrl || url.startsWith(`${peerUrl}/`))) throw fail('not an http(s) URL of the peer');
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept }, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (e) {
      throw fail((e as Error).name === 'TimeoutError' ? 'no answer in time' : 'connection failed');
    }
    if (!response.ok) throw fail(`HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_FEED_BYTES) throw fail('the answer is too large');
    const text = await response.text();
    if (text.length > MAX_FEED_BYTES) throw fail('the answer is too large');
    return text;
  }
}

function issuerIdOf(issuer: unknown): string | null {
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string') return (issuer as { id: string }).id;
  return null;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The level of an alignment: this project writes it as the last number of targetDescription ("Level 2"); 1 otherwise. */
function levelOf(a: Record<string, unknown>): number {
  const m = typeof a.targetDescription === 'string' ? /(\d{1,2})\s*$/.exec(a.targetDescription) : null;
  return m ? Math.max(1, Number(m[1])) : 1;
}
