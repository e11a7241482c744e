import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, type JobHandlerInstance, type JobPayloads } from '@lms/jobs';
import { ReminderSweep } from './reminder-sweep.service.js';

/** Hourly (SCHEDULES): serves the people whose local morning it is. */
@Injectable()
@JobHandler('notifications.reminder-sweep')
export class ReminderSweepHandler implements JobHandlerInstance<'notifications.reminder-sweep'> {
  constructor(@Inject(ReminderSweep) private readonly sweep: ReminderSweep) {}

  async handle(_payload: JobPayloads['notifications.reminder-sweep']): Promise<void> {
    await this.sweep.run();
  }
}
