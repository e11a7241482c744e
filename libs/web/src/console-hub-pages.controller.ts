import { Body, Controller, Get, Inject, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CatalogService, CourseAuthoringService, CourseNotFoundError, CourseSlugTakenError, isSlug, LicenceForbidsAdaptationError, NotAnAdaptationError } from '@lms/catalog';
import type { CourseSharing } from '@lms/catalog';
import { CODE_PATTERN, InstitutionService, isCountryCode, OrgUnitCodeTakenError, requestMetaOf } from '@lms/identity';
import type { InstitutionView } from '@lms/identity';
import { Access, AppConfig, ConflictError, CurrentUser, DomainError, ForbiddenError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { MessageKey } from './messages/en.js';
import {
  adaptPage,
  EMPTY_INSTITUTION,
  federationPage,
  institutionEditPage,
  institutionsPage,
  peerCatalogPage,
  NAME_LANGUAGES,
  nameField,
  sharedCoursesPage,
  sharingPage,
  sharingValues,
  upstreamPage,
} from './pages/console-hub.pages.js';
import type { FieldErrors, InstitutionFormValues, SharingFormValues } from './pages/console-hub.pages.js';
import type { PageContext } from './layout.js';
import { PeerCatalog } from './peer-catalog.js';
import type { PeerCourse } from './peer-catalog.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import type { Form } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const PAGE_SIZE = 25;
/** Institutions offered as checkboxes on the sharing form (the API takes at most 100). */
const SHARE_CHOICES = 100;

function pageOf(v: string | undefined): number {
  return v && /^\d{1,5}$/.test(v) && Number(v) >= 1 ? Number(v) : 1;
}

function many(form: Form, name: string, max: number): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is string => typeof x === 'string').slice(0, max).map((x) => x.trim());
}

/** The form's field a service error names (`names.mk` → `name-mk`, `countries[2]` → `countries`). */
function formField(serviceField: string, known: readonly string[], fallback: string): string {
  const base = serviceField.replace(/\[\d+\]$/, '');
  if (base.startsWith('names')) {
    const lang = base.split('.')[1];
    return nameField(lang && known.includes(nameField(lang)) ? lang : 'en');
  }
  return known.includes(base) ? base : fallback;
}

