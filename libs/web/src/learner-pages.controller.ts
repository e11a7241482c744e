import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CatalogService } from '@lms/catalog';
import { FrameworkService } from '@lms/competency';
import type { CompetencyTreeNode } from '@lms/competency';
import { EnrolmentService, ProgressService, QuizAlreadyPassedError, QuizAttemptsExhaustedError, QuizService } from '@lms/learning';
import type { EnrolmentDetails, QuizAttemptResult } from '@lms/learning';
import { Access, AppConfig, CurrentUser, Public } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { PageContext } from './layout.js';
import { pick } from './pages/common.js';
import { catalogPage, coursePage, homePage, lessonPage, quizPage } from './pages/learning.pages.js';
import { formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { AssetsService } from './assets.service.js';
import { Cmi5LaunchService, ScormRuntimeService } from '@lms/interop';

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const FRAMEWORK_CACHE_MS = 60_000;

/** My learning, the catalog, a course, its lessons and its quiz. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: VERSION_NEUTRAL })
export class LearnerPagesController {
  private readonly frameworks = new Map<string, { at: number; titles: Map<string, Record<string, string>> }>();

  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(QuizService) private readonly quizzes: QuizService,
    @Inject(FrameworkService) private readonly frameworkService: FrameworkService,
    @Inject(ScormRuntimeService) private readonly scorm: ScormRuntimeService,
    @Inject(AssetsService) private readonly assets: AssetsService,
    @Inject(Cmi5LaunchService) private readonly cmi5: Cmi5LaunchService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async home(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!req.user) return seeOther(reply, '/sign-in');
    const ctx = await this.contexts.build(req, reply);
    const mine = await this.enrolments.listMine(req.user, { page: 1, limit: 100 });
    await sendPage(reply, homePage(ctx, mine.items.filter((e) => e.status !== 'withdrawn'), ctx.user?.displayName ?? ''));
  }

  @Get('courses')
  @Access('authenticated')
  async courses(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
    const q = text(query.q, 200);
    const competency = /^[A-Za-z0-9._-]{1,40}$/.test(text(query.competency, 40)) ? text(query.competency, 40) : '';
    const language = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(text(query.language, 20)) ? text(query.language, 20) : '';
    const page = Math.min(1000, Math.max(1, Number.parseInt(text(query.page, 6), 10) || 1));
    const results = await this.catalog.list(principal, { q: q || undefined, competency: competency || undefined, language: language || undefined, page, limit: 20 }, { lang: ctx.locale });
    const titles = await this.competencyTitles(ctx, 'dacps');
    await sendPage(
      reply,
      catalogPage(ctx, {
        results,
        q,
        competency,
        language,
        competencies: [...titles.entries()].map(([code, title]) => ({ code, ...title })),
        languages: [...this.contexts.uiLocales],
      }),
    );
  }

  @Get('courses/:slug')
  @Access('authenticated')
  async course(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('enrolled') enrolled?: string,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const enrolment = await this.enrolment(principal, slug);
    const course = await this.catalog.detail(principal, slug, { lang: ctx.locale, version: enrolment?.version });
    const base = `/courses/${encodeURIComponent(course.slug)}`;
    const offlineUrls = enrolment
      ? [base, ...enrolment.lessons.map((l) => `${base}/lessons/${encodeURIComponent(l.slug)}`), ...(enrolment.quiz ? [`${base}/quiz`] : [])]
      : [];
    await sendPage(
      reply,
      coursePage(ctx, {
        course,
        enrolment,
        competencyTitles: await this.competencyTitles(ctx, course.framework),
        offlineUrls,
        flash: enrolled === '1' && enrolment ? ctx.t.t('course.enrolled') : undefined,
      }),
    );
  }

  @Post('courses/:slug/enrol')
  @Access('authenticated')
  async enrol(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('slug') slug: string): Promise<void> {
    const { enrolment } = await this.enrolments.enrolSelf(principal, slug);
    await seeOther(reply, `/courses/${encodeURIComponent(enrolment.courseSlug)}?enrolled=1`);
  }

  @Get('courses/:slug/lessons/:lessonSlug')
  @Access('authenticated')
  async lesson(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Param('lessonSlug') lessonSlug: string,
  ): Promise<void> {
    const enrolment = await this.enrolment(principal, slug);
    if (!enrolment) return seeOther(reply, `/courses/${encodeURIComponent(slug)}`);
    const ctx = await this.contexts.build(req, reply);
    const lesson = await this.catalog.lesson(principal, slug, lessonSlug, { lang: ctx.locale });
    // Packaged lessons are slugged pkg-<package>-<n> by the import: native lessons skip both look-ups.
    const mayBePackaged = lesson.slug.startsWith('pkg-');
    const sco = mayBePackaged ? await this.scorm.packagedLesson(principal, enrolment.id, lesson.slug) : null;
    const packaged = sco ? { ...sco, scripts: [this.assets.scormAgain, this.assets.player] } : undefined;
    const au = sco || !mayBePackaged ? null : await this.cmi5.lesson(principal, enrolment.id, lesson.slug);
    await sendPage(reply, lessonPage(ctx, { lesson, enrolment, courseTitle: enrolment.courseTitle, packaged, cmi5: au ? { resume: au.launches > 0 } : undefined }));
  }

  /** Launches the cmi5 AU of a lesson (docs/interop.md): a new session, then the AU in this window; it returns to the lesson page. */
  @Post('courses/:slug/lessons/:lessonSlug/launch')
  @Access('authenticated')
  async launch(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('slug') slug: string, @Param('lessonSlug') lessonSlug: string): Promise<void> {
    const enrolment = await this.enrolment(principal, slug);
    if (!enrolment) return seeOther(reply, `/courses/${encodeURIComponent(slug)}`);
    const lessonPath = `/courses/${encodeURIComponent(enrolment.courseSlug)}/lessons/${encodeURIComponent(lessonSlug)}`;
    const au = SLUG.test(lessonSlug) ? await this.cmi5.lesson(principal, enrolment.id, lessonSlug) : null;
    if (!au || enrolment.status === 'withdrawn') return seeOther(reply, SLUG.test(lessonSlug) ? lessonPath : `/courses/${encodeURIComponent(enrolment.courseSlug)}`);
    const launched = await this.cmi5.launch(principal, enrolment.id, au.activityId, `${this.config.publicUrl}${lessonPath}`);
    await seeOther(reply, launched.url);
  }

  @Post('courses/:slug/lessons/:lessonSlug/complete')
  @Access('authenticated')
  async complete(@CurrentUser() principal: Principal, @Res() reply: FastifyReply, @Param('slug') slug: string, @Param('lessonSlug') lessonSlug: string): Promise<void> {
    const enrolment = await this.enrolment(principal, slug);
    if (!enrolment) return seeOther(reply, `/courses/${encodeURIComponent(slug)}`);
    await this.progress.completeLesson(principal, enrolment.id, lessonSlug);
    const i = enrolment.lessons.findIndex((l) => l.slug === lessonSlug);
    const next = enrolment.lessons[i + 1];
    const base = `/courses/${encodeURIComponent(enrolment.courseSlug)}`;
    await seeOther(reply, next ? `${base}/lessons/${encodeURIComponent(next.slug)}` : enrolment.quiz && !enrolment.quiz.passed ? `${base}/quiz` : base);
  }

  @Get('courses/:slug/quiz')
  @Access('authenticated')
  async quiz(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string): Promise<void> {
    const enrolment = await this.enrolment(principal, slug);
    if (!enrolment) return seeOther(reply, `/courses/${encodeURIComponent(slug)}`);
    const ctx = await this.contexts.build(req, reply);
    const quiz = await this.quizzes.getQuiz(principal, enrolment.id, ctx.locale);
    await sendPage(reply, quizPage(ctx, { quiz, enrolment, courseTitle: enrolment.courseTitle, key: randomUUID() }));
  }

  /** The quiz form without JavaScript: answers graded on the server; the form's key makes a double submit grade once. */
  @Post('courses/:slug/quiz')
  @Access('authenticated')
  async submitQuiz(@CurrentUser() principal: Principal, @Req() req: WebRequest, @Res() reply: FastifyReply, @Param('slug') slug: string, @Body() body: unknown): Promise<void> {
    const enrolment = await this.enrolment(principal, slug);
    if (!enrolment) return seeOther(reply, `/courses/${encodeURIComponent(slug)}`);
    const ctx = await this.contexts.build(req, reply);
    const form = formOf(body);
    const quiz = await this.quizzes.getQuiz(principal, enrolment.id, ctx.locale);
    const given = new Map<string, Set<string>>();
    for (const q of quiz.questions) {
      const v = form[`q:${q.id}`];
      given.set(q.id, new Set((Array.isArray(v) ? v : v ? [v] : []).slice(0, 50)));
    }
    const errors = quiz.questions.flatMap((q, i) => (given.get(q.id)!.size ? [] : [{ field: `q-${i + 1}`, message: ctx.t.t('quiz.unanswered', { n: i + 1 }) }]));
    const key = typeof form.key === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(form.key) ? form.key : randomUUID();
    const render = async (extra: { result?: QuizAttemptResult; errors?: typeof errors }, status = 200): Promise<void> => {
      const fresh = extra.result ? await this.quizzes.getQuiz(principal, enrolment.id, ctx.locale) : quiz;
      const current = extra.result ? ((await this.enrolment(principal, slug)) ?? enrolment) : enrolment;
      await sendPage(reply, quizPage(ctx, { quiz: fresh, enrolment: current, courseTitle: enrolment.courseTitle, key: extra.result ? randomUUID() : key, given, ...extra }), status);
    };
    if (errors.length) return render({ errors }, 400);
    try {
      const result = await this.quizzes.submit(
        principal,
        enrolment.id,
        [...given].map(([questionId, choiceIds]) => ({ questionId, choiceIds: [...choiceIds] })),
        { clientKey: key, lang: ctx.locale },
      );
      await render({ result });
    } catch (e) {
      if (e instanceof QuizAlreadyPassedError || e instanceof QuizAttemptsExhaustedError) return render({}, 409);
      throw e;
    }
  }

  private async enrolment(principal: Principal, slug: string): Promise<EnrolmentDetails | null> {
    return SLUG.test(slug) ? this.enrolments.mineForCourse(principal, slug) : null;
  }

  /** Competency titles of a framework (read at most once a minute: frameworks change by import only). */
  private async competencyTitles(ctx: PageContext, key: string): Promise<Map<string, { title: string; lang: string }>> {
    let cached = this.frameworks.get(key);
    if (!cached || Date.now() - cached.at > FRAMEWORK_CACHE_MS) {
      const titles = new Map<string, Record<string, string>>();
      try {
        const walk = (nodes: CompetencyTreeNode[]): void => {
          for (const n of nodes) {
            if (!n.children.length) titles.set(n.code, n.title);
            walk(n.children);
          }
        };
        walk((await this.frameworkService.get(key)).competencies);
      } catch {
        // No such framework imported: courses still show their competency codes.
      }
      cached = { at: Date.now(), titles };
      if (titles.size) this.frameworks.set(key, cached);
    }
    return new Map([...cached.titles].map(([code, map]) => {
      const { text, lang } = pick(ctx, map);
      return [code, { title: text, lang }];
    }));
  }
}
