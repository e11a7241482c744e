import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { EnrolmentService, OfflineSyncService, ProgressService, QuizService } from '@lms/learning';
import type { EnrolmentDetails, EnrolmentView, LearnerQuiz, QuizAttemptResult, SyncAction, SyncResult } from '@lms/learning';
import { SyncRequestDto, SyncResponse } from './dto/sync.dto.js';
import { CreateEnrolmentDto } from './dto/create-enrolment.dto.js';
import { EnrolmentDetailsResponse, EnrolmentPageResponse, EnrolmentResponse, LearnerQuizResponse, QuizAttemptResponse } from './dto/learning.responses.js';
import { MyEnrolmentsQuery } from './dto/my-enrolments.query.js';
import { QuizAttemptDto, QuizQuery } from './dto/quiz-attempt.dto.js';

@ApiTags('learning')
@ApiBearerAuth()
@Controller()
export class EnrolmentsController {
  constructor(
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(QuizService) private readonly quizzes: QuizService,
    @Inject(OfflineSyncService) private readonly sync: OfflineSyncService,
  ) {}

  @Post('me/sync')
  @HttpCode(200)
  @Access('authenticated')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Replay what the learner did offline (lesson completions, quiz submissions), in order',
    description:
      'Each action carries an idempotency key: a replayed batch changes nothing (status `duplicate`). Quiz answers are graded here. ' +
      'An action the server state no longer allows (enrolment withdrawn, course re-versioned, quiz passed or out of attempts) answers `conflict` with a message, and nothing is lost silently. ' +
      'Browser callers send the X-CSRF-Token header of their session.',
  })
  @ApiOkResponse({ type: SyncResponse })
  async syncOffline(@CurrentUser() principal: Principal, @Body() body: SyncRequestDto): Promise<{ results: SyncResult[] }> {
    return { results: await this.sync.apply(principal, body.actions as SyncAction[], body.lang) };
  }

  @Post('enrolments')
  @Access('authenticated')
  @ApiOperation({ summary: 'Enrol yourself in a published course: 201 when created, 200 with the existing enrolment when already enrolled' })
  @ApiCreatedResponse({ type: EnrolmentResponse })
  @ApiOkResponse({ type: EnrolmentResponse })
  async enrol(@CurrentUser() principal: Principal, @Body() body: CreateEnrolmentDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<EnrolmentView> {
    const { enrolment, created } = await this.enrolments.enrolSelf(principal, body.courseSlug);
    void reply.status(created ? 201 : 200);
    return enrolment;
  }

  @Get('me/enrolments')
  @Access('authenticated')
  @ApiOperation({ summary: 'My enrolments, most urgent first (overdue, then nearest due date, then most recent)' })
  @ApiOkResponse({ type: EnrolmentPageResponse })
  async mine(@CurrentUser() principal: Principal, @Query() query: MyEnrolmentsQuery): Promise<Page<EnrolmentView>> {
    return this.enrolments.listMine(principal, { status: query.status, page: query.page, limit: query.limit });
  }

  @Get('enrolments/:id')
  @Access('authenticated')
  @ApiOperation({ summary: 'One enrolment with lessons, quiz state and why it exists (owner, HR in scope, admin)' })
  @ApiOkResponse({ type: EnrolmentDetailsResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<EnrolmentDetails> {
    return this.enrolments.get(principal, id);
  }

  @Post('enrolments/:id/lessons/:lessonSlug/complete')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Mark a lesson done (the learner only; idempotent)' })
  @ApiOkResponse({ type: EnrolmentResponse })
  async completeLesson(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('lessonSlug') lessonSlug: string,
  ): Promise<EnrolmentView> {
    return this.progress.completeLesson(principal, id, lessonSlug);
  }

  @Get('enrolments/:id/quiz')
  @Access('authenticated')
  @ApiOperation({ summary: 'The quiz of the pinned course version, without correct answers (the learner only)' })
  @ApiOkResponse({ type: LearnerQuizResponse })
  async quiz(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: QuizQuery): Promise<LearnerQuiz> {
    return this.quizzes.getQuiz(principal, id, query.lang);
  }

  @Post('enrolments/:id/quiz-attempts')
  @HttpCode(201)
  @Access('authenticated')
  @ApiOperation({ summary: 'Submit quiz answers, graded on the server; 409 once the attempts are used up' })
  @ApiCreatedResponse({ type: QuizAttemptResponse })
  async attempt(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: QuizAttemptDto): Promise<QuizAttemptResult> {
    return this.quizzes.submit(principal, id, body.answers);
  }

  @Post('enrolments/:id/withdraw')
  @HttpCode(200)
  @Access('hr', 'admin')
  @ApiOperation({ summary: 'Withdraw an active enrolment (HR in scope, admin); idempotent; 409 when completed' })
  @ApiOkResponse({ type: EnrolmentResponse })
  async withdraw(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<EnrolmentView> {
    return this.enrolments.withdraw(principal, id);
  }
}
