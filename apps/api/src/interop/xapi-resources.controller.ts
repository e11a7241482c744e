import { Controller, Get, Inject, Query, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parseAgentParam, personOf, StatementService, XapiBadRequestError } from '@lms/interop';
import { Public } from '@lms/platform';
import { LrsAccess, LrsAuthGuard, XAPI_VERSION } from './lrs-auth.guard.js';

function only(query: Record<string, unknown>, allowed: string): void {
  const extra = Object.keys(query).filter((k) => k !== allowed);
  if (extra.length) throw new XapiBadRequestError(`Unknown parameter ${extra[0]}`, [{ field: extra[0], message: `only ${allowed} is taken` }]);
}

/** xAPI Activities, Agents and About resources. */
@ApiExcludeController()
@Public()
@UseGuards(LrsAuthGuard)
@Controller({ path: 'xapi', version: VERSION_NEUTRAL })
export class XapiResourcesController {
  constructor(@Inject(StatementService) private readonly statements: StatementService) {}

  @Get('activities')
  @LrsAccess('statements/read')
  activity(@Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    only(query, 'activityId');
    return this.statements.activity(query.activityId);
  }

  @Get('agents')
  @LrsAccess('statements/read')
  agent(@Query() query: Record<string, unknown>): Record<string, unknown> {
    only(query, 'agent');
    return personOf(parseAgentParam(query.agent).agent);
  }

  /** Open: what an LRS client reads before it knows which version to speak. */
  @Get('about')
  @LrsAccess(null)
  about(): { version: string[]; extensions: Record<string, unknown> } {
    return { version: [XAPI_VERSION, '1.0.2', '1.0.1', '1.0.0'], extensions: {} };
  }
}
