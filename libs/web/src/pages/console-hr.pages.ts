import { html, SafeHtml } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice, pick, pickHtml, time } from './common.js';
import type { LangMap } from './common.js';
import { barChart, consolePage, holds, okNotice, pager, pct, query } from './console.pages.js';

/** A report row's course title in the reader's language (marked with its own lang when another), else its slug. */
function courseCell(ctx: PageContext, r: { courseTitles: LangMap | null; courseSlug: string }): SafeHtml | string {
  return r.courseTitles && Object.keys(r.courseTitles).length ? pickHtml(ctx, r.courseTitles) : r.courseSlug;
}

export interface UnitOption {
  id: string;
  name: string;
  depth: number;
}

function unitSelect(ctx: PageContext, id: string, units: UnitOption[], selected: string | undefined, anyLabel?: string): SafeHtml {
  const min = Math.min(0, ...units.map((u) => u.depth));
  return html`<select id="${id}" name="${id}">${anyLabel ? html`<option value="">${anyLabel}</option>` : ''}${units.map(
    (u) => html`<option value="${u.id}"${u.id === selected ? ' selected' : ''}>${'\u00a0\u00a0'.repeat(Math.max(0, u.depth - min))}${u.name}</option>`,
  )}</select>`;
}

// ---------------------------------------------------------------- overview

export interface OverviewRow {
  key: string;
  label: string;
  href?: string;
  enrolled: number;
  completed: number;
  overdue: number;
  rate: number;
}

export interface OverviewView {
  unit: { id: string; name: string };
  /** The path from the scope root down to this unit, for the breadcrumb. */
  trail: Array<{ id: string; name: string }>;
  total: OverviewRow;
  byUnit: OverviewRow[];
  byCourse: OverviewRow[];
  asOf: Date | null;
}

