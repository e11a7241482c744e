import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PageQuery } from '@lms/platform';

/** Field rules beyond types (tags, languages, lengths) are checked in DirectoryService and CommunityService. */
export class DirectoryProfileDto {
  @ApiProperty({ description: 'Must be true: the person agrees to be listed to other opted-in members' })
  @IsBoolean()
  consent!: boolean;

  @ApiProperty({ example: '2026-12-1', description: 'The version of the consent text agreed to (GET /directory/consent)' })
  @IsString()
  @MaxLength(40)
  consentVersion!: string;

  @ApiPropertyOptional({ description: 'Name shown in the directory (default: the account display name)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ type: [String], example: ['sr-Latn', 'en'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  languages?: string[];

  @ApiPropertyOptional({ type: [String], example: ['ai in local government', 'procurement'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  expertise?: string[];
}

export class DirectoryListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Expertise tag' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 of the institution' })
  @IsOptional()
  @IsString()
  @MaxLength(2)
  country?: string;

  @ApiPropertyOptional({ description: 'BCP 47 language tag' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  language?: string;

  @ApiPropertyOptional({ description: 'Text in the name or the tags' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ContactRequestDto {
  @ApiPropertyOptional({ description: 'A short note to the person (at most 1000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class CreateSpaceDto {
  @ApiProperty({ example: 'ai-in-local-government' })
  @IsString()
  @MaxLength(63)
  slug!: string;

  @ApiProperty({ example: 'AI in local government' })
  @IsString()
  @MaxLength(400)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ enum: ['hub', 'institutions'] })
  @IsIn(['hub', 'institutions'])
  audience!: 'hub' | 'institutions';

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  institutionIds?: string[];
}

export class CreateThreadDto {
  @ApiProperty()
  @IsString()
  @MaxLength(400)
  title!: string;

  @ApiProperty({ description: 'Markdown (rendered and sanitised like lessons)' })
  @IsString()
  @MaxLength(40_000)
  body!: string;
}

export class ReplyDto {
  @ApiProperty({ description: 'Markdown (rendered and sanitised like lessons)' })
  @IsString()
  @MaxLength(40_000)
  body!: string;
}

export class AcceptAnswerDto {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'A reply of the thread; null clears the accepted answer' })
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  postId!: string | null;
}

export class ModerationReasonDto {
  @ApiPropertyOptional({ description: 'Why (at most 1,000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class AddLinkDto {
  @ApiProperty({ example: 'Guide to open data licences' })
  @IsString()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'https://example.org/guide', description: 'An https:// address' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ description: 'A short note (plain text, up to 1000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class AddFileQuery {
  @ApiProperty({ example: 'Procurement checklist' })
  @IsString()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ description: 'The file’s name (cleaned; the extension follows the type found in the bytes)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;

  @ApiPropertyOptional({ description: 'A short note (plain text, up to 1000 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
