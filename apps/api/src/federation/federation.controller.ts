import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CourseAuthoringService } from '@lms/catalog';
import type { RecognitionResult } from '@lms/competency';
import { ReqMeta, type RequestMeta } from '@lms/identity';
import { Access, CurrentUser, Public, type Principal } from '@lms/platform';
import { FederationService, type CatalogFeed } from './federation.service.js';

/** What peers read: the signed catalog feed and the packages it links to (docs/hub.md). */
@ApiTags('federation')
@Controller({ path: 'federation', version: VERSION_NEUTRAL })
export class FederationPublicController {
  constructor(
    @Inject(FederationService) private readonly federation: FederationService,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
  ) {}

  @Get('catalog')
  @Public()
  @ApiOperation({
    summary: "Public: this instance's catalog feed — its public courses and its issuer keys — as a compact JWS (EdDSA, typ lms-catalog-feed+jwt) signed with the active issuer key",
  })
  @ApiProduces('application/jwt')
  @ApiOkResponse({ schema: { type: 'string' } })
  async catalog(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', 'application/jwt');
    reply.header('cache-control', 'public, max-age=60');
    return this.federation.signedFeed();
  }

  @Get('courses/:slug/versions/:version/package')
  @Public()
  @ApiOperation({ summary: 'Public: a published version of a public course as the JSON course package (the body PUT /courses/:slug/draft takes)' })
  @ApiOkResponse()
  async package(@Param('slug') slug: string, @Param('version', ParseIntPipe) version: number): Promise<unknown> {
    return this.authoring.publicPackage(slug, version);
  }
}

/** Trusted peers as this instance sees them, and recognition of their credentials. */
@ApiTags('federation')
@ApiBearerAuth()
@Controller()
export class FederationController {
  constructor(@Inject(FederationService) private readonly federation: FederationService) {}

  @Get('federation/peers')
  @Access('admin')
  @ApiOperation({ summary: 'Admin: the trusted peers (FEDERATION_PEERS) with their pinned keys' })
  @ApiOkResponse()
  peers(): { items: ReturnType<FederationService['peers']> } {
    return { items: this.federation.peers() };
  }

  @Get('federation/peers/catalog')
  @Access('author', 'admin')
  @ApiOperation({ summary: "Author, admin: a trusted peer's catalog feed, read now and verified against the pinned key (404 untrusted_peer, 502 peer_key_mismatch / peer_feed_invalid / peer_unreachable)" })
  @ApiQuery({ name: 'url', required: true, description: "the peer's URL as configured" })
  @ApiOkResponse()
  async peerCatalog(@Query('url') url: unknown): Promise<CatalogFeed> {
    return this.federation.peerFeed(this.federation.peer(url));
  }

  @Post('federation/imports')
  @HttpCode(201)
  @Access('author', 'admin')
  @ApiOperation({
    summary:
      "Author of the school, admin: import a trusted peer's public course for adaptation — a new private course of `school` whose draft is the peer's package {peer, slug, school, as?}. 409 licence_forbids_adaptation / course_exists; 404 untrusted_peer / peer_course_not_found",
  })
  @ApiCreatedResponse()
  importCourse(@CurrentUser() principal: Principal, @Body() body: unknown): ReturnType<FederationService['importCourse']> {
    return this.federation.importCourse(principal, body);
  }

  @Post('me/recognitions')
  @HttpCode(201)
  @Access('authenticated')
  @ApiOperation({
    summary:
      "Recognise an Open Badges 3.0 credential (VC-JWT) of a trusted peer: verified (issuer, signature, dates, holder, status) and recorded as competency evidence for the caller. The holder check: one of the credential's emailAddress IdentityObjects must be the salted hash of the caller's e-mail (`holderVerified` in the answer; false only when FEDERATION_ACCEPT_UNBOUND lets a credential without one through). Refusals: 422 untrusted_issuer, untrusted_key, bad_signature, credential_expired, credential_not_yet_valid, holder_mismatch, holder_unbound, credential_revoked; 400 credential_malformed; 409 credential_already_recognised; 502 when the peer cannot be read",
  })
  @ApiCreatedResponse()
  recognise(@CurrentUser() principal: Principal, @Body() body: unknown, @ReqMeta() meta: RequestMeta): Promise<RecognitionResult> {
    return this.federation.recognise(principal, body, meta.requestId);
  }
}
