import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

export class QuizAnswerDto {
  @ApiProperty({ example: 'q1' })
  @IsString()
  @MaxLength(100)
  questionId!: string;

  @ApiProperty({ type: [String], example: ['b'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  choiceIds!: string[];
}

export class QuizAttemptDto {
  @ApiProperty({ type: [QuizAnswerDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => QuizAnswerDto)
  answers!: QuizAnswerDto[];
}

export class QuizQuery {
  @ApiPropertyOptional({ example: 'sr-Latn', description: "Language of the questions (default: the learner's, then the course's default)" })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lang?: string;
}
