import { LOCALE_NAMES, LOCALE_SHORT_NAMES } from '@lms/i18n';
import type { UiLocale } from '@lms/i18n';
import { html, SafeHtml } from './html.js';
import type { Translator } from './i18n.js';
import type { MessageKey } from './messages/en.js';

export type NavItem = 'home' | 'courses' | 'events' | 'communities' | 'directory' | 'certificates' | 'competencies' | 'notifications' | 'settings' | 'console';

/** What every page knows about its request. */
export interface PageContext {
  t: Translator;
  locale: UiLocale;
  /** Path and query of this page (the language switcher returns here). */
  path: string;
  user?: { id: string; displayName: string; roles: Array<{ role: string; scopeOrgUnitId: string | null }>; manager?: boolean };
  /** CSRF token for the forms of a signed-in person. */
  csrf?: string;
  /** Double-submit token for anonymous forms (sign-in, language). */
  formToken?: string;
  unread?: number;
  assets: { css: string; js: string };
  /** The interface languages this instance offers (UI_LOCALES), for the switcher and settings. */
  uiLocales: readonly UiLocale[];
  /** A school's name in this page's language (ISSUER_NAMES, as on certificates); else its own name. */
  schoolName?: (school: { code: string; name: string }) => string;
}

export interface PageSpec {
  title: string;
  nav?: NavItem;
  body: SafeHtml;
  /** An error summary to show first (the title then starts with "Error:"). */
  errors?: Array<{ field: string; message: string }>;
}

/** Strings the enhancement script shows; plural ones carry their forms for 1, 2 and 5 (Serbian needs three). */
const CLIENT_MESSAGES: MessageKey[] = [
  'net.offline', 'net.online', 'net.conflict', 'course.downloading', 'course.downloadFailed', 'course.removed', 'course.downloaded',
  'lesson.savedOffline', 'quiz.savedOffline', 'certs.copied', 'signOut.pending',
  'password.strength', 'password.strength.0', 'password.strength.1', 'password.strength.2', 'password.strength.3', 'password.strength.4',
];
const CLIENT_PLURALS: MessageKey[] = ['net.pending', 'net.synced', 'signOut.pending'];

function clientMessages(t: Translator): string {
  const out: Record<string, unknown> = {};
  for (const k of CLIENT_MESSAGES) out[k] = t.t(k, { count: 1, message: '{message}', size: '{size}' });
  for (const k of CLIENT_PLURALS) out[k] = Object.fromEntries([1, 2, 5].map((n) => [n, t.t(k, { count: n })]));
  // JSON inside <script type="application/json">: escape "<" so no "</script>" can close it.
  return JSON.stringify({ lang: t.intlTag, m: out }).replace(/</g, '\\u003c');
}

export function csrfField(ctx: PageContext): SafeHtml {
  const token = ctx.csrf ?? ctx.formToken;
  return token ? html`<input type="hidden" name="_csrf" value="${token}">` : html``;
}

function navigation(ctx: PageContext, current?: NavItem): SafeHtml {
  const { t } = ctx;
  const items: Array<[NavItem, string, string]> = [
    ['home', '/', t.t('nav.myLearning')],
    ['courses', '/courses', t.t('nav.courses')],
    ['events', '/events', t.t('nav.events')],
    ['communities', '/communities', t.t('nav.communities')],
    ['directory', '/directory', t.t('nav.directory')],
    ['certificates', '/certificates', t.t('nav.certificates')],
    ['competencies', '/competencies', t.t('nav.competencies')],
    ['notifications', '/notifications', ctx.unread ? t.t('nav.notificationsUnread', { count: ctx.unread }) : t.t('nav.notifications')],
    ['settings', '/settings', t.t('nav.settings')],
  ];
  // The console (HR, admin, line-manager pages) is shown only to people who hold such a role or have reports.
  if (ctx.user?.manager || ctx.user?.roles.some((g) => g.role !== 'learner')) items.push(['console', '/console', t.t('nav.console')]);
  return html`<nav class="nav" aria-label="${t.t('nav.label')}"><div class="wrap"><ul>${items.map(
    ([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></div></nav>`;
}

function languageSwitcher(ctx: PageContext): SafeHtml {
  return html`<form class="langs" method="post" action="/language" aria-label="${ctx.t.t('lang.change')}">${csrfField(ctx)}<input type="hidden" name="returnTo" value="${ctx.path}">${ctx.uiLocales.map(
    (l) => html`<button type="submit" name="locale" value="${l}" lang="${l}" title="${LOCALE_NAMES[l]}" aria-pressed="${l === ctx.locale ? 'true' : 'false'}">${LOCALE_SHORT_NAMES[l]}</button>`,
  )}</form>`;
}

export function errorSummary(ctx: PageContext, errors: Array<{ field: string; message: string }>): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1" data-autofocus><h2 id="error-summary-title">${ctx.t.t('error.summary')}</h2><ul>${errors.map(
    (e) => html`<li><a href="#${e.field}">${e.message}</a></li>`,
  )}</ul></div>`;
}

/** The whole document around a page's body. */
export function renderPage(ctx: PageContext, spec: PageSpec): string {
  const { t } = ctx;
  const title = `${spec.errors?.length ? `${t.t('error.summary')}: ` : ''}${spec.title} – ${t.t('app.name')}`;
  const doc = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${t.t('app.tagline')}">
<meta name="theme-color" content="#17365d">
${ctx.csrf ? html`<meta name="csrf-token" content="${ctx.csrf}">` : ''}
<link rel="stylesheet" href="${ctx.assets.css}">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<script type="module" src="${ctx.assets.js}"></script>
</head>
<body>
<a class="skip" href="#main">${t.t('skip.main')}</a>
<header class="header"><div class="wrap"><a class="brand" href="/">${t.t('app.name')}</a>${
    ctx.user
      ? html`<form class="signout" method="post" action="/sign-out" data-sign-out>${csrfField(ctx)}<button type="submit">${t.t('nav.signOut')}</button></form>`
      : ''
  }${languageSwitcher(ctx)}</div></header>
${ctx.user ? navigation(ctx, spec.nav) : ''}
<div class="net" id="net" role="status" aria-live="polite"></div>
<main id="main" tabindex="-1"><div class="wrap">
${spec.errors?.length ? errorSummary(ctx, spec.errors) : ''}
${spec.body}
</div></main>
<footer class="footer"><div class="wrap"><ul><li><a href="/open-data">${t.t('footer.openData')}</a></li><li><a href="/verify">${t.t('footer.verify')}</a></li></ul><p class="muted">${t.t('footer.about')}</p></div></footer>
<script type="application/json" id="lms-messages">${new SafeHtml(clientMessages(t))}</script>
</body>
</html>`;
  return doc.value;
}
