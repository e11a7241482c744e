import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { JobHandler, JobHandlerInstance } from '@lms/jobs';
import { PersonalDataRepository, RETENTION_KINDS, RetentionKind } from './personal-data.repository.js';
import { PrivacyService } from './privacy.service.js';

/** Rows deleted per statement: each batch is its own short transaction. */
export const RETENTION_BATCH = 5_000;
/** Accounts erased per run by the inactive-account rule (the rest wait for the next day). */
export const INACTIVE_ERASURES_PER_RUN = 500;

export type RetentionReport = Record<RetentionKind | 'inactiveAccounts', number>;

/**
 * 'privacy.retention-sweep' (daily): deletes what has outlived its retention period (audit events,
 * notifications and e-mail records, sign-in attempts, failed-job records) and, when
 * INACTIVE_ACCOUNT_RETENTION_DAYS is set, erases accounts disabled and unchanged for that long.
 * Batches commit one by one, so a run stopped half-way is continued by the next.
 */
@Injectable()
@JobHandler('privacy.retention-sweep')
export class RetentionSweepHandler implements JobHandlerInstance<'privacy.retention-sweep'> {
  private readonly logger = new Logger('RetentionSweep');

  constructor(
    @Inject(PersonalDataRepository) private readonly personal: PersonalDataRepository,
    @Inject(PrivacyService) private readonly privacy: PrivacyService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const report = await this.sweep();
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    if (total) this.logger.log(`retention: ${JSON.stringify(report)}`);
  }

  async sweep(batch = RETENTION_BATCH): Promise<RetentionReport> {
    const r = this.config.retention;
    const days: Record<RetentionKind, number> = {
      audit: r.auditDays,
      notifications: r.notificationDays,
      emails: r.notificationDays,
      signInAttempts: r.loginAttemptDays,
      failedJobs: r.failedJobDays,
    };
    const report = { inactiveAccounts: 0 } as RetentionReport;
    for (const kind of RETENTION_KINDS) {
      report[kind] = 0;
      for (;;) {
        const n = await this.personal.deleteExpired(kind, days[kind], batch);
        report[kind] += n;
        if (n < batch) break;
      }
    }
    if (r.inactiveAccountDays > 0) {
      for (const id of await this.personal.inactiveAccounts(r.inactiveAccountDays, INACTIVE_ERASURES_PER_RUN)) {
        await this.privacy.eraseNow(null, id, `inactive for more than ${r.inactiveAccountDays} days (INACTIVE_ACCOUNT_RETENTION_DAYS)`);
        report.inactiveAccounts++;
      }
    }
    return report;
  }
}
