import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SYNC_BATCH_MAX } from '@lms/learning';
import { QuizAnswerDto } from './quiz-attempt.dto.js';

export class SyncActionDto {
  @ApiProperty({ description: 'Idempotency key made by the device (a UUID or similar, 8–64 of A-Z a-z 0-9 _ -): the same key twice is applied once', example: '2f1c7f0e-4b8a-4e3c-9a51-0d3f6a8e9b21' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'key must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -' })
  key!: string;

  @ApiProperty({ enum: ['lesson.complete', 'quiz.submit'] })
  @IsIn(['lesson.complete', 'quiz.submit'])
  type!: 'lesson.complete' | 'quiz.submit';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  enrolmentId!: string;

  @ApiProperty({ description: 'The course version the action was taken on (the downloaded one)', example: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version!: number;

  @ApiPropertyOptional({ description: 'lesson.complete: the lesson', example: 'what-is-ai' })
  @ValidateIf((o: SyncActionDto) => o.type === 'lesson.complete')
  @IsString()
  @MaxLength(100)
  lessonSlug?: string;

  @ApiPropertyOptional({ type: [QuizAnswerDto], description: 'quiz.submit: the answers, graded on the server at sync' })
  @ValidateIf((o: SyncActionDto) => o.type === 'quiz.submit')
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => QuizAnswerDto)
  answers?: QuizAnswerDto[];

  @ApiPropertyOptional({ description: 'When the learner did it on the device (informational)' })
  @IsOptional()
  @IsISO8601()
  at?: string;
}

export class SyncRequestDto {
  @ApiProperty({ type: [SyncActionDto], description: `At most ${SYNC_BATCH_MAX} actions, applied in order` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SYNC_BATCH_MAX)
  @ValidateNested({ each: true })
  @Type(() => SyncActionDto)
  actions!: SyncActionDto[];

  @ApiPropertyOptional({ example: 'sr-Latn', description: 'Language of quiz feedback' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lang?: string;
}

export class SyncResultResponse {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: ['applied', 'duplicate', 'conflict', 'rejected'] }) status!: string;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ description: '{id, courseSlug, version, status, progress}' }) enrolment?: Record<string, unknown>;
  @ApiPropertyOptional({ description: '{attemptNo, score, passed, passMark, attemptsLeft, feedback}' }) quiz?: Record<string, unknown>;
}

export class SyncResponse {
  @ApiProperty({ type: [SyncResultResponse] }) results!: SyncResultResponse[];
}
