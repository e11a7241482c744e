import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsOmittable } from './validators.js';

const PASSWORD_DESCRIPTION = 'At least 12 and at most 256 characters, no composition rules; not a common or breached password, not your e-mail';

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'ana.petrovic@uprava.gov.rs' })
  @IsString()
  @MaxLength(254)
  email!: string;
}

/** Confirming a password reset or accepting an invitation: the link's token and the new password. */
export class SetPasswordWithLinkDto {
  @ApiProperty({ description: 'The last part of the link from the e-mail' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: PASSWORD_DESCRIPTION })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class MfaStepDto {
  @ApiProperty({ description: 'From the login answer {mfaRequired: true, mfaToken}' })
  @IsString()
  @Length(1, 2000)
  mfaToken!: string;

  @ApiPropertyOptional({ example: '492039', description: 'The 6-digit code from the authenticator app' })
  @IsOmittable()
  @IsString()
  @MaxLength(20)
  code?: string;

  @ApiPropertyOptional({ example: 'k3d9w-7fq2m', description: 'Instead of code: one of the recovery codes (each works once)' })
  @IsOmittable()
  @IsString()
  @MaxLength(40)
  recoveryCode?: string;
}

export class MfaEnrolmentTokenDto {
  @ApiProperty({ description: 'From the login answer {mfaEnrolmentRequired: true, mfaToken}' })
  @IsString()
  @Length(1, 2000)
  mfaToken!: string;
}

export class MfaEnrolmentVerifyDto extends MfaEnrolmentTokenDto {
  @ApiProperty({ example: '492039' })
  @IsString()
  @MaxLength(20)
  code!: string;
}

export class MfaCodeDto {
  @ApiProperty({ example: '492039', description: 'The 6-digit code from the authenticator app' })
  @IsString()
  @MaxLength(20)
  code!: string;
}

export class MfaProofDto {
  @ApiPropertyOptional({ example: '492039' })
  @IsOmittable()
  @IsString()
  @MaxLength(20)
  code?: string;

  @ApiPropertyOptional({ example: 'k3d9w-7fq2m' })
  @IsOmittable()
  @IsString()
  @MaxLength(40)
  recoveryCode?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'E-mail every newly created person an invitation to choose their password' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  invite?: boolean;

  @ApiPropertyOptional({ description: 'Report what the import would do (created, updated, deactivated, errors by line) and write nothing' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}
