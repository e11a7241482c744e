import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, Headers } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { CSV_CONTENT_TYPE, csvFileName } from '@lms/reporting';
import { AttendanceService, CommitmentService, EvaluationService, EventReportService, EventService, RegistrationService } from '@lms/events';
import type { AttendanceRow, CommitmentView, EvaluationQuestion, EvaluationResults, EventInput, EventView, RegistrationView, UnitAttendanceRow } from '@lms/events';
import {
  AnswersDto,
  CheckInDto,
  CommitmentDto,
  CreateEventDto,
  EventListQuery,
  MarkAttendanceDto,
  QuestionnaireDto,
  ReasonDto,
  RegisterDto,
  RegistrationListQuery,
  ReportQuery,
  SessionDto,
  UpdateEventDto,
  UpdateSessionDto,
} from './dto/event.dto.js';
import { AttendanceListResponse, CommitmentResponse, EvaluationResultsResponse, EventPageResponse, EventResponse, RegistrationPageResponse, RegistrationResponse } from './dto/event.responses.js';

const date = (s?: string | null): Date | null | undefined => (s === undefined ? undefined : s === null ? null : new Date(s));

function sessionInput(s: SessionDto | UpdateSessionDto): Partial<EventInput['sessions'][number]> {
  return {
    startsAt: date(s.startsAt) ?? undefined,
    endsAt: date(s.endsAt) ?? undefined,
    timeZone: s.timeZone,
    venueName: s.venueName,
    venueAddress: s.venueAddress,
    onlineUrl: s.onlineUrl,
    roomCapacity: s.roomCapacity,
  };
}

/**
 * Workshops and live sessions. Organisers (admin; authors of the owning school; HR whose scope
 * covers the owning unit) create and run events; trainers see the list and mark attendance; anyone
 * signed in sees upcoming events and registers (the audience rule decides).
 */
