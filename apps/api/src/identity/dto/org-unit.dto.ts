import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsName, PageQuery } from '@lms/platform';
import { CODE_PATTERN, ORG_UNIT_KINDS, type OrgUnitKind } from '@lms/identity';
import { IsOmittable } from './validators.js';

const CODE_MESSAGE = 'code may hold only letters, digits, ".", "_" and "-" (1-64 characters, starting with a letter or digit)';

export class CreateOrgUnitDto {
  @ApiProperty({ example: 'MUP-IT', description: 'Unique, case-sensitive' })
  @IsString()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ example: 'IT department' })
  @IsName(200)
  name!: string;

  @ApiProperty({ enum: ORG_UNIT_KINDS })
  @IsIn(ORG_UNIT_KINDS)
  kind!: OrgUnitKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Omit for a top-level unit (admin only)' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsName(200)
  name?: string;

  @ApiPropertyOptional({ enum: ORG_UNIT_KINDS })
  @IsOmittable()
  @IsIn(ORG_UNIT_KINDS)
  kind?: OrgUnitKind;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Move the unit (and its subtree) under another parent; null: make it top-level (admin only)',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

export class OrgUnitListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the direct children of this unit' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: 'Text in the code or name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
