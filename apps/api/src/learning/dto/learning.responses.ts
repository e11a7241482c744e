import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENROLMENT_STATUSES } from '@lms/learning';

/** OpenAPI shapes of the learning answers (the services return these fields). */

export class EnrolmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'ai-fundamentals' }) courseSlug!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty({ format: 'uuid' }) courseVersionId!: string;
  @ApiProperty({ description: 'The pinned course version number' }) version!: number;
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status!: string;
  @ApiProperty({ enum: ['self', 'assignment'] }) source!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) assignmentId!: string | null;
  @ApiProperty({ description: '1, then 2, 3… for renewals' }) cycle!: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'assigned by assignment … to unit Tax (TAX) and below; due 30 days after joining on 2026-11-26' })
  dueReason!: string | null;
  @ApiProperty({ description: 'dueAt has passed and the enrolment is not completed or withdrawn' }) overdue!: boolean;
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Share of required lessons done' }) progress!: number;
  @ApiPropertyOptional({
    nullable: true,
    description:
      '{score (0–100 or null), passed (true/false or null)}: the result of the course\'s packaged activities (SCORM SCOs, cmi5 AUs) — the mean of each scored activity\'s latest score.scaled; failed when any failed, passed when any passed and none failed (docs/interop.md). Null when none reported a result.',
  })
  packageResult!: { score: number | null; passed: boolean | null } | null;
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) withdrawnAt!: string | null;
}

export class EnrolmentPageResponse {
  @ApiProperty({ type: [EnrolmentResponse] }) items!: EnrolmentResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
}

export class EnrolmentWhyResponse {
  @ApiProperty({ enum: ['self', 'assignment'] }) source!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) assignmentId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The assignment and its rule (target, due rule, renewal)' }) assignment!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true }) dueReason!: string | null;
  @ApiProperty() summary!: string;
}

export class EnrolmentDetailsResponse extends EnrolmentResponse {
  @ApiProperty({ type: EnrolmentWhyResponse }) why!: EnrolmentWhyResponse;
  @ApiProperty({ description: '[{slug, title, minutes, required, done, completedAt}]' }) lessons!: Array<Record<string, unknown>>;
  @ApiPropertyOptional({ nullable: true, description: '{questionCount, passMark, attemptsAllowed, attemptsUsed, attemptsLeft, passed, bestScore}' })
  quiz!: Record<string, unknown> | null;
}

export class AssignResultResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'People the target matched' }) matched!: number;
  @ApiProperty({ description: 'Enrolments created' }) created!: number;
  @ApiProperty({ description: 'Matched people who already had an active or completed enrolment (kept)' }) alreadyEnrolled!: number;
}

export class AssignPreviewResponse {
  @ApiProperty({ enum: [true] }) dryRun!: true;
  @ApiProperty({ description: 'People the target matches' }) matched!: number;
  @ApiProperty({ description: 'Matched people who already hold the course (active or completed enrolment)' }) alreadyEnrolled!: number;
  @ApiProperty({ description: 'Enrolments the assignment would create' }) wouldCreate!: number;
}

export class AssignmentCountsResponse {
  @ApiProperty() assigned!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() overdue!: number;
}

export class AssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty({ description: '{userIds?, orgUnitId?, includeSubUnits?, jobRoleCode?}' }) target!: Record<string, unknown>;
  @ApiProperty() targetDescription!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) dueInDays!: number | null;
  @ApiPropertyOptional({ nullable: true }) renewEveryMonths!: number | null;
  @ApiProperty({ description: 'Unit and job-role targets follow people who join later' }) standing!: boolean;
  @ApiProperty({ type: AssignmentCountsResponse }) counts!: AssignmentCountsResponse;
}

export class LearnerQuizResponse {
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiProperty() courseSlug!: string;
  @ApiProperty() version!: number;
  @ApiProperty() language!: string;
  @ApiProperty() passMark!: number;
  @ApiProperty() attemptsAllowed!: number;
  @ApiProperty() attemptsUsed!: number;
  @ApiProperty() attemptsLeft!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ description: '[{id, type, text, choices: [{id, text}]}] — never the correct answers' }) questions!: Array<Record<string, unknown>>;
}

export class QuizFeedbackResponse {
  @ApiProperty() questionId!: string;
  @ApiProperty({ description: 'Answered right (which choices were right is not disclosed)' }) correct!: boolean;
  @ApiProperty({ nullable: true, type: String, description: "The question's explanation, in the quiz's language" }) explanation!: string | null;
}

export class QuizAttemptResponse {
  @ApiProperty() attemptNo!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty() passMark!: number;
  @ApiProperty() attemptsLeft!: number;
  @ApiProperty({ type: EnrolmentResponse }) enrolment!: EnrolmentResponse;
  @ApiProperty({ type: [QuizFeedbackResponse] }) feedback!: QuizFeedbackResponse[];
}
