import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  FederatedSignInError,
  OIDC_STATE_COOKIE,
  OIDC_STATE_TTL_SECONDS,
  OidcSignInService,
  readCookie,
  requestMetaOf,
  SamlSignInService,
  serializeCookie,
} from '@lms/identity';
import type { FederationFailure } from '@lms/identity';
import { Public } from '@lms/platform';
import { safeReturnTo } from './html.js';
import type { MessageKey } from './messages/en.js';
import { federatedErrorPage } from './pages/auth.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const PROVIDER_KEY = /^[a-z0-9][a-z0-9-]{0,31}$/;

const FAILURE_TEXT: Record<FederationFailure, MessageKey> = {
  unknown_provider: 'sso.error.unknownProvider',
  invalid_response: 'sso.error.invalid',
  state_mismatch: 'sso.error.expired',
  replayed: 'sso.error.replayed',
  provider_unavailable: 'sso.error.unavailable',
  email_missing: 'sso.error.emailMissing',
  email_unverified: 'sso.error.emailUnverified',
  not_linked: 'sso.error.notLinked',
  identity_conflict: 'sso.error.conflict',
  account_disabled: 'sso.error.disabled',
};

/**
 * Federated sign-in endpoints (paths fixed by API.md, no /api/v1 prefix): OpenID Connect login and
 * callback, SAML metadata, login and assertion consumer. A successful sign-in ends exactly like a
 * password sign-in on the sign-in page: a web session cookie and a redirect to where the person
 * was going. A refused one ends on a page saying why (4xx; 502 when the provider is unreachable).
 * People who sign in here skip this site's own second factor: the identity provider does MFA.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: VERSION_NEUTRAL })
export class FederationPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(OidcSignInService) private readonly oidc: OidcSignInService,
    @Inject(SamlSignInService) private readonly saml: SamlSignInService,
  ) {}

  @Get('auth/oidc/:provider/login')
  @Public()
  async oidcLogin(
    @Param('provider') key: string,
    @Query('returnTo') returnTo: unknown,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.guarded(req, reply, async () => {
      const { url, sealedState } = await this.oidc.start(this.checkedKey(key), safeReturnTo(returnTo));
      void reply.header('set-cookie', this.stateCookie(sealedState, OIDC_STATE_TTL_SECONDS));
      await reply.header('cache-control', 'no-store').redirect(url, 302);
    });
  }

  @Get('auth/oidc/:provider/callback')
  @Public()
  async oidcCallback(
    @Param('provider') key: string,
    @Query() query: Record<string, unknown>,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The sign-in state is single-use: dropped whatever the outcome.
    void reply.header('set-cookie', this.stateCookie('', 0));
    await this.guarded(req, reply, async () => {
      const sealed = readCookie(req.headers.cookie, OIDC_STATE_COOKIE);
      const result = await this.oidc.finish(this.checkedKey(key), query ?? {}, sealed, requestMetaOf(req));
      await this.startSession(req, reply, result.userId, result.returnTo);
    });
  }

  @Get('auth/saml/:provider/metadata')
  @Public()
  async samlMetadata(@Param('provider') key: string, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.guarded(req, reply, async () => {
      const xml = await this.saml.metadata(this.checkedKey(key));
      await reply
        .status(200)
        .header('content-type', 'application/samlmetadata+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(xml);
    });
  }

  @Get('auth/saml/:provider/login')
  @Public()
  async samlLogin(
    @Param('provider') key: string,
    @Query('returnTo') returnTo: unknown,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.guarded(req, reply, async () => {
      const url = await this.saml.loginUrl(this.checkedKey(key), safeReturnTo(returnTo));
      await reply.header('cache-control', 'no-store').redirect(url, 302);
    });
  }

  /** The IdP's HTTP-POST binding: a cross-site form post, so no CSRF token (the signed, single-use assertion is the proof). */
  @Post('auth/saml/:provider/acs')
  @Public()
  async samlAcs(@Param('provider') key: string, @Body() body: unknown, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.guarded(req, reply, async () => {
      const form = formOf(body);
      const response = Array.isArray(form.SAMLResponse) ? undefined : form.SAMLResponse;
      const result = await this.saml.finish(this.checkedKey(key), response, requestMetaOf(req));
      // RelayState comes back from the IdP unsigned: only ever a path on this site.
      await this.startSession(req, reply, result.userId, safeReturnTo(field(form, 'RelayState', 2048)));
    });
  }

  private checkedKey(key: string): string {
    if (typeof key !== 'string' || !PROVIDER_KEY.test(key)) throw new FederatedSignInError('unknown_provider');
    return key;
  }

  /** The same session a password sign-in starts; a session this browser already had is ended. */
  private async startSession(req: WebRequest, reply: FastifyReply, userId: string, returnTo: string): Promise<void> {
    if (req.user?.via === 'cookie') await this.contexts.sessions.end(req.user);
    const session = await this.contexts.sessions.start(userId);
    // Fastify adds to Set-Cookie (the state cookie being cleared stays).
    void reply.header('set-cookie', this.contexts.sessions.setCookie(session.value)).header('cache-control', 'no-store');
    await seeOther(reply, returnTo);
  }

  private stateCookie(value: string, maxAgeSeconds: number): string {
    return serializeCookie(OIDC_STATE_COOKIE, value, { secure: this.contexts.secureCookies, maxAgeSeconds }).replace(
      'Path=/',
      'Path=/auth/oidc/',
    );
  }

  /** Refusals become a page that says why, in the reader's language; anything else goes to the page filter. */
  private async guarded(req: WebRequest, reply: FastifyReply, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!(e instanceof FederatedSignInError)) throw e;
      const ctx = await this.contexts.build(req, reply);
      await sendPage(reply, federatedErrorPage(ctx, ctx.t.t(FAILURE_TEXT[e.reason]), e.status), e.status, 'no-store');
    }
  }
}
