import { RESOURCE_FILE_MAX_BYTES } from '@lms/hub';
import type { PostView, ReportView, ResourceView, SpaceView, ThreadSummary, ThreadView } from '@lms/hub';
import type { Page } from '@lms/platform';
import { html, SafeHtml } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import { notice, time } from './common.js';
import { pager } from './console.pages.js';

type FieldErrors = Array<{ field: string; message: string }>;

/** A text field or text area with its label, hint and error message (the error summary links to its id). */
function textField(
  ctx: PageContext,
  o: { id: string; name: string; label: string; value: string; errors?: FieldErrors; hint?: string; rows?: number; maxlength: number; required?: boolean },
): SafeHtml {
  const err = o.errors?.find((e) => e.field === o.id);
  const described = [o.hint ? `${o.id}-hint` : '', err ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${o.id}" name="${o.name}" maxlength="${o.maxlength}"${o.required ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}${err ? html` aria-invalid="true"` : ''}`;
  return html`<div class="field${err ? ' field-error' : ''}"><label for="${o.id}">${o.label}</label>${o.hint ? html`<span class="hint" id="${o.id}-hint">${o.hint}</span>` : ''}${
    err ? html`<span class="error-message" id="${o.id}-error">${err.message}</span>` : ''
  }${o.rows ? html`<textarea ${attrs} rows="${o.rows}">${o.value}</textarea>` : html`<input type="text" ${attrs} value="${o.value}">`}</div>`;
}

function audience(ctx: PageContext, s: SpaceView): string {
  return ctx.t.t(s.audience === 'hub' ? 'communities.audience.hub' : s.audience === 'course' ? 'communities.audience.course' : 'communities.audience.institutions');
}

const spacePath = (s: { slug: string }) => `/communities/${encodeURIComponent(s.slug)}`;
const threadPath = (s: { slug: string }, threadId: string) => `${spacePath(s)}/threads/${threadId}`;

/** The spaces the person may see. */
export function communitiesPage(ctx: PageContext, spaces: Page<SpaceView>): string {
  const { t } = ctx;
  const card = (s: SpaceView) => html`<li class="card">
<h2><a href="${spacePath(s)}">${s.title}</a></h2>
${s.description ? html`<p>${s.description}</p>` : ''}
<ul class="meta"><li>${audience(ctx, s)}</li>${s.you.moderator ? html`<li><span class="tag ok">${t.t('communities.moderator')}</span></li>` : ''}${
    s.you.banned ? html`<li><span class="tag bad">${t.t('communities.bannedTag')}</span></li>` : ''
  }</ul>
</li>`;
  return renderPage(ctx, {
    title: t.t('communities.title'),
    nav: 'communities',
    body: html`<h1>${t.t('communities.title')}</h1>
<p>${t.t('communities.intro')}</p>
${
  spaces.total
    ? html`<p role="status">${t.t('communities.count', { count: spaces.total })}</p><ul class="cards two">${spaces.items.map(card)}</ul>`
    : html`<p>${t.t('communities.empty')}</p>`
}
${pager(ctx, '/communities', {}, spaces.page, spaces.total, spaces.limit)}
<p><a href="/directory">${t.t('communities.directoryLink')}</a></p>`,
  });
}

/** What was typed into a resource form (kept when it is refused). */
export interface ResourceFormValues {
  form: 'link' | 'file';
  title: string;
  url: string;
  note: string;
}

function fileSize(ctx: PageContext, bytes: number): string {
  return bytes >= 1024 * 1024 ? ctx.t.t('communities.resources.mb', { size: (bytes / 1024 / 1024).toFixed(1) }) : ctx.t.t('communities.resources.kb', { size: Math.max(1, Math.round(bytes / 1024)) });
}

/** The space's resources (links open elsewhere, files download), with Hide / Show again for moderators, and the two forms to add one. */
function resourcesSection(ctx: PageContext, s: SpaceView, resources: Page<ResourceView>, errors: FieldErrors | undefined, values: ResourceFormValues | undefined): SafeHtml {
  const { t } = ctx;
  const item = (r: ResourceView) => html`<li class="card" id="resource-${r.id}">
<h3>${
    r.kind === 'link' && r.url
      ? html`<a href="${r.url}" rel="noopener noreferrer nofollow">${r.title}</a>`
      : html`<a href="${spacePath(s)}/resources/${r.id}/file" download>${r.title}</a>`
  }</h3>
${r.note ? html`<p>${r.note}</p>` : ''}
<ul class="meta">${r.file ? html`<li>${t.t('communities.resources.fileMeta', { name: r.file.name, size: fileSize(ctx, r.file.size) })}</li>` : html`<li>${t.t('communities.resources.link')}</li>`}<li>${t.t('communities.resources.sharedBy', { person: r.addedBy?.displayName || t.t('communities.formerMember') })}</li><li>${time(ctx, r.createdAt)}</li>${
    r.hidden ? html`<li><span class="tag">${t.t('communities.hidden')}</span></li>` : ''
  }</ul>
${
  s.you.moderator
    ? html`<form method="post" action="${spacePath(s)}/resources/${r.id}/${r.hidden ? 'unhide' : 'hide'}">${csrfField(ctx)}<button class="button secondary" type="submit">${t.t(r.hidden ? 'communities.resources.show' : 'communities.resources.hide', { title: r.title })}</button></form>`
    : ''
}
</li>`;
  const link = values?.form === 'link' ? values : { title: '', url: '', note: '' };
  const file = values?.form === 'file' ? values : { title: '', note: '' };
  const fileErr = errors?.find((e) => e.field === 'file-file');
  const mb = RESOURCE_FILE_MAX_BYTES / 1024 / 1024;
  const forms = s.you.banned
    ? ''
    : html`<h3 id="add-link-title">${t.t('communities.link.title')}</h3>
<form method="post" action="${spacePath(s)}/resources" novalidate aria-labelledby="add-link-title">${csrfField(ctx)}
${textField(ctx, { id: 'link-title', name: 'title', label: t.t('communities.field.resourceTitle'), value: link.title, errors, maxlength: 200, required: true })}
${textField(ctx, { id: 'link-url', name: 'url', label: t.t('communities.field.url'), hint: t.t('communities.field.urlHint'), value: link.url, errors, maxlength: 2000, required: true })}
${textField(ctx, { id: 'link-note', name: 'note', label: t.t('communities.field.note'), value: link.note, errors, rows: 2, maxlength: 1000 })}
<div class="actions"><button class="button" type="submit">${t.t('communities.link.submit')}</button></div>
</form>
<h3 id="add-file-title">${t.t('communities.file.title')}</h3>
<form method="post" action="${spacePath(s)}/resources/upload" enctype="multipart/form-data" novalidate aria-labelledby="add-file-title">${csrfField(ctx)}
${textField(ctx, { id: 'file-title', name: 'title', label: t.t('communities.field.resourceTitle'), value: file.title, errors, maxlength: 200, required: true })}
<div class="field${fileErr ? ' field-error' : ''}"><label for="file-file">${t.t('communities.field.file')}</label><span class="hint" id="file-file-hint">${t.t('communities.field.fileHint', { mb })}</span>${
        fileErr ? html`<span class="error-message" id="file-file-error">${fileErr.message}</span>` : ''
      }<input type="file" id="file-file" name="file" accept=".pdf,.odt,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.oasis.opendocument.text,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg" aria-describedby="file-file-hint${fileErr ? ' file-file-error' : ''}"${fileErr ? html` aria-invalid="true"` : ''}></div>
${textField(ctx, { id: 'file-note', name: 'note', label: t.t('communities.field.note'), value: file.note, errors, rows: 2, maxlength: 1000 })}
<div class="actions"><button class="button" type="submit">${t.t('communities.file.submit')}</button></div>
</form>`;
  return html`<section aria-labelledby="resources-title"><h2 id="resources-title">${t.t('communities.resources.title')}</h2>
${resources.total ? html`<ul class="cards">${resources.items.map(item)}</ul>` : html`<p>${t.t('communities.resources.empty')}</p>`}
${resourcesPager(ctx, s, resources)}
${forms}
</section>`;
}

/** Resources page through `rpage` (the discussions keep `page`). */
function resourcesPager(ctx: PageContext, s: SpaceView, r: Page<ResourceView>): SafeHtml {
  const pages = Math.max(1, Math.ceil(r.total / r.limit));
  if (pages <= 1) return html``;
  const { t } = ctx;
  const at = (n: number) => `${spacePath(s)}?rpage=${n}#resources-title`;
  return html`<nav class="pager" aria-label="${t.t('communities.resources.pages')}"><span>${t.t('catalog.page', { page: r.page, pages })}</span>${
    r.page > 1 ? html`<a href="${at(r.page - 1)}" rel="prev">${t.t('catalog.prev')}</a>` : ''
  }${r.page < pages ? html`<a href="${at(r.page + 1)}" rel="next">${t.t('catalog.next')}</a>` : ''}</nav>`;
}

export interface SpacePageView {
  space: SpaceView;
  threads: Page<ThreadSummary>;
  resources: Page<ResourceView>;
  resourceValues?: ResourceFormValues;
  reports: Page<ReportView> | null;
  flash?: string;
  errors?: FieldErrors;
  values?: { title: string; body: string };
}

/** One space: its discussions (newest activity first), the form to start one, and open reports for moderators. */
export function spacePage(ctx: PageContext, v: SpacePageView): string {
  const { t } = ctx;
  const s = v.space;
  const row = (th: ThreadSummary) => html`<li class="card">
<h3><a href="${threadPath(s, th.id)}">${th.title}</a></h3>
<ul class="meta"><li>${t.t('communities.startedBy', { person: th.author?.displayName || t.t('communities.formerMember') })}</li><li>${t.t('communities.replies', { count: th.replies })}</li><li>${t.t('communities.lastPost')} ${time(ctx, th.lastPostAt)}</li>${
    th.answered ? html`<li><span class="tag ok">${t.t('communities.answered')}</span></li>` : ''
  }</ul>
</li>`;
  const report = (r: ReportView) => html`<li class="card">
<p>${t.t('communities.reports.item', { person: r.reporter.displayName })}</p>
<blockquote><p>${r.reason}</p></blockquote>
${r.postHidden ? html`<p><span class="tag">${t.t('communities.hidden')}</span></p>` : ''}
<p><a href="${threadPath(s, r.threadId)}#post-${r.postId}">${t.t('communities.reports.open')}</a></p>
</li>`;
  const values = v.values ?? { title: '', body: '' };
  const form = s.you.banned
    ? notice('warn', t.t('communities.banned'), null)
    : html`<form method="post" action="${spacePath(s)}/threads" novalidate>${csrfField(ctx)}
${textField(ctx, { id: 'title', name: 'title', label: t.t('communities.field.title'), value: values.title, errors: v.errors, maxlength: 200, required: true })}
${textField(ctx, { id: 'body', name: 'body', label: t.t('communities.field.question'), hint: t.t('communities.field.bodyHint'), value: values.body, errors: v.errors, rows: 6, maxlength: 20000, required: true })}
<div class="actions"><button class="button" type="submit">${t.t('communities.start.submit')}</button></div>
</form>`;
  return renderPage(ctx, {
    title: s.title,
    nav: 'communities',
    errors: v.errors,
    body: html`<p><a href="/communities">${t.t('communities.all')}</a></p>
<h1>${s.title}</h1>
${s.description ? html`<p>${s.description}</p>` : ''}
<ul class="meta"><li>${audience(ctx, s)}</li>${s.you.moderator ? html`<li><span class="tag ok">${t.t('communities.moderator')}</span></li>` : ''}</ul>
${v.flash ? notice('ok', v.flash) : ''}
${
  v.reports
    ? html`<section aria-labelledby="reports-title"><h2 id="reports-title">${t.t('communities.reports.title')}</h2>${
        v.reports.total ? html`<ul class="cards">${v.reports.items.map(report)}</ul>` : html`<p>${t.t('communities.reports.empty')}</p>`
      }</section>`
    : ''
}
<section aria-labelledby="threads-title"><h2 id="threads-title">${t.t('communities.threads')}</h2>
${v.threads.total ? html`<ul class="cards">${v.threads.items.map(row)}</ul>` : html`<p>${t.t('communities.threads.empty')}</p>`}
${pager(ctx, spacePath(s), {}, v.threads.page, v.threads.total, v.threads.limit)}
</section>
<section aria-labelledby="start-title"><h2 id="start-title">${t.t('communities.start.title')}</h2>
${form}
</section>
${resourcesSection(ctx, s, v.resources, v.errors, v.resourceValues)}`,
  });
}

export interface ThreadPageView {
  space: SpaceView;
  thread: ThreadView;
  /** Moderators: the authors banned from the space. */
  banned: Set<string>;
  flash?: string;
  errors?: FieldErrors;
  /** The reply being written (kept when it is refused), and the report being written with its post. */
  values?: { body?: string; reason?: string; reportPostId?: string };
}

/**
 * A discussion: the question and the replies (Markdown sanitised by the service like lessons), the
 * reply form, the accepted-answer button for the thread's author, a report form per post for anyone
 * who may post, and hide/show and ban/lift-ban for the space's moderators. Every control is a plain
 * form (no JavaScript).
 */
export function threadPage(ctx: PageContext, v: ThreadPageView): string {
  const { t } = ctx;
  const { space: s, thread: th } = v;
  const me = ctx.user?.id;
  const mayPost = !s.you.banned;
  const mine = th.author !== null && th.author.userId === me;
  const base = threadPath(s, th.id);
  const values = v.values ?? {};

  const post = (p: PostView, i: number) => {
    const heading = i === 0 ? t.t('communities.post.question') : t.t('communities.post.reply', { n: i });
    const inline = i === 0 ? t.t('communities.post.questionInline') : t.t('communities.post.replyInline', { n: i });
    const person = p.author?.displayName || t.t('communities.formerMember');
    const reportOpen = values.reportPostId === p.id;
    const accept =
      mine && i > 0 && !p.hidden
        ? html`<form method="post" action="${base}/accepted-answer">${csrfField(ctx)}${
            p.accepted
              ? html`<input type="hidden" name="postId" value=""><button class="button secondary" type="submit">${t.t('communities.unaccept')}</button>`
              : html`<input type="hidden" name="postId" value="${p.id}"><button class="button secondary" type="submit">${t.t('communities.accept', { post: inline })}</button>`
          }</form>`
        : '';
    const report =
      mayPost && p.author?.userId !== me && !p.hidden
        ? html`<details${reportOpen ? ' open' : ''}><summary>${t.t('communities.report', { post: inline })}</summary>
<form method="post" action="${base}/posts/${p.id}/report" novalidate>${csrfField(ctx)}
${textField(ctx, { id: `reason-${p.id}`, name: 'reason', label: t.t('communities.report.reason', { post: inline }), value: reportOpen ? (values.reason ?? '') : '', errors: v.errors, rows: 3, maxlength: 500, required: true })}
<div class="actions"><button class="button secondary" type="submit">${t.t('communities.report.submit', { post: inline })}</button></div>
</form></details>`
        : '';
    const authorId = p.author?.userId;
    const moderate = s.you.moderator
      ? html`<details${v.errors?.some((e) => e.field === `mod-reason-${p.id}`) ? ' open' : ''}><summary>${t.t('communities.moderate', { post: inline })}</summary>
<form method="post" action="${base}/posts/${p.id}/${p.hidden ? 'unhide' : 'hide'}" novalidate>${csrfField(ctx)}<input type="hidden" name="post" value="${p.id}">
${textField(ctx, { id: `mod-reason-${p.id}`, name: 'reason', label: t.t('communities.moderate.reason', { post: inline }), value: '', errors: v.errors, rows: 2, maxlength: 500 })}
<div class="actions"><button class="button warning" type="submit">${t.t(p.hidden ? 'communities.unhide' : 'communities.hide', { post: inline })}</button>${
          authorId && authorId !== me
            ? v.banned.has(authorId)
              ? html`<button class="button secondary" type="submit" formaction="${base}/bans/${authorId}/lift">${t.t('communities.unban', { person })}</button>`
              : html`<button class="button warning" type="submit" formaction="${base}/bans/${authorId}">${t.t('communities.ban', { person })}</button>`
            : ''
        }</div>
</form></details>`
      : '';
    return html`<li class="card post${p.accepted ? ' done' : ''}" id="post-${p.id}">
<h2>${heading}${p.accepted ? html` <span class="tag ok">${t.t('communities.acceptedAnswer')}</span>` : ''}${p.hidden ? html` <span class="tag bad">${t.t('communities.hidden')}</span>` : ''}</h2>
<p class="meta">${t.t('communities.postedBy', { person })} ${time(ctx, p.createdAt, true)}</p>
<div class="prose">${new SafeHtml(p.html)}</div>
${accept}${report}${moderate}
</li>`;
  };

  return renderPage(ctx, {
    title: th.title,
    nav: 'communities',
    errors: v.errors,
    body: html`<p><a href="${spacePath(s)}">${t.t('communities.back', { space: s.title })}</a></p>
<h1>${th.title}</h1>
${th.answered ? html`<p><span class="tag ok">${t.t('communities.answered')}</span></p>` : ''}
${v.flash ? notice('ok', v.flash) : ''}
<ol class="cards posts">${th.posts.map(post)}</ol>
<section aria-labelledby="reply-title"><h2 id="reply-title">${t.t('communities.reply.title')}</h2>
${
  mayPost
    ? html`<form method="post" action="${base}/posts" novalidate>${csrfField(ctx)}
${textField(ctx, { id: 'body', name: 'body', label: t.t('communities.field.reply'), hint: t.t('communities.field.bodyHint'), value: values.body ?? '', errors: v.errors, rows: 5, maxlength: 20000, required: true })}
<div class="actions"><button class="button" type="submit">${t.t('communities.reply.submit')}</button></div>
</form>`
    : notice('warn', t.t('communities.banned'), null)
}
</section>`,
  });
}
