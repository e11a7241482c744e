import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '@lms/platform';
import { JOB_NAMES } from '@lms/jobs';

export class FailedJobsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only jobs of this name', enum: JOB_NAMES })
  @IsOptional()
  @IsIn(JOB_NAMES)
  name?: string;
}

export class FailedJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The job id (`<outboxId>.<jobName>` for event jobs)' }) jobId!: string;
  @ApiProperty({ enum: JOB_NAMES }) name!: string;
  @ApiProperty() queue!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The job payload (ids only)' }) payload!: Record<string, unknown>;
  @ApiProperty({ description: 'The last error' }) error!: string;
  @ApiProperty({ description: 'Attempts made, the last one included' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) failedAt!: Date;
}

export class FailedJobPageDto {
  @ApiProperty({ type: [FailedJobDto] }) items!: FailedJobDto[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class RunJobResponseDto {
  @ApiProperty({ description: 'The id of the queued run' }) jobId!: string;
  @ApiProperty({ description: 'The scheduled job that runs', example: 'notifications.reminder-sweep' }) job!: string;
}

export class StartProbeDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 60_000, default: 0, description: 'The probe handler waits this long (ms) before its effect' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  holdMs?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0, description: 'The probe handler fails its first N attempts (N ≥ 3: it ends in the failed list)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  failAttempts?: number;
}

export class ProbeStartedDto {
  @ApiProperty({ format: 'uuid' }) probeId!: string;
}

export class ProbeStatusDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() holdMs!: number;
  @ApiProperty() failAttempts!: number;
  @ApiProperty({ description: 'Handler runs started (a run killed mid-way counts too)' }) runs!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the effect happened (once at most)' }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) jobId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
