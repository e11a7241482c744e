import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Cmi5LaunchService, Cmi5Service } from '@lms/interop';
import { Access, CurrentUser, type Principal, Public } from '@lms/platform';

/** cmi5 launch and the one-time fetch URL (docs/interop.md). */
@ApiTags('interop')
@Controller()
export class Cmi5Controller {
  constructor(
    @Inject(Cmi5Service) private readonly cmi5: Cmi5Service,
    @Inject(Cmi5LaunchService) private readonly launches: Cmi5LaunchService,
  ) {}

  @Post('enrolments/:id/cmi5/:auId/launch')
  @ApiBearerAuth()
  @Access('authenticated')
  @ApiOperation({ summary: 'Launch a cmi5 AU of an own enrolment: earlier unterminated sessions abandoned, a new session, LMS.LaunchData, and the launch URL' })
  launch(@Param('id', ParseUUIDPipe) id: string, @Param('auId', ParseUUIDPipe) auId: string, @CurrentUser() principal: Principal): Promise<{ url: string; sessionId: string; registration: string; abandoned: string[] }> {
    return this.launches.launch(principal, id, auId);
  }

  /** Open by design (the AU holds only the URL): the token in the path is the credential, usable once. */
  @Post('cmi5/fetch/:token')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'cmi5 fetch URL: the session credentials for the LRS, once' })
  fetch(@Param('token') token: string): Promise<Record<string, string>> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return Promise.resolve({ 'error-code': '2', 'error-text': 'This fetch URL is not valid or has expired' });
    return this.cmi5.fetch(token);
  }
}
