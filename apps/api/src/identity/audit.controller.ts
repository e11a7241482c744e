import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type Page } from '@lms/platform';
import { AuditLog, type AuditEventView } from '@lms/identity';
import { AuditQuery } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditLog) private readonly audit: AuditLog) {}

  @Access('admin')
  @Get()
  @ApiOperation({ summary: 'The audit log, newest first, by subject (and actor, action)' })
  @ApiOkResponse()
  async list(@Query() query: AuditQuery): Promise<Page<AuditEventView>> {
    return this.audit.list(query);
  }
}