@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(
    @Inject(EventService) private readonly events: EventService,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
    @Inject(EvaluationService) private readonly evaluations: EvaluationService,
    @Inject(CommitmentService) private readonly commitments: CommitmentService,
    @Inject(EventReportService) private readonly reports: EventReportService,
  ) {}

  @Post()
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Create an event with its sessions (organisers of the owning unit); course-linked with courseSlug + lessonSlug' })
  @ApiCreatedResponse({ type: EventResponse })
  async create(@CurrentUser() principal: Principal, @Body() body: CreateEventDto): Promise<EventView> {
    return this.events.create(principal, {
      ...body,
      registrationOpensAt: date(body.registrationOpensAt),
      registrationClosesAt: date(body.registrationClosesAt),
      cancellationDeadline: date(body.cancellationDeadline),
      sessions: body.sessions.map((s) => sessionInput(s) as EventInput['sessions'][number]),
    });
  }

  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'Upcoming events, soonest first; `organised=true`: the events the caller organises' })
  @ApiOkResponse({ type: EventPageResponse })
  async list(@CurrentUser() principal: Principal, @Query() query: EventListQuery): Promise<Page<EventView>> {
    return this.events.list(principal, { page: query.page, limit: query.limit, organised: query.organised === 'true' });
  }

  @Get(':id')
  @Access('authenticated')
  @ApiOperation({ summary: 'One event with sessions, trainers and seats (capacity, held, available, waitlisted, pending approval)' })
  @ApiOkResponse({ type: EventResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<EventView> {
    return this.events.get(principal, id);
  }

  @Patch(':id')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Edit an event (organisers); more capacity promotes the waitlist; less than the seats held → 409' })
  @ApiOkResponse({ type: EventResponse })
  async update(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateEventDto): Promise<EventView> {
    return this.events.update(principal, id, {
      ...body,
      registrationOpensAt: date(body.registrationOpensAt),
      registrationClosesAt: date(body.registrationClosesAt),
      cancellationDeadline: date(body.cancellationDeadline),
    });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Cancel the event (organisers): every registration is cancelled and every invited person gets a calendar CANCEL' })
  @ApiOkResponse({ type: EventResponse })
  async cancel(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto): Promise<EventView> {
    return this.events.cancel(principal, id, body.reason);
  }

  @Post(':id/sessions')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Add a session (organisers); booked people get an updated invitation' })
  @ApiOkResponse({ type: EventResponse })
  async addSession(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: SessionDto): Promise<EventView> {
    return this.events.addSession(principal, id, sessionInput(body) as EventInput['sessions'][number]);
  }

  @Patch(':id/sessions/:sessionId')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Change a session (organisers); booked people get an updated invitation (same UID, higher SEQUENCE)' })
  @ApiOkResponse({ type: EventResponse })
  async updateSession(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() body: UpdateSessionDto,
  ): Promise<EventView> {
    return this.events.updateSession(principal, id, sessionId, sessionInput(body));
  }

  @Post(':id/sessions/:sessionId/cancel')
  @HttpCode(200)
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Cancel one session (organisers); invited people get a calendar CANCEL for it' })
  @ApiOkResponse({ type: EventResponse })
  async cancelSession(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('sessionId', ParseUUIDPipe) sessionId: string): Promise<EventView> {
    return this.events.cancelSession(principal, id, sessionId);
  }

  @Post(':id/registrations')
  @Access('authenticated')
  @ApiOperation({
    summary: 'Register yourself (or, as HR in scope or an organiser, someone else): 201 when created, 200 with the existing registration',
    description:
      'The answer says `booked`, `waitlisted` (the event is full) or `pending_approval` (the manager decides). Seats are allocated under a row lock on the event: concurrent registrations never exceed capacity.',
  })
  @ApiCreatedResponse({ type: RegistrationResponse })
  async register(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RegisterDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegistrationView> {
    const { registration, created } = await this.registrations.register(principal, id, body.userId);
    void reply.status(created ? 201 : 200);
    return registration;
  }

  @Get(':id/registrations')
  @Access('authenticated')
  @ApiOperation({ summary: 'The registrations of an event (organisers and trainers)' })
  @ApiOkResponse({ type: RegistrationPageResponse })
  async registrationsOf(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: RegistrationListQuery): Promise<Page<RegistrationView>> {
    return this.registrations.listForEvent(principal, id, { page: query.page, limit: query.limit, status: query.status });
  }

  @Get(':id/sessions/:sessionId/attendance')
  @Access('authenticated')
  @ApiOperation({ summary: 'The attendance list of a session (organisers and trainers): every booked person with their mark' })
  @ApiOkResponse({ type: AttendanceListResponse })
  async attendanceList(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('sessionId', ParseUUIDPipe) sessionId: string): Promise<{ items: AttendanceRow[] }> {
    return { items: await this.attendance.list(principal, id, sessionId) };
  }

  @Put(':id/sessions/:sessionId/attendance')
  @Access('authenticated')
  @ApiOperation({ summary: 'Mark attendance (present, partial, absent) for many at once (organisers and trainers); idempotent' })
  @ApiOkResponse({ type: AttendanceListResponse })
  async mark(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() body: MarkAttendanceDto,
  ): Promise<{ items: AttendanceRow[] }> {
    return { items: await this.attendance.mark(principal, id, sessionId, body.marks) };
  }

  @Post(':id/sessions/:sessionId/check-in')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Check a participant in by the code of their QR code (organisers and trainers); idempotent' })
  async checkIn(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Body() body: CheckInDto,
  ): Promise<{ registrationId: string; displayName: string; status: string }> {
    return this.attendance.checkIn(principal, id, sessionId, body.token);
  }

  @Get(':id/attendance')
  @Access('authenticated')
  @ApiOperation({ summary: 'Attendance share per booked person and whether the rule was met (organisers and trainers)' })
  async attendanceSummary(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: unknown[] }> {
    return { items: await this.attendance.summary(principal, id) };
  }

  @Put(':id/questionnaire')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Define the evaluation questionnaire (organisers): scale, choice and free-text questions; anonymous or named' })
  async defineQuestionnaire(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: QuestionnaireDto): Promise<unknown> {
    return this.evaluations.define(principal, id, { anonymous: body.anonymous, questions: body.questions as EvaluationQuestion[] });
  }

  @Get(':id/questionnaire')
  @Access('authenticated')
  @ApiOperation({ summary: 'The questionnaire in the caller’s language' })
  async questionnaire(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<unknown> {
    return this.evaluations.get(principal, id);
  }

  @Post(':id/evaluations')
  @Access('authenticated')
  @ApiOperation({ summary: 'Answer the questionnaire once (booked participants, from the last session on); 409 the second time' })
  async answer(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AnswersDto): Promise<{ submitted: true }> {
    return this.evaluations.answer(principal, id, body.answers);
  }

  @Get(':id/evaluation-results')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Aggregated answers (organisers); under 5 respondents only the count; free text only when anonymous' })
  @ApiOkResponse({ type: EvaluationResultsResponse })
  async results(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<EvaluationResults> {
    return this.evaluations.results(principal, id);
  }

  @Post(':id/commitments')
  @Access('authenticated')
  @ApiOperation({ summary: 'Record a follow-up commitment (booked participants; with memberIds, a group commitment)' })
  @ApiCreatedResponse({ type: CommitmentResponse })
  async commit(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommitmentDto): Promise<CommitmentView> {
    return this.commitments.create(principal, id, body);
  }

  @Get(':id/commitments/summary')
  @Access('admin', 'hr', 'author')
  @ApiOperation({ summary: 'Commitments kept / not kept / open by country and institution (organisers); cells under 5 suppressed' })
  async commitmentSummary(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<unknown> {
    return this.commitments.summary(principal, id);
  }

  @Get(':id/reports/attendance')
  @Access('authenticated')
  @ApiOperation({ summary: 'Attendance by unit: booked, completed, no-shows and no-show rate (organisers and trainers); JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  async attendanceReport(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ReportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<{ items: UnitAttendanceRow[] } | string> {
    if (query.format === 'csv') {
      const csv = await this.reports.attendanceCsv(principal, id, acceptLanguage);
      reply.header('content-type', CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${csvFileName('event-attendance')}"`);
      return csv;
    }
    return { items: await this.reports.attendanceByUnit(principal, id) };
  }

  @Get(':id/sign-up-sheet')
  @Access('authenticated')
  @ApiOperation({ summary: 'The paper sign-up sheet as PDF (organisers and trainers)' })
  @ApiProduces('application/pdf')
  async signUpSheet(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const pdf = await this.reports.signUpSheet(principal, id);
    reply.header('content-type', 'application/pdf').header('content-disposition', 'attachment; filename="sign-up-sheet.pdf"');
    return pdf;
  }
}
