import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope, AuditLog } from '@lms/identity';
import { type Principal, ValidationError } from '@lms/platform';
import { CredentialAlreadyRecognisedError, SelfAwardError, UserNotFoundError } from './competency.errors.js';
import { buildProfile, ProfileEntry } from './competency-profile.js';
import { EvidenceRepository, EvidenceRow } from './evidence.repository.js';
import { FrameworkRepository, pairKey } from './framework.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ManualEvidenceInput {
  competencyCode: string;
  level: number;
  note: string;
  frameworkKey?: string;
  expiresAt?: string;
}

/** A verified peer credential (docs/hub.md, federation) to be recorded as evidence. */
export interface RecognitionInput {
  peerUrl: string;
  credentialId: string;
  issuerId: string;
  issuerName: string | null;
  achievementName: string | null;
  kid: string;
  validUntil: Date | null;
  statusChecked: boolean;
  /** Whether the credential's e-mail hash matched the caller's e-mail (false: accepted unbound). */
  holderVerified: boolean;
  awardedAt: Date;
  /** The credential's alignments: competency code, the framework key the peer named, level. */
  alignments: Array<{ frameworkKey: string | null; code: string; level: number }>;
}

export interface RecognitionResult {
  id: string;
  peerUrl: string;
  credentialId: string;
  issuer: { id: string; name: string | null };
  achievementName: string | null;
  validUntil: Date | null;
  statusChecked: boolean;
  /** Whether the credential was shown to be the caller's (its e-mail hash matched). */
  holderVerified: boolean;
  recognisedAt: Date;
  recorded: EvidenceRow[];
  /** Alignments with no competency of the same code in the same framework here. */
  unmatched: Array<{ frameworkKey: string | null; code: string; level: number }>;
}

/**
 * Evidence of competencies and the profile built from it. Course evidence comes from completed
 * enrolments (the `competency.record-evidence` job); manual evidence (recognition of prior
 * learning) is recorded by HR in scope or an admin, with a note, and is audited.
 */
