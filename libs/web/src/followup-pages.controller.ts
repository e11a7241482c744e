import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { COMMITMENT_STATUSES, FollowupGroupService } from '@lms/events';
import type { CommitmentStatus } from '@lms/events';
import { Access, CurrentUser, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { MessageKey } from './messages/en.js';
import { followupPage } from './pages/followup.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DONE: Record<string, MessageKey> = {
  created: 'followup.done.created',
  accepted: 'followup.done.accepted',
  invited: 'followup.done.invited',
  milestone: 'followup.done.milestone',
  marked: 'followup.done.marked',
  status: 'followup.done.status',
  posted: 'followup.done.posted',
};

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** A real calendar day YYYY-MM-DD. */
function isDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * The learner's follow-up group space (docs/hub.md, item 6): started from a commitment on the event
 * page, then members, milestones, status, invitations and progress updates, all as plain forms.
 * The FollowupGroupService decides who may see (members, invitees, organisers; 404 otherwise) and do.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'follow-up', version: VERSION_NEUTRAL })
export class FollowupPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(FollowupGroupService) private readonly groups: FollowupGroupService,
  ) {}

  private async render(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    id: string,
    q: { page?: string; done?: string },
    extra: { errors?: Array<{ field: string; message: string }>; values?: Record<string, string> } = {},
    status = 200,
  ): Promise<void> {
    const group = await this.groups.get(principal, id);
    const ctx = await this.contexts.build(req, reply);
    const [posts, invitable] = await Promise.all([
      group.myRole === 'invited' ? null : this.groups.posts(principal, id, { page: pageNumber(q.page), limit: PAGE_SIZE }),
      this.groups.invitable(principal, id),
    ]);
    const done = typeof q.done === 'string' ? DONE[q.done] : undefined;
    await sendPage(reply, followupPage(ctx, { group, posts, invitable, flash: done ? ctx.t.t(done) : undefined, ...extra }), status);
  }

  @Get(':id')
  @Access('authenticated')
  async page(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Query() q: { page?: string; done?: string }): Promise<void> {
    await this.render(principal, req, reply, id, q);
  }

  /** Starts a group from the event page (a commitment of mine), with a default title when none is given. */
  @Post()
  @Access('authenticated')
  async create(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const eventId = field(form, 'eventId', 40);
    const commitmentId = field(form, 'commitmentId', 40);
    if (!UUID.test(eventId) || (commitmentId && !UUID.test(commitmentId))) throw new ValidationError([{ field: 'eventId', message: 'eventId and commitmentId must be ids' }]);
    const ctx = await this.contexts.build(req, reply);
    const title = field(form, 'title', 200) || ctx.t.t('followup.defaultTitle');
    const group = await this.groups.create(principal, eventId, { title, ...(commitmentId ? { commitmentId } : { action: title }) });
    await seeOther(reply, `/follow-up/${group.id}?done=created`);
  }

  @Post(':id/accept')
  @Access('authenticated')
  async accept(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.groups.accept(principal, id);
    await seeOther(reply, `/follow-up/${id}?done=accepted`);
  }

  @Post(':id/decline')
  @Access('authenticated')
  async decline(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.groups.decline(principal, id);
    await seeOther(reply, '/events#followup-title');
  }

  @Post(':id/invitations')
  @Access('authenticated')
  async invite(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const raw = formOf(body).userIds;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((x) => UUID.test(x)).slice(0, 50);
    if (!ids.length) {
      const ctx = await this.contexts.build(req, reply);
      return this.render(principal, req, reply, id, {}, { errors: [{ field: 'userIds', message: ctx.t.t('followup.err.invite') }] }, 400);
    }
    await this.groups.invite(principal, id, ids);
    await seeOther(reply, `/follow-up/${id}?done=invited#members-title`);
  }

  @Post(':id/milestones')
  @Access('authenticated')
  async addMilestone(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const values = { title: field(form, 'title', 200), dueOn: field(form, 'dueOn', 10) };
    const ctx = await this.contexts.build(req, reply);
    const errors: Array<{ field: string; message: string }> = [];
    if (!values.title) errors.push({ field: 'title', message: ctx.t.t('followup.err.title') });
    if (!isDay(values.dueOn)) errors.push({ field: 'dueOn', message: ctx.t.t('events.commitment.err.due') });
    if (errors.length) return this.render(principal, req, reply, id, {}, { errors, values }, 400);
    await this.groups.addMilestone(principal, id, values);
    await seeOther(reply, `/follow-up/${id}?done=milestone#milestones-title`);
  }

  @Post(':id/milestones/:milestoneId')
  @Access('authenticated')
  async mark(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.groups.setMilestone(principal, id, milestoneId, field(formOf(body), 'done', 3) !== 'no');
    await seeOther(reply, `/follow-up/${id}?done=marked#milestones-title`);
  }

  @Post(':id/status')
  @Access('authenticated')
  async status(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const status = field(formOf(body), 'status', 10);
    if (!(COMMITMENT_STATUSES as readonly string[]).includes(status)) throw new ValidationError([{ field: 'status', message: 'status must be open, kept or not_kept' }]);
    await this.groups.setStatus(principal, id, status as CommitmentStatus);
    await seeOther(reply, `/follow-up/${id}?done=status#commitment-title`);
  }

  @Post(':id/posts')
  @Access('authenticated')
  async post(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const text = field(formOf(body), 'body', 2000);
    if (!text) {
      const ctx = await this.contexts.build(req, reply);
      return this.render(principal, req, reply, id, {}, { errors: [{ field: 'body', message: ctx.t.t('followup.err.post') }] }, 400);
    }
    await this.groups.post(principal, id, text);
    await seeOther(reply, `/follow-up/${id}?done=posted#posts-title`);
  }
}
