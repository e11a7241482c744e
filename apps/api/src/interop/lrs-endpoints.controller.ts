import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type DeadLetterView, LrsEndpointService, type LrsEndpointView } from '@lms/interop';
import { Access, CurrentUser, type Page, pageOf, PageQuery, type Principal } from '@lms/platform';
import { CreateLrsEndpointDto, DeadLetterQuery, LrsEndpointResponse, UpdateLrsEndpointDto } from './dto/lrs-endpoint.dto.js';

/** Admins configure the external LRSs statements are forwarded to, and see and requeue dead letters (docs/xapi.md). */
@ApiTags('interop')
@ApiBearerAuth()
@Controller('admin/lrs-endpoints')
export class LrsEndpointsController {
  constructor(@Inject(LrsEndpointService) private readonly endpoints: LrsEndpointService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Admin: the external LRSs statements are forwarded to (never their passwords), with delivery counts' })
  async list(@Query() query: PageQuery): Promise<Page<LrsEndpointView>> {
    const { items, total } = await this.endpoints.list(query.page, query.limit);
    return pageOf(items, total, query);
  }

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Admin: add an external LRS (statements stored from now on are forwarded; older ones by back-fill)' })
  @ApiCreatedResponse({ type: LrsEndpointResponse })
  create(@Body() dto: CreateLrsEndpointDto, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<LrsEndpointView> {
    return this.endpoints.create(dto, principal, String(request.id));
  }

  @Get('dead-letters')
  @Access('admin')
  @ApiOperation({ summary: 'Admin: statements that could not be delivered after every retry (newest first)' })
  async deadLetters(@Query() query: DeadLetterQuery): Promise<Page<DeadLetterView>> {
    const { items, total } = await this.endpoints.deadLetters(query.endpointId, query.page, query.limit);
    return pageOf(items, total, query);
  }

  @Get(':id')
  @Access('admin')
  @ApiOkResponse({ type: LrsEndpointResponse })
  @ApiOperation({ summary: 'Admin: one external LRS' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<LrsEndpointView> {
    return this.endpoints.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOkResponse({ type: LrsEndpointResponse })
  @ApiOperation({ summary: 'Admin: change an external LRS (name, URL, credentials, filter)' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateLrsEndpointDto, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<LrsEndpointView> {
    return this.endpoints.update(id, dto, principal, String(request.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Admin: stop forwarding to an external LRS (deletes it and its delivery records)' })
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.endpoints.remove(id, principal, String(request.id));
  }

  @Post(':id/dead-letters/retry')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({ summary: 'Admin: put the endpoint’s dead letters back in the queue (after the LRS or its credentials were fixed)' })
  retry(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<{ requeued: number }> {
    return this.endpoints.retryDead(id, principal, String(request.id));
  }
}
