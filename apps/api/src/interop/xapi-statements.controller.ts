import { Body, Controller, Get, HttpCode, Inject, Post, Put, Query, Req, Res, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type LrsClientIdentity, StatementService, XapiBadRequestError } from '@lms/interop';
import { Public } from '@lms/platform';
import { LrsAccess, LrsAuthGuard } from './lrs-auth.guard.js';

interface LrsRequest {
  lrsClient: LrsClientIdentity;
}

/** xAPI 1.0.3 Statements resource (docs/xapi.md). Basic auth of an LRS client, not the platform's tokens. */
@ApiExcludeController()
@Public()
@UseGuards(LrsAuthGuard)
@Controller({ path: 'xapi/statements', version: VERSION_NEUTRAL })
export class XapiStatementsController {
  constructor(@Inject(StatementService) private readonly statements: StatementService) {}

  @Post()
  @HttpCode(200)
  @LrsAccess('statements/write')
  async post(@Req() req: LrsRequest, @Body() body: unknown, @Query() query: Record<string, unknown>): Promise<string[]> {
    if (Object.keys(query).length) throw new XapiBadRequestError('POST /xapi/statements takes no parameters (the alternate request syntax is not supported)');
    return this.statements.store(body, req.lrsClient);
  }

  @Put()
  @HttpCode(204)
  @LrsAccess('statements/write')
  async put(@Req() req: LrsRequest, @Body() body: unknown, @Query() query: Record<string, unknown>): Promise<void> {
    const extra = Object.keys(query).filter((k) => k !== 'statementId');
    if (extra.length) throw new XapiBadRequestError(`Unknown parameter ${extra[0]}`, [{ field: extra[0], message: 'PUT takes only statementId' }]);
    const id = query.statementId;
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new XapiBadRequestError('statementId is required and must be a UUID', [{ field: 'statementId', message: 'a UUID' }]);
    }
    if (Array.isArray(body)) throw new XapiBadRequestError('PUT takes one statement, not a list');
    await this.statements.store(body, req.lrsClient, id.toLowerCase());
  }

  @Get()
  @LrsAccess('statements/read')
  async get(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const result = await this.statements.get(query);
    reply.header('X-Experience-API-Consistent-Through', new Date().toISOString());
    if (result.kind === 'one') {
      reply.header('Last-Modified', result.stored.toUTCString());
      return result.statement;
    }
    return { statements: result.statements, more: result.more };
  }
}
