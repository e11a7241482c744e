import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, PageQuery } from '@lms/platform';
import { EmailMessageRepository, FailedEmailNotFoundError } from '@lms/notifications';
import { FailedEmailPageDto, RequeuedEmailDto } from './dto/failed-email.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('admin/notifications')
export class AdminNotificationsController {
  constructor(@Inject(EmailMessageRepository) private readonly emails: EmailMessageRepository) {}

  @Access('admin')
  @Get('failed')
  @ApiOperation({ summary: 'E-mails that failed after their last attempt (newest first, paginated)' })
  @ApiOkResponse({ type: FailedEmailPageDto })
  async failed(@Query() query: PageQuery): Promise<FailedEmailPageDto> {
    const { items, total } = await this.emails.listFailed(query.offset, query.limit);
    return { items, page: query.page, limit: query.limit, total };
  }

  @Access('admin')
  @Post('failed/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a failed e-mail for a fresh round of attempts' })
  @ApiAcceptedResponse({ type: RequeuedEmailDto })
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<RequeuedEmailDto> {
    if (!(await this.emails.requeueFailed(id))) throw new FailedEmailNotFoundError(id);
    return { id, state: 'queued' };
  }
}
