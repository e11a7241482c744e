import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope, AuditLog } from '@lms/identity';
import { type Principal, ValidationError } from '@lms/platform';
import { SelfAwardError, UserNotFoundError } from './competency.errors.js';
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
