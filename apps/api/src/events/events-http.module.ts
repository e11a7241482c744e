import { Module } from '@nestjs/common';
import { EventsModule } from '@lms/events';
import { EventsController } from './events.controller.js';
import { FollowupGroupsController } from './followup-groups.controller.js';
import { CalendarFeedController, RegistrationsController } from './registrations.controller.js';

/** HTTP for workshops and live sessions (libs/events). */
@Module({
  imports: [EventsModule],
  controllers: [EventsController, RegistrationsController, CalendarFeedController, FollowupGroupsController],
})
export class EventsHttpModule {}
