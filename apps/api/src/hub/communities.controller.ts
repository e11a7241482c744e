import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser, PageQuery, type Page, type Principal } from '@lms/platform';
import { CommunityService, type PostView, type ReportView, type ResourceView, type SpaceView, type ThreadSummary, type ThreadView } from '@lms/hub';
import { AcceptAnswerDto, AddFileQuery, AddLinkDto, CreateSpaceDto, CreateThreadDto, ModerationReasonDto, ReplyDto } from './dto/hub.dto.js';
import { RESOURCE_FILE_BODY, RESOURCE_FILE_BODY_TYPES } from './resource-body.js';

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^A-Za-z0-9 ._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Communities of practice (docs/hub.md, item 4). A space outside the caller's audience answers 404;
 * moderation routes need a moderator of the space (or an admin); spaces and moderators are managed
 * by an instance-wide admin.
 */
@ApiTags('hub')
@Controller('communities')
export class CommunitiesController {
  constructor(@Inject(CommunityService) private readonly communities: CommunityService) {}

  @Access('authenticated')
  @Get()
  @ApiOperation({ summary: 'The community spaces open to me' })
  @ApiOkResponse()
  async list(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<SpaceView>> {
    return this.communities.listSpaces(principal, query);
  }

  @Access('admin')
  @Post()
  @ApiOperation({ summary: 'Open a space to the whole hub or to chosen institutions' })
  @ApiCreatedResponse()
  async create(@CurrentUser() principal: Principal, @Body() body: CreateSpaceDto): Promise<SpaceView> {
    return this.communities.createSpace(principal, body);
  }

  @Access('authenticated')
  @Get(':slug')
  @ApiOperation({ summary: 'One space (404 outside its audience)' })
  @ApiOkResponse()
  async get(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<SpaceView> {
    return this.communities.getSpace(principal, slug);
  }

  @Access('admin')
  @Put(':slug/moderators/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Make a person a moderator of the space' })
  @ApiNoContentResponse()
  async addModerator(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.communities.setModerator(principal, slug, userId, true);
  }

  @Access('admin')
  @Delete(':slug/moderators/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a moderator of the space' })
  @ApiNoContentResponse()
  async removeModerator(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.communities.setModerator(principal, slug, userId, false);
  }

  @Access('authenticated')
  @Get(':slug/threads')
  @ApiOperation({ summary: 'Threads of the space, newest activity first' })
  @ApiOkResponse()
  async threads(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Query() query: PageQuery): Promise<Page<ThreadSummary>> {
    return this.communities.listThreads(principal, slug, query);
  }

  @Access('authenticated')
  @Post(':slug/threads')
  @ApiOperation({ summary: 'Start a thread (title and the question in Markdown)' })
  @ApiCreatedResponse()
  async createThread(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: CreateThreadDto): Promise<ThreadView> {
    return this.communities.createThread(principal, slug, body);
  }

  @Access('authenticated')
  @Get(':slug/threads/:threadId')
  @ApiOperation({ summary: 'A thread with its posts (hidden posts only for moderators)' })
  @ApiOkResponse()
  async thread(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
  ): Promise<ThreadView> {
    return this.communities.getThread(principal, slug, threadId);
  }

  @Access('authenticated')
  @Post(':slug/threads/:threadId/posts')
  @ApiOperation({ summary: 'Reply in a thread (the other participants are notified)' })
  @ApiCreatedResponse()
  async reply(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Body() body: ReplyDto,
  ): Promise<PostView> {
    return this.communities.reply(principal, slug, threadId, body.body);
  }

  @Access('authenticated')
  @Put(':slug/threads/:threadId/accepted-answer')
  @ApiOperation({ summary: 'The thread’s author marks a reply as the accepted answer (postId null clears it)' })
  @ApiOkResponse()
  async accept(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('threadId', new ParseUUIDPipe()) threadId: string,
    @Body() body: AcceptAnswerDto,
  ): Promise<ThreadView> {
    return this.communities.acceptAnswer(principal, slug, threadId, body.postId);
  }

