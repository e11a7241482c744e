import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '@lms/platform';

export class GapQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Evidence expiring within this many days counts as a gap (default COMPETENCY_WARN_DAYS, 60)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  warnDays?: number;
}

export class UnitGapQueryDto extends PageQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Evidence expiring within this many days counts as a gap (default 60)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  warnDays?: number;

  @ApiPropertyOptional({ example: 'LIT.1', description: 'List the people short of this competency (paginated by page and limit)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'competency must be a competency code such as LIT.1' })
  competency?: string;

  @ApiPropertyOptional({ example: 'dacps' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'framework must be a framework key such as dacps' })
  framework?: string;
}

export class GapAssignDto {
  @ApiProperty({ minimum: 1, maximum: 3650, example: 30, description: 'Each assignment is due this many days after it is made' })
  @IsInt()
  @Min(1)
  @Max(3650)
  dueInDays!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Warning window for expiring evidence (default 60)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  warnDays?: number;
}
