import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type CreatedLrsClient, LrsClientService, type LrsClientView } from '@lms/interop';
import { Access, CurrentUser, type Page, pageOf, PageQuery, type Principal } from '@lms/platform';
import { CreatedLrsClientResponse, CreateLrsClientDto } from './dto/lrs-client.dto.js';

/** Admins manage the credentials of the built-in LRS's clients (docs/xapi.md). */
@ApiTags('interop')
@ApiBearerAuth()
@Controller('admin/lrs-clients')
export class LrsClientsController {
  constructor(@Inject(LrsClientService) private readonly clients: LrsClientService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Admin: the LRS clients (never their secrets)' })
  async list(@Query() query: PageQuery): Promise<Page<LrsClientView>> {
    const { items, total } = await this.clients.list(query.page, query.limit);
    return pageOf(items, total, query);
  }

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Admin: create an LRS client; the answer holds its secret, shown this once' })
  @ApiCreatedResponse({ type: CreatedLrsClientResponse })
  create(@Body() dto: CreateLrsClientDto, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<CreatedLrsClient> {
    return this.clients.create(dto.name, dto.scopes, principal, String(request.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Admin: revoke an LRS client (its credentials stop working at once)' })
  async revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.clients.revoke(id, principal, String(request.id));
  }
}
