import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, PageQuery, type Page, type Principal } from '@lms/platform';
import { ReqMeta, ScimClientService, type RequestMeta, type ScimClientView } from '@lms/identity';
import { CreateScimClientDto } from './scim-client.dto.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Access('admin')
@Controller('admin/scim-clients')
export class ScimClientsController {
  constructor(@Inject(ScimClientService) private readonly clients: ScimClientService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a SCIM provisioning client scoped to an org subtree; the answer holds its bearer token, shown only this once',
  })
  async create(
    @CurrentUser() principal: Principal,
    @Body() body: CreateScimClientDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ScimClientView & { token: string }> {
    return this.clients.create(principal, body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'SCIM provisioning clients (never their tokens)' })
  async list(@Query() query: PageQuery): Promise<Page<ScimClientView>> {
    return this.clients.list(query.page, query.limit);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a SCIM client: its token stops working at once' })
  async revoke(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<ScimClientView> {
    return this.clients.revoke(principal, id, meta);
  }
}
