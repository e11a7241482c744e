import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { COMPETENCY_CODE, COURSE_LEVELS } from '@lms/catalog';
import { PageQuery } from '@lms/platform';
import { IsLanguageTag } from '../../identity/dto/validators.js';

/** GET /courses: search, filters, pagination, display language. */
export class CatalogQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Full-text search (any script, accents optional; words match as prefixes)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Competency code awarded (a domain code such as LIT matches LIT.1, LIT.2…)', example: 'LIT.1' })
  @IsOptional()
  @Matches(new RegExp(COMPETENCY_CODE), { message: 'competency must be a competency code such as LIT.1' })
  @MaxLength(64)
  competency?: string;

  @ApiPropertyOptional({ description: 'Only courses available in this language (also the display language)', example: 'sr-Latn' })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ enum: COURSE_LEVELS })
  @IsOptional()
  @IsIn(COURSE_LEVELS)
  level?: string;

  @ApiPropertyOptional({ description: 'Display language (overrides your profile locale)', example: 'sr-Cyrl' })
  @IsOptional()
  @IsLanguageTag()
  lang?: string;
}

/** GET /courses/:slug and its lessons: version and display language. */
export class CourseVersionQueryDto {
  @ApiPropertyOptional({ description: 'A version number (authors may read drafts; a learner always reads the version of their enrolment)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;

  @ApiPropertyOptional({ description: 'Display language (overrides your profile locale, then Accept-Language)', example: 'sr-Cyrl' })
  @IsOptional()
  @IsLanguageTag()
  lang?: string;
}