/**
 * The regional hub's console pages for the instance-wide admin (docs/hub.md): the hub's
 * institutions (list, create, edit) and the trusted federation peers (read-only, from
 * FEDERATION_PEERS). The same services as /api/v1/institutions and /api/v1/federation/peers.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Access('admin')
@Controller({ path: 'console/admin', version: VERSION_NEUTRAL })
export class ConsoleHubAdminPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(InstitutionService) private readonly institutions: InstitutionService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Optional() @Inject(PeerCatalog) private readonly peerCatalog?: PeerCatalog,
  ) {}

  @Get('institutions')
  async list(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    await this.showList(ctx, reply, q, 200);
  }

  private async showList(
    ctx: PageContext,
    reply: FastifyReply,
    q: Record<string, string | undefined>,
    status: number,
    form?: { values: InstitutionFormValues; errors: FieldErrors },
  ): Promise<void> {
    const search = typeof q.q === 'string' ? q.q.trim().slice(0, 100) : '';
    const page = pageOf(q.page);
    const result = await this.institutions.list({ q: search || undefined, page, limit: PAGE_SIZE });
    await sendPage(
      reply,
      institutionsPage(ctx, { items: result.items, total: result.total, page, limit: PAGE_SIZE, q: search, saved: q.saved === '1', values: form?.values, errors: form?.errors }),
      status,
    );
  }

  private valuesOf(body: unknown, existing?: InstitutionView): InstitutionFormValues {
    const form = formOf(body);
    const languages = [...new Set([...NAME_LANGUAGES, ...Object.keys(existing?.names ?? {})])];
    const names: Record<string, string> = {};
    for (const l of languages) {
      const v = field(form, nameField(l), 200);
      if (v) names[l] = v;
    }
    return {
      code: field(form, 'code', 64),
      country: field(form, 'country', 10).toUpperCase(),
      names,
      issuerName: field(form, 'issuerName', 200),
      logoUrl: field(form, 'logoUrl', 2000),
    };
  }

  /** The rules the service applies, checked first so each field gets its own message in the reader's language. */
  private check(ctx: PageContext, v: InstitutionFormValues, withCode: boolean): FieldErrors {
    const { t } = ctx;
    const errors: FieldErrors = [];
    if (withCode && !CODE_PATTERN.test(v.code)) errors.push({ field: 'code', message: t.t('hub.inst.err.code') });
    if (!Object.keys(v.names).length) errors.push({ field: nameField('en'), message: t.t('hub.inst.err.name') });
    if (!isCountryCode(v.country)) errors.push({ field: 'country', message: t.t('hub.inst.err.country') });
    if (v.logoUrl) {
      let ok: boolean;
      try {
        const u = new URL(v.logoUrl);
        ok = u.protocol === 'https:' && !u.username && !u.password;
      } catch {
        ok = false;
      }
      if (!ok) errors.push({ field: 'logoUrl', message: t.t('hub.inst.err.logo', { scheme: 'https://' }) });
    }
    return errors;
  }

  /** A service refusal, by field, in the reader's language. */
  private refusal(ctx: PageContext, e: unknown): FieldErrors | null {
    const { t } = ctx;
    const fields = ['code', 'country', 'issuerName', 'logoUrl', ...NAME_LANGUAGES.map(nameField)];
    const text: Record<string, MessageKey> = { code: 'hub.inst.err.code', country: 'hub.inst.err.country', issuerName: 'hub.inst.err.issuer', logoUrl: 'hub.inst.err.logo' };
    if (e instanceof ValidationError) {
      return e.errors.map((x) => {
        const f = formField(x.field, fields, 'code');
        return { field: f, message: t.t(text[f] ?? 'hub.inst.err.name', { scheme: 'https://' }) };
      });
    }
    if (e instanceof OrgUnitCodeTakenError || (e instanceof ConflictError && e.code === 'institution_exists')) return [{ field: 'code', message: t.t('hub.inst.err.taken') }];
    return null;
  }

  @Post('institutions')
  async create(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const values = this.valuesOf(body);
    const errors = this.check(ctx, values, true);
    if (errors.length) return this.showList(ctx, reply, {}, 400, { values, errors });
    try {
      await this.institutions.create(
        principal,
        { code: values.code, country: values.country, names: values.names, issuerName: values.issuerName || null, logoUrl: values.logoUrl || null },
        requestMetaOf(req),
      );
    } catch (e) {
      const refused = this.refusal(ctx, e);
      if (refused) return this.showList(ctx, reply, {}, e instanceof ConflictError ? 409 : 400, { values, errors: refused });
      throw e;
    }
    await seeOther(reply, '/console/admin/institutions?saved=1');
  }

  @Get('institutions/:id')
  async edit(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const i = await this.institutions.get(id);
    const values: InstitutionFormValues = { ...EMPTY_INSTITUTION, code: i.code, country: i.country ?? '', names: i.names, issuerName: i.issuerName ?? '', logoUrl: i.logoUrl ?? '' };
    await sendPage(reply, institutionEditPage(ctx, i, values));
  }

  @Post('institutions/:id')
  async update(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const existing = await this.institutions.get(id);
    const values = { ...this.valuesOf(body, existing), code: existing.code };
    const errors = this.check(ctx, values, false);
    if (errors.length) return sendPage(reply, institutionEditPage(ctx, existing, values, errors), 400);
    try {
      await this.institutions.update(
        principal,
        id,
        { country: values.country, names: values.names, issuerName: values.issuerName || null, logoUrl: values.logoUrl || null },
        requestMetaOf(req),
      );
    } catch (e) {
      const refused = this.refusal(ctx, e);
      if (refused) return sendPage(reply, institutionEditPage(ctx, existing, values, refused), 400);
      throw e;
    }
    await seeOther(reply, '/console/admin/institutions?saved=1');
  }

  /** The trusted peers as configured (FEDERATION_PEERS): read-only, the same list as GET /api/v1/federation/peers. */
  @Get('federation')
  async federation(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const peers = this.config.federationPeers.map((p) => ({ url: p.url, keyThumbprint: p.keyThumbprint, pinnedJwk: p.jwk !== null }));
    await sendPage(reply, federationPage(ctx, peers, `${this.config.publicUrl}/federation/catalog`));
  }

  /** Why a peer's feed could not be used, in the reader's language (the codes of docs/hub.md). */
  private peerProblem(ctx: PageContext, e: DomainError): string {
    const key: Record<string, MessageKey> = {
      untrusted_peer: 'hub.fed.err.untrusted',
      validation_failed: 'hub.fed.err.untrusted',
      peer_unreachable: 'hub.fed.err.unreachable',
      peer_feed_invalid: 'hub.fed.err.invalid',
      peer_key_mismatch: 'hub.fed.err.key',
      peer_course_not_found: 'hub.fed.err.notFound',
    };
    return ctx.t.t(key[e.code] ?? 'hub.fed.err.invalid');
  }

  private async showCatalog(
    ctx: PageContext,
    reply: FastifyReply,
    peer: string,
    extra: { imported?: string; refused?: { slug: string; values: { school: string; as: string }; errors: FieldErrors } },
    status = 200,
  ): Promise<void> {
    if (!this.peerCatalog) {
      return sendPage(reply, peerCatalogPage(ctx, { peer, courses: [], unavailable: ctx.t.t('hub.fed.err.unreachable') }), 503);
    }
    let courses: PeerCourse[] = [];
    let unavailable: string | undefined;
    try {
      courses = await this.peerCatalog.courses(peer);
    } catch (e) {
      // A peer that is not trusted, cannot be reached or whose feed does not verify: said on the page, with the API's status.
      if (!(e instanceof DomainError) || e.status === 500) throw e;
      unavailable = this.peerProblem(ctx, e);
      if (status === 200) status = e.status;
    }
    await sendPage(reply, peerCatalogPage(ctx, { peer, courses, unavailable, ...extra }), status);
  }

  /** A trusted peer's catalog feed, read and verified now (the same as GET /api/v1/federation/peers/catalog), with an import form per course. */
  @Get('federation/catalog')
  async peerCatalogView(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const peer = typeof q.url === 'string' ? q.url.trim().slice(0, 300) : '';
    const imported = q.imported && isSlug(q.imported) ? q.imported : undefined;
    await this.showCatalog(ctx, reply, peer, { imported });
  }

  /** Imports a peer's public course as a private draft of a school here (the same as POST /api/v1/federation/imports). */
  @Post('federation/imports')
  async importCourse(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const { t } = ctx;
    const form = formOf(body);
    const peer = field(form, 'peer', 300);
    const slug = field(form, 'slug', 100);
    const values = { school: field(form, 'school', 64), as: field(form, 'as', 100).toLowerCase() };
    const at = (f: 'school' | 'as'): string => `${f}-${slug}`;
    const errors: FieldErrors = [];
    if (!values.school) errors.push({ field: at('school'), message: t.t('hub.fed.err.school') });
    if (values.as && !isSlug(values.as)) errors.push({ field: at('as'), message: t.t('hub.adapt.err.slug') });
    const refuse = (errs: FieldErrors, status: number): Promise<void> => this.showCatalog(ctx, reply, peer, { refused: { slug, values, errors: errs } }, status);
    if (!peer || !isSlug(slug)) return refuse([{ field: at('school'), message: t.t('hub.fed.err.notFound') }], 400);
    if (errors.length) return refuse(errors, 400);
    if (!this.peerCatalog) return refuse([{ field: at('school'), message: t.t('hub.fed.err.unreachable') }], 503);
    let made: { slug: string };
    try {
      made = await this.peerCatalog.importCourse(principal, { peer, slug, school: values.school, ...(values.as ? { as: values.as } : {}) });
    } catch (e) {
      if (!(e instanceof DomainError) || (e.status >= 500 && !e.code.startsWith('peer_'))) throw e;
      if (e instanceof ValidationError) {
        const onSchool = e.errors.some((x) => x.field === 'school' || x.field === 'course.school');
        return refuse([onSchool ? { field: at('school'), message: t.t('hub.adapt.err.school') } : { field: at('school'), message: t.t('hub.fed.err.package') }], 400);
      }
      if (e instanceof ForbiddenError) return refuse([{ field: at('school'), message: t.t('hub.adapt.err.notYourSchool') }], 403);
      if (e instanceof CourseSlugTakenError || e.code === 'course_exists') return refuse([{ field: at('as'), message: t.t('hub.adapt.err.taken') }], 409);
      if (e instanceof LicenceForbidsAdaptationError || e.code === 'licence_forbids_adaptation') return refuse([{ field: at('school'), message: t.t('hub.fed.err.licence') }], 409);
      return refuse([{ field: at('school'), message: this.peerProblem(ctx, e) }], e.status);
    }
    await seeOther(reply, `/console/admin/federation/catalog?url=${encodeURIComponent(peer)}&imported=${encodeURIComponent(made.slug)}`);
  }
}

