import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, serializeCookie, UserService, WebSessionService } from '@lms/identity';
import { AppConfig, type Principal } from '@lms/platform';
import { NotificationRepository } from '@lms/notifications';
import { TeamReportService } from '@lms/reporting';
import { issuerNameFor } from '@lms/credentials';
import { AssetsService } from './assets.service.js';
import type { UiLocale } from '@lms/i18n';
import { negotiateLocale, Translator } from './i18n.js';
import type { PageContext } from './layout.js';

export const LANGUAGE_COOKIE = 'lms_lang';
export const FORM_COOKIE = 'lms_form';

export type WebRequest = FastifyRequest & { user?: Principal };

/** Builds what every page needs from the request: language, time zone, the person, tokens for forms. */
@Injectable()
export class WebContextService {
  constructor(
    @Inject(AssetsService) private readonly assets: AssetsService,
    @Inject(UserService) private readonly users: UserService,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(WebSessionService) readonly sessions: WebSessionService,
    @Inject(TeamReportService) private readonly teams: TeamReportService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The interface languages this instance offers (UI_LOCALES). */
  get uiLocales(): readonly UiLocale[] {
    return this.config.uiLocales;
  }

  get secureCookies(): boolean {
    return this.sessions.cookie.secure;
  }

  async build(req: WebRequest, reply: FastifyReply): Promise<PageContext> {
    const principal = req.user;
    const path = (req.url ?? '/').slice(0, 2048);
    const cookieLang = readCookie(req.headers.cookie, LANGUAGE_COOKIE);
    const acceptLanguage = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'] : undefined;
    const base = { path, assets: { css: this.assets.css, js: this.assets.js }, uiLocales: this.config.uiLocales };
    const names = this.config.issuerNames;
    const schoolName = (locale: UiLocale) => (school: { code: string; name: string }) => issuerNameFor(names, school, locale);
    if (!principal) {
      const locale = negotiateLocale(undefined, cookieLang, acceptLanguage, this.config.uiLocales);
      return { ...base, t: new Translator(locale), locale, schoolName: schoolName(locale), formToken: this.formToken(req, reply) };
    }
    const [me, inbox, manager] = await Promise.all([
      this.users.me(principal),
      this.notifications.listForUser(principal.userId, { offset: 0, limit: 1, unreadOnly: true }),
      this.teams.isManager(principal.userId),
    ]);
    const locale = negotiateLocale(me.locale, cookieLang, acceptLanguage, this.config.uiLocales);
    return {
      ...base,
      t: new Translator(locale, me.timeZone),
      locale,
      schoolName: schoolName(locale),
      user: { id: me.id, displayName: me.displayName, roles: me.roles.map((g) => ({ role: g.role, scopeOrgUnitId: g.scopeOrgUnitId })), manager },
      csrf: principal.sessionId ? this.sessions.csrfToken(principal.sessionId) : undefined,
      unread: inbox.unread,
    };
  }

  /** Anonymous forms (sign-in, language): a double-submit token in a SameSite=Strict cookie. */
  private formToken(req: WebRequest, reply: FastifyReply): string {
    const existing = readCookie(req.headers.cookie, FORM_COOKIE);
    if (existing && /^[\w-]{22,64}$/.test(existing)) return existing;
    const token = randomBytes(18).toString('base64url');
    void reply.header('set-cookie', `${serializeCookie(FORM_COOKIE, token, { secure: this.secureCookies })}`.replace('SameSite=Lax', 'SameSite=Strict'));
    return token;
  }

  /** Checks an anonymous form's token against its cookie. */
  checkFormToken(req: WebRequest, given: unknown): boolean {
    const cookie = readCookie(req.headers.cookie, FORM_COOKIE);
    if (!cookie || typeof given !== 'string' || given.length !== cookie.length) return false;
    return timingSafeEqual(Buffer.from(cookie), Buffer.from(given));
  }
}
