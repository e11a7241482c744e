import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser, PageQuery, Public } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { AttendanceService, CalendarService, CommitmentService, EventReportService, RegistrationService } from '@lms/events';
import type { CommitmentView, RegistrationView } from '@lms/events';
import { CommitmentUpdateDto, OptionalReasonDto } from './dto/event.dto.js';
import { InvalidFeedPathError } from './events-http.errors.js';
import { CommitmentPageResponse, CommitmentResponse, FeedResponse, RegistrationPageResponse, RegistrationResponse } from './dto/event.responses.js';

@ApiTags('events')
@ApiBearerAuth()
@Controller()
export class RegistrationsController {
  constructor(
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(CommitmentService) private readonly commitments: CommitmentService,
    @Inject(EventReportService) private readonly reports: EventReportService,
  ) {}

  @Get('event-registrations/:id/attendance-certificate')
  @Access('authenticated')
  @ApiOperation({ summary: 'The attendance certificate (PDF) of a stand-alone event once the attendance rule is met (the person, HR in scope, organisers, trainers); 409 otherwise' })
  @ApiProduces('application/pdf')
  async attendanceCertificate(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const pdf = await this.reports.attendanceCertificate(principal, id);
    reply.header('content-type', 'application/pdf').header('content-disposition', 'attachment; filename="attendance-certificate.pdf"');
    return pdf;
  }

  @Get('me/event-registrations')
  @Access('authenticated')
  @ApiOperation({ summary: 'My registrations, newest first' })
  @ApiOkResponse({ type: RegistrationPageResponse })
  async mine(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<RegistrationView>> {
    return this.registrations.mine(principal, query);
  }

  @Get('event-registrations/:id')
  @Access('authenticated')
  @ApiOperation({ summary: 'One registration (the person, their manager, HR in scope, organisers and trainers)' })
  @ApiOkResponse({ type: RegistrationResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RegistrationView> {
    return this.registrations.get(principal, id);
  }

  @Post('event-registrations/:id/cancel')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Cancel a registration (the person until the cancellation deadline; HR in scope and organisers any time); the seat goes to the waitlist' })
  @ApiOkResponse({ type: RegistrationResponse })
  async cancel(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto): Promise<RegistrationView> {
    return this.registrations.cancel(principal, id, body.reason ?? null);
  }

  @Post('event-registrations/:id/confirm')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Take the seat offered from the waitlist (the person, before the offer expires)' })
  @ApiOkResponse({ type: RegistrationResponse })
  async confirm(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RegistrationView> {
    return this.registrations.confirm(principal, id);
  }

  @Get('event-registrations/:id/check-in')
  @Access('authenticated')
  @ApiOperation({ summary: 'My check-in code (show it as a QR code to the trainer) and the short code to type in when a scan fails; booked registrations only' })
  async checkInCode(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ registrationId: string; eventId: string; token: string; shortCode: string }> {
    return this.attendance.myCheckIn(principal, id);
  }

  @Get('me/approvals')
  @Access('authenticated')
  @ApiOperation({ summary: 'Registration requests waiting for my decision (my reports’; as HR, escalated requests of people in scope)' })
  @ApiOkResponse({ type: RegistrationPageResponse })
  async approvals(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<RegistrationView>> {
    return this.registrations.approvals(principal, query);
  }

  @Post('approvals/:id/approve')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Approve a request (the manager; HR in scope once escalated; admin): booked, or waitlisted when full' })
  @ApiOkResponse({ type: RegistrationResponse })
  async approve(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto): Promise<RegistrationView> {
    return this.registrations.decide(principal, id, true, body.reason ?? null);
  }

  @Post('approvals/:id/decline')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Decline a request, with a reason (the manager; HR in scope once escalated; admin)' })
  @ApiOkResponse({ type: RegistrationResponse })
  async decline(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto): Promise<RegistrationView> {
    return this.registrations.decide(principal, id, false, body.reason ?? null);
  }

  @Post('me/calendar-feed')
  @Access('authenticated')
  @ApiOperation({ summary: 'Create or rotate my calendar feed: the URL (with its secret token) is shown once; the old one stops working' })
  @ApiCreatedResponse({ type: FeedResponse })
  async rotateFeed(@CurrentUser() principal: Principal): Promise<{ url: string; token: string }> {
    return this.calendar.rotateFeed(principal);
  }

  @Delete('me/calendar-feed')
  @HttpCode(204)
  @Access('authenticated')
  @ApiOperation({ summary: 'Turn my calendar feed off' })
  async revokeFeed(@CurrentUser() principal: Principal): Promise<void> {
    await this.calendar.revokeFeed(principal);
  }

  @Get('me/commitments')
  @Access('authenticated')
  @ApiOperation({ summary: 'My follow-up commitments (also those shared with me), by due date' })
  @ApiOkResponse({ type: CommitmentPageResponse })
  async myCommitments(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<CommitmentView>> {
    return this.commitments.mine(principal, query);
  }

  @Get('commitments/:id')
  @Access('authenticated')
  @ApiOperation({ summary: 'One commitment with its updates (its members, the event’s organisers)' })
  @ApiOkResponse({ type: CommitmentResponse })
  async commitment(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CommitmentView> {
    return this.commitments.get(principal, id);
  }

  @Post('commitments/:id/updates')
  @Access('authenticated')
  @ApiOperation({ summary: 'Post a progress update (members): a note and the status open, kept or not kept' })
  @ApiCreatedResponse({ type: CommitmentResponse })
  async updateCommitment(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CommitmentUpdateDto): Promise<CommitmentView> {
    return this.commitments.update(principal, id, body);
  }
}

/** The subscribable feed at the fixed path /calendar/<token>.ics: public, the secret token is the credential. */
@ApiTags('events')
@Controller({ path: 'calendar', version: VERSION_NEUTRAL })
export class CalendarFeedController {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}

  @Get(':file')
  @Public()
  @ApiOperation({ summary: 'Public with a secret token: a person’s iCalendar feed (RFC 5545), path /calendar/<token>.ics' })
  @ApiProduces('text/calendar')
  async feed(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const m = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(file);
    if (!m) throw new InvalidFeedPathError();
    const ics = await this.calendar.feed(m[1]);
    reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').header('referrer-policy', 'no-referrer');
    return ics;
  }
}
