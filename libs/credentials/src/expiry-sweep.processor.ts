import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobHandler, JobHandlerInstance, Outbox } from '@lms/jobs';
import { CertificateRepository } from './certificate.repository.js';

export const EXPIRY_NOTICE_DAYS = 30;
const SWEEP_CHUNK = 500;

/**
 * 'certificates.expiry-sweep' (daily): marks certificates that expire within 30 days, once each
 * (`expiry_notified_at`), and writes 'certificate.expiring' for each in the same transaction.
 * Notifications sends the reminder; learning's renewEveryMonths path creates the renewal enrolment.
 */
@Injectable()
@JobHandler('certificates.expiry-sweep')
export class CertificateExpirySweepHandler implements JobHandlerInstance<'certificates.expiry-sweep'> {
  private readonly logger = new Logger(CertificateExpirySweepHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async handle(): Promise<void> {
    const marked = await this.sweep();
    if (marked > 0) this.logger.log(`${marked} certificate(s) marked as expiring within ${EXPIRY_NOTICE_DAYS} days`);
  }

  /** Returns how many certificates this run marked (0 when run again). */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.dataSource.transaction(async (manager) => {
        const batch = await this.certificates.markExpiringSoon(manager, EXPIRY_NOTICE_DAYS, SWEEP_CHUNK);
        await this.outbox.addMany(
          manager,
          'certificate.expiring',
          batch.map((certificateId) => ({ certificateId })),
        );
        return batch;
      });
      total += ids.length;
      if (ids.length < SWEEP_CHUNK) return total;
    }
  }
}
