import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig, Public } from '@lms/platform';
import { CurrentScimClient, parseListQuery, ReqMeta, ScimClientGuard, type RequestMeta, type ScimCaller } from '@lms/identity';
import { ScimGroupService } from '@lms/competency';

interface LocationReply {
  header(name: string, value: string): unknown;
}

/** SCIM 2.0 Groups: job roles, membership = the people of the client's subtree holding the role. */
@ApiExcludeController()
@Public()
@UseGuards(ScimClientGuard)
@Controller({ path: 'scim/v2/Groups', version: VERSION_NEUTRAL })
export class ScimGroupsController {
  constructor(
    @Inject(ScimGroupService) private readonly groups: ScimGroupService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@CurrentScimClient() caller: ScimCaller, @Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.groups.list(caller, parseListQuery(query));
  }

  @Get(':id')
  async get(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return this.groups.get(caller, id, parseListQuery({ excludedAttributes: query['excludedAttributes'] }).excludedAttributes);
  }

  @Post()
  @HttpCode(201)
  async create(
    @CurrentScimClient() caller: ScimCaller,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: LocationReply,
  ): Promise<Record<string, unknown>> {
    const created = await this.groups.create(caller, body, meta);
    reply.header('location', `${this.config.publicUrl}/scim/v2/Groups/${encodeURIComponent(String(created['id']))}`);
    return created;
  }

  @Put(':id')
  async replace(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    return this.groups.replace(caller, id, body, meta);
  }

  @Patch(':id')
  async patch(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    return this.groups.patch(caller, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentScimClient() caller: ScimCaller, @Param('id') id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.groups.delete(caller, id, meta);
  }
}