function overviewTable(ctx: PageContext, id: string, caption: string, head: string, rows: OverviewRow[]): SafeHtml {
  const { t } = ctx;
  return html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${id}-caption"><table class="data"><caption id="${id}-caption">${caption}</caption><thead><tr><th scope="col">${head}</th><th scope="col" class="num">${t.t('open.enrolled')}</th><th scope="col" class="num">${t.t('open.completed')}</th><th scope="col" class="num">${t.t('console.overdue')}</th><th scope="col" class="num">${t.t('open.rate')}</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr><th scope="row">${r.href ? html`<a href="${r.href}">${r.label}</a>` : r.label}</th><td class="num">${t.number(r.enrolled)}</td><td class="num">${t.number(r.completed)}</td><td class="num">${t.number(r.overdue)}</td><td class="num">${pct(ctx, r.rate)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function overviewPage(ctx: PageContext, v: OverviewView): string {
  const { t } = ctx;
  const describe = (rows: OverviewRow[]): string => rows.map((r) => t.t('console.chart.item', { label: r.label, rate: pct(ctx, r.rate), overdue: r.overdue })).join('; ');
  return consolePage(ctx, {
    title: t.t('console.overview.title'),
    current: 'hr.overview',
    body: html`<h1>${t.t('console.overview.title')}</h1>
<nav aria-label="${t.t('console.breadcrumb')}"><ol class="crumbs">${v.trail.map(
      (u, i) => html`<li>${i === v.trail.length - 1 ? html`<span aria-current="page">${u.name}</span>` : html`<a href="/console/hr${query({ unit: u.id })}">${u.name}</a>`}</li>`,
    )}</ol></nav>
<p class="lead">${t.t('console.overview.total', { rate: pct(ctx, v.total.rate), completed: v.total.completed, enrolled: v.total.enrolled, overdue: v.total.overdue })}</p>
<p class="muted">${v.asOf ? t.t('open.asOf', { date: t.date(v.asOf, true) }) : ''} <a href="/console/hr/people${query({ unit: v.unit.id })}">${t.t('console.overview.people', { unit: v.unit.name })}</a></p>
<h2>${t.t('console.overview.byUnit')}</h2>
${
  v.byUnit.length
    ? html`${barChart(ctx, 'chart-units', t.t('console.overview.chartUnits', { unit: v.unit.name }), describe(v.byUnit), v.byUnit)}${overviewTable(ctx, 'units', t.t('console.overview.byUnit'), t.t('console.unit'), v.byUnit)}`
    : html`<p>${t.t('console.overview.noSubUnits')}</p>`
}
<h2>${t.t('console.overview.byCourse')}</h2>
${
  v.byCourse.length
    ? html`${barChart(ctx, 'chart-courses', t.t('console.overview.chartCourses', { unit: v.unit.name }), describe(v.byCourse), v.byCourse)}${overviewTable(ctx, 'courses', t.t('console.overview.byCourse'), t.t('console.course'), v.byCourse)}`
    : html`<p>${t.t('console.overview.noCourses')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- assign

export interface AssignValues {
  courseSlug: string;
  targetKind: 'unit' | 'people' | 'role';
  orgUnitId: string;
  includeSubUnits: boolean;
  jobRoleCode: string;
  userIds: string[];
  q: string;
  dueKind: 'relative' | 'fixed' | 'none';
  dueInDays: string;
  dueAt: string;
  renewEveryMonths: string;
}

export interface AssignView {
  courses: Array<{ slug: string; title: string }>;
  units: UnitOption[];
  jobRoles: Array<{ code: string; title: string }>;
  values: AssignValues;
  found?: Array<{ id: string; displayName: string; email: string }>;
  preview?: { matched: number; alreadyEnrolled: number; wouldCreate: number; fingerprint: string };
  errors?: Array<{ field: string; message: string }>;
}

function fieldError(v: AssignView, name: string): SafeHtml {
  const e = v.errors?.find((x) => x.field === name);
  return e ? html`<span class="error-message" id="${name}-error">${e.message}</span>` : html``;
}

export function assignPage(ctx: PageContext, v: AssignView): string {
  const { t } = ctx;
  const x = v.values;
  const radio = (name: string, value: string, current: string, label: string): SafeHtml =>
    html`<div class="choice"><input type="radio" id="${name}-${value}" name="${name}" value="${value}"${value === current ? ' checked' : ''}><label for="${name}-${value}">${label}</label></div>`;
  const errClass = (name: string): string => (v.errors?.some((e) => e.field === name) ? ' field-error' : '');
  return consolePage(ctx, {
    title: t.t('console.assign.title'),
    current: 'hr.assign',
    errors: v.errors,
    body: html`<h1>${t.t('console.assign.title')}</h1>
<form method="post" action="/console/hr/assign" novalidate>${csrfField(ctx)}
<div class="field${errClass('courseSlug')}"><label for="courseSlug">${t.t('console.course')}</label>${fieldError(v, 'courseSlug')}<select id="courseSlug" name="courseSlug"><option value="">${t.t('console.choose')}</option>${v.courses.map(
      (c) => html`<option value="${c.slug}"${c.slug === x.courseSlug ? ' selected' : ''}>${c.title}</option>`,
    )}</select></div>
<fieldset class="${errClass('target').trim()}"><legend>${t.t('console.assign.who')}</legend>${fieldError(v, 'target')}
${radio('targetKind', 'unit', x.targetKind, t.t('console.assign.who.unit'))}
<div class="field sub"><label for="orgUnitId">${t.t('console.unit')}</label>${unitSelect(ctx, 'orgUnitId', v.units, x.orgUnitId)}
<div class="choice"><input type="checkbox" id="includeSubUnits" name="includeSubUnits" value="on"${x.includeSubUnits ? ' checked' : ''}><label for="includeSubUnits">${t.t('console.assign.subUnits')}</label></div></div>
${radio('targetKind', 'role', x.targetKind, t.t('console.assign.who.role'))}
<div class="field sub"><label for="jobRoleCode">${t.t('console.jobRole')}</label><span class="hint" id="jobRoleCode-hint">${t.t('console.assign.roleHint')}</span><select id="jobRoleCode" name="jobRoleCode" aria-describedby="jobRoleCode-hint"><option value="">${t.t('console.choose')}</option>${v.jobRoles.map(
      (r) => html`<option value="${r.code}"${r.code === x.jobRoleCode ? ' selected' : ''}>${r.title}</option>`,
    )}</select></div>
${radio('targetKind', 'people', x.targetKind, t.t('console.assign.who.people'))}
<div class="field sub"><label for="q">${t.t('console.people.search')}</label><div class="share"><input type="search" id="q" name="q" value="${x.q}"><button class="button secondary" type="submit" name="action" value="search">${t.t('console.people.find')}</button></div>
${
  v.found
    ? v.found.length
      ? html`<fieldset><legend class="h4">${t.t('console.assign.found', { count: v.found.length })}</legend>${v.found.map(
          (p) => html`<div class="choice"><input type="checkbox" id="u-${p.id}" name="userIds" value="${p.id}"${x.userIds.includes(p.id) ? ' checked' : ''}><label for="u-${p.id}">${p.displayName} <span class="muted">${p.email}</span></label></div>`,
        )}</fieldset>`
      : html`<p>${t.t('console.people.none')}</p>`
    : x.userIds.map((id) => html`<input type="hidden" name="userIds" value="${id}">`)
}</div>
</fieldset>
<fieldset class="${errClass('due').trim()}"><legend>${t.t('console.assign.due')}</legend>${fieldError(v, 'due')}
${radio('dueKind', 'relative', x.dueKind, t.t('console.assign.due.relative'))}
<div class="field sub"><label for="dueInDays">${t.t('console.assign.days')}</label><input type="text" inputmode="numeric" id="dueInDays" name="dueInDays" value="${x.dueInDays}" class="short"></div>
${radio('dueKind', 'fixed', x.dueKind, t.t('console.assign.due.fixed'))}
<div class="field sub"><label for="dueAt">${t.t('console.assign.date')}</label><input type="date" id="dueAt" name="dueAt" value="${x.dueAt}"></div>
${radio('dueKind', 'none', x.dueKind, t.t('console.assign.due.none'))}
</fieldset>
<div class="field${errClass('renewEveryMonths')}"><label for="renewEveryMonths">${t.t('console.assign.renew')}</label><span class="hint" id="renew-hint">${t.t('console.assign.renewHint')}</span>${fieldError(v, 'renewEveryMonths')}<input type="text" inputmode="numeric" id="renewEveryMonths" name="renewEveryMonths" value="${x.renewEveryMonths}" class="short" aria-describedby="renew-hint"></div>
${
  v.preview
    ? html`<section class="preview" aria-labelledby="preview-title" tabindex="-1" data-autofocus><h2 id="preview-title">${t.t('console.assign.preview')}</h2>
<ul><li>${t.t('console.assign.matched', { count: v.preview.matched })}</li><li>${t.t('console.assign.already', { count: v.preview.alreadyEnrolled })}</li><li><strong>${t.t('console.assign.wouldCreate', { count: v.preview.wouldCreate })}</strong></li></ul>
<input type="hidden" name="fingerprint" value="${v.preview.fingerprint}">
<div class="actions"><button class="button" type="submit" name="action" value="confirm">${t.t('console.assign.confirm')}</button><button class="button secondary" type="submit" name="action" value="preview">${t.t('console.assign.previewAgain')}</button></div></section>`
    : html`<div class="actions"><button class="button" type="submit" name="action" value="preview">${t.t('console.assign.previewButton')}</button></div>`
}
</form>`,
  });
}

export interface AssignmentPageView {
  id: string;
  courseSlug: string;
  courseTitle: string;
  targetDescription: string;
  dueText: string;
  createdAt: Date;
  counts: { assigned: number; inProgress: number; completed: number; overdue: number };
  trend: Array<{ weekStart: Date; assigned: number; completed: number; overdue: number }>;
  created?: number;
}

export function assignmentPage(ctx: PageContext, v: AssignmentPageView): string {
  const { t } = ctx;
  const c = v.counts;
  const rows: Array<[MessageKey, number]> = [
    ['console.assignment.assigned', c.assigned],
    ['home.inProgress', c.inProgress],
    ['home.completed', c.completed],
    ['console.overdue', c.overdue],
  ];
  return consolePage(ctx, {
    title: t.t('console.assignment.title', { course: v.courseTitle }),
    current: 'hr.assign',
    body: html`<h1>${t.t('console.assignment.title', { course: v.courseTitle })}</h1>
${v.created !== undefined ? notice('ok', t.t('console.assignment.created', { count: v.created })) : ''}
<ul class="meta"><li>${v.targetDescription}</li><li>${v.dueText}</li><li>${t.t('console.assignment.since', { date: t.date(v.createdAt) })}</li></ul>
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="counts-caption"><table class="data"><caption id="counts-caption">${t.t('console.assignment.counts')}</caption><thead><tr><th scope="col">${t.t('console.status')}</th><th scope="col" class="num">${t.t('console.people')}</th><th scope="col" class="num">${t.t('console.share')}</th></tr></thead><tbody>${rows.map(
      ([k, n]) => html`<tr><th scope="row">${t.t(k)}</th><td class="num">${t.number(n)}</td><td class="num">${c.assigned ? pct(ctx, n / c.assigned) : '–'}</td></tr>`,
    )}</tbody></table></div>
<h2>${t.t('console.assignment.trend')}</h2>
${barChart(
  ctx,
  'trend',
  t.t('console.assignment.trendChart'),
  v.trend.map((p) => t.t('console.chart.item', { label: t.t('console.assignment.week', { date: t.date(p.weekStart) }), rate: pct(ctx, p.assigned ? p.completed / p.assigned : 0), overdue: p.overdue })).join('; '),
  v.trend.map((p) => ({ label: t.t('console.assignment.week', { date: t.date(p.weekStart) }), rate: p.assigned ? p.completed / p.assigned : 0, overdue: p.overdue })),
)}
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="trend-caption"><table class="data"><caption id="trend-caption" class="visually-hidden">${t.t('console.assignment.trend')}</caption><thead><tr><th scope="col">${t.t('console.assignment.weekCol')}</th><th scope="col" class="num">${t.t('console.assignment.assigned')}</th><th scope="col" class="num">${t.t('home.completed')}</th><th scope="col" class="num">${t.t('console.overdue')}</th></tr></thead><tbody>${v.trend.map(
      (p) => html`<tr><th scope="row">${t.t('console.assignment.week', { date: t.date(p.weekStart) })}</th><td class="num">${t.number(p.assigned)}</td><td class="num">${t.number(p.completed)}</td><td class="num">${t.number(p.overdue)}</td></tr>`,
    )}</tbody></table></div>
<p><a href="/console/hr/overdue${query({ course: v.courseSlug })}">${t.t('console.assignment.overdueLink')}</a></p>`,
  });
}

// ---------------------------------------------------------------- overdue

export interface OverdueItem {
  enrolmentId: string;
  userId: string;
  displayName: string;
  orgUnitName: string;
  courseTitle: string | null;
  courseTitles: LangMap;
  courseSlug: string;
  dueAt: Date;
  daysOverdue: number;
  progress: number;
  managerName: string | null;
}

export interface OverdueView {
  units: UnitOption[];
  courses: Array<{ slug: string; title: string }>;
  filters: { unit?: string; course?: string; days?: string };
  items: OverdueItem[];
  page: number;
  total: number;
  limit: number;
  reminded?: { sent: number; skipped: number };
  csvHref: string;
}

export function overduePage(ctx: PageContext, v: OverdueView): string {
  const { t } = ctx;
  const f = v.filters;
  return consolePage(ctx, {
    title: t.t('console.overdue.title'),
    current: 'hr.overdue',
    body: html`<h1>${t.t('console.overdue.title')}</h1>
${v.reminded ? notice('ok', t.t('console.overdue.reminded', { sent: v.reminded.sent, skipped: v.reminded.skipped })) : ''}
<form method="get" action="/console/hr/overdue" class="search"><div class="field"><label for="unit">${t.t('console.unit')}</label>${unitSelect(ctx, 'unit', v.units, f.unit, t.t('console.allUnits'))}</div>
<div class="field"><label for="course">${t.t('console.course')}</label><select id="course" name="course"><option value="">${t.t('console.allCourses')}</option>${v.courses.map(
      (c) => html`<option value="${c.slug}"${c.slug === f.course ? ' selected' : ''}>${c.title}</option>`,
    )}</select></div>
<div class="field"><label for="days">${t.t('console.overdue.days')}</label><input type="text" inputmode="numeric" id="days" name="days" value="${f.days ?? ''}" class="short"></div>
<div class="field"><button class="button" type="submit">${t.t('console.filter')}</button></div></form>
<p>${t.t('console.overdue.count', { count: v.total })} <a href="${v.csvHref}" download>${t.t('console.csv')}</a></p>
${
  v.items.length
    ? html`<form method="post" action="/console/hr/overdue/remind">${csrfField(ctx)}<input type="hidden" name="returnTo" value="${ctx.path}">
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="overdue-caption"><table class="data"><caption id="overdue-caption" class="visually-hidden">${t.t('console.overdue.title')}</caption><thead><tr><th scope="col">${t.t('console.select')}</th><th scope="col">${t.t('console.person')}</th><th scope="col">${t.t('console.course')}</th><th scope="col" class="num">${t.t('console.overdue.daysCol')}</th><th scope="col" class="num">${t.t('console.progress')}</th><th scope="col">${t.t('console.manager')}</th></tr></thead><tbody>${v.items.map(
        (r) => html`<tr><td><input type="checkbox" id="e-${r.enrolmentId}" name="enrolmentIds" value="${r.enrolmentId}" aria-label="${t.t('console.overdue.selectOne', { person: r.displayName, course: pick(ctx, r.courseTitles).text || r.courseSlug })}"></td><th scope="row"><a href="/console/hr/people/${r.userId}">${r.displayName}</a><br><span class="muted">${r.orgUnitName}</span></th><td>${courseCell(ctx, r)}<br><span class="muted">${t.t('enrolment.overdueSince', { date: t.date(r.dueAt) })}</span></td><td class="num">${t.number(r.daysOverdue)}</td><td class="num">${pct(ctx, r.progress / 100)}</td><td>${r.managerName ?? '–'}</td></tr>`,
      )}</tbody></table></div>
<div class="actions"><button class="button" type="submit">${t.t('console.overdue.remind')}</button></div></form>
${pager(ctx, '/console/hr/overdue', { unit: f.unit, course: f.course, days: f.days }, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.overdue.none')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- competency gaps

export interface GapCell {
  peopleRequired: number;
  peopleMeeting: number;
  coverage: number;
}

export interface GapsView {
  unit: { id: string; name: string };
  units: UnitOption[];
  rows: Array<{ id: string; name: string; depth: number; cells: Map<string, GapCell> }>;
  competencies: Array<{ code: string; title: string | null }>;
  assigned?: { people: number; created: number; noCourse: number };
}

/** Five steps of a colour-blind-safe sequential blue scale (light = short, dark = covered); text colour keeps 4.5:1. */
const HEAT = [
  { bg: '#fbe9e7', fg: '#1b1f24' },
  { bg: '#fde0c5', fg: '#1b1f24' },
  { bg: '#c6dbef', fg: '#1b1f24' },
  { bg: '#6baed6', fg: '#1b1f24' },
  { bg: '#08519c', fg: '#ffffff' },
];

function heatStep(coverage: number): number {
  return Math.min(4, Math.floor(coverage * 5));
}

export function gapsPage(ctx: PageContext, v: GapsView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.gaps.title'),
    current: 'hr.gaps',
    body: html`<h1>${t.t('console.gaps.title')}</h1>
${v.assigned ? notice('ok', t.t('console.gaps.assigned', { people: v.assigned.people, created: v.assigned.created, noCourse: v.assigned.noCourse })) : ''}
<form method="get" action="/console/hr/gaps" class="search"><div class="field"><label for="unit">${t.t('console.unit')}</label>${unitSelect(ctx, 'unit', v.units, v.unit.id)}</div><div class="field"><button class="button" type="submit">${t.t('open.show')}</button></div></form>
<p>${t.t('console.gaps.intro')}</p>
<ul class="legend" aria-label="${t.t('console.gaps.legend')}">${HEAT.map(
      (h, i) => html`<li><span class="swatch heat-${i}" aria-hidden="true"></span>${t.t('console.gaps.band', { from: i * 20, to: i === 4 ? 100 : i * 20 + 19 })}</li>`,
    )}</ul>
${
  v.rows.length && v.competencies.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="heat-caption"><table class="data heat"><caption id="heat-caption">${t.t('console.gaps.caption', { unit: v.unit.name })}</caption><thead><tr><th scope="col">${t.t('console.unit')}</th>${v.competencies.map(
        (c) => html`<th scope="col" class="num"><abbr title="${c.title ?? c.code}">${c.code}</abbr></th>`,
      )}<th scope="col">${t.t('console.gaps.action')}</th></tr></thead><tbody>${v.rows.map(
        (r) => html`<tr><th scope="row">${r.name}</th>${v.competencies.map((c) => {
          const cell = r.cells.get(c.code);
          if (!cell || !cell.peopleRequired) return html`<td class="num"><span class="muted">–</span></td>`;
          return html`<td class="num heat-${heatStep(cell.coverage)}">${pct(ctx, cell.coverage)}<span class="small">${t.t('console.gaps.ofPeople', { meeting: cell.peopleMeeting, required: cell.peopleRequired })}</span></td>`;
        })}<td>${
          [...r.cells.values()].some((c) => c.peopleMeeting < c.peopleRequired)
            ? html`<form method="post" action="/console/hr/gaps/assign">${csrfField(ctx)}<input type="hidden" name="unit" value="${r.id}"><input type="hidden" name="returnUnit" value="${v.unit.id}"><button class="button secondary" type="submit">${t.t('console.gaps.close')}<span class="visually-hidden">: ${r.name}</span></button></form>`
            : html`<span class="tag ok">${t.t('comp.met')}</span>`
        }</td></tr>`,
      )}</tbody></table></div>
<p class="muted">${v.competencies.map((c, i) => html`${i ? '; ' : ''}<strong>${c.code}</strong> ${c.title ?? ''}`)}</p>`
    : html`<p>${t.t('console.gaps.none')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- people

export interface PeopleView {
  q: string;
  unit?: string;
  /** The list's order (USER_SORTS): `name`, `-name`, `unit`, … */
  sort: string;
  units: UnitOption[];
  items: Array<{ id: string; displayName: string; email: string; jobRoleCode: string | null; status: string; unitName: string }>;
  page: number;
  total: number;
  limit: number;
}

/**
 * A column header that sorts the list on the server: a link to the first page in this column's
 * order (ascending, or descending when it is already ascending), `aria-sort` on the sorted column.
 */
function sortableHeader(ctx: PageContext, label: string, key: string, v: PeopleView): SafeHtml {
  const active = v.sort === key ? 'ascending' : v.sort === `-${key}` ? 'descending' : null;
  const next = active === 'ascending' ? `-${key}` : key;
  const href = `/console/hr/people${query({ q: v.q || undefined, unit: v.unit, sort: next === 'name' ? undefined : next })}`;
  const hint = ctx.t.t(next.startsWith('-') ? 'console.sort.descending' : 'console.sort.ascending');
  return html`<th scope="col"${active ? html` aria-sort="${active}"` : ''}><a href="${href}">${label}<span class="visually-hidden"> (${hint})</span></a>${active ? html`<span aria-hidden="true"> ${active === 'ascending' ? '▲' : '▼'}</span>` : ''}</th>`;
}

export function peoplePage(ctx: PageContext, v: PeopleView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.people.title'),
    current: 'hr.people',
    body: html`<h1>${t.t('console.people.title')}</h1>
<form method="get" action="/console/hr/people" class="search"><div class="field"><label for="q">${t.t('console.people.search')}</label><input type="search" id="q" name="q" value="${v.q}"></div><div class="field"><label for="unit">${t.t('console.unit')}</label>${unitSelect(ctx, 'unit', v.units, v.unit, t.t('console.allUnits'))}</div><div class="field"><button class="button" type="submit">${t.t('console.people.find')}</button></div></form>
<p>${t.t('console.people.count', { count: v.total })} <a href="/console/hr/people/import">${t.t('console.import.title')}</a></p>
${
  v.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="people-caption"><table class="data"><caption id="people-caption" class="visually-hidden">${t.t('console.people.title')}</caption><thead><tr>${sortableHeader(ctx, t.t('console.person'), 'name', v)}${sortableHeader(ctx, t.t('console.unit'), 'unit', v)}<th scope="col">${t.t('console.jobRole')}</th>${sortableHeader(ctx, t.t('console.status'), 'status', v)}</tr></thead><tbody>${v.items.map(
        (p) => html`<tr><th scope="row"><a href="/console/hr/people/${p.id}">${p.displayName}</a><br><span class="muted">${p.email}</span></th><td>${p.unitName}</td><td>${p.jobRoleCode ?? '–'}</td><td>${p.status === 'active' ? t.t('console.active') : html`<span class="tag warn">${t.t('console.disabled')}</span>`}</td></tr>`,
      )}</tbody></table></div>${pager(ctx, '/console/hr/people', { q: v.q, unit: v.unit, sort: v.sort === 'name' ? undefined : v.sort }, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.people.none')}</p>`
}`,
  });
}

export interface PersonView {
  person: { id: string; displayName: string; email: string; jobRoleCode: string | null; unitName: string; status: string };
  enrolments: Array<{ courseTitle: string; status: string; progress: number; dueAt: Date | null; overdue: boolean; completedAt: Date | null }>;
  competencies: Array<{ code: string; title: LangMap | null; level: number | null; levelExpiresAt?: string }>;
  certificates: Array<{ id: string; courseTitle: string; serial: string; status: 'valid' | 'expired' | 'revoked'; issuedAt: string; expiresAt: string | null }>;
  revoked?: boolean;
  /** For administrators: the person's role grants and the units to scope a new one. */
  roles?: { grants: Array<{ role: string; scopeOrgUnitId: string | null; unitName: string | null }>; units: UnitOption[]; saved: boolean; error?: string };
}

function rolesSection(ctx: PageContext, personId: string, r: NonNullable<PersonView['roles']>): SafeHtml {
  const { t } = ctx;
  const roleName = (role: string): string => t.t(`console.role.${role}` as MessageKey);
  return html`<h2 id="roles">${t.t('console.roles.title')}</h2>
${r.saved ? notice('ok', t.t('console.roles.saved')) : ''}${r.error ? notice('bad', r.error, 'alert') : ''}
<form method="post" action="/console/admin/people/${personId}/roles">${csrfField(ctx)}
<fieldset><legend>${t.t('console.roles.current')}</legend>${r.grants.map(
    (g, i) => html`<div class="choice"><input type="checkbox" id="keep-${i}" name="keep" value="${g.role}:${g.scopeOrgUnitId ?? ''}" checked${g.role === 'learner' ? ' disabled' : ''}><label for="keep-${i}">${roleName(g.role)}${g.unitName ? ` – ${g.unitName}` : ''}</label></div>`,
  )}</fieldset>
<fieldset><legend>${t.t('console.roles.add')}</legend>
<div class="field"><label for="addRole">${t.t('console.roles.role')}</label><select id="addRole" name="addRole"><option value="">${t.t('console.roles.none')}</option>${['hr', 'author', 'admin'].map((x) => html`<option value="${x}">${roleName(x)}</option>`)}</select></div>
<div class="field"><label for="addScope">${t.t('console.roles.scope')}</label><span class="hint" id="addScope-hint">${t.t('console.roles.scopeHint')}</span>${unitSelect(ctx, 'addScope', r.units, undefined, t.t('console.choose'))}</div>
</fieldset>
<div class="actions"><button class="button" type="submit">${t.t('console.roles.save')}</button></div></form>`;
}

export function personPage(ctx: PageContext, v: PersonView): string {
  const { t } = ctx;
  const p = v.person;
  const statusTag = { valid: 'ok', expired: 'warn', revoked: 'bad' } as const;
  const admin = holds(ctx, 'admin');
  return consolePage(ctx, {
    title: p.displayName,
    current: 'hr.people',
    body: html`<h1>${p.displayName}</h1>
${v.revoked ? notice('ok', t.t('console.cert.revokedNotice')) : ''}
<ul class="meta"><li>${p.email}</li><li>${p.unitName}</li><li>${t.t('console.jobRole')}: ${p.jobRoleCode ?? '–'}</li>${p.status === 'active' ? '' : html`<li><span class="tag warn">${t.t('console.disabled')}</span></li>`}</ul>
<h2>${t.t('console.person.enrolments')}</h2>
${
  v.enrolments.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="enr-caption"><table class="data"><caption id="enr-caption" class="visually-hidden">${t.t('console.person.enrolments')}</caption><thead><tr><th scope="col">${t.t('console.course')}</th><th scope="col">${t.t('console.status')}</th><th scope="col" class="num">${t.t('console.progress')}</th><th scope="col">${t.t('console.due')}</th></tr></thead><tbody>${v.enrolments.map(
        (e) => html`<tr><th scope="row">${e.courseTitle}</th><td>${t.t(`console.enrolment.${e.status}` as MessageKey)}${e.overdue ? html` <span class="tag bad">${t.t('enrolment.overdue')}</span>` : ''}</td><td class="num">${pct(ctx, e.progress / 100)}</td><td>${e.completedAt ? t.t('enrolment.completedOn', { date: t.date(e.completedAt) }) : e.dueAt ? time(ctx, e.dueAt) : '–'}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t.t('console.person.noEnrolments')}</p>`
}
<h2>${t.t('console.person.competencies')}</h2>
${
  v.competencies.length
    ? html`<ul>${v.competencies.map((c) => html`<li><strong>${c.code}</strong> ${pickHtml(ctx, c.title)}: ${c.level === null ? t.t('comp.none') : t.t('course.level', { level: c.level })}${c.levelExpiresAt ? html` (${t.t('comp.expires', { date: t.date(c.levelExpiresAt) })})` : ''}</li>`)}</ul>`
    : html`<p>${t.t('console.person.noCompetencies')}</p>`
}
<h2>${t.t('console.person.certificates')}</h2>
${
  v.certificates.length
    ? html`<ul class="cards">${v.certificates.map(
        (c) => html`<li class="card"><h3>${c.courseTitle}</h3><ul class="meta"><li><span class="tag ${statusTag[c.status]}">${t.t(`certs.status.${c.status}` as MessageKey)}</span></li><li>${t.t('certs.serial', { serial: c.serial })}</li><li>${t.t('certs.issued', { date: t.date(c.issuedAt) })}</li>${c.expiresAt ? html`<li>${t.t('certs.expires', { date: t.date(c.expiresAt) })}</li>` : ''}</ul>${
          admin && c.status !== 'revoked'
            ? html`<p><a href="/console/admin/certificates/${c.id}">${t.t('console.cert.revoke')}<span class="visually-hidden">: ${c.courseTitle} ${c.serial}</span></a></p>`
            : ''
        }</li>`,
      )}</ul>`
    : html`<p>${t.t('certs.empty')}</p>`
}
${v.roles ? rolesSection(ctx, p.id, v.roles) : ''}`,
  });
}

// ---------------------------------------------------------------- reports

export function reportsPage(ctx: PageContext, v: { units: UnitOption[]; unit?: string }): string {
  const { t } = ctx;
  const reports: Array<[string, MessageKey, MessageKey]> = [
    ['completion', 'console.reports.completion', 'console.reports.completion.body'],
    ['overdue', 'console.reports.overdue', 'console.reports.overdue.body'],
    ['competency-coverage', 'console.reports.coverage', 'console.reports.coverage.body'],
  ];
  return consolePage(ctx, {
    title: t.t('console.reports.title'),
    current: 'hr.reports',
    body: html`<h1>${t.t('console.reports.title')}</h1>
<form method="get" action="/console/hr/reports" class="search"><div class="field"><label for="unit">${t.t('console.unit')}</label>${unitSelect(ctx, 'unit', v.units, v.unit, t.t('console.allUnits'))}</div><div class="field"><button class="button" type="submit">${t.t('open.show')}</button></div></form>
<ul class="cards">${reports.map(
      ([name, title, body]) => html`<li class="card"><h2 class="h3">${t.t(title)}</h2><p>${t.t(body)}</p><p><a class="button secondary" href="/api/v1/reports/${name}${query({ format: 'csv', orgUnitId: v.unit, rollup: name === 'overdue' ? undefined : 'true' })}" download>${t.t('console.csv')}<span class="visually-hidden">: ${t.t(title)}</span></a></p></li>`,
    )}<li class="card"><h2 class="h3">${t.t('console.reports.results')}</h2><p>${t.t('console.reports.results.body')}</p><p><a class="button secondary" href="/console/hr/reports/results${query({ unit: v.unit })}">${t.t('console.results.open')}<span class="visually-hidden">: ${t.t('console.reports.results')}</span></a></p></li></ul>`,
  });
}

// ---------------------------------------------------------------- results per person

export interface ResultItem {
  enrolmentId: string;
  userId: string;
  displayName: string;
  orgUnitName: string;
  courseSlug: string;
  courseTitle: string | null;
  courseTitles: LangMap;
  status: 'enrolled' | 'in_progress' | 'completed';
  progress: number;
  completedAt: Date | null;
  packageScore: number | null;
  packagePassed: boolean | null;
  quizScore: number | null;
  quizPassed: boolean | null;
}

export interface ResultsView {
  units: UnitOption[];
  courses: Array<{ slug: string; title: string }>;
  statuses: ReadonlyArray<ResultItem['status']>;
  filters: { unit?: string; course?: string; status?: string };
  items: ResultItem[];
  page: number;
  total: number;
  limit: number;
  csvHref: string;
}

function scoreCell(ctx: PageContext, score: number | null, passed: boolean | null): SafeHtml {
  const { t } = ctx;
  if (score === null && passed === null) return html`<td class="num">–</td>`;
  const verdict = passed === null ? '' : passed ? t.t('console.results.passed') : t.t('console.results.failed');
  return html`<td class="num">${score === null ? '–' : pct(ctx, score / 100)}${verdict ? html`<br><span class="muted">${verdict}</span>` : ''}</td>`;
}

export function resultsPage(ctx: PageContext, v: ResultsView): string {
  const { t } = ctx;
  const f = v.filters;
  return consolePage(ctx, {
    title: t.t('console.reports.results'),
    current: 'hr.reports',
    body: html`<p><a href="/console/hr/reports">${t.t('console.reports.title')}</a></p><h1>${t.t('console.reports.results')}</h1>
<form method="get" action="/console/hr/reports/results" class="search"><div class="field"><label for="unit">${t.t('console.unit')}</label>${unitSelect(ctx, 'unit', v.units, f.unit, t.t('console.allUnits'))}</div>
<div class="field"><label for="course">${t.t('console.course')}</label><select id="course" name="course"><option value="">${t.t('console.allCourses')}</option>${v.courses.map(
      (c) => html`<option value="${c.slug}"${c.slug === f.course ? ' selected' : ''}>${c.title}</option>`,
    )}</select></div>
<div class="field"><label for="status">${t.t('console.status')}</label><select id="status" name="status"><option value="">${t.t('console.results.allStatuses')}</option>${v.statuses.map(
      (s) => html`<option value="${s}"${s === f.status ? ' selected' : ''}>${t.t(`console.enrolment.${s}`)}</option>`,
    )}</select></div>
<div class="field"><button class="button" type="submit">${t.t('console.filter')}</button></div></form>
<p>${t.t('console.results.count', { count: v.total })} <a href="${v.csvHref}" download>${t.t('console.csv')}</a></p>
${
  v.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="results-caption"><table class="data"><caption id="results-caption" class="visually-hidden">${t.t('console.reports.results')}</caption><thead><tr><th scope="col">${t.t('console.person')}</th><th scope="col">${t.t('console.course')}</th><th scope="col">${t.t('console.status')}</th><th scope="col" class="num">${t.t('console.progress')}</th><th scope="col">${t.t('console.results.completedAt')}</th><th scope="col" class="num">${t.t('console.results.packageScore')}</th><th scope="col" class="num">${t.t('console.results.quizScore')}</th></tr></thead><tbody>${v.items.map(
        (r) => html`<tr><th scope="row"><a href="/console/hr/people/${r.userId}">${r.displayName}</a><br><span class="muted">${r.orgUnitName}</span></th><td>${courseCell(ctx, r)}</td><td>${t.t(`console.enrolment.${r.status}`)}</td><td class="num">${pct(ctx, r.progress / 100)}</td><td>${r.completedAt ? t.date(r.completedAt) : '–'}</td>${scoreCell(ctx, r.packageScore, r.packagePassed)}${scoreCell(ctx, r.quizScore, r.quizPassed)}</tr>`,
      )}</tbody></table></div>
${pager(ctx, '/console/hr/reports/results', { unit: f.unit, course: f.course, status: f.status }, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.results.none')}</p>`
}`,
  });
}

export { okNotice };

// ---------------------------------------------------------------- CSV import of people

export interface ImportView {
  csv: string;
  result?: { created: number; updated: number; unchanged: number; errors: Array<{ line: number; message: string }>; dryRun: boolean };
  errors?: Array<{ field: string; message: string }>;
}

export function importPage(ctx: PageContext, v: ImportView): string {
  const { t } = ctx;
  const r = v.result;
  const err = v.errors?.find((e) => e.field === 'csv');
  return consolePage(ctx, {
    title: t.t('console.import.title'),
    current: 'hr.people',
    errors: v.errors,
    body: html`<h1>${t.t('console.import.title')}</h1>
${
  r
    ? html`<section class="preview" aria-labelledby="result-title" tabindex="-1" data-autofocus><h2 id="result-title">${r.dryRun ? t.t('console.import.checked') : t.t('console.import.done')}</h2>
<ul><li>${t.t(r.dryRun ? 'console.import.wouldCreate' : 'console.import.created', { count: r.created })}</li><li>${t.t(r.dryRun ? 'console.import.wouldUpdate' : 'console.import.updated', { count: r.updated })}</li><li>${t.t('console.import.unchanged', { count: r.unchanged })}</li><li><strong>${t.t('console.import.rejected', { count: r.errors.length })}</strong></li></ul>
${
  r.errors.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="rejected-caption"><table class="data"><caption id="rejected-caption">${t.t('console.import.rejectedLines')}</caption><thead><tr><th scope="col" class="num">${t.t('console.import.line')}</th><th scope="col">${t.t('console.import.reason')}</th></tr></thead><tbody>${r.errors.map(
        (e) => html`<tr><th scope="row" class="num">${e.line}</th><td lang="en">${e.message}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
${r.dryRun ? html`<p>${t.t('console.import.applyHint')}</p>` : html`<p><a href="/console/hr/people">${t.t('console.import.toPeople')}</a></p>`}</section>`
    : ''
}
<form method="post" action="/console/hr/people/import" novalidate>${csrfField(ctx)}
<div class="field${err ? ' field-error' : ''}"><label for="csv">${t.t('console.import.csv')}</label><span class="hint" id="csv-hint">${t.t('console.import.hint', { required: 'email, displayName, orgUnitCode', optional: 'jobRoleCode, locale, timeZone, gender, locality' })}</span>${err ? html`<span class="error-message" id="csv-error">${err.message}</span>` : ''}<textarea id="csv" name="csv" rows="12" spellcheck="false" aria-describedby="csv-hint${err ? ' csv-error' : ''}">${v.csv}</textarea></div>
<div class="actions"><button class="button${r?.dryRun ? ' secondary' : ''}" type="submit" name="action" value="check">${t.t('console.import.check')}</button>${r?.dryRun ? html`<button class="button" type="submit" name="action" value="apply">${t.t('console.import.apply')}</button>` : ''}</div>
</form>`,
  });
}
