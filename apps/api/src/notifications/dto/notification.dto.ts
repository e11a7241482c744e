import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '@lms/platform';
import { NOTIFICATION_TYPES } from '@lms/notifications';

export class NotificationListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only unread notifications', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  unread: boolean = false;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: string;
  @ApiProperty({ description: "In the recipient's language" }) title!: string;
  @ApiProperty({ description: 'Plain text' }) body!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The course page it is about, if one' }) link!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Structured content (digest lines, ids)' }) data!: Record<string, unknown>;
  @ApiProperty() read!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], description: 'Unread first, then newest first' }) items!: NotificationDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Unread notifications in all' }) unread!: number;
}

export class MarkedReadDto {
  @ApiProperty() updated!: number;
}
