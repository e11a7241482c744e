import { Inject, Injectable, Logger } from '@nestjs/common';
import type * as OpenId from 'openid-client';
import { AppConfig } from '@lms/platform';
import type { OidcProviderConfig } from '@lms/platform';
import type { RequestMeta } from '../request-meta.js';
import { FederatedSignInService } from './federated-sign-in.service.js';
import type { FederatedClaims, LinkedBy } from './federated-sign-in.service.js';
import { FederatedSignInError } from './federation.errors.js';
import { SealedState } from './sealed-state.js';

type OidcState = { provider: string; state: string; nonce: string; verifier: string; returnTo: string } & Record<string, string>;
const STATE_FIELDS: Array<keyof OidcState & string> = ['provider', 'state', 'nonce', 'verifier', 'returnTo'];

/** The cookie that carries a sign-in in progress from the login redirect to the callback. */
export const OIDC_STATE_COOKIE = 'lms_oidc';
/** Ten minutes to sign in at the provider. */
export const OIDC_STATE_TTL_SECONDS = 600;
const DISCOVERY_TIMEOUT_SECONDS = 10;

/** openid-client (with oauth4webapi) is imported on the first OIDC sign-in, not at start-up. */
let openIdLib: Promise<typeof OpenId> | null = null;
const openId = (): Promise<typeof OpenId> =>
  (openIdLib ??= import('openid-client').catch((e: unknown) => {
    openIdLib = null;
    throw e;
  }));

/** Claim values as text (numbers are common for HR ids); anything else counts as absent. */
function claimText(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE S256, state and nonce) through
 * openid-client. Discovery is cached per provider; the ID token's signature, issuer, audience,
 * expiry, nonce and (when the provider supports it) the RFC 9207 `iss` response parameter are
 * checked by openid-client; state is compared here first so a stray callback gets a clear answer.
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger('OidcSignIn');
  private readonly discovered = new Map<string, Promise<OpenId.Configuration>>();
  private readonly sealed: SealedState<OidcState>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(FederatedSignInService) private readonly federated: FederatedSignInService,
  ) {
    this.sealed = new SealedState<OidcState>(config.jwtSecret, 'oidc-state', OIDC_STATE_TTL_SECONDS);
  }

  provider(key: string): OidcProviderConfig {
    const found = this.config.federatedProviders.find((p): p is OidcProviderConfig => p.protocol === 'oidc' && p.key === key);
    if (!found) throw new FederatedSignInError('unknown_provider');
    return found;
  }

  redirectUri(provider: OidcProviderConfig): string {
    return `${this.config.publicUrl}/auth/oidc/${provider.key}/callback`;
  }

  /** Where to send the browser, and the sealed state to keep in its cookie until the callback. */
  async start(key: string, returnTo: string): Promise<{ url: string; sealedState: string }> {
    const provider = this.provider(key);
    const configuration = await this.configuration(provider);
    const client = await openId();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider),
      scope: provider.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const sealedState = await this.sealed.seal({ provider: provider.key, state, nonce, verifier, returnTo });
    return { url: url.href, sealedState };
  }

  /** Verifies the provider's answer, then finds or creates the person. */
  async finish(
    key: string,
    query: Record<string, unknown>,
    sealedState: string | undefined,
    meta: RequestMeta,
  ): Promise<{ userId: string; returnTo: string; linkedBy: LinkedBy }> {
    const provider = this.provider(key);
    const saved = await this.sealed.open(sealedState, STATE_FIELDS);
    const state = typeof query.state === 'string' ? query.state : undefined;
    if (!saved || saved.provider !== provider.key || !state || state !== saved.state) {
      await this.federated.refused(provider, 'state_mismatch', meta);
      throw new FederatedSignInError('state_mismatch');
    }
    const configuration = await this.configuration(provider);
    const client = await openId();
    const callback = new URL(this.redirectUri(provider));
    for (const [name, value] of Object.entries(query)) if (typeof value === 'string') callback.searchParams.set(name, value);
    let claims: FederatedClaims;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      });
      claims = await this.claimsOf(provider, configuration, tokens);
    } catch (e) {
      const reason = this.isNetworkError(e) ? 'provider_unavailable' : 'invalid_response';
      this.logger.warn(
        { provider: provider.key, reason, error: e instanceof Error ? `${e.name}: ${e.message}` : 'unknown' },
        'OIDC callback refused',
      );
      await this.federated.refused(provider, reason, meta);
      throw new FederatedSignInError(reason);
    }
    const result = await this.federated.signIn(provider, claims, meta);
    return { ...result, returnTo: saved.returnTo };
  }

  private async claimsOf(
    provider: OidcProviderConfig,
    configuration: OpenId.Configuration,
    tokens: Awaited<ReturnType<typeof OpenId.authorizationCodeGrant>>,
  ): Promise<FederatedClaims> {
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    let all: Record<string, unknown> = { ...idToken };
    const wanted = [provider.emailClaim, provider.nameClaim, ...(provider.externalIdClaim ? [provider.externalIdClaim] : [])];
    // Code-flow providers often keep profile claims for the userinfo endpoint: ask it for what is missing.
    if (wanted.some((c) => all[c] === undefined) && configuration.serverMetadata().userinfo_endpoint && tokens.access_token) {
      const info = await (await openId()).fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      all = { ...info, ...idToken };
    }
    const verified = all.email_verified;
    const emailVerified = verified === true || verified === 'true' || (verified === undefined && provider.assumeEmailVerified);
    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      email: claimText(all[provider.emailClaim]),
      emailVerified,
      externalId: provider.externalIdClaim ? claimText(all[provider.externalIdClaim]) : null,
      displayName: claimText(all[provider.nameClaim]),
    };
  }

  private isNetworkError(e: unknown): boolean {
    for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 4; cur = cur.cause, depth++) {
      if (cur.name === 'AbortError' || cur.name === 'TimeoutError' || (cur.name === 'TypeError' && /fetch/i.test(cur.message))) return true;
    }
    return false;
  }

  /** Discovery once per provider and process; a failure is not cached, so the next sign-in tries again. */
  private configuration(provider: OidcProviderConfig): Promise<OpenId.Configuration> {
    let pending = this.discovered.get(provider.key);
    if (!pending) {
      pending = openId()
        .then((client) =>
          client.discovery(
            new URL(provider.issuer),
            provider.clientId,
            undefined,
            provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None(),
            {
              timeout: DISCOVERY_TIMEOUT_SECONDS,
              // Plain http is accepted by the configuration only for a loopback issuer outside production.
              execute: provider.allowInsecureRequests ? [client.allowInsecureRequests] : [],
            },
          ),
        )
        .catch((e: unknown) => {
          this.discovered.delete(provider.key);
          this.logger.warn(
            { provider: provider.key, error: e instanceof Error ? `${e.name}: ${e.message}` : 'unknown' },
            'OIDC discovery failed',
          );
          throw new FederatedSignInError('provider_unavailable');
        });
      this.discovered.set(provider.key, pending);
    }
    return pending;
  }
}
