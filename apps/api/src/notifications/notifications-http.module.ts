import { Module } from '@nestjs/common';
import { NotificationsModule } from '@lms/notifications';
import { AdminNotificationsController } from './admin-notifications.controller.js';
import { MyNotificationsController } from './notifications.controller.js';

/** HTTP for notifications: my notifications and preferences; failed e-mails for administrators. */
@Module({
  imports: [NotificationsModule],
  controllers: [MyNotificationsController, AdminNotificationsController],
})
export class NotificationsHttpModule {}
