import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { COURSE_VISIBILITIES, LICENCE_IDS } from '@lms/catalog';

/** The service checks the rest (institutions exist, a shared course names someone, attribution text). */
export class CourseSharingDto {
  @ApiProperty({ enum: COURSE_VISIBILITIES, description: 'private: the owning institution only; shared: also the chosen institutions and countries; public: the whole hub' })
  @IsIn(COURSE_VISIBILITIES)
  visibility!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'With shared: institution ids' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  institutions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['ME', 'MK'], description: 'With shared: ISO 3166-1 alpha-2 codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code in capitals, such as RS, ME or MK' })
  countries?: string[];

  @ApiPropertyOptional({ enum: LICENCE_IDS, nullable: true, description: 'SPDX id; null: not stated (all rights reserved). Omitted: unchanged.' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsIn(LICENCE_IDS)
  licence?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 500, description: 'Attribution text (who wrote it, under which terms). Omitted: unchanged.' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(500)
  attribution?: string | null;
}

export class AdaptCourseDto {
  @ApiProperty({ example: 'javne-nabavke-me', description: 'Slug of the new course (the adaptation)' })
  @IsString()
  @MaxLength(100)
  slug!: string;

  @ApiProperty({ example: 'UZK-SCHOOL', description: 'Code of a school (org unit of kind school) you author for' })
  @IsString()
  @MaxLength(64)
  school!: string;
}

export class UpstreamMergeDto {
  @ApiPropertyOptional({ description: 'The upstream version to merge (default: the newest published)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
