import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Req, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig, DomainError, HealthRegistry, IdentifyIfSignedIn, isAdmin, MetricsRegistry, type Principal, Public } from '@lms/platform';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

class MetricsClosedError extends DomainError {
  constructor(configured: boolean) {
    super(
      'metrics_token_required',
      configured ? 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"' : 'Metrics are closed in production mode: set METRICS_TOKEN and send it as a bearer token',
      401,
    );
    this.headers = { 'www-authenticate': 'Bearer realm="metrics"' };
  }
}

@ApiTags('operations')
@Controller({ version: VERSION_NEUTRAL })
export class OperationsController {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(MetricsRegistry) private readonly metrics: MetricsRegistry,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('health/live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @IdentifyIfSignedIn()
  @Get('health/ready')
  @ApiOperation({
    summary: 'Dependencies (database, Redis when configured, workers) answer; 503 when one does not. The checks are shown to admins and to the metrics token only.',
  })
  @ApiOkResponse()
  async ready(@Req() request: { user?: Principal }, @Headers('authorization') authorization: string | undefined, @Res() reply: Reply): Promise<void> {
    const report = await this.health.report();
    const detailed = (request.user && isAdmin(request.user)) || this.hasMetricsToken(authorization);
    reply.status(report.status === 'ok' ? 200 : 503).send(detailed ? report : { status: report.status });
  }

  @Public()
  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (bearer METRICS_TOKEN; open without one only in embedded mode)' })
  @ApiOkResponse()
  async metricsText(@Headers('authorization') authorization: string | undefined, @Res() reply: Reply): Promise<void> {
    const open = !this.config.metricsToken && this.config.isEmbedded;
    if (!open && !this.hasMetricsToken(authorization)) throw new MetricsClosedError(!!this.config.metricsToken);
    reply.header('content-type', this.metrics.contentType).send(await this.metrics.text());
  }

  private hasMetricsToken(authorization: string | undefined): boolean {
    const expected = this.config.metricsToken;
    const given = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!expected || !given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
