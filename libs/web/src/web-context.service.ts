import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { readCookie, serializeCookie, WebSessionService } from '@lms/identity';
import { AppConfig, NotFoundError, type Principal } from '@lms/platform';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WebSessionService) readonly sessions: WebSessionService,
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
    const me = await this.header(principal.userId);
    const locale = negotiateLocale(me.locale, cookieLang, acceptLanguage, this.config.uiLocales);
    return {
      ...base,
      t: new Translator(locale, me.time_zone),
      locale,
      schoolName: schoolName(locale),
      // The roles the guard resolved for this request (fresh, or cached with their revocations).
      user: { id: principal.userId, displayName: me.display_name, roles: principal.grants.map((g) => ({ role: g.role, scopeOrgUnitId: g.scopeOrgUnitId })), manager: me.manager },
      csrf: principal.sessionId ? this.sessions.csrfToken(principal.sessionId) : undefined,
      unread: me.unread,
    };
  }

  /**
   * What every signed-in page's header shows, in one statement read on every page (never cached,
   * so a new notification or report shows at once): the person's name, language and time zone,
   * whether anyone active reports to them (TeamReportService.isManager's rule: the "My team" link),
   * and their unread notifications.
   */
  private async header(userId: string): Promise<{ display_name: string; locale: string; time_zone: string; manager: boolean; unread: number }> {
    const rows = (await this.dataSource.query(
      `SELECT u.display_name, u.locale, u.time_zone,
              EXISTS (SELECT 1 FROM app_user r WHERE r.manager_id = u.id AND r.status = 'active') AS manager,
              (SELECT count(*) FROM notification n WHERE n.user_id = u.id AND n.read_at IS NULL)::int AS unread
         FROM app_user u WHERE u.id = $1`,
      [userId],
    )) as Array<{ display_name: string; locale: string; time_zone: string; manager: boolean; unread: number }>;
    if (!rows[0]) throw new NotFoundError('Person', userId);
    return rows[0];
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
