import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsName, PageQuery, ROLES, type Role } from '@lms/platform';
import {
  CODE_PATTERN,
  DISPLAY_NAME_MAX_LENGTH,
  GENDERS,
  LOCALITIES,
  USER_SORTS,
  USER_STATUSES,
  type Gender,
  type Locale,
  type Locality,
  type UserSort,
  type UserStatus,
} from '@lms/identity';
import { IsLanguageTag, IsOmittable, IsTimeZone } from './validators.js';

export class GrantDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Required for hr and author; ignored for admin and learner' })
  @IsOptional()
  @IsUUID()
  scopeOrgUnitId?: string | null;
}

const JOB_ROLE_MESSAGE = 'jobRoleCode may hold only letters, digits, ".", "_" and "-" (1-64 characters)';

export class CreateUserDto {
  @ApiProperty({ example: 'ana.petrovic@uprava.gov.rs', description: 'Unique regardless of case; stored lower-case' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ example: 'Ana Petrović', description: 'Stored in Unicode NFC; control and bidirectional control characters are refused' })
  @IsName(DISPLAY_NAME_MAX_LENGTH)
  displayName!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orgUnitId!: string;

  @ApiPropertyOptional({
    minLength: 12,
    description: 'At least 12 characters, not a common password, not the e-mail. Without it the person cannot sign in yet.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ example: 'policy-analyst' })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: JOB_ROLE_MESSAGE })
  jobRoleCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  managerId?: string | null;

  @ApiPropertyOptional({ example: 'sr-Latn', description: 'BCP 47 language tag', default: 'en' })
  @IsOmittable()
  @IsLanguageTag()
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Europe/Belgrade', default: 'UTC' })
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true, description: 'Optional; used only for aggregate statistics' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ enum: LOCALITIES, nullable: true, description: 'Optional; used only for aggregate statistics' })
  @IsOptional()
  @IsIn(LOCALITIES)
  locality?: Locality | null;

  @ApiPropertyOptional({ type: [GrantDto], description: 'learner is always included' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  roles?: GrantDto[];

  @ApiPropertyOptional({
    description: 'E-mail the person a single-use link to choose their password (valid INVITATION_TTL_DAYS, default 7); not together with password',
  })
  @IsOmittable()
  @IsBoolean()
  sendInvitation?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsName(DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Moving a person re-applies standing assignments' })
  @IsOmittable()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ description: 'Sets a new password; the person is signed out everywhere' })
  @IsOmittable()
  @IsString()
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(CODE_PATTERN, { message: JOB_ROLE_MESSAGE })
  jobRoleCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  managerId?: string | null;

  @ApiPropertyOptional({ example: 'sr-Latn', description: 'BCP 47 language tag' })
  @IsOmittable()
  @IsLanguageTag()
  locale?: Locale;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ enum: LOCALITIES, nullable: true })
  @IsOptional()
  @IsIn(LOCALITIES)
  locality?: Locality | null;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'disabled ends every session of the person' })
  @IsOmittable()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ type: [GrantDto], description: 'Replaces the roles (learner is always kept)' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  roles?: GrantDto[];
}

export class UserListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ description: 'With orgUnitId: also people of every unit below it' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  )
  @IsBoolean()
  includeSubUnits?: boolean;

  @ApiPropertyOptional({ description: 'Text in the e-mail or display name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ enum: USER_SORTS, description: 'Order of the list: a key, `-` first for descending (default name)' })
  @IsOptional()
  @IsIn(USER_SORTS)
  sort?: UserSort;
}
