import { Inject, Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobHandlerInstance, JobPayloads } from '@lms/jobs';
import { EvidenceService } from './evidence.service.js';

/**
 * `enrolment.completed` → evidence for each competency of the completed course version. Thin: the
 * payload carries the enrolment id; the unique (enrolment, competency) index makes a rerun a no-op.
 */
@Injectable()
@JobHandler('competency.record-evidence')
export class RecordEvidenceHandler implements JobHandlerInstance<'competency.record-evidence'> {
  constructor(@Inject(EvidenceService) private readonly evidence: EvidenceService) {}

  async handle(payload: JobPayloads['competency.record-evidence'], _context: JobContext): Promise<void> {
    await this.evidence.recordFromEnrolment(payload.enrolmentId);
  }
}
