import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { Clock, NotificationNotFoundError, NotificationPreferences, NotificationRepository, type NotificationView, type Preferences } from '@lms/notifications';
import { MarkedReadDto, NotificationDto, NotificationListQuery, NotificationPageDto } from './dto/notification.dto.js';
import { NotificationPreferencesDto, NotificationPreferencesViewDto } from './dto/notification-preferences.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me')
export class MyNotificationsController {
  constructor(
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(NotificationPreferences) private readonly preferences: NotificationPreferences,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Access('authenticated')
  @Get('notifications')
  @ApiOperation({ summary: 'My in-app notifications: unread first, then newest first (paginated)' })
  @ApiOkResponse({ type: NotificationPageDto })
  async list(@CurrentUser() me: Principal, @Query() query: NotificationListQuery): Promise<NotificationPageDto> {
    const { items, total, unread } = await this.notifications.listForUser(me.userId, { offset: query.offset, limit: query.limit, unreadOnly: query.unread });
    return { items, page: query.page, limit: query.limit, total, unread };
  }

  @Access('authenticated')
  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read' })
  @ApiOkResponse({ type: MarkedReadDto })
  async readAll(@CurrentUser() me: Principal): Promise<MarkedReadDto> {
    return { updated: await this.notifications.markAllRead(me.userId, this.clock.now()) };
  }

  @Access('authenticated')
  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read (idempotent; another person’s is 404)' })
  @ApiOkResponse({ type: NotificationDto })
  async read(@CurrentUser() me: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<NotificationView> {
    const n = await this.notifications.markRead(me.userId, id, this.clock.now());
    if (!n) throw new NotificationNotFoundError(id);
    return n;
  }

  @Access('authenticated')
  @Get('notification-preferences')
  @ApiOperation({ summary: 'My notification preferences (defaults: e-mail on, daily digest)' })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  async getPreferences(@CurrentUser() me: Principal): Promise<Preferences> {
    return this.preferences.get(me.userId);
  }

  @Access('authenticated')
  @Put('notification-preferences')
  @ApiOperation({
    summary: 'Set my notification preferences',
    description: 'E-mail off still leaves in-app notifications on: reminders for mandatory (assigned) training cannot be switched off entirely.',
  })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  async setPreferences(@CurrentUser() me: Principal, @Body() body: NotificationPreferencesDto): Promise<Preferences> {
    return this.preferences.set(me.userId, { email: body.email, digest: body.digest });
  }
}
