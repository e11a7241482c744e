import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Post, Put, Query, Res, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DocumentService, type XapiDocumentKind } from '@lms/interop';
import { Public } from '@lms/platform';
import { LrsAccess, LrsAuthGuard } from './lrs-auth.guard.js';
import { XAPI_DOCUMENT_BODY } from './xapi-body.js';

type Headers = Record<string, string | undefined>;

/** Shared handling of the three document resources (state, activity profile, agent profile). */
abstract class DocumentResource {
  protected abstract readonly kind: XapiDocumentKind;
  constructor(protected readonly documents: DocumentService) {}

  protected async read(query: Record<string, unknown>, reply: FastifyReply): Promise<unknown> {
    const { address, documentId, since } = this.documents.address(this.kind, query, false);
    if (documentId === undefined) return this.documents.ids(address, since);
    const doc = await this.documents.get(address, documentId);
    reply.header('ETag', doc.etag).header('Last-Modified', doc.updatedAt.toUTCString()).type(doc.contentType);
    return doc.content;
  }

  protected async write(query: Record<string, unknown>, body: unknown, headers: Headers, mode: 'put' | 'post', reply: FastifyReply): Promise<void> {
    const { address, documentId } = this.documents.address(this.kind, query, true);
    const etag = await this.documents.write(address, documentId!, { body, contentType: headers['content-type'] }, mode, { ifMatch: headers['if-match'], ifNoneMatch: headers['if-none-match'] });
    reply.header('ETag', etag);
  }

  protected async remove(query: Record<string, unknown>, headers: Headers): Promise<void> {
    const { address, documentId } = this.documents.address(this.kind, query, this.kind !== 'state');
    await this.documents.delete(address, documentId, { ifMatch: headers['if-match'], ifNoneMatch: headers['if-none-match'] });
  }
}

/** xAPI State resource: documents per (activity, agent, registration, stateId). */
@ApiExcludeController()
@Public()
@UseGuards(LrsAuthGuard)
@Controller({ path: 'xapi/activities/state', version: VERSION_NEUTRAL })
export class XapiStateController extends DocumentResource {
  protected readonly kind = 'state' as const;
  constructor(@Inject(DocumentService) documents: DocumentService) {
    super(documents);
  }

  @Get()
  @LrsAccess('state')
  get(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.read(query, reply);
  }

  @Put()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('state')
  put(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'put', reply);
  }

  @Post()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('state')
  post(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'post', reply);
  }

  @Delete()
  @HttpCode(204)
  @LrsAccess('state')
  delete(@Query() query: Record<string, unknown>, @Headers() headers: Headers): Promise<void> {
    return this.remove(query, headers);
  }
}

/** xAPI Activity Profile resource: documents per (activity, profileId). */
@ApiExcludeController()
@Public()
@UseGuards(LrsAuthGuard)
@Controller({ path: 'xapi/activities/profile', version: VERSION_NEUTRAL })
export class XapiActivityProfileController extends DocumentResource {
  protected readonly kind = 'activity_profile' as const;
  constructor(@Inject(DocumentService) documents: DocumentService) {
    super(documents);
  }

  @Get()
  @LrsAccess('profile')
  get(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.read(query, reply);
  }

  @Put()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('profile')
  put(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'put', reply);
  }

  @Post()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('profile')
  post(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'post', reply);
  }

  @Delete()
  @HttpCode(204)
  @LrsAccess('profile')
  delete(@Query() query: Record<string, unknown>, @Headers() headers: Headers): Promise<void> {
    return this.remove(query, headers);
  }
}

/** xAPI Agent Profile resource: documents per (agent, profileId). */
@ApiExcludeController()
@Public()
@UseGuards(LrsAuthGuard)
@Controller({ path: 'xapi/agents/profile', version: VERSION_NEUTRAL })
export class XapiAgentProfileController extends DocumentResource {
  protected readonly kind = 'agent_profile' as const;
  constructor(@Inject(DocumentService) documents: DocumentService) {
    super(documents);
  }

  @Get()
  @LrsAccess('profile')
  get(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.read(query, reply);
  }

  @Put()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('profile')
  put(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'put', reply);
  }

  @Post()
  @HttpCode(204)
  @RouteConfig({ [XAPI_DOCUMENT_BODY]: true })
  @LrsAccess('profile')
  post(@Query() query: Record<string, unknown>, @Body() body: unknown, @Headers() headers: Headers, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    return this.write(query, body, headers, 'post', reply);
  }

  @Delete()
  @HttpCode(204)
  @LrsAccess('profile')
  delete(@Query() query: Record<string, unknown>, @Headers() headers: Headers): Promise<void> {
    return this.remove(query, headers);
  }
}
