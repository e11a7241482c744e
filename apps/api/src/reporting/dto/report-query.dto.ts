import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '@lms/platform';
import { OPEN_DATA_DIMENSIONS, RESULT_STATUSES, type OpenDataDimension, type ResultStatus } from '@lms/reporting';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** Scope and format shared by the HR reports. With format=csv every row is exported (page and limit are ignored). */
export class ReportScopeQueryDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Report on this unit and everything below it (default: your HR scope units; admin: the root units)' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class CompletionReportQueryDto extends ReportScopeQueryDto {
  @ApiPropertyOptional({ description: 'Only this course' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'courseSlug must be a course slug (lower-case letters, digits and dashes)' })
  courseSlug?: string;

  @ApiPropertyOptional({ enum: ['all', 'assignment', 'self'], default: 'all', description: 'assignment = mandatory (assigned) training only' })
  @IsOptional()
  @IsIn(['all', 'assignment', 'self'])
  source?: 'all' | 'assignment' | 'self';

  @ApiPropertyOptional({ default: false, description: "false: a unit's row counts its own people; true: the unit and every unit below it" })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  rollup?: boolean;
}

export class OverdueReportQueryDto extends ReportScopeQueryDto {
  @ApiPropertyOptional({ description: 'Only this course' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'courseSlug must be a course slug (lower-case letters, digits and dashes)' })
  courseSlug?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Only enrolments at least this many days overdue' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  minDaysOverdue?: number;
}

export class ResultsReportQueryDto extends ReportScopeQueryDto {
  @ApiPropertyOptional({ description: 'Only this course' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'courseSlug must be a course slug (lower-case letters, digits and dashes)' })
  courseSlug?: string;

  @ApiPropertyOptional({ enum: RESULT_STATUSES, description: 'Only enrolments in this status (default: all but withdrawn)' })
  @IsOptional()
  @IsIn(RESULT_STATUSES)
  status?: ResultStatus;
}

export class CoverageQueryDto extends ReportScopeQueryDto {
  @ApiPropertyOptional({ default: false, description: "false: a unit's row counts its own people; true: the unit and every unit below it" })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  rollup?: boolean;
}

export class OpenDataQueryDto {
  @ApiPropertyOptional({ enum: OPEN_DATA_DIMENSIONS, default: 'institution' })
  @IsOptional()
  @IsIn(OPEN_DATA_DIMENSIONS)
  by?: OpenDataDimension;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;

  @ApiPropertyOptional({ example: 'RS', description: 'Only the institutions of this country (ISO 3166-1 alpha-2, capitals)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code in capitals, such as RS, ME or MK' })
  country?: string;

  @ApiPropertyOptional({ description: 'Only this hub institution: its id or the code of its root unit (404 when unknown)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  institution?: string;

  @ApiPropertyOptional({ example: 'sr-Latn', description: 'Language of institution names (default: Accept-Language, then English)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'lang must be a BCP 47 language tag' })
  lang?: string;
}
