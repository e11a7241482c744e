import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsName, PageQuery } from '@lms/platform';

export const JOB_ROLE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class RequirementDto {
  @ApiProperty({ example: 'LIT.1' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'competencyCode must be a competency code such as LIT.1' })
  competencyCode!: string;

  @ApiProperty({ minimum: 1, example: 2, description: "One of the framework's levels" })
  @IsInt()
  @Min(1)
  @Max(100)
  level!: number;

  @ApiPropertyOptional({ example: 'dacps', description: 'Needed only when the code exists in more than one framework' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'frameworkKey must be a framework key such as dacps' })
  frameworkKey?: string;
}

export class ReplaceJobRoleDto {
  @ApiProperty({ example: 'Policy analyst' })
  @IsName(200)
  title!: string;

  @ApiProperty({ type: [RequirementDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements!: RequirementDto[];
}

export class CreateJobRoleDto extends ReplaceJobRoleDto {
  @ApiProperty({ example: 'policy-analyst', description: 'Stable code people carry as jobRoleCode' })
  @IsString()
  @Matches(JOB_ROLE_CODE, { message: 'code must be letters, digits, dots, hyphens or underscores (at most 64)' })
  code!: string;
}

export class JobRoleListQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the code or title' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
