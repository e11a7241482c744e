import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentUser, ValidationError, type Principal } from '@lms/platform';
import { ReqMeta, type RequestMeta } from '@lms/identity';
import { PrivacyService, type ErasureResult } from '@lms/privacy';
import { ErasureDto, ErasureResponse } from './dto/erasure.dto.js';

type ExportFormat = 'zip' | 'json';

function formatOf(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'zip' || value === 'json') return value ?? 'zip';
  throw new ValidationError([{ field: 'format', message: 'format must be zip or json' }]);
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller()
export class PrivacyController {
  constructor(@Inject(PrivacyService) private readonly privacy: PrivacyService) {}

  @Get('me/data-export')
  @Access('authenticated')
  @ApiOperation({
    summary: 'Everything the module holds about me (GDPR Art. 15/20)',
    description: 'A zip with data.json and the certificate PDFs (default), or the JSON alone with `format=json`. Audited.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['zip', 'json'] })
  @ApiProduces('application/zip', 'application/json')
  async mine(@CurrentUser() principal: Principal, @Query('format') format: string | undefined, @ReqMeta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.send(principal, principal.userId, formatOf(format), meta, reply);
  }

  @Get('users/:id/data-export')
  @Access('admin')
  @ApiOperation({ summary: 'Admin: a person’s data export (same content as theirs). Audited.' })
  @ApiQuery({ name: 'format', required: false, enum: ['zip', 'json'] })
  @ApiProduces('application/zip', 'application/json')
  async forPerson(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('format') format: string | undefined,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return this.send(principal, id, formatOf(format), meta, reply);
  }

  @Post('users/:id/erasure')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Admin: erase a person’s personal data (GDPR Art. 17), audited',
    description:
      'Pseudonymises the person (name, e-mail), disables the account, deletes sessions, notifications, e-mails, reminders and sign-in attempts, removes the holder’s name, PDF and stored credential from their certificates (verification keeps answering, without a name) and clears personal values from audit events about them. Enrolments and evidence stay, pseudonymous, so aggregate figures remain truthful. Not reversible.',
  })
  @ApiOkResponse({ type: ErasureResponse })
  async erase(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ErasureDto, @ReqMeta() meta: RequestMeta): Promise<ErasureResult> {
    return this.privacy.erase(principal, id, body.reason, meta.requestId);
  }

  private async send(principal: Principal, userId: string, format: ExportFormat, meta: RequestMeta, reply: FastifyReply): Promise<unknown> {
    const exported = await this.privacy.exportFor(principal, userId, meta.requestId);
    reply.header('cache-control', 'no-store');
    if (format === 'json') return exported.data;
    reply.header('content-type', 'application/zip').header('content-disposition', `attachment; filename="personal-data-${userId}.zip"`);
    return exported.zip();
  }
}
