import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EvidenceService, GapService, JobRoleService } from '@lms/competency';
import { CertificateService } from '@lms/credentials';
import { isUiLocale } from '@lms/i18n';
import { isValidTimeZone, serializeCookie, UserService } from '@lms/identity';
import { Clock, NotificationPreferences, NotificationRepository } from '@lms/notifications';
import { Access, CurrentUser } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { certificatesPage, competenciesPage, notificationsPage, settingsPage } from './pages/records.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { LANGUAGE_COOKIE, WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** The learner's own records: certificates, competencies, notifications, settings. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Access('authenticated')
@Controller({ version: VERSION_NEUTRAL })
export class RecordsPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CertificateService) private readonly certificates: CertificateService,
    @Inject(GapService) private readonly gaps: GapService,
    @Inject(EvidenceService) private readonly evidence: EvidenceService,
    @Inject(JobRoleService) private readonly jobRoles: JobRoleService,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(NotificationPreferences) private readonly preferences: NotificationPreferences,
    @Inject(UserService) private readonly users: UserService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get('certificates')
  async list(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const page = await this.certificates.listMine(principal, { page: 1, limit: 100 });
    await sendPage(reply, certificatesPage(ctx, page.items));
  }

  @Get('certificates/:id/pdf')
  async pdf(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const { pdf, sha256, filename } = await this.certificates.pdf(principal, id);
    await reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('etag', `"${sha256}"`)
      .header('cache-control', 'private, no-cache')
      .send(pdf);
  }

  /** The signed credential (VC-JWT) as a file the holder can keep or hand to a wallet. */
  @Get('certificates/:id/credential')
  async credential(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const detail = await this.certificates.detail(principal, id);
    const { jwt } = await this.certificates.credential(principal, id);
    await reply
      .header('content-type', 'application/vc+jwt')
      .header('content-disposition', `attachment; filename="certificate-${detail.serial.replace(/[^\w.-]/g, '_')}.jwt"`)
      .header('cache-control', 'private, no-cache')
      .send(jwt);
  }

  @Get('competencies')
  async competencies(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const [gaps, profile] = await Promise.all([this.gaps.forUser(principal, principal.userId), this.evidence.profile(principal, principal.userId)]);
    const role = gaps.jobRoleCode ? await this.jobRoles.get(gaps.jobRoleCode).catch(() => null) : null;
    await sendPage(reply, competenciesPage(ctx, { gaps, profile, jobRoleTitle: role?.title ?? null }));
  }

  @Get('notifications')
  async inbox(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const { items } = await this.notifications.listForUser(principal.userId, { offset: 0, limit: 50, unreadOnly: false });
    await sendPage(reply, notificationsPage(ctx, items));
  }

  @Post('notifications/read-all')
  async readAll(@CurrentUser() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    await this.notifications.markAllRead(principal.userId, this.clock.now());
    await seeOther(reply, '/notifications');
  }

  @Post('notifications/:id/read')
  async read(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.notifications.markRead(principal.userId, id, this.clock.now());
    await seeOther(reply, '/notifications');
  }

  @Get('settings')
  async settings(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('saved') saved?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const [me, prefs] = await Promise.all([this.users.me(principal), this.preferences.get(principal.userId)]);
    await sendPage(reply, settingsPage(ctx, { locale: me.locale, timeZone: me.timeZone, email: prefs.email, digest: prefs.digest, saved: saved === '1' }));
  }

  @Post('settings')
  async saveSettings(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const form = formOf(body);
    const locale = field(form, 'locale', 20);
    const timeZone = field(form, 'timeZone', 64);
    const digest = field(form, 'digest', 20) === 'immediate' ? 'immediate' : 'daily';
    const email = field(form, 'email', 10) === 'on';
    // A profile language outside the interface ones (hr, set through the API) may be kept as it is.
    const keepsOwn = !!locale && locale === (await this.users.me(principal)).locale;
    if (!isValidTimeZone(timeZone) || (locale && !keepsOwn && !isUiLocale(locale, this.contexts.uiLocales))) {
      const ctx = await this.contexts.build(req, reply);
      const me = await this.users.me(principal);
      return sendPage(
        reply,
        settingsPage(ctx, { locale: me.locale, timeZone: me.timeZone, email, digest, errors: [{ field: 'timeZone', message: ctx.t.t('settings.badTimeZone') }] }),
        400,
      );
    }
    await this.users.updateOwnSettings(principal, { locale: isUiLocale(locale, this.contexts.uiLocales) ? locale : undefined, timeZone });
    await this.preferences.set(principal.userId, { email, digest });
    if (isUiLocale(locale, this.contexts.uiLocales)) void reply.header('set-cookie', serializeCookie(LANGUAGE_COOKIE, locale, { secure: this.contexts.secureCookies, maxAgeSeconds: 365 * 86_400 }));
    await seeOther(reply, '/settings?saved=1');
  }
}
