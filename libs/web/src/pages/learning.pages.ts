import type { CourseDetail, CourseListItem, LessonContent } from '@lms/catalog';
import type { EnrolmentDetails, EnrolmentView, LearnerQuiz, QuizAttemptResult } from '@lms/learning';
import type { Page } from '@lms/platform';
import { html, SafeHtml, trusted } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import { inLang, notice } from './common.js';

function enrolmentCard(ctx: PageContext, e: EnrolmentView): SafeHtml {
  const { t } = ctx;
  const done = e.status === 'completed';
  const action = done ? t.t('enrolment.review') : e.progress > 0 ? t.t('enrolment.continue') : t.t('enrolment.start');
  return html`<li class="card${e.overdue ? ' overdue' : done ? ' done' : ''}">
<h3><a href="/courses/${encodeURIComponent(e.courseSlug)}">${e.courseTitle}</a></h3>
<ul class="meta">
${e.source === 'assignment' ? html`<li><span class="tag">${t.t('enrolment.mandatory')}</span></li>` : ''}
${e.overdue ? html`<li><span class="tag bad">${t.t('enrolment.overdue')}</span></li>` : ''}
${e.dueAt && !done ? html`<li>${e.overdue ? t.t('enrolment.overdueSince', { date: t.date(e.dueAt) }) : t.t('enrolment.due', { date: t.date(e.dueAt) })}</li>` : ''}
${done && e.completedAt ? html`<li>${t.t('enrolment.completedOn', { date: t.date(e.completedAt) })}</li>` : html`<li>${t.t('enrolment.progress', { percent: e.progress })}</li>`}
</ul>
${done ? '' : html`<progress max="100" value="${e.progress}" aria-label="${t.t('enrolment.progress', { percent: e.progress })}">${e.progress}%</progress>`}
<p><a class="button secondary" href="/courses/${encodeURIComponent(e.courseSlug)}">${action}<span class="visually-hidden">: ${e.courseTitle}</span></a></p>
</li>`;
}

