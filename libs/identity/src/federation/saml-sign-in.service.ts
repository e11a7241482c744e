import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Profile, SAML } from '@node-saml/node-saml';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import type { SamlProviderConfig } from '@lms/platform';
import type { RequestMeta } from '../request-meta.js';
import { FederatedSignInService } from './federated-sign-in.service.js';
import type { FederatedClaims, LinkedBy } from './federated-sign-in.service.js';
import { FederatedSignInError } from './federation.errors.js';

/** Clocks of the IdP and this service may differ this much. */
const CLOCK_SKEW_MS = 60_000;
/** A base64 SAMLResponse larger than this is refused before parsing (real ones are a few KB). */
const MAX_RESPONSE_CHARS = 256 * 1024;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

type XmlNode = { $?: Record<string, string>; _?: string } & Record<string, unknown>;

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

function firstText(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (v && typeof v === 'object' && typeof (v as XmlNode)._ === 'string') return (v as XmlNode)._!.trim() || null;
  return null;
}

/**
 * SAML 2.0 service provider (HTTP-POST binding for responses, HTTP-Redirect for requests) through
 * @node-saml/node-saml: the assertion must be signed by a configured IdP certificate
 * (wantAssertionsSigned; a response carrying more than one assertion is refused, which defeats
 * signature wrapping), be within its validity window and addressed to this service's entity id
 * (audience). Here on top: the signed assertion's Issuer is the configured IdP entity id, a bearer
 * SubjectConfirmation names this ACS URL as Recipient, and each assertion id is used once
 * (PostgreSQL, so across replicas).
 * Responses the IdP sends unasked (IdP-initiated sign-in) are accepted: InResponseTo is not
 * required, since pending request ids would have to be shared by every replica.
 */
@Injectable()
export class SamlSignInService {
  private readonly logger = new Logger('SamlSignIn');
  private readonly instances = new Map<string, SAML>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FederatedSignInService) private readonly federated: FederatedSignInService,
  ) {}

  provider(key: string): SamlProviderConfig {
    const found = this.config.federatedProviders.find((p): p is SamlProviderConfig => p.protocol === 'saml' && p.key === key);
    if (!found) throw new FederatedSignInError('unknown_provider');
    return found;
  }

  acsUrl(provider: SamlProviderConfig): string {
    return `${this.config.publicUrl}/auth/saml/${provider.key}/acs`;
  }

  entityId(provider: SamlProviderConfig): string {
    return provider.spEntityId ?? `${this.config.publicUrl}/auth/saml/${provider.key}/metadata`;
  }

  /** The SP metadata document to give the IdP (entity id, ACS URL, signed assertions wanted). */
  async metadata(key: string): Promise<string> {
    return (await this.saml(this.provider(key))).generateServiceProviderMetadata(null, null);
  }

  /** A sign-in started here: the IdP's URL with a deflated AuthnRequest and where to return. */
  async loginUrl(key: string, returnTo: string): Promise<string> {
    const provider = this.provider(key);
    try {
      return await (await this.saml(provider)).getAuthorizeUrlAsync(returnTo, undefined, {});
    } catch (e) {
      this.logger.warn({ provider: provider.key, error: e instanceof Error ? e.message : 'unknown' }, 'SAML request could not be built');
      throw new FederatedSignInError('provider_unavailable');
    }
  }

  async finish(key: string, samlResponse: unknown, meta: RequestMeta): Promise<{ userId: string; linkedBy: LinkedBy }> {
    const provider = this.provider(key);
    const refuse = async (reason: 'invalid_response' | 'replayed', detail: string): Promise<never> => {
      this.logger.warn({ provider: provider.key, reason, detail }, 'SAML response refused');
      await this.federated.refused(provider, reason, meta);
      throw new FederatedSignInError(reason, detail);
    };
    if (
      typeof samlResponse !== 'string' ||
      !samlResponse ||
      samlResponse.length > MAX_RESPONSE_CHARS ||
      !/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)
    )
      return refuse('invalid_response', 'SAMLResponse missing or not base64');
    let profile: Profile | null;
    try {
      ({ profile } = await (await this.saml(provider)).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (e) {
      return refuse('invalid_response', e instanceof Error ? e.message.slice(0, 200) : 'validation failed');
    }
    if (!profile?.getAssertion || !profile.nameID) return refuse('invalid_response', 'no assertion or NameID');
    const assertion = (profile.getAssertion() as { Assertion?: XmlNode }).Assertion;
    const assertionId = assertion?.$?.ID;
    if (!assertion || !assertionId) return refuse('invalid_response', 'assertion without ID');
    // node-saml checks idpIssuer only on logout messages: the signed assertion's Issuer is checked here.
    if (profile.issuer !== provider.idpIssuer) return refuse('invalid_response', 'assertion from another issuer');

    // The signed assertion must be meant for this ACS (a bearer confirmation naming it as Recipient).
    const acs = this.acsUrl(provider);
    const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation').filter((c) => c.$?.Method === BEARER);
    const data = confirmations.flatMap((c) => children(c, 'SubjectConfirmationData'));
    if (!data.some((d) => d.$?.Recipient === acs)) return refuse('invalid_response', 'Recipient is not this ACS');

    // Kept until the last moment it could still be accepted, then pruned.
    const ends = [...data.map((d) => d.$?.NotOnOrAfter), children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter]
      .filter((v): v is string => typeof v === 'string')
      .map((v) => Date.parse(v))
      .filter((t) => Number.isFinite(t));
    if (!ends.length) return refuse('invalid_response', 'assertion without NotOnOrAfter');
    const keepUntil = new Date(Math.max(...ends) + CLOCK_SKEW_MS);
    await this.dataSource.query(`DELETE FROM saml_consumed_assertion WHERE expires_at < now()`);
    const inserted = (await this.dataSource.query(
      `INSERT INTO saml_consumed_assertion (issuer, assertion_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING assertion_id`,
      [provider.idpIssuer, assertionId.slice(0, 512), keepUntil],
    )) as unknown[];
    if (!inserted.length) return refuse('replayed', 'assertion id already used');

    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    const email = firstText(attributes[provider.emailAttribute]) ?? (profile.nameIDFormat === EMAIL_NAME_ID ? profile.nameID : null);
    const claims: FederatedClaims = {
      issuer: provider.idpIssuer,
      subject: profile.nameID,
      email,
      // The IdP is your directory, trusted by configuration: its addresses count as verified.
      emailVerified: true,
      externalId: provider.externalIdAttribute ? firstText(attributes[provider.externalIdAttribute]) : null,
      displayName: firstText(attributes[provider.nameAttribute]),
    };
    return this.federated.signIn(provider, claims, meta);
  }

  /** node-saml (with its XML signature stack) is loaded on the first SAML request, not at start. */
  private async saml(provider: SamlProviderConfig): Promise<SAML> {
    let saml = this.instances.get(provider.key);
    if (!saml) {
      const { SAML, ValidateInResponseTo } = await import('@node-saml/node-saml');
      saml = new SAML({
        callbackUrl: this.acsUrl(provider),
        entryPoint: provider.entryPoint,
        issuer: this.entityId(provider),
        audience: this.entityId(provider),
        idpIssuer: provider.idpIssuer,
        idpCert: provider.idpCerts,
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: false,
        acceptedClockSkewMs: CLOCK_SKEW_MS,
        validateInResponseTo: ValidateInResponseTo.never,
        identifierFormat: null,
        disableRequestedAuthnContext: true,
        signatureAlgorithm: 'sha256',
        digestAlgorithm: 'sha256',
      });
      this.instances.set(provider.key, saml);
    }
    return saml;
  }
}
