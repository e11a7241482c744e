import { html, SafeHtml } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice } from './common.js';
import { shareBarChart } from './charts.js';

/** The console's areas, each shown only to the roles that may use it. */
export type ConsoleArea = 'team' | 'hr' | 'author' | 'admin';
export type ConsolePage =
  | 'home'
  | 'team'
  | 'events'
  | 'author'
  | 'author.shared'
  | 'hr.overview'
  | 'hr.assign'
  | 'hr.overdue'
  | 'hr.gaps'
  | 'hr.people'
  | 'hr.reports'
  | 'admin.audit'
  | 'admin.jobs'
  | 'admin.lrs'
  | 'admin.units'
  | 'admin.institutions'
  | 'admin.federation';

export function holds(ctx: PageContext, role: string): boolean {
  return ctx.user?.roles.some((g) => g.role === role) ?? false;
}

/** Areas the signed-in person may work in: HR pages for hr and admin, admin pages for admin. */
export function areasOf(ctx: PageContext): ConsoleArea[] {
  const out: ConsoleArea[] = [];
  if (ctx.user?.manager) out.push('team');
  if (holds(ctx, 'hr') || holds(ctx, 'admin')) out.push('hr');
  if (holds(ctx, 'author') || holds(ctx, 'admin')) out.push('author');
  if (holds(ctx, 'admin')) out.push('admin');
  return out;
}

const LINKS: Record<ConsoleArea, Array<[ConsolePage, string, MessageKey]>> = {
  team: [['team', '/console/team', 'console.nav.team']],
  author: [
    ['author', '/console/author', 'console.nav.author'],
    ['author.shared', '/console/author/shared', 'console.nav.shared'],
    ['events', '/console/events', 'console.nav.events'],
  ],
  hr: [
    ['hr.overview', '/console/hr', 'console.nav.overview'],
    ['hr.assign', '/console/hr/assign', 'console.nav.assign'],
    ['hr.overdue', '/console/hr/overdue', 'console.nav.overdue'],
    ['hr.gaps', '/console/hr/gaps', 'console.nav.gaps'],
    ['hr.people', '/console/hr/people', 'console.nav.people'],
    ['hr.reports', '/console/hr/reports', 'console.nav.reports'],
    ['events', '/console/events', 'console.nav.events'],
  ],
  admin: [
    ['admin.units', '/console/admin/units', 'console.nav.units'],
    ['admin.institutions', '/console/admin/institutions', 'console.nav.institutions'],
    ['admin.federation', '/console/admin/federation', 'console.nav.federation'],
    ['admin.audit', '/console/admin/audit', 'console.nav.audit'],
    ['admin.jobs', '/console/admin/jobs', 'console.nav.jobs'],
    ['admin.lrs', '/console/admin/lrs', 'console.nav.lrs'],
  ],
};

/** The console's own navigation: one group per area the person may use (switching needs no sign-out). */
function consoleNav(ctx: PageContext, current: ConsolePage): SafeHtml {
  const { t } = ctx;
  // A link shared by two areas (events: HR and authors) is shown once, in the first.
  const shown = new Set<string>();
  const linksOf = (area: ConsoleArea) =>
    LINKS[area].filter(([, href]) => {
      if (shown.has(href)) return false;
      shown.add(href);
      return true;
    });
  // A trainer without a console role works on their events' pages only: no console navigation then.
  if (!areasOf(ctx).length) return html``;
  return html`<nav class="console-nav" aria-label="${t.t('console.nav.label')}"><ul>${areasOf(ctx).map(
    (area) => html`<li><span class="console-area">${t.t(`console.area.${area}` as MessageKey)}</span><ul>${linksOf(area).map(
      ([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${t.t(label)}</a></li>`,
    )}</ul></li>`,
  )}</ul></nav>`;
}

export function consolePage(ctx: PageContext, spec: { title: string; current: ConsolePage; body: SafeHtml; errors?: Array<{ field: string; message: string }> }): string {
  return renderPage(ctx, { title: spec.title, nav: 'console', errors: spec.errors, body: html`${consoleNav(ctx, spec.current)}${spec.body}` });
}

export function consoleHome(ctx: PageContext): string {
  const { t } = ctx;
  const areas = areasOf(ctx);
  return consolePage(ctx, {
    title: t.t('console.title'),
    current: 'home',
    body: html`<h1>${t.t('console.title')}</h1>
<p class="lead">${t.t('console.intro')}</p>
<ul class="cards two">${areas.map(
      (a) => html`<li class="card"><h2 class="h3">${t.t(`console.area.${a}` as MessageKey)}</h2><p>${t.t(`console.area.${a}.body` as MessageKey)}</p><p><a class="button secondary" href="${LINKS[a][0][1]}">${t.t('console.open', { area: t.t(`console.area.${a}` as MessageKey) })}</a></p></li>`,
    )}</ul>`,
  });
}

// ---------------------------------------------------------------- shared pieces

export function pct(ctx: PageContext, v: number): string {
  return ctx.t.number(v, { style: 'percent', maximumFractionDigits: 0 });
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Previous / next links for a server-paginated list. */
export function pager(ctx: PageContext, base: string, params: Record<string, string | number | undefined>, page: number, total: number, limit: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return html``;
  const { t } = ctx;
  return html`<nav class="pager" aria-label="${t.t('console.pages')}"><span>${t.t('catalog.page', { page, pages })}</span>${
    page > 1 ? html`<a href="${base}${query({ ...params, page: page - 1 })}" rel="prev">${t.t('catalog.prev')}</a>` : ''
  }${page < pages ? html`<a href="${base}${query({ ...params, page: page + 1 })}" rel="next">${t.t('catalog.next')}</a>` : ''}</nav>`;
}

export interface BarRow {
  label: string;
  rate: number;
  overdue: number;
}

/**
 * A horizontal bar chart of completion rates (charts.ts: drawn by ECharts on the server as SVG,
 * no script): a title and a description for assistive technology, the rate printed at each bar
 * with the overdue count in words. The data table always follows it on the page.
 */
export function barChart(ctx: PageContext, id: string, title: string, description: string, rows: BarRow[]): SafeHtml {
  const { t } = ctx;
  return shareBarChart(
    id,
    title,
    description,
    rows.map((r) => ({ text: `${r.label}: ${pct(ctx, r.rate)}${r.overdue ? ` · ${t.t('console.overdueShort', { count: r.overdue })}` : ''}`, share: r.rate })),
  );
}

export function okNotice(text: string | null): SafeHtml {
  return text ? notice('ok', text) : html``;
}

export { csrfField };
