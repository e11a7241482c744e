import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Outbox } from '@lms/jobs';
import { nameProblem, normalizeName } from '@lms/platform';
import type { FederatedProviderConfig } from '@lms/platform';
import { AuditLog } from '../audit-log.service.js';
import type { RequestMeta } from '../request-meta.js';
import { DISPLAY_NAME_MAX_LENGTH, isValidEmail, normalizeEmail } from '../user-fields.js';
import { FederatedSignInError } from './federation.errors.js';

/** What a provider told us about the person, after its answer was verified. */
export interface FederatedClaims {
  issuer: string;
  subject: string;
  email: string | null;
  /** False when the provider said the e-mail is unverified (or, for OIDC, did not say and is not trusted to). */
  emailVerified: boolean;
  externalId: string | null;
  displayName: string | null;
}

export type LinkedBy = 'subject' | 'external_id' | 'email' | 'created';

interface UserRow {
  id: string;
  status: string;
  external_id: string | null;
}

const EXTERNAL_ID_MAX = 256;

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/**
 * Finds (or creates) the person behind a verified federated identity:
 * 1. the provider's (issuer, subject) once linked — nothing else is consulted then;
 * 2. otherwise the HR external id the provider sends;
 * 3. otherwise the e-mail address, only when the provider vouches that it is verified;
 * 4. otherwise, when the provider allows it, a new learner in the provider's org unit.
 * Disabled people are refused. The first match is linked by (issuer, subject) for next time. Every
 * sign-in and every refusal is written to the audit log; nothing a provider sends reaches the log.
 */
@Injectable()
export class FederatedSignInService {
  private readonly logger = new Logger('FederatedSignIn');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async signIn(
    provider: FederatedProviderConfig,
    claims: FederatedClaims,
    meta: RequestMeta,
  ): Promise<{ userId: string; linkedBy: LinkedBy }> {
    try {
      return await this.linkOnce(provider, claims, meta).catch((e: unknown) => {
        // Someone else created the same person (same e-mail or HR id) at this moment: the second try finds them.
        if (isUniqueViolation(e)) return this.linkOnce(provider, claims, meta);
        throw e;
      });
    } catch (e) {
      if (e instanceof FederatedSignInError) await this.refused(provider, e.reason, meta);
      if (isUniqueViolation(e)) {
        await this.refused(provider, 'identity_conflict', meta);
        throw new FederatedSignInError('identity_conflict');
      }
      throw e;
    }
  }

  private linkOnce(
    provider: FederatedProviderConfig,
    claims: FederatedClaims,
    meta: RequestMeta,
  ): Promise<{ userId: string; linkedBy: LinkedBy }> {
    // One unit of work: find or create the person, record the link and the audit entry.
    return this.dataSource.transaction(async (manager) => {
      // Two first sign-ins of the same identity at once: one links, the other waits and then finds the link.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('federated:' || $1 || ' ' || $2))`, [claims.issuer, claims.subject]);
      const found = await this.resolve(manager, provider, claims);
      if (found.user.status !== 'active') throw new FederatedSignInError('account_disabled');
      if (found.linkedBy === 'subject') {
        await manager.query(`UPDATE federated_identity SET last_sign_in_at = now() WHERE issuer = $1 AND subject = $2`, [
          claims.issuer,
          claims.subject,
        ]);
      } else {
        await manager.query(
          `INSERT INTO federated_identity (user_id, protocol, provider_key, issuer, subject, last_sign_in_at) VALUES ($1, $2, $3, $4, $5, now())`,
          [found.user.id, provider.protocol, provider.key, claims.issuer, claims.subject],
        );
      }
      await this.audit.record(
        {
          actor: { userId: found.user.id },
          action: 'auth.federated_sign_in',
          subjectType: 'user',
          subjectId: found.user.id,
          after: { provider: provider.key, protocol: provider.protocol, linkedBy: found.linkedBy },
          requestId: meta.requestId,
        },
        manager,
      );
      return { userId: found.user.id, linkedBy: found.linkedBy };
    });
  }

  /** A refusal that happened before any person was known (bad answer, replay): audited against the provider. */
  async refused(provider: Pick<FederatedProviderConfig, 'key' | 'protocol'>, reason: string, meta: RequestMeta): Promise<void> {
    this.logger.warn({ provider: provider.key, reason, requestId: meta.requestId }, 'federated sign-in refused');
    await this.audit.record({
      actor: null,
      action: 'auth.federated_sign_in_refused',
      subjectType: 'identity_provider',
      subjectId: provider.key,
      after: { protocol: provider.protocol, reason },
      requestId: meta.requestId,
    });
  }

