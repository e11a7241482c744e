import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class CreateEnrolmentDto {
  @ApiProperty({ example: 'ai-fundamentals', description: 'Slug of a published course' })
  @IsString()
  @MaxLength(100)
  @Matches(SLUG_PATTERN, { message: 'courseSlug must be a course slug (lower-case letters, digits, hyphens)' })
  courseSlug!: string;
}