/**
 * The regional hub's console pages for course authors (docs/hub.md): a course's sharing
 * (visibility, institutions and countries, licence, attribution), the courses of other
 * institutions open to adaptation, adapting one, and an adaptation's upstream diff and merge.
 * The same service calls as /api/v1/courses/:slug/sharing, …/adaptations, …/upstream-diff and
 * …/upstream-merge, so the same checks (authors of the course's school, admins).
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Access('author', 'admin')
@Controller({ path: 'console/author', version: VERSION_NEUTRAL })
export class ConsoleHubAuthorPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(InstitutionService) private readonly institutions: InstitutionService,
  ) {}

  private async showSharing(
    ctx: PageContext,
    principal: Principal,
    reply: FastifyReply,
    sharing: CourseSharing,
    opts: { values?: SharingFormValues; errors?: FieldErrors; saved?: boolean; adapted?: boolean },
    status = 200,
  ): Promise<void> {
    const own = (await this.authoring.listOwn(principal)).find((c) => c.slug === sharing.slug);
    const title = own ? { text: own.title[ctx.locale] ?? own.title[own.defaultLanguage] ?? sharing.slug, lang: own.title[ctx.locale] ? ctx.locale : own.defaultLanguage } : { text: sharing.slug, lang: ctx.locale };
    const institutions = await this.institutions.list({ page: 1, limit: SHARE_CHOICES });
    let upstream = null;
    try {
      const d = await this.authoring.upstreamDiff(principal, sharing.slug);
      upstream = { adaptedFrom: d.adaptedFrom, latest: d.latest, upToDate: d.upToDate };
    } catch (e) {
      if (!(e instanceof NotAnAdaptationError || e instanceof CourseNotFoundError)) throw e;
    }
    await sendPage(
      reply,
      sharingPage(ctx, { slug: sharing.slug, title, values: opts.values ?? sharingValues(sharing), institutions: institutions.items, upstream, saved: opts.saved, adapted: opts.adapted, errors: opts.errors }),
      status,
    );
  }

  @Get('courses/:slug/sharing')
  async sharing(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const sharing = await this.authoring.sharing(principal, slug);
    await this.showSharing(ctx, principal, reply, sharing, { saved: q.saved === '1', adapted: q.adapted === '1' });
  }

  @Post('courses/:slug/sharing')
  async saveSharing(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const current = await this.authoring.sharing(principal, slug);
    const form = formOf(body);
    const values: SharingFormValues = {
      visibility: field(form, 'visibility', 20),
      institutions: many(form, 'institutions', SHARE_CHOICES),
      countries: field(form, 'countries', 300),
      licence: field(form, 'licence', 50),
      attribution: field(form, 'attribution', 600),
    };
    const { t } = ctx;
    const errors: FieldErrors = [];
    const countries = values.countries ? values.countries.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase()) : [];
    if (!['private', 'shared', 'public'].includes(values.visibility)) errors.push({ field: 'visibility', message: t.t('hub.sharing.err.visibility') });
    if (countries.some((c) => !isCountryCode(c))) errors.push({ field: 'countries', message: t.t('hub.sharing.err.countries') });
    if (values.visibility === 'shared' && !values.institutions.length && !countries.length) errors.push({ field: 'institutions', message: t.t('hub.sharing.err.nobody') });
    if (values.attribution.length > 500) errors.push({ field: 'attribution', message: t.t('hub.sharing.err.attribution') });
    if (errors.length) return this.showSharing(ctx, principal, reply, current, { values, errors }, 400);
    const shared = values.visibility === 'shared';
    try {
      await this.authoring.setSharing(principal, slug, {
        visibility: values.visibility,
        // Institutions and countries ticked while another visibility is chosen are not kept (the API refuses them).
        institutions: shared ? values.institutions : [],
        countries: shared ? countries : [],
        licence: values.licence || null,
        attribution: values.attribution || null,
      });
    } catch (e) {
      if (e instanceof ValidationError) {
        const known = ['visibility', 'institutions', 'countries', 'licence', 'attribution'];
        const refused = e.errors.map((x) => {
          const f = formField(x.field, known, 'visibility');
          return { field: f, message: t.t(`hub.sharing.err.${f === 'institutions' ? 'institutions' : f}` as MessageKey) };
        });
        return this.showSharing(ctx, principal, reply, current, { values, errors: refused }, 400);
      }
      throw e;
    }
    await seeOther(reply, `/console/author/courses/${slug}/sharing?saved=1`);
  }

  /** Courses of other institutions the author's institution may see (shared with it, its country, or public): candidates for adaptation. */
  @Get('shared')
  async shared(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Query('page') pageParam?: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const page = pageOf(pageParam);
    const [visible, own] = await Promise.all([this.catalog.list(principal, { page, limit: PAGE_SIZE }, { lang: ctx.locale }), this.authoring.listOwn(principal)]);
    const mine = new Set(own.map((c) => c.slug));
    await sendPage(reply, sharedCoursesPage(ctx, { items: visible.items.filter((c) => !mine.has(c.slug)), page, total: visible.total, limit: PAGE_SIZE }));
  }

  @Get('courses/:slug/adapt')
  async adaptForm(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const course = await this.catalog.detail(principal, slug, { lang: ctx.locale });
    await sendPage(reply, adaptPage(ctx, { course, values: { slug: '', school: '' } }));
  }

  @Post('courses/:slug/adapt')
  async adapt(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Body() body: unknown): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const course = await this.catalog.detail(principal, slug, { lang: ctx.locale });
    const form = formOf(body);
    const values = { slug: field(form, 'slug', 100).toLowerCase(), school: field(form, 'school', 64) };
    const { t } = ctx;
    const errors: FieldErrors = [];
    if (!isSlug(values.slug)) errors.push({ field: 'slug', message: t.t('hub.adapt.err.slug') });
    if (!values.school) errors.push({ field: 'school', message: t.t('hub.adapt.err.school') });
    const refuse = (errs: FieldErrors, status: number): Promise<void> => sendPage(reply, adaptPage(ctx, { course, values, errors: errs }), status);
    if (errors.length) return refuse(errors, 400);
    try {
      await this.authoring.adapt(principal, slug, values);
    } catch (e) {
      if (e instanceof ValidationError) return refuse(e.errors.map((x) => (x.field === 'slug' ? { field: 'slug', message: t.t('hub.adapt.err.slug') } : { field: 'school', message: t.t('hub.adapt.err.school') })), 400);
      if (e instanceof ForbiddenError) return refuse([{ field: 'school', message: t.t('hub.adapt.err.notYourSchool') }], 403);
      if (e instanceof CourseSlugTakenError) return refuse([{ field: 'slug', message: t.t('hub.adapt.err.taken') }], 409);
      if (e instanceof LicenceForbidsAdaptationError) return refuse([{ field: 'slug', message: t.t('hub.adapt.err.licence') }], 409);
      throw e;
    }
    await seeOther(reply, `/console/author/courses/${values.slug}/sharing?adapted=1`);
  }

  /** An adaptation's upstream: what changed since the version it is based on, and the merge. */
  @Get('courses/:slug/upstream')
  async upstream(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Query() q: Record<string, string | undefined>): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const diff = await this.authoring.upstreamDiff(principal, slug);
    const n = (v: string | undefined): number => (v && /^\d{1,5}$/.test(v) ? Number(v) : 0);
    const merged = n(q.merged) ? { version: n(q.merged), taken: n(q.taken), conflicts: n(q.conflicts) } : undefined;
    await sendPage(reply, upstreamPage(ctx, { slug, diff, merged }));
  }

  @Post('courses/:slug/upstream-merge')
  async merge(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Body() body: unknown): Promise<void> {
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const raw = field(formOf(body), 'version', 10);
    const version = /^\d{1,5}$/.test(raw) ? Number(raw) : undefined;
    try {
      const m = await this.authoring.mergeUpstream(principal, slug, version);
      await seeOther(reply, `/console/author/courses/${slug}/upstream?merged=${m.adaptedFrom.version}&taken=${m.taken.length}&conflicts=${m.conflicts.length}`);
    } catch (e) {
      if (e instanceof ValidationError) {
        const ctx = await this.contexts.build(req, reply);
        const diff = await this.authoring.upstreamDiff(principal, slug);
        return sendPage(reply, upstreamPage(ctx, { slug, diff, errors: [{ field: 'version', message: ctx.t.t('hub.upstream.err.version', { latest: diff.latest }) }] }), 400);
      }
      throw e;
    }
  }
}
