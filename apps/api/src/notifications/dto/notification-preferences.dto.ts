import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { DIGEST_MODES, type DigestMode } from '@lms/notifications';

export class NotificationPreferencesDto {
  @ApiProperty({ description: 'E-mail on or off. Off stops e-mail only: in-app notifications (and so mandatory-training reminders) always arrive.' })
  @IsBoolean()
  email!: boolean;

  @ApiProperty({
    enum: DIGEST_MODES,
    description: 'daily: event notifications are e-mailed in the next morning digest; immediate: e-mailed as they happen. Reminders are always a daily digest.',
  })
  @IsIn(DIGEST_MODES)
  digest!: DigestMode;
}

export class NotificationPreferencesViewDto extends NotificationPreferencesDto {
  @ApiProperty({ description: 'Always true: in-app notifications cannot be switched off' })
  inApp!: true;
}
