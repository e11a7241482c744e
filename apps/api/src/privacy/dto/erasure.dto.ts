import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class ErasureDto {
  @ApiProperty({ description: 'Why the data is erased (e.g. the request reference); kept in the audit log', minLength: 3, maxLength: 500 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class ErasureCountsResponse {
  @ApiProperty() sessions!: number;
  @ApiProperty() notifications!: number;
  @ApiProperty() emails!: number;
  @ApiProperty() reminders!: number;
  @ApiProperty() signInAttempts!: number;
  @ApiProperty() certificates!: number;
  @ApiProperty() auditEventsScrubbed!: number;
}

export class ErasureResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) erasedAt!: string;
  @ApiProperty({ type: ErasureCountsResponse }) removed!: ErasureCountsResponse;
}
