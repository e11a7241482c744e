import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from './job-handler.js';
import { OutboxRelay } from './outbox-relay.js';

/** The 'jobs.outbox-relay' schedule: a safety net that relays whatever the wake-ups missed. */
@Injectable()
@JobHandler('jobs.outbox-relay')
export class OutboxRelayHandler implements JobHandlerInstance<'jobs.outbox-relay'> {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  async handle(): Promise<void> {
    await this.relay.relayNow();
  }
}
