import { Inject, Injectable } from '@nestjs/common';
import { type JobContext, JobHandler, JobHandlerInstance, JobPayloads, jobPolicy } from '@lms/jobs';
import { AppConfig } from '@lms/platform';
import { LrsForwarder } from './lrs-forwarder.js';

/** 'xapi.forward': one batch of statements to one external LRS; the last attempt turns what is left into dead letters. */
@Injectable()
@JobHandler('xapi.forward')
export class LrsForwardHandler implements JobHandlerInstance<'xapi.forward'> {
  constructor(
    @Inject(LrsForwarder) private readonly forwarder: LrsForwarder,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  handle(p: JobPayloads['xapi.forward'], context: JobContext): Promise<void> {
    return this.forwarder.deliver(p.batchId, context.attempt, jobPolicy('xapi.forward', this.config.jobPolicyOverrides).attempts);
  }
}