@Injectable()
export class EvidenceService {
  private readonly logger = new Logger(EvidenceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
    @Inject(FrameworkRepository) private readonly frameworks: FrameworkRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Idempotent: the second call for the same enrolment inserts nothing. */
  async recordFromEnrolment(enrolmentId: string): Promise<number> {
    if (!UUID.test(enrolmentId)) {
      this.logger.warn(`competency.record-evidence: ignoring a payload without a valid enrolment id`);
      return 0;
    }
    const inserted = await this.evidence.recordFromEnrolment(enrolmentId);
    if (inserted) this.logger.log(`recorded ${inserted} competency evidence row(s) for enrolment ${enrolmentId}`);
    return inserted;
  }

  async recordManual(principal: Principal, userId: string, input: ManualEvidenceInput, requestId: string | null = null): Promise<EvidenceRow> {
    await this.assertUserExists(userId);
    await this.scope.assertCanManageUser(principal, userId);
    if (principal.userId === userId) {
      // Separation of duties: nobody recognises their own prior learning. The refusal is audited.
      await this.audit.record({
        actor: principal,
        action: 'competency_evidence.refused',
        subjectType: 'user',
        subjectId: userId,
        after: { reason: 'self_award', competencyCode: input.competencyCode, level: input.level, frameworkKey: input.frameworkKey ?? null },
        requestId,
      });
      throw new SelfAwardError();
    }
    const matches = await this.frameworks.currentCompetencies([input.competencyCode], input.frameworkKey);
    if (matches.length === 0) {
      throw new ValidationError([
        { field: 'competencyCode', message: `${input.competencyCode} is not a competency of ${input.frameworkKey ? `framework ${input.frameworkKey}` : 'any imported framework'}` },
      ]);
    }
    if (matches.length > 1) {
      throw new ValidationError([{ field: 'frameworkKey', message: `${input.competencyCode} exists in ${matches.map((m) => m.frameworkKey).join(', ')}: name the framework` }]);
    }
    const c = matches[0];
    if (input.level > c.maxLevel) throw new ValidationError([{ field: 'level', message: `level must be from 1 to ${c.maxLevel} (the levels of ${c.frameworkKey})` }]);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new ValidationError([{ field: 'expiresAt', message: 'expiresAt must be in the future', rule: 'future' }]);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.evidence.insertManual(manager, {
        userId,
        frameworkKey: c.frameworkKey,
        frameworkVersion: c.frameworkVersion,
        competencyCode: c.code,
        level: input.level,
        note: input.note.trim(),
        recordedBy: principal.userId,
        expiresAt,
      });
      await this.audit.record({ actor: principal, action: 'competency_evidence.recorded', subjectType: 'user', subjectId: userId, after: row, requestId }, manager);
      return row;
    });
  }

  /**
   * Records a verified peer credential for its holder: the recognition row (once per peer and
   * credential: a second submission is 409) and one evidence row per alignment whose code exists
   * in the framework of the same key here (the crosswalk between instances is "same key, same
   * code"), at the credential's level capped to the framework's levels, awarded at the
   * credential's award date and expiring with it. Audited. The caller has verified the credential.
   */
  async recordRecognition(principal: Principal, input: RecognitionInput, requestId: string | null = null): Promise<RecognitionResult> {
    const matched: Array<{ frameworkKey: string; frameworkVersion: number; code: string; level: number }> = [];
    const unmatched: RecognitionResult['unmatched'] = [];
    for (const a of input.alignments) {
      const [c] = a.frameworkKey ? await this.frameworks.currentCompetencies([a.code], a.frameworkKey) : [];
      if (c && !matched.some((m) => m.frameworkKey === c.frameworkKey && m.code === c.code)) {
        matched.push({ frameworkKey: c.frameworkKey, frameworkVersion: c.frameworkVersion, code: c.code, level: Math.min(Math.max(1, a.level), c.maxLevel) });
      } else if (!c) unmatched.push(a);
    }
    const note = `Recognised credential ${input.credentialId} (${input.achievementName ?? 'achievement'}) issued by ${input.issuerName ?? input.issuerId} at ${input.peerUrl}`.slice(0, 1000);
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO credential_recognition (user_id, peer_url, credential_id, issuer_id, issuer_name, achievement_name, kid, valid_until, status_checked, holder_verified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (peer_url, credential_id) DO NOTHING
         RETURNING id, recognised_at AS "recognisedAt"`,
        [principal.userId, input.peerUrl, input.credentialId, input.issuerId, input.issuerName, input.achievementName, input.kid, input.validUntil, input.statusChecked, input.holderVerified],
      )) as Array<{ id: string; recognisedAt: Date }>;
      if (!rows.length) throw new CredentialAlreadyRecognisedError();
      const recorded: EvidenceRow[] = [];
      for (const m of matched) {
        recorded.push(
          await this.evidence.insertRecognised(manager, {
            userId: principal.userId,
            frameworkKey: m.frameworkKey,
            frameworkVersion: m.frameworkVersion,
            competencyCode: m.code,
            level: m.level,
            note,
            awardedAt: input.awardedAt,
            expiresAt: input.validUntil,
          }),
        );
      }
      await this.audit.record(
        {
          actor: principal,
          action: 'credential.recognised',
          subjectType: 'credential_recognition',
          subjectId: rows[0].id,
          after: { peerUrl: input.peerUrl, credentialId: input.credentialId, issuerId: input.issuerId, holderVerified: input.holderVerified, evidence: recorded.map((r) => r.id) },
          requestId,
        },
        manager,
      );
      return {
        id: rows[0].id,
        peerUrl: input.peerUrl,
        credentialId: input.credentialId,
        issuer: { id: input.issuerId, name: input.issuerName },
        achievementName: input.achievementName,
        validUntil: input.validUntil,
        statusChecked: input.statusChecked,
        holderVerified: input.holderVerified,
        recognisedAt: rows[0].recognisedAt,
        recorded,
        unmatched,
      };
    });
  }

  /** The held level per competency with the evidence trail: the person themself, HR in scope, admin. */
  async profile(principal: Principal, userId: string, at = new Date()): Promise<ProfileEntry[]> {
    if (principal.userId !== userId) {
      await this.assertUserExists(userId);
      await this.scope.assertCanSeeUser(principal, userId);
    }
    const rows = await this.evidence.listForUser(userId);
    const titles = await this.frameworks.titlesOf(rows.map((r) => ({ frameworkKey: r.frameworkKey, code: r.competencyCode })));
    return buildProfile(rows, (k, c) => titles.get(pairKey(k, c)) ?? null, at);
  }

  private async assertUserExists(userId: string): Promise<void> {
    if (!(await this.evidence.findUser(userId))) throw new UserNotFoundError(userId);
  }
}
