import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_LISTED_USERS } from '@lms/learning';
import { SLUG_PATTERN } from './create-enrolment.dto.js';

export class AssignmentTargetDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Listed people (at most ${MAX_LISTED_USERS}); not combined with a unit or role` })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LISTED_USERS)
  @IsUUID('all', { each: true })
  userIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'An org unit; with includeSubUnits also every unit below it' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  includeSubUnits?: boolean;

  @ApiPropertyOptional({ example: 'clerk', description: 'A job role; with orgUnitId, only people of that role in the unit (subtree)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'jobRoleCode must not be blank' })
  jobRoleCode?: string;
}

export class CreateAssignmentDto {
  @ApiProperty({ example: 'ai-fundamentals' })
  @IsString()
  @MaxLength(100)
  @Matches(SLUG_PATTERN, { message: 'courseSlug must be a course slug (lower-case letters, digits, hyphens)' })
  courseSlug!: string;

  @ApiProperty({ type: AssignmentTargetDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AssignmentTargetDto)
  target!: AssignmentTargetDto;

  @ApiPropertyOptional({ format: 'date-time', description: 'Fixed due date (exclusive with dueInDays)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Due this many days after the person is assigned (or joins the target later)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  dueInDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 120, description: 'On completion, a new enrolment is created, due this many months later' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  renewEveryMonths?: number;
}
