import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Recognition of prior learning, recorded by HR in scope or an admin. */
export class ManualEvidenceDto {
  @ApiProperty({ example: 'DAT.3' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'competencyCode must be a competency code such as DAT.3' })
  competencyCode!: string;

  @ApiProperty({ minimum: 1, example: 2 })
  @IsInt()
  @Min(1)
  @Max(100)
  level!: number;

  @ApiProperty({ example: 'Certified DPO (external certificate no. 1234), checked by HR' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;

  @ApiPropertyOptional({ example: '2028-06-30T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;

  @ApiPropertyOptional({ example: 'dacps' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'frameworkKey must be a framework key such as dacps' })
  frameworkKey?: string;
}
