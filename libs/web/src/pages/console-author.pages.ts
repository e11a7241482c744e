import { COURSE_ZIP_LIMITS, COURSE_ZIP_MAX_BYTES } from '@lms/catalog';
import type { AuthoredCourse, CourseDetail, LessonContent, PackageProblem, VersionDiff } from '@lms/catalog';
import type { CourseAnalytics } from '@lms/learning';
import { LOCALE_NAMES } from '@lms/i18n';
import { html, SafeHtml } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import { notice, pick, pickHtml, time } from './common.js';
import { shareBarChart } from './charts.js';
import { consolePage, pct } from './console.pages.js';
import { lessonHtml } from './learning.pages.js';

/** The folder layout of a course package: file names, the same in every language (not translated). */
const UPLOAD_LAYOUT = 'courses/<slug>/ — course.yaml, quiz.yaml, lessons/';

function languageName(lang: string): string {
  return (LOCALE_NAMES as Record<string, string>)[lang] ?? lang;
}

/** My courses: every course the author may edit, its versions with status and languages, preview and publish. */
export interface AuthorFlash {
  published?: number;
  error?: string;
  /** A package saved as a draft. */
  uploaded?: { slug: string; version: number };
  /** The upload was refused: a form error (no file) or the package's problems. */
  upload?: { error?: string; problems?: PackageProblem[] };
}

