import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, PageQuery, Public } from '@lms/platform';
import type { Page, Principal } from '@lms/platform';
import { FollowupGroupService } from '@lms/events';
import type { FollowupGroupView, FollowupPostView, JointKeptDocument, MilestoneView } from '@lms/events';
import {
  CreateFollowupGroupDto,
  FollowupGroupPageResponse,
  FollowupGroupResponse,
  FollowupInvitationDto,
  FollowupPostDto,
  FollowupPostPageResponse,
  FollowupPostResponse,
  FollowupStatusDto,
  JointKeptResponse,
  MilestoneDoneDto,
  MilestoneDto,
  MilestoneResponse,
} from './dto/followup.dto.js';

/**
 * Cross-country follow-up groups (docs/hub.md, item 6). Members and the event's organisers see a
 * group; anyone else gets 404. Members invite participants of the same event, add milestones, mark
 * them done, post short updates and say whether the joint commitment was kept.
 */
@ApiTags('follow-up groups')
@ApiBearerAuth()
@Controller()
export class FollowupGroupsController {
  constructor(@Inject(FollowupGroupService) private readonly groups: FollowupGroupService) {}

  @Post('events/:id/follow-up-groups')
  @Access('authenticated')
  @ApiOperation({ summary: 'Start a follow-up group (a participant, who becomes its first member, or an organiser); with commitmentId, its members are invited' })
  @ApiCreatedResponse({ type: FollowupGroupResponse })
  async create(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateFollowupGroupDto): Promise<FollowupGroupView> {
    return this.groups.create(principal, id, body);
  }

  @Get('events/:id/follow-up-groups')
  @Access('authenticated')
  @ApiOperation({ summary: 'The follow-up groups of an event (its organisers), newest first' })
  @ApiOkResponse({ type: FollowupGroupPageResponse })
  async ofEvent(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<Page<FollowupGroupView>> {
    return this.groups.ofEvent(principal, id, query);
  }

  @Get('me/follow-up-groups')
  @Access('authenticated')
  @ApiOperation({ summary: 'The follow-up groups I belong to or am invited to, newest first' })
  @ApiOkResponse({ type: FollowupGroupPageResponse })
  async mine(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<FollowupGroupView>> {
    return this.groups.mine(principal, query);
  }

  @Get('follow-up-groups/:id')
  @Access('authenticated')
  @ApiOperation({ summary: 'One group: members (with institution and country), milestones, the joint commitment (members, invitees, the event’s organisers; 404 for anyone else)' })
  @ApiOkResponse({ type: FollowupGroupResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<FollowupGroupView> {
    return this.groups.get(principal, id);
  }

  @Post('follow-up-groups/:id/invitations')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Invite participants of the same event (active members, organisers); those already in the group are left as they are' })
  @ApiOkResponse({ type: FollowupGroupResponse })
  async invite(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: FollowupInvitationDto): Promise<FollowupGroupView> {
    return this.groups.invite(principal, id, body.userIds);
  }

  @Post('follow-up-groups/:id/accept')
  @HttpCode(200)
  @Access('authenticated')
  @ApiOperation({ summary: 'Accept my invitation (409 without one)' })
  @ApiOkResponse({ type: FollowupGroupResponse })
  async accept(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<FollowupGroupView> {
    return this.groups.accept(principal, id);
  }

  @Post('follow-up-groups/:id/decline')
  @HttpCode(204)
  @Access('authenticated')
  @ApiOperation({ summary: 'Decline my invitation (409 without one)' })
  @ApiNoContentResponse()
  async decline(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.groups.decline(principal, id);
  }

  @Post('follow-up-groups/:id/milestones')
  @Access('authenticated')
  @ApiOperation({ summary: 'Add a milestone with a due date (active members, organisers); members are reminded 7 and 1 days before' })
  @ApiCreatedResponse({ type: MilestoneResponse })
  async addMilestone(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: MilestoneDto): Promise<MilestoneView> {
    return this.groups.addMilestone(principal, id, body);
  }

  @Put('follow-up-groups/:id/milestones/:milestoneId')
  @Access('authenticated')
  @ApiOperation({ summary: 'Mark a milestone done or not done (active members); when all are done the joint commitment is kept' })
  @ApiOkResponse({ type: FollowupGroupResponse })
  async setMilestone(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: MilestoneDoneDto,
  ): Promise<FollowupGroupView> {
    return this.groups.setMilestone(principal, id, milestoneId, body.done);
  }

  @Put('follow-up-groups/:id/status')
  @Access('authenticated')
  @ApiOperation({ summary: 'Say whether the joint commitment was kept (active members)' })
  @ApiOkResponse({ type: FollowupGroupResponse })
  async setStatus(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: FollowupStatusDto): Promise<FollowupGroupView> {
    return this.groups.setStatus(principal, id, body.status);
  }

  @Get('follow-up-groups/:id/posts')
  @Access('authenticated')
  @ApiOperation({ summary: 'Posts of the group’s space, newest first (active members, organisers)' })
  @ApiOkResponse({ type: FollowupPostPageResponse })
  async posts(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<Page<FollowupPostView>> {
    return this.groups.posts(principal, id, query);
  }

  @Post('follow-up-groups/:id/posts')
  @Access('authenticated')
  @ApiOperation({ summary: 'Post a short progress update (active members)' })
  @ApiCreatedResponse({ type: FollowupPostResponse })
  async post(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: FollowupPostDto): Promise<FollowupPostView> {
    return this.groups.post(principal, id, body.body);
  }

  @Public()
  @Get('open-data/joint-commitments')
  @Header('cache-control', 'public, max-age=300')
  @ApiTags('open data')
  @ApiOperation({ summary: 'Joint commitments of follow-up groups and how many were kept, by country and by hub institution of their members; rows under 5 suppressed (null)' })
  @ApiOkResponse({ type: JointKeptResponse })
  async kept(): Promise<JointKeptDocument> {
    return this.groups.keptAggregate();
  }
}
