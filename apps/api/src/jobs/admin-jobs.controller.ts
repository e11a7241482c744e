import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access, AppConfig, NotFoundError, Page } from '@lms/platform';
import { FailedJob, JobProbes, JobsAdmin, ProbeStatus } from '@lms/jobs';
import { FailedJobPageDto, FailedJobsQuery, ProbeStartedDto, ProbeStatusDto, RunJobResponseDto, StartProbeDto } from './dto/jobs.dto.js';
import { BOARD_COOKIE, BOARD_PATH } from './jobs-board.js';

interface Reply {
  header(name: string, value: string): Reply;
}
interface RequestWithAuth {
  headers: Record<string, string | string[] | undefined>;
}

@ApiTags('admin: jobs')
@ApiBearerAuth()
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(
    @Inject(JobsAdmin) private readonly jobs: JobsAdmin,
    @Inject(JobProbes) private readonly probes: JobProbes,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Access('admin')
  @Get('failed')
  @ApiOperation({ summary: 'Jobs that failed their last attempt, newest first' })
  @ApiOkResponse({ type: FailedJobPageDto })
  failed(@Query() query: FailedJobsQuery): Promise<Page<FailedJob>> {
    return this.jobs.failed(query);
  }

  @Access('admin')
  @Post('probes')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a probe of the job pipeline',
    description: 'Writes a probe and its outbox event in one transaction; the probe job then runs through the relay, the queue and a worker. Read it back with GET probes/:id.',
  })
  @ApiResponse({ status: 202, type: ProbeStartedDto })
  async startProbe(@Body() body: StartProbeDto): Promise<ProbeStartedDto> {
    return { probeId: await this.probes.start({ holdMs: body.holdMs, failAttempts: body.failAttempts }) };
  }

  @Access('admin')
  @Get('probes/:id')
  @ApiOperation({ summary: 'A probe: how often its job ran and whether its effect happened' })
  @ApiOkResponse({ type: ProbeStatusDto })
  async probe(@Param('id', new ParseUUIDPipe()) id: string): Promise<ProbeStatus> {
    const status = await this.probes.status(id);
    if (!status) throw new NotFoundError('Probe', id);
    return status;
  }

  @Access('admin')
  @Post('dashboard-session')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Open the queue dashboard in this browser',
    description: `Sets an HttpOnly cookie (path ${BOARD_PATH}) holding the caller's access token, so a browser can open ${BOARD_PATH}; it expires with the token.`,
  })
  @ApiNoContentResponse()
  dashboardSession(@Req() request: RequestWithAuth, @Res({ passthrough: true }) reply: Reply): void {
    const header = request.headers['authorization'];
    const token = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '').trim() : '';
    const secure = this.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    reply.header('set-cookie', `${BOARD_COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${this.config.accessTokenTtlSeconds}${secure}`);
  }

  @Access('admin')
  @Post(':name/run')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Run a scheduled job now',
    description: "`name` is the job ('notifications.reminder-sweep') or its short form ('reminder-sweep'). Unknown → 404.",
  })
  @ApiResponse({ status: 202, type: RunJobResponseDto })
  run(@Param('name') name: string): Promise<RunJobResponseDto> {
    return this.jobs.runScheduled(name);
  }
}
