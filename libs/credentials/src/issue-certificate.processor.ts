import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobContext, JobHandler, JobHandlerInstance, JobPayloads } from '@lms/jobs';
import { CertificateIssuer } from './certificate-issuer.service.js';

/** 'certificates.issue' (one per 'enrolment.completed' event): thin, idempotent through the database. */
@Injectable()
@JobHandler('certificates.issue')
export class IssueCertificateHandler implements JobHandlerInstance<'certificates.issue'> {
  private readonly logger = new Logger(IssueCertificateHandler.name);

  constructor(@Inject(CertificateIssuer) private readonly issuer: CertificateIssuer) {}

  async handle(payload: JobPayloads['certificates.issue'], context?: JobContext): Promise<void> {
    const result = await this.issuer.issue(payload.enrolmentId);
    if (result.outcome === 'no_such_enrolment' || result.outcome === 'not_completed') {
      // Nothing to retry: the event names an enrolment that cannot carry a certificate.
      this.logger.warn(`job ${context?.id ?? '-'}: no certificate for enrolment ${payload.enrolmentId} (${result.outcome})`);
    }
  }
}
