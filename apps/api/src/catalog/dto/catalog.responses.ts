import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CompetencyAwardResponse {
  @ApiProperty({ example: 'LIT.1' }) code!: string;
  @ApiProperty({ example: 2 }) level!: number;
}

export class CourseListItemResponse {
  @ApiProperty({ example: 'ai-fundamentals' }) slug!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty() title!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ description: 'The language of title and summary', example: 'en' }) language!: string;
  @ApiProperty({ type: [String], example: ['en', 'sr-Latn', 'sr-Cyrl'] }) languages!: string[];
  @ApiProperty({ example: 'en' }) defaultLanguage!: string;
  @ApiProperty({ example: 'all-staff' }) audience!: string;
  @ApiProperty({ example: 'foundation' }) level!: string;
  @ApiProperty({ example: 105 }) estimatedMinutes!: number;
  @ApiProperty({ example: 'dacps' }) framework!: string;
  @ApiProperty({ type: [CompetencyAwardResponse] }) competencies!: CompetencyAwardResponse[];
}

export class CoursePageResponse {
  @ApiProperty({ type: [CourseListItemResponse] }) items!: CourseListItemResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class LessonOutlineResponse {
  @ApiProperty() slug!: string;
  @ApiProperty() position!: number;
  @ApiProperty() title!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty() required!: boolean;
}

export class QuizSummaryResponse {
  @ApiProperty() questionCount!: number;
  @ApiProperty({ description: 'percent' }) passMark!: number;
  @ApiProperty() attemptsAllowed!: number;
}

export class SchoolResponse {
  @ApiProperty({ example: 'SPA' }) code!: string;
  @ApiProperty() name!: string;
}

export class InstitutionRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'In the language served' }) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'ISO 3166-1 alpha-2' }) country!: string | null;
}

export class AdaptedFromResponse {
  @ApiProperty({ description: 'Slug of the upstream course' }) course!: string;
  @ApiProperty({ description: 'Its title in the language served' }) title!: string;
  @ApiProperty({ description: 'The upstream version the adaptation is based on (or last merged)' }) version!: number;
  @ApiPropertyOptional({ nullable: true, type: InstitutionRefResponse }) institution!: InstitutionRefResponse | null;
}

export class CourseDetailResponse extends CourseListItemResponse {
  @ApiPropertyOptional({ nullable: true, type: InstitutionRefResponse, description: 'The institution whose tree holds the school' }) institution!: InstitutionRefResponse | null;
  @ApiProperty({ enum: ['private', 'shared', 'public'] }) visibility!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'SPDX id; null when not stated (all rights reserved)' }) licence!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) attribution!: string | null;
  @ApiPropertyOptional({ nullable: true, type: AdaptedFromResponse, description: 'For an adaptation: "adapted from … by …"' }) adaptedFrom!: AdaptedFromResponse | null;
  @ApiProperty({ enum: ['draft', 'published'] }) status!: string;
  @ApiProperty({ type: [String] }) alignedWith!: string[];
  @ApiPropertyOptional({ nullable: true, type: Number }) certificateValidityMonths!: number | null;
  @ApiProperty({ type: SchoolResponse }) school!: SchoolResponse;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) publishedAt!: Date | null;
  @ApiProperty({ type: [LessonOutlineResponse] }) lessons!: LessonOutlineResponse[];
  @ApiPropertyOptional({ nullable: true, type: QuizSummaryResponse, description: 'null when the course has no quiz; never the questions' })
  quiz!: QuizSummaryResponse | null;
}

export class LessonLinkResponse {
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
}

export class LessonContentResponse {
  @ApiProperty() courseSlug!: string;
  @ApiProperty() version!: number;
  @ApiProperty() slug!: string;
  @ApiProperty() position!: number;
  @ApiProperty() title!: string;
  @ApiProperty() minutes!: number;
  @ApiProperty() required!: boolean;
  @ApiProperty({ description: 'The language served' }) language!: string;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ description: 'The lesson in Markdown' }) markdown!: string;
  @ApiProperty({ description: 'The lesson rendered to sanitised HTML (no script, event handlers or javascript: links)' }) html!: string;
  @ApiPropertyOptional({ nullable: true, type: LessonLinkResponse }) previous!: LessonLinkResponse | null;
  @ApiPropertyOptional({ nullable: true, type: LessonLinkResponse }) next!: LessonLinkResponse | null;
}

export class VersionSummaryResponse {
  @ApiProperty() slug!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['draft', 'published'] }) status!: string;
  @ApiProperty() contentHash!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) publishedAt!: Date | null;
  @ApiProperty() lessonCount!: number;
}
