import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isUiLocale } from '@lms/i18n';
import { AuthService, InvalidCredentialsError, LoginThrottledError, serializeCookie, UserService } from '@lms/identity';
import { Access, AppConfig, CurrentUser, Public } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { SignInSteps } from './account-pages.controller.js';
import { safeReturnTo } from './html.js';
import { signInPage, signOutPage } from './pages/auth.pages.js';
import { errorPage } from './pages/auth.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { LANGUAGE_COOKIE, WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** Sign-in, sign-out and the language switch (the forms every page shows). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: VERSION_NEUTRAL })
export class AuthPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UserService) private readonly users: UserService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SignInSteps) private readonly steps: SignInSteps,
  ) {}

  /** The configured identity providers as sign-in buttons, returning to the same place. */
  private providers(returnTo: string): Array<{ name: string; href: string }> {
    const query = returnTo === '/' ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
    return this.config.federatedProviders.map((p) => ({ name: p.name, href: `/auth/${p.protocol}/${p.key}/login${query}` }));
  }

  @Get('sign-in')
  @Public()
  async signInForm(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query('returnTo') returnTo?: string,
    @Query('signedOut') signedOut?: string,
    @Query('passwordSet') passwordSet?: string,
    @Query('passwordChanged') passwordChanged?: string,
  ): Promise<void> {
    const target = safeReturnTo(returnTo);
    if (req.user) return seeOther(reply, target);
    const ctx = await this.contexts.build(req, reply);
    const passwordNotice = passwordSet === '1' ? 'passwordSet' : passwordChanged === '1' ? 'passwordChanged' : undefined;
    await sendPage(reply, signInPage(ctx, { returnTo: target, signedOut: signedOut === '1', continuing: target !== '/', passwordNotice, providers: this.providers(target) }), 200, 'no-store');
  }

  @Post('sign-in')
  @Public()
  async signIn(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const ctx = await this.contexts.build(req, reply);
    const { t } = ctx;
    const returnTo = safeReturnTo(field(form, 'returnTo', 2048));
    if (!this.contexts.checkFormToken(req, form._csrf)) {
      return sendPage(reply, errorPage(ctx, { title: t.t('error.forbidden.title'), body: t.t('error.csrf.body') }), 403, 'no-store');
    }
    const email = field(form, 'email', 254);
    const password = typeof form.password === 'string' ? form.password.slice(0, 256) : '';
    const errors = [
      ...(email ? [] : [{ field: 'email', message: t.t('signIn.emailRequired') }]),
      ...(password ? [] : [{ field: 'password', message: t.t('signIn.passwordRequired') }]),
    ];
    if (errors.length) return sendPage(reply, signInPage(ctx, { email, returnTo, errors, providers: this.providers(returnTo) }), 400, 'no-store');
    let userId: string;
    try {
      userId = await this.auth.verifyCredentials(email, password, req.ip);
    } catch (e) {
      if (e instanceof InvalidCredentialsError)
        return sendPage(reply, signInPage(ctx, { email, returnTo, providers: this.providers(returnTo), errors: [{ field: 'email', message: t.t('signIn.failed') }] }), 401, 'no-store');
      if (e instanceof LoginThrottledError) {
        const seconds = Number(e.extra.retryAfter ?? 60);
        void reply.header('retry-after', String(seconds));
        return sendPage(reply, signInPage(ctx, { email, returnTo, providers: this.providers(returnTo), errors: [{ field: 'email', message: t.t('error.tooMany', { seconds }) }] }), 429, 'no-store');
      }
      throw e;
    }
    // A session now, or first the second step (or its enrolment) when the person needs one.
    await this.steps.afterPassword(ctx, reply, userId, returnTo);
  }

  @Get('sign-out')
  @Public()
  async signOutForm(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!req.user) return seeOther(reply, '/sign-in');
    await sendPage(reply, signOutPage(await this.contexts.build(req, reply)));
  }

  /** Ends the session and tells the browser to drop this site's caches and storage (offline copies, queue). */
  @Post('sign-out')
  @Access('authenticated')
  async signOut(@CurrentUser() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    await this.contexts.sessions.end(principal);
    void reply.header('set-cookie', this.contexts.sessions.clearCookie()).header('clear-site-data', '"cache", "storage"');
    await seeOther(reply, '/sign-in?signedOut=1');
  }

  /** The language switch on every page: the person's profile when signed in, else a cookie. */
  @Post('language')
  @Public()
  async language(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const locale = field(form, 'locale', 20);
    const returnTo = safeReturnTo(field(form, 'returnTo', 2048));
    const tokenOk = req.user?.sessionId ? this.contexts.sessions.checkCsrf(req.user.sessionId, form._csrf) : this.contexts.checkFormToken(req, form._csrf);
    if (!tokenOk || !isUiLocale(locale, this.contexts.uiLocales)) {
      const ctx = await this.contexts.build(req, reply);
      return sendPage(reply, errorPage(ctx, { title: ctx.t.t('error.forbidden.title'), body: ctx.t.t(tokenOk ? 'error.badRequest.body' : 'error.csrf.body') }), tokenOk ? 400 : 403, 'no-store');
    }
    if (req.user) await this.users.updateOwnSettings(req.user, { locale });
    void reply.header('set-cookie', serializeCookie(LANGUAGE_COOKIE, locale, { secure: this.contexts.secureCookies, maxAgeSeconds: 365 * 86_400 }));
    await seeOther(reply, returnTo);
  }
}
