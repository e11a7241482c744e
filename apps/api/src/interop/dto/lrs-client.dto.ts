import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { LRS_SCOPES, type LrsScope } from '@lms/interop';

export class CreateLrsClientDto {
  @ApiProperty({ description: 'What the client is (an authoring tool, a reporting system)', minLength: 2, maxLength: 200 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: LRS_SCOPES, isArray: true, description: 'What it may do: statements/read, statements/write, state, profile, or all' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LRS_SCOPES.length)
  @IsIn(LRS_SCOPES, { each: true })
  scopes!: LrsScope[];
}

export class LrsClientResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The Basic-auth user name' }) key!: string;
  @ApiProperty({ enum: LRS_SCOPES, isArray: true }) scopes!: LrsScope[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedLrsClientResponse extends LrsClientResponse {
  @ApiProperty({ description: 'The Basic-auth password: shown once, only its hash is kept' }) secret!: string;
}
