import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQuery } from '@lms/platform';
import { CODE_PATTERN } from '@lms/identity';
import { IsOmittable } from './validators.js';

const COUNTRY = /^[A-Z]{2}$/;
const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code such as RS, ME or MK';
const upper = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

/** Names, country, logo and issuer are checked field by field in InstitutionService (one rule for API and pages). */
export class CreateInstitutionDto {
  @ApiProperty({ example: 'NAPA-RS', description: 'Code of the root org unit (made with it, or the existing one named by rootOrgUnitId)' })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'code may hold only letters, digits, ".", "_" and "-" (1-64 characters, starting with a letter or digit)' })
  code!: string;

  @ApiProperty({ example: 'RS', description: 'ISO 3166-1 alpha-2 (XK accepted for Kosovo)' })
  @Transform(upper)
  @IsString()
  @Matches(COUNTRY, { message: COUNTRY_MESSAGE })
  country!: string;

  @ApiProperty({ example: { en: 'National Academy of Public Administration', 'sr-Latn': 'Nacionalna akademija za javnu upravu' }, description: 'Name by BCP 47 tag' })
  @IsObject()
  names!: Record<string, string>;

  @ApiPropertyOptional({ nullable: true, example: 'https://napa.example/logo.svg' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  logoUrl?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'The issuer named on its certificates' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  issuerName?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'An existing top-level org unit to make the root (default: a new one)' })
  @IsOptional()
  @IsUUID()
  rootOrgUnitId?: string;
}

export class UpdateInstitutionDto {
  @ApiPropertyOptional({ example: 'ME' })
  @IsOmittable()
  @Transform(upper)
  @IsString()
  @Matches(COUNTRY, { message: COUNTRY_MESSAGE })
  country?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsObject()
  names?: Record<string, string>;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(2000)
  logoUrl?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(200)
  issuerName?: string | null;
}

export class InstitutionListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'ME' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(COUNTRY, { message: COUNTRY_MESSAGE })
  country?: string;

  @ApiPropertyOptional({ description: 'Text in the code or a name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
