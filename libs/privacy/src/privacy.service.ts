import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { strToU8, zipSync } from 'fflate';
import { ForbiddenError, isAdmin, type Principal } from '@lms/platform';
import { AuditLog, PrincipalCache } from '@lms/identity';
import { ErasureCounts, PersonalDataRecord, PersonalDataRepository } from './personal-data.repository.js';
import { AlreadyErasedError, PersonNotFoundError, SelfErasureError } from './privacy.errors.js';

export interface DataExport {
  /** The JSON document: what the module holds about the person, when and why (docs/privacy.md). */
  data: PersonalDataRecord & { exportedAt: string; about: string };
  /** A zip with data.json and each certificate's PDF (certificates/<serial>.pdf). */
  zip(): Promise<Buffer>;
}

export interface ErasureResult {
  userId: string;
  erasedAt: string;
  removed: ErasureCounts;
}

/**
 * GDPR rights: the person's data export (Art. 15, 20) and an audited erasure (Art. 17) that
 * pseudonymises the person while aggregate figures and certificate verification stay truthful.
 */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PersonalDataRepository) private readonly personal: PersonalDataRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(PrincipalCache) private readonly principals: PrincipalCache,
  ) {}

  /** The person themself, or an administrator (HR cannot: an export holds more than HR may see). */
  async exportFor(principal: Principal, userId: string, requestId?: string | null): Promise<DataExport> {
    if (principal.userId !== userId && !isAdmin(principal)) throw new ForbiddenError('Only the person or an administrator can export personal data');
    const person = await this.personal.personExists(userId);
    if (!person) throw new PersonNotFoundError(userId);
    const record = await this.personal.collect(userId);
    await this.audit.record({ actor: principal, action: 'privacy.exported', subjectType: 'user', subjectId: userId, requestId });
    const data = {
      about:
        'Everything this learning module holds about you: your profile, roles, sessions, enrolments, lesson progress, quiz attempts, certificates, competencies, notifications, e-mails, sign-in attempts and the audit events about you. docs/privacy.md explains why each is kept and for how long.',
      exportedAt: new Date().toISOString(),
      ...record,
    };
    return {
      data,
      zip: async () => {
        const files: Record<string, Uint8Array> = { 'data.json': strToU8(JSON.stringify(data, null, 2)) };
        for (const { serial, pdf } of await this.personal.certificatePdfs(userId)) files[`certificates/${serial}.pdf`] = new Uint8Array(pdf);
        return Buffer.from(zipSync(files, { level: 6, mtime: new Date() }));
      },
    };
  }

  /** Administrator: erase the person's personal data in one transaction, audited (without personal data). */
  async erase(principal: Principal, userId: string, reason: string, requestId?: string | null): Promise<ErasureResult> {
    if (!isAdmin(principal)) throw new ForbiddenError('Only an administrator can erase personal data');
    if (principal.userId === userId) throw new SelfErasureError();
    return this.eraseNow(principal, userId, reason, requestId);
  }

  /** The erasure itself, also used by the retention sweep (actor: the system). */
  async eraseNow(actor: Principal | null, userId: string, reason: string, requestId?: string | null): Promise<ErasureResult> {
    const result = await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(`SELECT erased_at FROM app_user WHERE id = $1 FOR UPDATE`, [userId])) as Array<{ erased_at: Date | null }>;
      if (!rows.length) throw new PersonNotFoundError(userId);
      if (rows[0].erased_at) throw new AlreadyErasedError(userId);
      const removed = await this.personal.erase(manager, userId);
      await this.audit.record({ actor, action: 'privacy.erased', subjectType: 'user', subjectId: userId, after: { reason, removed }, requestId }, manager);
      return { userId, erasedAt: new Date().toISOString(), removed };
    });
    this.principals.invalidateUser(userId);
    return result;
  }
}
