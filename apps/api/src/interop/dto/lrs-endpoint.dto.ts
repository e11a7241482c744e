import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '@lms/platform';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const URL_RULE = { protocols: ['https', 'http'], require_protocol: true, require_tld: false, disallow_auth: true };

export class CreateLrsEndpointDto {
  @ApiProperty({ description: 'What the LRS is (e.g. "Ministry LRS")', minLength: 2, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'The xAPI endpoint of the LRS (statements go to <url>/statements); http(s), no credentials in the URL', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULE)
  url!: string;

  @ApiProperty({ description: 'Basic-auth user name (the LRS key)', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^:\s]+$/, { message: 'username must not contain a colon or spaces' })
  username!: string;

  @ApiProperty({ description: 'Basic-auth password (the LRS secret): stored encrypted, never returned', minLength: 1, maxLength: 500, writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password!: string;

  @ApiPropertyOptional({ type: [String], description: 'Only statements with one of these verb IRIs (empty or absent: any verb)', maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  @Matches(IRI, { each: true, message: 'each verb must be an IRI' })
  verbs?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only statements with an activity that is, or lies under, one of these IRIs (empty or absent: any)', maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  @Matches(IRI, { each: true, message: 'each activity prefix must be an IRI' })
  activityPrefixes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Shorthand for activity prefixes: only statements of these courses (by slug)', maxItems: 200 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(SLUG, { each: true, message: 'each course slug must be lower-case letters, digits and dashes' })
  courseSlugs?: string[];
}

export class UpdateLrsEndpointDto {
  @ApiPropertyOptional({ minLength: 2, maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULE)
  url?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^:\s]+$/, { message: 'username must not contain a colon or spaces' })
  username?: string;

  @ApiPropertyOptional({ description: 'A new password (absent: keep the stored one)', minLength: 1, maxLength: 500, writeOnly: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  @Matches(IRI, { each: true, message: 'each verb must be an IRI' })
  verbs?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  @Matches(IRI, { each: true, message: 'each activity prefix must be an IRI' })
  activityPrefixes?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 200 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(SLUG, { each: true, message: 'each course slug must be lower-case letters, digits and dashes' })
  courseSlugs?: string[];
}

export class DeadLetterQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this endpoint' })
  @IsOptional()
  @IsUUID()
  endpointId?: string;
}

export class LrsEndpointDeliveries {
  @ApiProperty() pending!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() dead!: number;
}

export class LrsEndpointResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ description: 'The password itself is never returned' }) hasPassword!: boolean;
  @ApiProperty({ type: [String] }) verbs!: string[];
  @ApiProperty({ type: [String] }) activityPrefixes!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: LrsEndpointDeliveries }) deliveries!: LrsEndpointDeliveries;
}