/** My learning: assigned first (overdue, then by due date), then in progress, then completed. */
export function homePage(ctx: PageContext, enrolments: EnrolmentView[], displayName: string): string {
  const { t } = ctx;
  const due = (e: EnrolmentView): number => (e.dueAt ? new Date(e.dueAt).getTime() : Number.MAX_SAFE_INTEGER);
  const open = enrolments.filter((e) => e.status !== 'completed');
  const assigned = open.filter((e) => e.source === 'assignment').sort((a, b) => Number(b.overdue) - Number(a.overdue) || due(a) - due(b));
  const inProgress = open.filter((e) => e.source !== 'assignment').sort((a, b) => b.progress - a.progress);
  const completed = enrolments.filter((e) => e.status === 'completed');
  const overdue = assigned.filter((e) => e.overdue).length;
  const section = (title: string, items: EnrolmentView[], id: string) =>
    items.length ? html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2><ul class="cards two">${items.map((e) => enrolmentCard(ctx, e))}</ul></section>` : '';
  return renderPage(ctx, {
    title: t.t('home.title'),
    nav: 'home',
    body: html`<h1>${t.t('home.title')}</h1>
<p class="lead">${t.t('home.greeting', { name: displayName })}. ${enrolments.length ? t.t('home.count', { count: open.length }) : t.t('home.empty')}</p>
${overdue ? notice('bad', t.t('home.overdueCount', { count: overdue }), null) : ''}
${section(t.t('home.assigned'), assigned, 'assigned')}
${section(t.t('home.inProgress'), inProgress, 'in-progress')}
${section(t.t('home.completed'), completed, 'completed')}
<p><a href="/courses">${t.t('home.browse')}</a></p>`,
  });
}

export interface CatalogView {
  results: Page<CourseListItem>;
  q: string;
  competency: string;
  language: string;
  competencies: Array<{ code: string; title: string; lang: string }>;
  languages: string[];
}

export function catalogPage(ctx: PageContext, v: CatalogView): string {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(v.results.total / v.results.limit));
  const link = (page: number): string => {
    const p = new URLSearchParams();
    if (v.q) p.set('q', v.q);
    if (v.competency) p.set('competency', v.competency);
    if (v.language) p.set('language', v.language);
    if (page > 1) p.set('page', String(page));
    const s = p.toString();
    return `/courses${s ? `?${s}` : ''}`;
  };
  return renderPage(ctx, {
    title: t.t('catalog.title'),
    nav: 'courses',
    body: html`<h1>${t.t('catalog.title')}</h1>
<form class="search" method="get" action="/courses" role="search">
<div class="field"><label for="q">${t.t('catalog.search')}</label><span class="hint" id="q-hint">${t.t('catalog.searchHint')}</span><input id="q" name="q" type="search" value="${v.q}" aria-describedby="q-hint" maxlength="200"></div>
<div class="field"><label for="competency">${t.t('catalog.competency')}</label><select id="competency" name="competency"><option value="">${t.t('catalog.any')}</option>${v.competencies.map(
      (c) => html`<option value="${c.code}"${c.code === v.competency ? ' selected' : ''}>${c.code} – ${c.title}</option>`,
    )}</select></div>
<div class="field"><label for="language">${t.t('catalog.language')}</label><select id="language" name="language"><option value="">${t.t('catalog.any')}</option>${v.languages.map(
      (l) => html`<option value="${l}"${l === v.language ? ' selected' : ''}>${t.languageName(l)}</option>`,
    )}</select></div>
<div class="field"><button class="button" type="submit">${t.t('catalog.apply')}</button></div>
</form>
<p role="status">${t.t('catalog.results', { count: v.results.total })}</p>
<ul class="cards two">${v.results.items.map(
      (c) => html`<li class="card"><h2 class="h3"><a href="/courses/${encodeURIComponent(c.slug)}"${c.language === ctx.locale ? '' : html` lang="${c.language}"`}>${c.title}</a></h2>
<p${c.language === ctx.locale ? '' : html` lang="${c.language}"`}>${c.summary}</p>
<ul class="meta"><li>${t.t('catalog.minutes', { minutes: c.estimatedMinutes })}</li><li>${c.languages.map((l) => t.languageName(l)).join(', ')}</li><li>${c.competencies.map((x) => x.code).join(', ')}</li></ul></li>`,
    )}</ul>
${pages > 1 ? html`<nav class="pager" aria-label="${t.t('catalog.page', { page: v.results.page, pages })}">${v.results.page > 1 ? html`<a href="${link(v.results.page - 1)}" rel="prev">${t.t('catalog.prev')}</a>` : html`<span></span>`}<span>${t.t('catalog.page', { page: v.results.page, pages })}</span>${v.results.page < pages ? html`<a href="${link(v.results.page + 1)}" rel="next">${t.t('catalog.next')}</a>` : html`<span></span>`}</nav>` : ''}`,
  });
}

export interface CourseView {
  course: CourseDetail;
  enrolment: EnrolmentDetails | null;
  competencyTitles: Map<string, { title: string; lang: string }>;
  offlineUrls: string[];
  flash?: string;
}

export function coursePage(ctx: PageContext, v: CourseView): string {
  const { t } = ctx;
  const c = v.course;
  const lang = c.language;
  const l = (text: string) => inLang(ctx, text, lang);
  const done = new Set(v.enrolment?.lessons.filter((x) => x.done).map((x) => x.slug));
  const slug = encodeURIComponent(c.slug);
  const firstOpen = v.enrolment?.lessons.find((x) => !x.done && x.required) ?? v.enrolment?.lessons.find((x) => !x.done);
  return renderPage(ctx, {
    title: c.title,
    nav: 'courses',
    body: html`<h1${lang === ctx.locale ? '' : html` lang="${lang}"`}>${c.title}</h1>
${v.flash ? notice('ok', v.flash) : ''}
${lang !== ctx.locale ? notice('warn', t.t('course.notInLanguage', { wanted: t.languageName(ctx.locale), shown: t.languageName(lang) }), null) : ''}
<p class="lead"${lang === ctx.locale ? '' : html` lang="${lang}"`}>${c.summary}</p>
<ul class="meta"><li>${t.t('course.estimated', { minutes: c.estimatedMinutes })}</li><li>${t.t('course.school', { school: ctx.schoolName?.(c.school) ?? c.school.name })}</li><li>${t.t('course.version', { version: v.enrolment?.version ?? c.version })}</li></ul>
${c.adaptedFrom ? html`<p class="muted" data-adapted-from>${c.adaptedFrom.institution ? t.t('course.adaptedFrom', { course: c.adaptedFrom.title, institution: c.adaptedFrom.institution.name }) : t.t('course.adaptedFromCourse', { course: c.adaptedFrom.title })}</p>` : ''}
${c.attribution ? html`<p class="muted">${t.t('course.attribution', { text: c.attribution })}</p>` : ''}
${
  v.enrolment
    ? html`${notice('ok', t.t('course.enrolled'), null)}${
        v.enrolment.status === 'completed'
          ? ''
          : html`<div class="actions">${firstOpen ? html`<a class="button" href="/courses/${slug}/lessons/${encodeURIComponent(firstOpen.slug)}">${v.enrolment.progress > 0 ? t.t('enrolment.continue') : t.t('enrolment.start')}</a>` : ''}${v.enrolment.quiz && !v.enrolment.quiz.passed ? html`<a class="button secondary" href="/courses/${slug}/quiz">${t.t('course.takeQuiz')}</a>` : ''}</div>`
      }`
    : html`<form method="post" action="/courses/${slug}/enrol">${csrfField(ctx)}<div class="actions"><button class="button" type="submit">${t.t('course.enrol')}</button></div></form>`
}
<h2>${t.t('course.competencies')}</h2>
<ul>${c.competencies.map((x) => {
      const title = v.competencyTitles.get(x.code);
      return html`<li><strong>${x.code}</strong>${title ? html` – ${inLang(ctx, title.title, title.lang)}` : ''} (${t.t('course.level', { level: x.level })})</li>`;
    })}</ul>
<h2>${t.t('course.lessons')}</h2>
<ol class="lessons">${(v.enrolment?.lessons ?? c.lessons).map((x) => html`<li>${
      v.enrolment ? html`<a href="/courses/${slug}/lessons/${encodeURIComponent(x.slug)}">${l(x.title)}</a>` : l(x.title)
    } <span class="muted">(${t.t('catalog.minutes', { minutes: x.minutes })}${x.required ? '' : `, ${t.t('course.optional')}`})</span>${done.has(x.slug) ? html` <span class="tag ok">${t.t('course.done')}</span>` : ''}</li>`)}</ol>
${v.enrolment && v.enrolment.status !== 'withdrawn' ? html`<p><a href="/courses/${slug}/discussion" data-discussion>${t.t('course.discussion')}</a></p>` : ''}
${c.quiz ? html`<p>${t.t('course.quiz', { count: c.quiz.questionCount, passMark: c.quiz.passMark })}${v.enrolment?.quiz?.passed ? html` <span class="tag ok">${t.t('course.done')}</span>` : ''}</p>` : ''}
${(() => {
  // The result the course's packaged lessons (SCORM, cmi5) reported (docs/interop.md).
  const r = v.enrolment?.packageResult;
  if (!r) return '';
  const tag = r.passed === null ? '' : r.passed ? html` <span class="tag ok">${t.t('course.packagePassed')}</span>` : html` <span class="tag warn">${t.t('course.packageFailed')}</span>`;
  return html`<p data-package-result>${r.score === null ? t.t('course.packageResultNoScore') : t.t('course.packageScore', { score: r.score })}${tag}</p>`;
})()}
${
  v.enrolment && v.enrolment.status !== 'withdrawn'
    ? html`<section class="card" data-offline-box data-cache="course:${c.slug}:v${v.enrolment.version}" data-urls="${JSON.stringify(v.offlineUrls)}" aria-labelledby="offline-title" hidden><h2 id="offline-title" class="h3">${t.t('course.offline')}</h2><p>${t.t('course.offlineHint')}</p><p data-status role="status"></p><div class="actions"><button type="button" class="button secondary" data-download>${t.t('course.download')}</button><button type="button" class="button secondary" data-remove hidden>${t.t('course.remove')}</button></div></section>`
    : ''
}`,
  });
}

export interface LessonView {
  lesson: LessonContent;
  enrolment: EnrolmentDetails;
  courseTitle: string;
  flash?: string;
  /** A packaged (SCORM) lesson: played in a sandboxed frame, completed by the content itself. */
  packaged?: { activityId: string; version: '1.2' | '2004'; launchUrl: string; items: Array<{ identifier: string; lessonSlug: string }>; scripts: string[] };
  /** A cmi5 AU: launched from a form (a new session each time), completed by its statements and moveOn. */
  cmi5?: { resume: boolean };
}

/**
 * Lesson HTML (already sanitised by the catalog's renderer) made phone-friendly: lazy, async
 * images; wide tables in a region that scrolls sideways and can be scrolled by keyboard.
 */
export function lessonHtml(ctx: PageContext, markup: string): SafeHtml {
  let n = 0;
  const label = (): string => html`${ctx.t.t('lesson.table', { n: ++n })}`.value;
  return trusted(
    markup
      .replace(/<img(?![^>]*\bloading=)/g, '<img loading="lazy" decoding="async"')
      .replace(/<table/g, () => `<div class="table-wrap" role="region" tabindex="0" aria-label="${label()}"><table`)
      .replace(/<\/table>/g, '</table></div>'),
  );
}

/**
 * The table of contents of a multi-SCO package (SCORM 2004 choice navigation): its SCOs as links
 * to their lessons, the current one marked, done ones tagged. A SCO's `{target=<item>}choice`
 * request follows the link whose data-item names it (libs/web/assets/player.js).
 */
function packageContents(ctx: PageContext, v: LessonView, slug: string): SafeHtml | '' {
  const items = v.packaged?.items ?? [];
  if (items.length < 2) return '';
  const lessons = new Map(v.enrolment.lessons.map((l) => [l.slug, l]));
  return html`<nav class="package-toc" aria-label="${ctx.t.t('lesson.packageContents')}" data-package-toc><ol>${items.map((item) => {
    const l = lessons.get(item.lessonSlug);
    const current = item.lessonSlug === v.lesson.slug;
    return html`<li><a href="/courses/${slug}/lessons/${encodeURIComponent(item.lessonSlug)}" data-item="${item.identifier}"${current ? html` aria-current="page"` : ''}>${l?.title ?? item.identifier}</a>${l?.done ? html` <span class="tag ok">${ctx.t.t('course.done')}</span>` : ''}</li>`;
  })}</ol></nav>`;
}

export function lessonPage(ctx: PageContext, v: LessonView): string {
  const { t } = ctx;
  const x = v.lesson;
  const slug = encodeURIComponent(x.courseSlug);
  const done = v.enrolment.lessons.find((l) => l.slug === x.slug)?.done ?? false;
  const count = v.enrolment.lessons.length;
  const attr = x.language === ctx.locale ? '' : html` lang="${x.language}"`;
  const quizNext = !x.next && v.enrolment.quiz && !v.enrolment.quiz.passed;
  return renderPage(ctx, {
    title: `${x.title} – ${v.courseTitle}`,
    nav: 'courses',
    body: html`<p class="muted"><a href="/courses/${slug}">${v.courseTitle}</a> · ${t.t('lesson.of', { position: x.position, count })} · ${t.t('lesson.minutes', { minutes: x.minutes })}</p>
${v.flash ? notice('ok', v.flash) : ''}
${x.language !== ctx.locale ? notice('warn', t.t('course.notInLanguage', { wanted: t.languageName(ctx.locale), shown: t.languageName(x.language) }), null) : ''}
${
  v.packaged
    ? html`<h1${attr}>${x.title}</h1>
${packageContents(ctx, v, slug)}
<div class="player" data-scorm-player data-enrolment="${v.enrolment.id}" data-sco="${v.packaged.activityId}" data-version="${v.packaged.version}" data-launch="${v.packaged.launchUrl}" data-course="/courses/${slug}"><iframe title="${t.t('lesson.packagedFrame', { title: x.title })}" sandbox="allow-scripts allow-same-origin allow-forms allow-popups" referrerpolicy="same-origin"></iframe></div>
${v.packaged.scripts.map((src) => html`<script src="${src}" defer></script>`)}`
    : v.cmi5
      ? html`<h1${attr}>${x.title}</h1>
<p>${t.t('lesson.cmi5Intro')}</p>
${v.enrolment.status === 'withdrawn' ? '' : html`<form method="post" action="/courses/${slug}/lessons/${encodeURIComponent(x.slug)}/launch">${csrfField(ctx)}<div class="actions"><button class="button" type="submit">${done ? t.t('lesson.cmi5Again') : v.cmi5.resume ? t.t('lesson.cmi5Resume') : t.t('lesson.cmi5Start')}</button></div></form>`}`
      : html`<article class="prose"${attr}><h1>${x.title}</h1>${lessonHtml(ctx, x.html)}</article>`
}
${
  done
    ? notice('ok', t.t('lesson.completed'), null)
    : v.enrolment.status === 'withdrawn'
      ? ''
      : v.packaged || v.cmi5
        ? notice('info', t.t('lesson.packagedHint'), null)
      : html`<form method="post" action="/courses/${slug}/lessons/${encodeURIComponent(x.slug)}/complete" data-offline="lesson.complete" data-enrolment="${v.enrolment.id}" data-version="${v.enrolment.version}" data-lesson="${x.slug}">${csrfField(ctx)}<div class="actions"><button class="button" type="submit">${t.t('lesson.complete')}</button></div></form>`
}
<nav class="pager" aria-label="${t.t('course.lessons')}">
${x.previous ? html`<a href="/courses/${slug}/lessons/${encodeURIComponent(x.previous.slug)}" rel="prev">${t.t('lesson.previous', { title: x.previous.title })}</a>` : html`<a href="/courses/${slug}">${t.t('lesson.backToCourse')}</a>`}
${x.next ? html`<a href="/courses/${slug}/lessons/${encodeURIComponent(x.next.slug)}" rel="next" data-next>${t.t('lesson.next', { title: x.next.title })}</a>` : quizNext ? html`<a href="/courses/${slug}/quiz" data-next>${t.t('course.takeQuiz')}</a>` : html`<a href="/courses/${slug}" data-next>${t.t('lesson.backToCourse')}</a>`}
</nav>`,
  });
}

export interface QuizView {
  quiz: LearnerQuiz;
  enrolment: EnrolmentDetails;
  courseTitle: string;
  /** Idempotency key of this rendering of the form: a double submit grades once. */
  key: string;
  result?: QuizAttemptResult;
  errors?: Array<{ field: string; message: string }>;
  given?: Map<string, Set<string>>;
}

export function quizPage(ctx: PageContext, v: QuizView): string {
  const { t } = ctx;
  const q = v.quiz;
  const slug = encodeURIComponent(q.courseSlug);
  const attr = q.language === ctx.locale ? '' : html` lang="${q.language}"`;
  const feedback = new Map(v.result?.feedback.map((f) => [f.questionId, f]));
  const required = v.enrolment.lessons.filter((l) => l.required && !l.done).length;
  const canSubmit = !q.passed && q.attemptsLeft > 0 && v.enrolment.status !== 'withdrawn' && v.enrolment.status !== 'completed';
  const result = v.result;
  return renderPage(ctx, {
    title: t.t('quiz.title', { course: v.courseTitle }),
    nav: 'courses',
    errors: v.errors,
    body: html`<p class="muted"><a href="/courses/${slug}">${v.courseTitle}</a></p>
<h1>${t.t('quiz.title', { course: v.courseTitle })}</h1>
${result ? html`<div class="notice ${result.passed ? 'ok' : 'warn'}" role="status" tabindex="-1" data-autofocus><p><strong>${result.passed ? t.t('quiz.passed', { score: result.score }) : t.t('quiz.failed', { score: result.score, passMark: result.passMark })}</strong></p>${result.enrolment.status === 'completed' ? html`<p>${t.t('quiz.certificateSoon')} <a href="/certificates">${t.t('nav.certificates')}</a></p>` : ''}</div>` : ''}
${q.passed && !result ? notice('ok', t.t('quiz.alreadyPassed'), null) : ''}
${!q.passed && q.attemptsLeft === 0 ? notice('bad', t.t('quiz.noAttempts'), null) : ''}
${required && !q.passed ? notice('info', t.t('quiz.lessonsFirst'), null) : ''}
${canSubmit ? html`<p>${t.t('quiz.intro', { passMark: q.passMark })} ${t.t('quiz.attemptsLeft', { count: q.attemptsLeft })}</p>` : ''}
<form method="post" action="/courses/${slug}/quiz" data-offline="${canSubmit ? 'quiz.submit' : ''}" data-enrolment="${v.enrolment.id}" data-version="${q.version}" novalidate>${csrfField(ctx)}<input type="hidden" name="key" value="${v.key}">
${q.questions.map((question, i) => {
      const f = feedback.get(question.id);
      const error = v.errors?.find((e) => e.field === `q-${i + 1}`);
      const chosen = v.given?.get(question.id);
      const type = question.type === 'single' ? 'radio' : 'checkbox';
      return html`<fieldset id="q-${i + 1}" class="${error ? 'field-error' : ''}"${error ? html` aria-describedby="q-${i + 1}-error"` : ''}>
<legend><span class="visually-hidden">${t.t('quiz.question', { n: i + 1 })}: </span><span${attr}>${question.text}</span></legend>
<span class="hint">${question.type === 'single' ? t.t('quiz.chooseOne') : t.t('quiz.chooseMany')}</span>
${error ? html`<span class="error-message" id="q-${i + 1}-error">${error.message}</span>` : ''}
${question.choices.map(
        (c) => html`<div class="choice"><input type="${type}" id="q-${i + 1}-${c.id}" name="q:${question.id}" value="${c.id}" data-question="${question.id}"${chosen?.has(c.id) ? ' checked' : ''}${canSubmit ? '' : ' disabled'}><label for="q-${i + 1}-${c.id}"${attr}>${c.text}</label></div>`,
      )}
${f ? html`<p class="notice ${f.correct ? 'ok' : 'bad'}"><strong><span aria-hidden="true">${f.correct ? '✓' : '✗'}</span> ${f.correct ? t.t('quiz.correct') : t.t('quiz.incorrect')}</strong> ${f.explanation ? html`<span${attr}>${f.explanation}</span>` : ''}</p>` : ''}
</fieldset>`;
    })}
${canSubmit ? html`<div class="actions"><button class="button" type="submit">${t.t('quiz.submit')}</button></div>` : ''}
</form>
<p><a href="/courses/${slug}">${t.t('lesson.backToCourse')}</a></p>`,
  });
}