  @Access('authenticated')
  @Post(':slug/posts/:postId/reports')
  @ApiOperation({ summary: 'Report a post to the space’s moderators (reason required)' })
  @ApiCreatedResponse()
  async report(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<{ id: string }> {
    return this.communities.report(principal, slug, postId, body.reason);
  }

  @Access('authenticated')
  @Get(':slug/reports')
  @ApiOperation({ summary: 'Open reports of the space (moderators)' })
  @ApiOkResponse()
  async reports(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Query() query: PageQuery): Promise<Page<ReportView>> {
    return this.communities.openReports(principal, slug, query);
  }

  @Access('authenticated')
  @Post(':slug/posts/:postId/hide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Hide a post (moderators; resolves its reports; audited)' })
  @ApiNoContentResponse()
  async hide(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<void> {
    await this.communities.setHidden(principal, slug, postId, true, body.reason);
  }

  @Access('authenticated')
  @Post(':slug/posts/:postId/unhide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Show a hidden post again (moderators; audited)' })
  @ApiNoContentResponse()
  async unhide(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('postId', new ParseUUIDPipe()) postId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<void> {
    await this.communities.setHidden(principal, slug, postId, false, body.reason);
  }

  @Access('authenticated')
  @Put(':slug/bans/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ban a person from the space: they may read but not post or report (moderators; audited)' })
  @ApiNoContentResponse()
  async ban(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<void> {
    await this.communities.setBan(principal, slug, userId, true, body.reason);
  }

  @Access('authenticated')
  @Delete(':slug/bans/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a ban (moderators; audited)' })
  @ApiNoContentResponse()
  async unban(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    await this.communities.setBan(principal, slug, userId, false, undefined);
  }

  @Access('authenticated')
  @Get(':slug/resources')
  @ApiOperation({ summary: 'Resources shared in the space, newest first (hidden ones only for moderators)' })
  @ApiOkResponse()
  async resources(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Query() query: PageQuery): Promise<Page<ResourceView>> {
    return this.communities.listResources(principal, slug, query);
  }

  @Access('authenticated')
  @Post(':slug/resources')
  @ApiOperation({ summary: 'Share a link (https) in the space (members who may post)' })
  @ApiCreatedResponse()
  async addLink(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Body() body: AddLinkDto): Promise<ResourceView> {
    return this.communities.addLink(principal, slug, body);
  }

  @Access('authenticated')
  @Post(':slug/resources/files')
  @RouteConfig({ [RESOURCE_FILE_BODY]: true })
  @ApiConsumes(...RESOURCE_FILE_BODY_TYPES)
  @ApiOperation({ summary: 'Add a file (PDF, ODT, DOCX, PNG or JPEG, up to 10 MB, judged by its bytes) as the raw body; title in the query' })
  @ApiCreatedResponse()
  async addFile(@CurrentUser() principal: Principal, @Param('slug') slug: string, @Query() query: AddFileQuery, @Body() body: unknown): Promise<ResourceView> {
    return this.communities.addFile(principal, slug, { title: query.title, note: query.note, filename: query.filename, bytes: body });
  }

  @Access('authenticated')
  @Get(':slug/resources/:resourceId/file')
  @ApiProduces(...RESOURCE_FILE_BODY_TYPES.filter((t) => t !== 'application/octet-stream'))
  @ApiOperation({ summary: 'Download a file resource (as an attachment; to those who may see the space)' })
  @ApiOkResponse()
  async file(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.communities.resourceFile(principal, slug, resourceId);
    reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store');
    return new StreamableFile(file.body, { type: file.contentType, disposition: attachmentDisposition(file.name), length: file.size });
  }

  @Access('authenticated')
  @Post(':slug/resources/:resourceId/hide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Hide a resource (moderators; audited)' })
  @ApiNoContentResponse()
  async hideResource(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<void> {
    await this.communities.setResourceHidden(principal, slug, resourceId, true, body.reason);
  }

  @Access('authenticated')
  @Post(':slug/resources/:resourceId/unhide')
  @HttpCode(204)
  @ApiOperation({ summary: 'Show a hidden resource again (moderators; audited)' })
  @ApiNoContentResponse()
  async unhideResource(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
    @Body() body: ModerationReasonDto,
  ): Promise<void> {
    await this.communities.setResourceHidden(principal, slug, resourceId, false, body.reason);
  }

  @Access('authenticated')
  @Delete(':slug/resources/:resourceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a resource and its file (moderators; audited)' })
  @ApiNoContentResponse()
  async removeResource(
    @CurrentUser() principal: Principal,
    @Param('slug') slug: string,
    @Param('resourceId', new ParseUUIDPipe()) resourceId: string,
  ): Promise<void> {
    await this.communities.removeResource(principal, slug, resourceId, undefined);
  }
}

/** A course's own discussion space (docs/hub.md): one per course, created on first use. */
@ApiTags('hub')
@Controller('courses')
export class CourseDiscussionController {
  constructor(@Inject(CommunityService) private readonly communities: CommunityService) {}

  @Access('authenticated')
  @Get(':slug/discussion')
  @ApiOperation({ summary: 'The course’s discussion space, created on first use (enrolled learners and the course’s authors; others 404)' })
  @ApiOkResponse()
  async discussion(@CurrentUser() principal: Principal, @Param('slug') slug: string): Promise<SpaceView> {
    return this.communities.courseDiscussion(principal, slug);
  }
}