  private async resolve(
    manager: EntityManager,
    provider: FederatedProviderConfig,
    claims: FederatedClaims,
  ): Promise<{ user: UserRow; linkedBy: LinkedBy }> {
    const [linked] = (await manager.query(
      `SELECT u.id, u.status, u.external_id FROM federated_identity f JOIN app_user u ON u.id = f.user_id WHERE f.issuer = $1 AND f.subject = $2`,
      [claims.issuer, claims.subject],
    )) as UserRow[];
    if (linked) return { user: linked, linkedBy: 'subject' };

    const externalId = claims.externalId && claims.externalId.length <= EXTERNAL_ID_MAX ? claims.externalId : null;
    if (externalId) {
      const [byExternal] = (await manager.query(`SELECT id, status, external_id FROM app_user WHERE external_id = $1`, [
        externalId,
      ])) as UserRow[];
      if (byExternal) {
        await this.assertNoOtherSubject(manager, byExternal.id, claims);
        return { user: byExternal, linkedBy: 'external_id' };
      }
    }

    const email = claims.email ? normalizeEmail(claims.email) : null;
    if (!email || !isValidEmail(email)) throw new FederatedSignInError('email_missing');
    // An unverified address proves nothing: it never finds an account, and never makes one.
    if (!claims.emailVerified) throw new FederatedSignInError('email_unverified');
    const [byEmail] = (await manager.query(`SELECT id, status, external_id FROM app_user WHERE email = $1`, [email])) as UserRow[];
    if (byEmail) {
      // The address belongs to a person the HR system knows under another id: not the same person.
      if (externalId && byEmail.external_id && byEmail.external_id !== externalId) throw new FederatedSignInError('identity_conflict');
      await this.assertNoOtherSubject(manager, byEmail.id, claims);
      return { user: byEmail, linkedBy: 'email' };
    }

    if (!provider.createUsers || !provider.orgUnitCode) throw new FederatedSignInError('not_linked');
    const [unit] = (await manager.query(`SELECT id FROM org_unit WHERE code = $1`, [provider.orgUnitCode])) as Array<{ id: string }>;
    if (!unit) {
      this.logger.error({ provider: provider.key }, 'the org unit configured for people created at sign-in does not exist');
      throw new FederatedSignInError('not_linked');
    }
    const id = await this.createLearner(manager, provider, { email, externalId, displayName: claims.displayName, orgUnitId: unit.id });
    return { user: { id, status: 'active', external_id: externalId }, linkedBy: 'created' };
  }

  /** A person has one identity per issuer: a second subject claiming the same person is refused. */
  private async assertNoOtherSubject(manager: EntityManager, userId: string, claims: FederatedClaims): Promise<void> {
    const rows = (await manager.query(`SELECT 1 FROM federated_identity WHERE user_id = $1 AND issuer = $2 AND subject <> $3`, [
      userId,
      claims.issuer,
      claims.subject,
    ])) as unknown[];
    if (rows.length) throw new FederatedSignInError('identity_conflict');
  }

  private async createLearner(
    manager: EntityManager,
    provider: FederatedProviderConfig,
    v: { email: string; externalId: string | null; displayName: string | null; orgUnitId: string },
  ): Promise<string> {
    const given = v.displayName ? normalizeName(v.displayName) : '';
    const displayName = given && !nameProblem(given, DISPLAY_NAME_MAX_LENGTH) ? given : v.email.split('@')[0];
    // The HR id is kept only if no one else holds it (they would have been found above).
    const [row] = (await manager.query(
      `INSERT INTO app_user (email, display_name, org_unit_id, external_id, status) VALUES ($1, $2, $3, $4, 'active') RETURNING id`,
      [v.email, displayName, v.orgUnitId, v.externalId],
    )) as Array<{ id: string }>;
    await manager.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'learner', NULL) ON CONFLICT DO NOTHING`, [
      row.id,
    ]);
    await this.outbox.add(manager, 'user.placed', { userId: row.id });
    await this.audit.record(
      {
        actor: null,
        action: 'user.created',
        subjectType: 'user',
        subjectId: row.id,
        after: {
          email: v.email,
          displayName,
          orgUnitId: v.orgUnitId,
          externalId: v.externalId,
          roles: ['learner'],
          via: `federation:${provider.key}`,
        },
      },
      manager,
    );
    return row.id;
  }
}
