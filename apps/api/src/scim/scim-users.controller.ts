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
import { Public } from '@lms/platform';
import {
  CurrentScimClient,
  parseListQuery,
  ReqMeta,
  ScimClientGuard,
  ScimUserService,
  type RequestMeta,
  type ScimCaller,
} from '@lms/identity';

interface LocationReply {
  header(name: string, value: string): unknown;
}

function excluded(query: Record<string, unknown>): Set<string> {
  return parseListQuery({ excludedAttributes: query['excludedAttributes'] }).excludedAttributes;
}

/**
 * SCIM 2.0 Users (RFC 7644) for provisioning clients: authenticated by ScimClientGuard with a
 * client token (the global guard leaves @Public routes alone), scoped to the client's subtree.
 */
@ApiExcludeController()
@Public()
@UseGuards(ScimClientGuard)
@Controller({ path: 'scim/v2/Users', version: VERSION_NEUTRAL })
export class ScimUsersController {
  constructor(@Inject(ScimUserService) private readonly users: ScimUserService) {}

  @Get()
  async list(@CurrentScimClient() caller: ScimCaller, @Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.users.list(caller, parseListQuery(query));
  }

  @Get(':id')
  async get(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return this.users.get(caller, id, excluded(query));
  }

  @Post()
  @HttpCode(201)
  async create(
    @CurrentScimClient() caller: ScimCaller,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: LocationReply,
  ): Promise<Record<string, unknown>> {
    const created = await this.users.create(caller, body, meta);
    reply.header('location', this.users.location(String(created['id'])));
    return created;
  }

  @Put(':id')
  async replace(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    return this.users.replace(caller, id, body, meta);
  }

  @Patch(':id')
  async patch(
    @CurrentScimClient() caller: ScimCaller,
    @Param('id') id: string,
    @Body() body: unknown,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    return this.users.patch(caller, id, body, meta);
  }

  /** Deactivates (never erases): records and certificates stay. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentScimClient() caller: ScimCaller, @Param('id') id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    await this.users.deactivate(caller, id, meta);
  }
}
