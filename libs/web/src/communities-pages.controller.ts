import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommunityService, RESOURCE_FILE_MAX_BYTES } from '@lms/hub';
import { Access, ConflictError, CurrentUser, DomainError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { MessageKey } from './messages/en.js';
import { communitiesPage, spacePage, threadPage } from './pages/communities.pages.js';
import type { ThreadPageView } from './pages/communities.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { type UploadedFile, WEB_UPLOAD } from './upload-body.js';
import type { ResourceFormValues } from './pages/communities.pages.js';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Flash messages after a redirect (?done=…). */
const DONE: Record<string, MessageKey> = {
  started: 'communities.done.started',
  replied: 'communities.done.replied',
  accepted: 'communities.done.accepted',
  unaccepted: 'communities.done.unaccepted',
  reported: 'communities.done.reported',
  alreadyReported: 'communities.done.alreadyReported',
  hidden: 'communities.done.hidden',
  shown: 'communities.done.shown',
  banned: 'communities.done.banned',
  unbanned: 'communities.done.unbanned',
  resourceAdded: 'communities.done.resourceAdded',
  resourceHidden: 'communities.done.resourceHidden',
  resourceShown: 'communities.done.resourceShown',
};

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266). */
function attachment(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^A-Za-z0-9 ._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** The raw value of a text field (the service validates length and characters; a repeated field counts once). */
function raw(body: unknown, name: string): string {
  const v = formOf(body)[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

/**
 * Communities of practice for learners (docs/hub.md, item 4): the spaces open to the person, a
 * space's discussions, a discussion with its posts. Every step calls `CommunityService`, so the
 * API's rules hold here too: a space outside the person's audience is 404, hidden posts are shown
 * to moderators only, a banned person reads but does not write, only the thread's author marks
 * the accepted answer, only moderators hide and ban. Refused input re-renders the form with the
 * field's message (400).
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'communities', version: VERSION_NEUTRAL })
export class CommunitiesPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CommunityService) private readonly communities: CommunityService,
  ) {}

  @Get()
  @Access('authenticated')
  async list(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('page') page?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const spaces = await this.communities.listSpaces(principal, { page: pageNumber(page), limit: PAGE_SIZE });
    await sendPage(reply, communitiesPage(ctx, spaces));
  }

  private async renderSpace(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    slug: string,
    q: { page?: string; rpage?: string; done?: string },
    extra: { errors?: Array<{ field: string; message: string }>; values?: { title: string; body: string }; resourceValues?: ResourceFormValues } = {},
    status = 200,
  ): Promise<void> {
    const space = await this.communities.getSpace(principal, slug);
    const ctx = await this.contexts.build(req, reply);
    const threads = await this.communities.listThreads(principal, slug, { page: pageNumber(q.page), limit: PAGE_SIZE });
    const resources = await this.communities.listResources(principal, slug, { page: pageNumber(q.rpage), limit: PAGE_SIZE });
    const reports = space.you.moderator ? await this.communities.openReports(principal, slug, { page: 1, limit: 50 }) : null;
    const done = typeof q.done === 'string' ? DONE[q.done] : undefined;
    await sendPage(reply, spacePage(ctx, { space, threads, resources, reports, flash: done ? ctx.t.t(done) : undefined, ...extra }), status);
  }

  @Get(':slug')
  @Access('authenticated')
  async space(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query() q: { page?: string; rpage?: string; done?: string },
  ): Promise<void> {
    await this.renderSpace(principal, req, reply, slug, q);
  }

  /** Refused resource input: the space page again with a message at each field (400). */
  private async refuseResource(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    slug: string,
    form: 'link' | 'file',
    fields: string[],
    values: ResourceFormValues,
  ): Promise<void> {
    const t = (await this.contexts.build(req, reply)).t;
    const mb = RESOURCE_FILE_MAX_BYTES / 1024 / 1024;
    const message: Record<string, string> = {
      title: t.t('communities.error.title'),
      url: t.t('communities.error.url'),
      note: t.t('communities.error.note'),
      file: t.t('communities.error.file', { mb }),
    };
    const errors = [...new Set(fields)].filter((f) => f in message).map((f) => ({ field: `${form}-${f}`, message: message[f] }));
    await this.renderSpace(principal, req, reply, slug, {}, { errors, resourceValues: values }, 400);
  }

  @Post(':slug/resources')
  @Access('authenticated')
  async addLink(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<void> {
    const values = { form: 'link' as const, title: raw(body, 'title'), url: raw(body, 'url'), note: raw(body, 'note') };
    try {
      await this.communities.addLink(principal, slug, values);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return this.refuseResource(principal, req, reply, slug, 'link', e.errors.map((x) => x.field), values);
    }
    await seeOther(reply, `/communities/${encodeURIComponent(slug)}?done=resourceAdded#resources-title`);
  }

  /** A file from a plain multipart form (no script); refused files come back with the field's message. */
  @Post(':slug/resources/upload')
  @Access('authenticated')
  @RouteConfig({ [WEB_UPLOAD]: true })
  async addFile(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<void> {
    const file = formOf(body).file as unknown as UploadedFile | string | undefined;
    const values = { form: 'file' as const, title: raw(body, 'title'), url: '', note: raw(body, 'note') };
    const upload = file && typeof file !== 'string' ? file : null;
    try {
      await this.communities.addFile(principal, slug, { title: values.title, note: values.note, filename: upload?.filename, bytes: upload?.bytes });
    } catch (e) {
      if (e instanceof ValidationError) return this.refuseResource(principal, req, reply, slug, 'file', e.errors.map((x) => x.field), values);
      if (e instanceof DomainError && (e.code === 'unsupported_file_type' || e.code === 'file_too_large'))
        return this.refuseResource(principal, req, reply, slug, 'file', ['file'], values);
      throw e;
    }
    await seeOther(reply, `/communities/${encodeURIComponent(slug)}?done=resourceAdded#resources-title`);
  }

  /** A file resource, as an attachment that the browser must not sniff (only for those who may see the space). */
  @Get(':slug/resources/:resourceId/file')
  @Access('authenticated')
  async file(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
  ): Promise<void> {
    const file = await this.communities.resourceFile(principal, slug, resourceId);
    await reply
      .header('content-type', file.contentType)
      .header('content-disposition', attachment(file.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(file.body);
  }

  @Post(':slug/resources/:resourceId/hide')
  @Access('authenticated')
  async hideResource(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.communities.setResourceHidden(principal, slug, resourceId, true, raw(body, 'reason'));
    await seeOther(reply, `/communities/${encodeURIComponent(slug)}?done=resourceHidden#resources-title`);
  }

  @Post(':slug/resources/:resourceId/unhide')
  @Access('authenticated')
  async unhideResource(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.communities.setResourceHidden(principal, slug, resourceId, false, raw(body, 'reason'));
    await seeOther(reply, `/communities/${encodeURIComponent(slug)}?done=resourceShown#resources-title`);
  }

  @Post(':slug/threads')
  @Access('authenticated')
  async start(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<void> {
    const values = { title: raw(body, 'title'), body: raw(body, 'body') };
    try {
      const thread = await this.communities.createThread(principal, slug, values);
      await seeOther(reply, `/communities/${encodeURIComponent(slug)}/threads/${thread.id}?done=started`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const t = (await this.contexts.build(req, reply)).t;
      const errors = e.errors
        .map((x) => x.field)
        .filter((f) => f === 'title' || f === 'body')
        .map((f) => ({ field: f, message: t.t(f === 'title' ? 'communities.error.title' : 'communities.error.body') }));
      await this.renderSpace(principal, req, reply, slug, {}, { errors, values }, 400);
    }
  }

  private async renderThread(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    slug: string,
    threadId: string,
    done: string | undefined,
    extra: Pick<ThreadPageView, 'errors' | 'values'> = {},
    status = 200,
  ): Promise<void> {
    const space = await this.communities.getSpace(principal, slug);
    const thread = await this.communities.getThread(principal, slug, threadId);
    const authors = thread.posts.flatMap((p) => (p.author ? [p.author.userId] : []));
    const banned = space.you.moderator ? await this.communities.bannedAmong(principal, slug, authors) : new Set<string>();
    const ctx = await this.contexts.build(req, reply);
    const flash = typeof done === 'string' && DONE[done] ? ctx.t.t(DONE[done]) : undefined;
    await sendPage(reply, threadPage(ctx, { space, thread, banned, flash, ...extra }), status);
  }

  @Get(':slug/threads/:threadId')
  @Access('authenticated')
  async thread(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderThread(principal, req, reply, slug, threadId, done);
  }

  private threadUrl(slug: string, threadId: string, done: string, postId?: string): string {
    return `/communities/${encodeURIComponent(slug)}/threads/${threadId}?done=${done}${postId ? `#post-${postId}` : ''}`;
  }

  @Post(':slug/threads/:threadId/posts')
  @Access('authenticated')
  async reply(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const text = raw(body, 'body');
    try {
      const post = await this.communities.reply(principal, slug, threadId, text);
      await seeOther(reply, this.threadUrl(slug, threadId, 'replied', post.id));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const t = (await this.contexts.build(req, reply)).t;
      await this.renderThread(principal, req, reply, slug, threadId, undefined, { errors: [{ field: 'body', message: t.t('communities.error.body') }], values: { body: text } }, 400);
    }
  }

  @Post(':slug/threads/:threadId/accepted-answer')
  @Access('authenticated')
  async accept(
    @CurrentUser() principal: Principal,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const postId = field(formOf(body), 'postId', 100);
    if (postId && !UUID.test(postId)) throw new ValidationError([{ field: 'postId', message: 'must be a post id' }]);
    await this.communities.acceptAnswer(principal, slug, threadId, postId || null);
    await seeOther(reply, this.threadUrl(slug, threadId, postId ? 'accepted' : 'unaccepted', postId || undefined));
  }

  @Post(':slug/threads/:threadId/posts/:postId/report')
  @Access('authenticated')
  async report(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const reason = raw(body, 'reason');
    try {
      await this.communities.report(principal, slug, postId, reason);
    } catch (e) {
      if (e instanceof ConflictError) return seeOther(reply, this.threadUrl(slug, threadId, 'alreadyReported', postId));
      if (!(e instanceof ValidationError)) throw e;
      const t = (await this.contexts.build(req, reply)).t;
      const errors = [{ field: `reason-${postId}`, message: t.t('communities.error.reason') }];
      return this.renderThread(principal, req, reply, slug, threadId, undefined, { errors, values: { reason, reportPostId: postId } }, 400);
    }
    await seeOther(reply, this.threadUrl(slug, threadId, 'reported', postId));
  }

  /** Hide, show, ban or lift a ban; a refused reason re-renders the thread with the message at the post's moderation form. */
  private async moderate(
    req: WebRequest,
    reply: FastifyReply,
    principal: Principal,
    slug: string,
    threadId: string,
    postId: string | undefined,
    act: () => Promise<void>,
    done: string,
  ): Promise<void> {
    try {
      await act();
    } catch (e) {
      if (!(e instanceof ValidationError) || !postId || !e.errors.some((x) => x.field === 'reason')) throw e;
      const t = (await this.contexts.build(req, reply)).t;
      return this.renderThread(principal, req, reply, slug, threadId, undefined, { errors: [{ field: `mod-reason-${postId}`, message: t.t('communities.error.moderationReason') }] }, 400);
    }
    await seeOther(reply, this.threadUrl(slug, threadId, done, postId));
  }

  @Post(':slug/threads/:threadId/posts/:postId/hide')
  @Access('authenticated')
  async hide(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.moderate(req, reply, principal, slug, threadId, postId, () => this.communities.setHidden(principal, slug, postId, true, raw(body, 'reason')), 'hidden');
  }

  @Post(':slug/threads/:threadId/posts/:postId/unhide')
  @Access('authenticated')
  async unhide(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.moderate(req, reply, principal, slug, threadId, postId, () => this.communities.setHidden(principal, slug, postId, false, raw(body, 'reason')), 'shown');
  }

  @Post(':slug/threads/:threadId/bans/:userId')
  @Access('authenticated')
  async ban(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const post = field(formOf(body), 'post', 100);
    await this.moderate(req, reply, principal, slug, threadId, UUID.test(post) ? post : undefined, () => this.communities.setBan(principal, slug, userId, true, raw(body, 'reason')), 'banned');
  }

  @Post(':slug/threads/:threadId/bans/:userId/lift')
  @Access('authenticated')
  async unban(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const post = field(formOf(body), 'post', 100);
    await this.moderate(req, reply, principal, slug, threadId, UUID.test(post) ? post : undefined, () => this.communities.setBan(principal, slug, userId, false, undefined), 'unbanned');
  }
}

/** A course's discussion (docs/hub.md): the course page links here; the space is made on first use, then the page is the space's. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'courses', version: VERSION_NEUTRAL })
export class CourseDiscussionPagesController {
  constructor(@Inject(CommunityService) private readonly communities: CommunityService) {}

  @Get(':slug/discussion')
  @Access('authenticated')
  async discussion(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('slug') slug: string): Promise<void> {
    const space = await this.communities.courseDiscussion(principal, slug);
    await seeOther(reply, `/communities/${encodeURIComponent(space.slug)}`);
  }
}
