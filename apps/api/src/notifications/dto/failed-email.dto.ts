import { ApiProperty } from '@nestjs/swagger';

export class FailedEmailDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() toAddress!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'What the message is: digest:<date>, certificate_issued:<id>, …' }) dedupeKey!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class FailedEmailPageDto {
  @ApiProperty({ type: [FailedEmailDto] }) items!: FailedEmailDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class RequeuedEmailDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued'] }) state!: 'queued';
}
