import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { CatalogImportError, CatalogService, CourseAuthoringService, CourseNotFoundError, CourseUploadService, isSlug } from '@lms/catalog';
import { Access, CurrentUser, DomainError, ForbiddenError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import { CourseAnalyticsService } from '@lms/learning';
import type { Translator } from './i18n.js';
import { loadCharts } from './pages/charts.js';
import { analyticsPage, authorCoursesPage, authorPreviewPage, diffPage } from './pages/console-author.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { type UploadedFile, WEB_UPLOAD } from './upload-body.js';

const LANG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?$/;

/** The course author's console: My courses (versions, languages), draft preview in each language, publish with a change summary. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Access('author', 'admin')
@Controller({ path: 'console/author', version: VERSION_NEUTRAL })
export class ConsoleAuthorPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CourseAuthoringService) private readonly authoring: CourseAuthoringService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CourseAnalyticsService) private readonly analytics: CourseAnalyticsService,
    @Inject(CourseUploadService) private readonly uploads: CourseUploadService,
  ) {}

  @Get('courses/:slug/diff')
  async diff(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const n = (v: string | undefined): number => (v && /^\d{1,5}$/.test(v) ? Number(v) : 0);
    await sendPage(reply, diffPage(ctx, slug, await this.authoring.diff(principal, slug, n(from), n(to))));
  }

  @Get('courses/:slug/analytics')
  async courseAnalytics(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const analytics = await this.analytics.forCourse(principal, slug);
    await loadCharts();
    await sendPage(reply, analyticsPage(ctx, analytics));
  }

  @Get()
  async courses(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query('published') published?: string,
    @Query('uploaded') uploaded?: string,
    @Query('version') version?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const courses = await this.authoring.listOwn(principal);
    const n = (v: string | undefined): number | undefined => (v && /^\d{1,5}$/.test(v) ? Number(v) : undefined);
    const saved = uploaded && isSlug(uploaded) && n(version) ? { slug: uploaded, version: n(version)! } : undefined;
    await sendPage(reply, authorCoursesPage(ctx, courses, { published: n(published), uploaded: saved }));
  }

  /** A zip of a courses/<slug>/ folder: validated in memory, then saved as the course's draft; otherwise every problem by file, line and field. */
  @Post('upload')
  @RouteConfig({ [WEB_UPLOAD]: true })
  async upload(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const file = formOf(body).package as unknown as UploadedFile | string | undefined;
    type Upload = { error?: string; problems?: Array<{ file?: string; line?: number; column?: number; field: string; message: string }> };
    const refuse = async (upload: Upload | ((t: Translator) => Upload), status: number): Promise<void> => {
      const ctx = await this.contexts.build(req, reply);
      const shown = typeof upload === 'function' ? upload(ctx.t) : upload;
      return sendPage(reply, authorCoursesPage(ctx, await this.authoring.listOwn(principal), { upload: shown }), status);
    };
    if (!file || typeof file === 'string' || !Buffer.isBuffer(file.bytes) || file.bytes.length === 0) {
      const ctx = await this.contexts.build(req, reply);
      return refuse({ error: ctx.t.t('console.upload.missing') }, 400);
    }
    try {
      const result = await this.uploads.upload(principal, file.bytes);
      await seeOther(reply, `/console/author?uploaded=${result.slug}&version=${result.draft!.version}`);
    } catch (e) {
      if (e instanceof CatalogImportError) return refuse({ problems: e.problems }, 422);
      if (e instanceof ForbiddenError) return refuse((t) => ({ problems: [{ file: file.filename.slice(0, 200), field: 'school', message: t.problem(e) }] }), 403);
      throw e;
    }
  }

  /** The newest draft's lesson as a learner would read it, in the chosen language (the draft's own languages). */
  @Get('courses/:slug/preview')
  async preview(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('lang') langParam?: string,
    @Query('lesson') lessonParam?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    const own = (await this.authoring.listOwn(principal)).find((c) => c.slug === slug);
    const draft = own?.versions.find((v) => v.status === 'draft');
    if (!own || !draft) throw new CourseNotFoundError(`${slug} draft`);
    const lang = langParam && LANG.test(langParam) && draft.languages.includes(langParam) ? langParam : own.defaultLanguage;
    const course = await this.catalog.detail(principal, slug, { version: draft.version, lang });
    const lessonSlug = lessonParam && isSlug(lessonParam) ? lessonParam : course.lessons[0]?.slug;
    if (!lessonSlug) throw new CourseNotFoundError(`${slug} lessons`);
    const lesson = await this.catalog.lesson(principal, slug, lessonSlug, { version: draft.version, lang });
    await sendPage(reply, authorPreviewPage(ctx, course, lesson));
  }

  /** Publishes the draft as the next immutable version; the change summary goes into the audit log. */
  @Post('courses/:slug/publish')
  async publish(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Body() body: unknown): Promise<void> {
    const summary = field(formOf(body), 'summary', 1000);
    if (!isSlug(slug)) throw new CourseNotFoundError(slug);
    if (summary.length < 3) {
      const ctx = await this.contexts.build(req, reply);
      const courses = await this.authoring.listOwn(principal);
      return sendPage(reply, authorCoursesPage(ctx, courses, { error: ctx.t.t('console.author.summaryRequired') }, slug), 400);
    }
    try {
      const v = await this.authoring.publish(principal, slug, summary);
      await seeOther(reply, `/console/author?published=${v.version}`);
    } catch (e) {
      if (e instanceof DomainError && e.status === 409) {
        const ctx = await this.contexts.build(req, reply);
        return sendPage(reply, authorCoursesPage(ctx, await this.authoring.listOwn(principal), { error: ctx.t.problem(e) }, slug), 409);
      }
      throw e;
    }
  }
}