/** The upload form, and when a package was refused, every problem by file, line and field. */
function uploadSection(ctx: PageContext, upload: AuthorFlash['upload']): SafeHtml {
  const { t } = ctx;
  const problems = upload?.problems ?? [];
  const error = upload?.error ?? (problems.length ? t.t('console.upload.failed', { count: problems.length }) : undefined);
  return html`<section class="card" aria-labelledby="upload-title"><h2 id="upload-title" class="h3">${t.t('console.upload.title')}</h2>
<p>${t.t('console.upload.intro', { layout: UPLOAD_LAYOUT })}</p>
${
  problems.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="problems-caption"><table class="data"><caption id="problems-caption">${t.t('console.upload.problems', { count: problems.length })}</caption><thead><tr><th scope="col">${t.t('console.upload.fileCol')}</th><th scope="col" class="num">${t.t('console.upload.line')}</th><th scope="col">${t.t('console.upload.field')}</th><th scope="col">${t.t('console.upload.problem')}</th></tr></thead><tbody>${problems.slice(0, 200).map(
        (p) => html`<tr><th scope="row"><code>${p.file ?? ''}</code></th><td class="num">${p.line ? (p.column && p.column > 1 ? `${p.line}:${p.column}` : String(p.line)) : '–'}</td><td>${p.field ? html`<code>${p.field}</code>` : '–'}</td><td lang="en">${p.message}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<form method="post" action="/console/author/upload" enctype="multipart/form-data" novalidate>${csrfField(ctx)}<div class="field${error ? ' field-error' : ''}"><label for="package">${t.t('console.upload.file')}</label><span class="hint" id="package-hint">${t.t('console.upload.hint', { mb: Math.round(COURSE_ZIP_MAX_BYTES / 1024 / 1024), files: COURSE_ZIP_LIMITS.maxEntries })}</span>${error ? html`<span class="error-message" id="package-error">${error}</span>` : ''}<input type="file" id="package" name="package" accept=".zip,application/zip" aria-describedby="package-hint${error ? ' package-error' : ''}"></div><div class="actions"><button class="button" type="submit">${t.t('console.upload.submit')}</button></div></form></section>`;
}

export function authorCoursesPage(ctx: PageContext, courses: AuthoredCourse[], flash?: AuthorFlash, errorSlug?: string): string {
  const { t } = ctx;
  const uploadError = flash?.upload ? (flash.upload.error ?? t.t('console.upload.failed', { count: flash.upload.problems?.length ?? 0 })) : undefined;
  return consolePage(ctx, {
    title: t.t('console.author.title'),
    current: 'author',
    errors: flash?.error && errorSlug ? [{ field: `summary-${errorSlug}`, message: flash.error }] : uploadError ? [{ field: 'package', message: uploadError }] : undefined,
    body: html`<h1>${t.t('console.author.title')}</h1>
${flash?.published ? notice('ok', t.t('console.author.published', { version: flash.published })) : ''}${flash?.uploaded ? notice('ok', t.t('console.upload.saved', { version: flash.uploaded.version, slug: flash.uploaded.slug })) : ''}
${uploadSection(ctx, flash?.upload)}
${courses.length ? '' : html`<p>${t.t('console.author.none')}</p>`}
<ul class="cards">${courses.map((c) => {
      const title = pick(ctx, c.title);
      const draft = c.versions.find((v) => v.status === 'draft');
      return html`<li class="card"><h2 class="h3"${title.lang === ctx.locale ? '' : html` lang="${title.lang}"`}>${title.text}</h2><p class="muted">${c.slug} · ${c.school}</p>
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="v-${c.slug}"><table class="data"><caption id="v-${c.slug}">${t.t('console.author.versions')}</caption><thead><tr><th scope="col">${t.t('console.author.version')}</th><th scope="col">${t.t('console.status')}</th><th scope="col">${t.t('console.author.languages')}</th><th scope="col" class="num">${t.t('console.author.lessons')}</th></tr></thead><tbody>${c.versions.map(
        (v) => html`<tr><th scope="row">${v.version}</th><td>${v.status === 'draft' ? html`<span class="tag warn">${t.t('console.author.draft')}</span>` : html`${t.t('console.author.publishedOn')} ${v.publishedAt ? time(ctx, v.publishedAt) : ''}`}</td><td>${v.languages.map(languageName).join(', ')}</td><td class="num">${v.lessonCount}</td></tr>`,
      )}</tbody></table></div>
${
  draft
    ? html`<p>${t.t('console.author.preview')}: ${draft.languages.map((l, i) => html`${i ? ' · ' : ''}<a href="/console/author/courses/${c.slug}/preview?lang=${l}" lang="${l}">${languageName(l)}</a>`)}</p>
<form method="post" action="/console/author/courses/${c.slug}/publish" novalidate>${csrfField(ctx)}<div class="field${errorSlug === c.slug ? ' field-error' : ''}"><label for="summary-${c.slug}">${t.t('console.author.summary')}</label><span class="hint" id="summary-${c.slug}-hint">${t.t('console.author.summaryHint')}</span>${errorSlug === c.slug && flash?.error ? html`<span class="error-message">${flash.error}</span>` : ''}<textarea id="summary-${c.slug}" name="summary" rows="2" maxlength="1000" aria-describedby="summary-${c.slug}-hint"></textarea></div><div class="actions"><button class="button" type="submit">${t.t('console.author.publish', { version: draft.version })}</button></div></form>`
    : html`<p class="muted">${t.t('console.author.noDraft')}</p>`
}${c.versions.length > 1 ? html`<p><a href="/console/author/courses/${c.slug}/diff?from=${c.versions[1].version}&amp;to=${c.versions[0].version}">${t.t('console.diff.link', { from: c.versions[1].version, to: c.versions[0].version })}</a></p>` : ''}<p><a href="/console/author/courses/${c.slug}/sharing">${t.t('hub.sharing.link')}<span class="visually-hidden">: ${title.text}</span></a></p>${c.versions.some((v) => v.status === 'published') ? html`<p><a href="/console/author/courses/${c.slug}/analytics">${t.t('console.analytics.link')}<span class="visually-hidden">: ${title.text}</span></a></p>` : ''}</li>`;
    })}</ul>`,
  });
}

/** A draft lesson exactly as a learner's lesson page renders it (same renderer, same markup), in a chosen language. */
export function authorPreviewPage(ctx: PageContext, course: CourseDetail, lesson: LessonContent): string {
  const { t } = ctx;
  const base = `/console/author/courses/${course.slug}/preview`;
  const attr = lesson.language === ctx.locale ? '' : html` lang="${lesson.language}"`;
  return consolePage(ctx, {
    title: t.t('console.author.previewTitle', { title: lesson.title }),
    current: 'author',
    body: html`${notice('info', t.t('console.author.previewNotice', { version: course.version, language: languageName(lesson.language) }))}
<nav aria-label="${t.t('console.author.previewLanguages')}"><ul class="meta">${course.languages.map(
      (l) => html`<li><a href="${base}?lang=${l}&amp;lesson=${lesson.slug}" lang="${l}"${l === lesson.language ? html` aria-current="page"` : ''}>${languageName(l)}</a></li>`,
    )}</ul></nav>
<p class="muted">${course.language === ctx.locale ? course.title : html`<span lang="${course.language}">${course.title}</span>`} · ${t.t('lesson.of', { position: lesson.position, count: course.lessons.length })} · ${t.t('lesson.minutes', { minutes: lesson.minutes })}</p>
<article class="prose"${attr}><h1>${lesson.title}</h1>${lessonHtml(ctx, lesson.html)}</article>
<nav class="pager" aria-label="${t.t('course.lessons')}">
${lesson.previous ? html`<a href="${base}?lang=${lesson.language}&amp;lesson=${lesson.previous.slug}" rel="prev">${t.t('lesson.previous', { title: lesson.previous.title })}</a>` : html`<a href="/console/author">${t.t('console.author.back')}</a>`}
${lesson.next ? html`<a href="${base}?lang=${lesson.language}&amp;lesson=${lesson.next.slug}" rel="next">${t.t('lesson.next', { title: lesson.next.title })}</a>` : html`<a href="/console/author">${t.t('console.author.back')}</a>`}
</nav>`,
  });
}


/** The share of first attempts that answered each question correctly, as a chart (suppressed questions left out; the table follows). */
function itemChart(ctx: PageContext, a: CourseAnalytics): SafeHtml {
  const { t } = ctx;
  const shown = a.questions.filter((q) => q.facility !== null).map((q) => ({ question: pick(ctx, q.text).text, share: q.facility! }));
  return shareBarChart(
    'chart-items',
    t.t('console.analytics.chartItems'),
    shown.map((q) => t.t('console.analytics.chartItem', { question: q.question, share: pct(ctx, q.share) })).join('; '),
    shown.map((q) => ({ text: t.t('console.analytics.chartItem', { question: q.question, share: pct(ctx, q.share) }), share: q.share })),
  );
}

/** Course analytics: enrolments, completions, median time per lesson and the quiz item analysis (small groups suppressed). */
export function analyticsPage(ctx: PageContext, a: CourseAnalytics): string {
  const { t } = ctx;
  const title = pick(ctx, a.title);
  const hidden = html`<span class="muted">${t.t('open.suppressed')}</span>`;
  const n = (v: number | null): SafeHtml | string => (v === null ? hidden : t.number(v));
  const share = (v: number | null): SafeHtml | string => (v === null ? hidden : t.number(v, { style: 'percent', maximumFractionDigits: 0 }));
  return consolePage(ctx, {
    title: t.t('console.analytics.title', { course: title.text }),
    current: 'author',
    body: html`<h1>${t.t('console.analytics.title', { course: title.text })}</h1>
<p class="lead">${t.t('console.analytics.intro', { version: a.version, min: 5 })}</p>
<ul class="meta"><li>${t.t('open.enrolled')}: ${n(a.enrolled)}</li><li>${t.t('open.completed')}: ${n(a.completed)}</li><li>${t.t('console.analytics.attempts', { count: a.attempts })}</li></ul>
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="lessons-caption"><table class="data"><caption id="lessons-caption">${t.t('console.analytics.lessons')}</caption><thead><tr><th scope="col">${t.t('console.author.lessons')}</th><th scope="col" class="num">${t.t('open.completed')}</th><th scope="col" class="num">${t.t('console.analytics.median')}</th></tr></thead><tbody>${a.lessons.map(
      (l) => html`<tr><th scope="row">${pickHtml(ctx, l.title)}</th><td class="num">${n(l.completions)}</td><td class="num">${l.medianMinutes === null ? hidden : t.t('console.analytics.minutes', { minutes: l.medianMinutes })}</td></tr>`,
    )}</tbody></table></div>
${
  a.questions.length
    ? html`${itemChart(ctx, a)}<div class="table-wrap" role="region" tabindex="0" aria-labelledby="items-caption"><table class="data"><caption id="items-caption">${t.t('console.analytics.items')}</caption><thead><tr><th scope="col">${t.t('console.analytics.question')}</th><th scope="col" class="num">${t.t('console.analytics.answered')}</th><th scope="col" class="num">${t.t('console.analytics.facility')}</th><th scope="col" class="num">${t.t('console.analytics.discrimination')}</th><th scope="col">${t.t('console.analytics.wrong')}</th></tr></thead><tbody>${a.questions.map(
        (q) => html`<tr><th scope="row">${pickHtml(ctx, q.text)}</th><td class="num">${n(q.suppressed ? null : q.answered)}</td><td class="num">${share(q.facility)}</td><td class="num">${q.discrimination === null ? hidden : t.number(q.discrimination, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</td><td>${
          q.suppressed ? hidden : q.commonWrong && q.commonWrongText ? html`${pickHtml(ctx, q.commonWrongText)} (${t.number(q.commonWrong.count)})` : '–'
        }</td></tr>`,
      )}</tbody></table></div>
<p class="hint">${t.t('console.analytics.help')}</p>`
    : ''
}
<p><a href="/console/author">${t.t('console.author.back')}</a></p>`,
  });
}

/** The difference between two versions: languages, lessons and questions added or removed, changed lesson text line by line. */
export function diffPage(ctx: PageContext, slug: string, d: VersionDiff): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.diff.title', { slug, from: d.from, to: d.to }),
    current: 'author',
    body: html`<h1>${t.t('console.diff.title', { slug, from: d.from, to: d.to })}</h1>
${diffBody(ctx, d)}
<p><a href="/console/author">${t.t('console.author.back')}</a></p>`,
  });
}

/** The body of a version diff (also shown on an adaptation's upstream page). */
export function diffBody(ctx: PageContext, d: VersionDiff): SafeHtml {
  const { t } = ctx;
  const list = (key: 'console.diff.languagesAdded' | 'console.diff.languagesRemoved' | 'console.diff.lessonsAdded' | 'console.diff.lessonsRemoved' | 'console.diff.questionsAdded' | 'console.diff.questionsRemoved', items: string[]) =>
    items.length ? html`<li>${t.t(key)}: ${items.map((x, i) => html`${i ? ', ' : ''}<code>${x}</code>`)}</li>` : '';
  const summary = [
    list('console.diff.languagesAdded', d.languagesAdded.map(languageName)),
    list('console.diff.languagesRemoved', d.languagesRemoved.map(languageName)),
    list('console.diff.lessonsAdded', d.lessonsAdded),
    list('console.diff.lessonsRemoved', d.lessonsRemoved),
    list('console.diff.questionsAdded', d.questionsAdded),
    list('console.diff.questionsRemoved', d.questionsRemoved),
  ].filter((x) => x !== '');
  return html`${summary.length ? html`<ul>${summary}</ul>` : d.lessonsChanged.length ? '' : html`<p>${t.t('console.diff.same')}</p>`}
${d.lessonsChanged.map(
  (c) => html`<h2 class="h3">${t.t('console.diff.lessonChanged', { lesson: c.slug, language: languageName(c.language) })}</h2>
<pre class="diff" lang="${c.language}" tabindex="0" aria-label="${t.t('console.diff.lessonChanged', { lesson: c.slug, language: languageName(c.language) })}">${c.lines.map(
    (l) => (l.kind === 'same' ? html`<span>  ${l.text}\n</span>` : l.kind === 'added' ? html`<ins>+ ${l.text}\n</ins>` : html`<del>− ${l.text}\n</del>`),
  )}</pre>`,
)}
<p class="hint">${t.t('console.diff.legend')}</p>`;
}
