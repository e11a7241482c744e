import { Body, Controller, Get, Inject, Injectable, Param, Post, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isUiLocale } from '@lms/i18n';
import {
  AccountLinkError,
  InvitationService,
  MfaCodeError,
  MfaService,
  MfaThrottledError,
  MfaTokenError,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordResetService,
  PasswordResetThrottledError,
  passwordProblemCode,
  readCookie,
  serializeCookie,
  requestMetaOf,
  type AccountLinkHolder,
} from '@lms/identity';
import { AppConfig, Public } from '@lms/platform';
import { safeReturnTo } from './html.js';
import { Translator } from './i18n.js';
import type { PageContext } from './layout.js';
import type { MessageKey } from './messages/en.js';
import { errorPage, signInPage } from './pages/auth.pages.js';
import { type LinkState, linkProblemPage, mfaEnrolPage, mfaStepPage, recoveryCodesPage, resetRequestPage, resetSentPage, setPasswordPage } from './pages/account.pages.js';
import { field, formOf, seeOther, sendPage, type Form } from './respond.js';
import { LANGUAGE_COOKIE, WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { pdfLibraries } from '@lms/credentials';

type LinkKind = 'invitation' | 'password_reset';

const PASSWORD_MESSAGES: Record<NonNullable<ReturnType<typeof passwordProblemCode>>, MessageKey> = {
  too_short: 'password.tooShort',
  too_long: 'password.tooLong',
  too_common: 'password.tooCommon',
  repeated: 'password.repeated',
  is_email: 'password.isEmail',
};

/** Pages with a link secret in their path: no referrer leaves them, nothing stores them. */
function linkPageHeaders(reply: FastifyReply): void {
  void reply.header('referrer-policy', 'no-referrer');
}

/**
 * What follows a good password on the sign-in form: a session (no second factor needed), the
 * second-step page, or the enrolment page for a role that requires a second factor.
 */
@Injectable()
export class SignInSteps {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(MfaService) private readonly mfa: MfaService,
  ) {}

  async afterPassword(ctx: PageContext, reply: FastifyReply, userId: string, returnTo: string): Promise<void> {
    const challenge = await this.mfa.challengeFor(userId);
    if (!challenge) return this.startSession(reply, userId, returnTo);
    if ('mfaRequired' in challenge) return sendPage(reply, mfaStepPage(ctx, { mfaToken: challenge.mfaToken, returnTo }), 200, 'no-store');
    const enrolment = await this.mfa.startEnrolment(userId);
    return sendPage(reply, mfaEnrolPage(ctx, { mfaToken: challenge.mfaToken, returnTo, secret: enrolment.secret, qrSvg: await qrSvg(enrolment.otpauthUri) }), 200, 'no-store');
  }

  async startSession(reply: FastifyReply, userId: string, returnTo: string): Promise<void> {
    const session = await this.contexts.sessions.start(userId);
    void reply.header('set-cookie', this.contexts.sessions.setCookie(session.value));
    await seeOther(reply, returnTo);
  }
}

