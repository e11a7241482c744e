import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength, MinLength } from 'class-validator';
import type { Locale } from '@lms/identity';
import { IsLanguageTag, IsOmittable, IsTimeZone } from './validators.js';

/** For the OpenAPI document: the login body is validated by the local strategy itself. */
export class LoginDto {
  @ApiProperty({ example: 'ana.petrovic@uprava.gov.rs' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 256 })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh' })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT (HS256) for Authorization: Bearer' })
  accessToken!: string;
  @ApiProperty({ description: 'Opaque, single use: a refresh returns a new one' })
  refreshToken!: string;
  @ApiProperty({ description: 'Access-token lifetime in seconds' })
  expiresIn!: number;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'At least 12 characters, not a common password, not your e-mail' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  newPassword!: string;
}

/** PATCH /me: the caller's own settings. */
export class UpdateMySettingsDto {
  @ApiPropertyOptional({ example: 'sr-Latn', description: 'Language of the interface, e-mail and certificates: any BCP 47 tag (canonicalised); the interface falls back along its chain' })
  @IsOmittable()
  @IsLanguageTag()
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Europe/Belgrade', description: 'IANA time zone for due dates and reminders' })
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;
}
