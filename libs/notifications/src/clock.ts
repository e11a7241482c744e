import { Injectable } from '@nestjs/common';

/**
 * Where "now" comes from for reminders and deliveries. Production uses the system clock; tests
 * replace `now` to walk through the calendar. Never use SQL `now()` for reminder decisions.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