async function qrSvg(uri: string): Promise<string> {
  const { QRCode } = await pdfLibraries(); // shared with the certificates, loaded on first use
  return QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/**
 * Getting in without an HR-set password: the invitation page (/invitations/:token), password reset
 * (/password-reset, /password-reset/:token) and the second sign-in step (/sign-in/mfa,
 * /sign-in/mfa/enrol). Anonymous forms carry the double-submit form token; a link that cannot be
 * used says why in the language of the person it was for.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: VERSION_NEUTRAL })
export class AccountPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(InvitationService) private readonly invitations: InvitationService,
    @Inject(PasswordResetService) private readonly resets: PasswordResetService,
    @Inject(MfaService) private readonly mfa: MfaService,
    @Inject(SignInSteps) private readonly steps: SignInSteps,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  // --- invitations ---------------------------------------------------------------------------

  @Get('invitations/:token')
  @Public()
  async invitationForm(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('token') token: string): Promise<void> {
    await this.linkForm(req, reply, 'invitation', token);
  }

  @Post('invitations/:token')
  @Public()
  async acceptInvitation(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('token') token: string, @Body() body: unknown): Promise<void> {
    await this.linkSubmit(req, reply, 'invitation', token, formOf(body));
  }

  // --- password reset ------------------------------------------------------------------------

  @Get('password-reset')
  @Public()
  async resetRequestForm(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await sendPage(reply, resetRequestPage(await this.contexts.build(req, reply), {}), 200, 'no-store');
  }

  @Post('password-reset')
  @Public()
  async requestReset(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const ctx = await this.contexts.build(req, reply);
    if (!this.contexts.checkFormToken(req, form._csrf)) return this.csrfFailed(ctx, reply);
    const email = field(form, 'email', 254);
    if (!email || !email.includes('@'))
      return sendPage(reply, resetRequestPage(ctx, { email, errors: [{ field: 'email', message: ctx.t.t('signIn.emailRequired') }] }), 400, 'no-store');
    try {
      await this.resets.request(email, requestMetaOf(req));
    } catch (e) {
      if (!(e instanceof PasswordResetThrottledError)) throw e;
      const seconds = Number(e.extra.retryAfter ?? 60);
      void reply.header('retry-after', String(seconds));
      return sendPage(reply, resetRequestPage(ctx, { email, errors: [{ field: 'email', message: ctx.t.t('error.tooMany', { seconds }) }] }), 429, 'no-store');
    }
    await sendPage(reply, resetSentPage(ctx, { email, minutes: this.config.passwordResetTtlMinutes }), 200, 'no-store');
  }

  @Get('password-reset/:token')
  @Public()
  async resetForm(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('token') token: string): Promise<void> {
    await this.linkForm(req, reply, 'password_reset', token);
  }

  @Post('password-reset/:token')
  @Public()
  async confirmReset(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('token') token: string, @Body() body: unknown): Promise<void> {
    await this.linkSubmit(req, reply, 'password_reset', token, formOf(body));
  }

  // --- second sign-in step -------------------------------------------------------------------

  @Post('sign-in/mfa')
  @Public()
  async secondStep(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const ctx = await this.contexts.build(req, reply);
    if (!this.contexts.checkFormToken(req, form._csrf)) return this.csrfFailed(ctx, reply);
    const mfaToken = field(form, 'mfaToken', 2000);
    const returnTo = safeReturnTo(field(form, 'returnTo', 2048));
    const code = field(form, 'code', 20);
    const recoveryCode = code ? '' : field(form, 'recoveryCode', 40);
    const again = (status: number, errors: Array<{ field: string; message: string }>): Promise<void> =>
      sendPage(reply, mfaStepPage(ctx, { mfaToken, returnTo, errors }), status, 'no-store');
    if (!code && !recoveryCode) return again(400, [{ field: 'code', message: ctx.t.t('mfa.codeRequired') }]);
    let userId: string;
    try {
      userId = await this.mfa.completeSignIn(mfaToken, code ? { code } : { recoveryCode }, req.ip);
    } catch (e) {
      const handled = await this.mfaFailure(e, ctx, reply, returnTo, code ? 'code' : 'recoveryCode', again);
      if (handled) return;
      throw e;
    }
    await this.steps.startSession(reply, userId, returnTo);
  }

  @Post('sign-in/mfa/enrol')
  @Public()
  async confirmEnrolment(@Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const ctx = await this.contexts.build(req, reply);
    if (!this.contexts.checkFormToken(req, form._csrf)) return this.csrfFailed(ctx, reply);
    const mfaToken = field(form, 'mfaToken', 2000);
    const returnTo = safeReturnTo(field(form, 'returnTo', 2048));
    const code = field(form, 'code', 20);
    let userId: string;
    try {
      userId = await this.mfa.enrollingUser(mfaToken);
    } catch (e) {
      if (e instanceof MfaTokenError) return this.expired(ctx, reply, returnTo);
      throw e;
    }
    const pending = (await this.mfa.pendingEnrolment(userId)) ?? (await this.mfa.startEnrolment(userId));
    const again = async (status: number, errors: Array<{ field: string; message: string }>): Promise<void> =>
      sendPage(reply, mfaEnrolPage(ctx, { mfaToken, returnTo, secret: pending.secret, qrSvg: await qrSvg(pending.otpauthUri), errors }), status, 'no-store');
    if (!code) return again(400, [{ field: 'code', message: ctx.t.t('mfa.codeRequired') }]);
    let codes: string[];
    try {
      codes = (await this.mfa.confirmEnrolment(userId, code, req.ip, requestMetaOf(req))).recoveryCodes;
    } catch (e) {
      const handled = await this.mfaFailure(e, ctx, reply, returnTo, 'code', again);
      if (handled) return;
      throw e;
    }
    const session = await this.contexts.sessions.start(userId);
    void reply.header('set-cookie', this.contexts.sessions.setCookie(session.value));
    await sendPage(reply, recoveryCodesPage(ctx, { codes, returnTo }), 200, 'no-store');
  }

  // --- helpers -------------------------------------------------------------------------------

  private async linkForm(req: WebRequest, reply: FastifyReply, kind: LinkKind, token: string): Promise<void> {
    linkPageHeaders(reply);
    const ctx = await this.contexts.build(req, reply);
    let holder: AccountLinkHolder;
    try {
      holder = kind === 'invitation' ? await this.invitations.inspect(token) : await this.resets.inspect(token);
    } catch (e) {
      if (e instanceof AccountLinkError) return this.linkProblem(req, ctx, reply, kind, e);
      throw e;
    }
    const local = this.inLanguageOf(req, ctx, holder.locale);
    await sendPage(reply, setPasswordPage(local, { kind, action: this.linkPath(kind, token), name: holder.displayName, email: holder.email }), 200, 'no-store');
  }

  private async linkSubmit(req: WebRequest, reply: FastifyReply, kind: LinkKind, token: string, form: Form): Promise<void> {
    linkPageHeaders(reply);
    const ctx = await this.contexts.build(req, reply);
    if (!this.contexts.checkFormToken(req, form._csrf)) return this.csrfFailed(ctx, reply);
    let holder: AccountLinkHolder;
    try {
      holder = kind === 'invitation' ? await this.invitations.inspect(token) : await this.resets.inspect(token);
    } catch (e) {
      if (e instanceof AccountLinkError) return this.linkProblem(req, ctx, reply, kind, e);
      throw e;
    }
    const local = this.inLanguageOf(req, ctx, holder.locale);
    // The password exactly as typed (no trimming: spaces count), bounded before anything else.
    const password = typeof form.password === 'string' ? form.password.slice(0, PASSWORD_MAX_LENGTH + 1) : '';
    const problem = password ? passwordProblemCode(password, holder.email) : null;
    if (!password || problem) {
      const message = !password
        ? local.t.t('password.required')
        : local.t.t(PASSWORD_MESSAGES[problem!], { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
      return sendPage(
        reply,
        setPasswordPage(local, { kind, action: this.linkPath(kind, token), name: holder.displayName, email: holder.email, errors: [{ field: 'password', message }] }),
        400,
        'no-store',
      );
    }
    try {
      if (kind === 'invitation') await this.invitations.accept(token, password, requestMetaOf(req));
      else await this.resets.confirm(token, password, requestMetaOf(req));
    } catch (e) {
      if (e instanceof AccountLinkError) return this.linkProblem(req, ctx, reply, kind, e);
      throw e;
    }
    // A reset ended every session, this browser's too.
    if (kind === 'password_reset') void reply.header('set-cookie', this.contexts.sessions.clearCookie());
    // The sign-in page that follows speaks the person's language too (unless the reader chose one).
    if (local.locale !== ctx.locale)
      void reply.header('set-cookie', serializeCookie(LANGUAGE_COOKIE, local.locale, { secure: this.contexts.secureCookies, maxAgeSeconds: 365 * 86_400 }));
    await seeOther(reply, `/sign-in?${kind === 'invitation' ? 'passwordSet' : 'passwordChanged'}=1`);
  }

  private async linkProblem(req: WebRequest, ctx: PageContext, reply: FastifyReply, kind: LinkKind, e: AccountLinkError): Promise<void> {
    const local = this.inLanguageOf(req, ctx, e.locale);
    await sendPage(reply, linkProblemPage(local, kind, e.state as LinkState), e.status, 'no-store');
  }

  /** The page in the language of the person the link is for, unless the reader chose one with the language switch. */
  private inLanguageOf(req: WebRequest, ctx: PageContext, locale: string | undefined): PageContext {
    if (!isUiLocale(locale) || ctx.user || isUiLocale(readCookie(req.headers.cookie, LANGUAGE_COOKIE))) return ctx;
    return { ...ctx, locale, t: new Translator(locale) };
  }

  private linkPath(kind: LinkKind, token: string): string {
    return `${kind === 'invitation' ? '/invitations' : '/password-reset'}/${encodeURIComponent(token)}`;
  }

  private async mfaFailure(
    e: unknown,
    ctx: PageContext,
    reply: FastifyReply,
    returnTo: string,
    fieldName: string,
    again: (status: number, errors: Array<{ field: string; message: string }>) => Promise<void>,
  ): Promise<boolean> {
    if (e instanceof MfaTokenError) {
      await this.expired(ctx, reply, returnTo);
      return true;
    }
    if (e instanceof MfaCodeError) {
      await again(e.code === 'mfa_code_reused' ? 400 : 401, [{ field: fieldName, message: ctx.t.t(e.code === 'mfa_code_reused' ? 'mfa.reused' : 'mfa.invalid') }]);
      return true;
    }
    if (e instanceof MfaThrottledError) {
      const seconds = Number(e.extra.retryAfter ?? 60);
      void reply.header('retry-after', String(seconds));
      await again(429, [{ field: fieldName, message: ctx.t.t('error.tooMany', { seconds }) }]);
      return true;
    }
    return false;
  }

  private async expired(ctx: PageContext, reply: FastifyReply, returnTo: string): Promise<void> {
    await sendPage(reply, signInPage(ctx, { returnTo, errors: [{ field: 'email', message: ctx.t.t('mfa.expired') }] }), 401, 'no-store');
  }

  private async csrfFailed(ctx: PageContext, reply: FastifyReply): Promise<void> {
    await sendPage(reply, errorPage(ctx, { title: ctx.t.t('error.forbidden.title'), body: ctx.t.t('error.csrf.body') }), 403, 'no-store');
  }
}
