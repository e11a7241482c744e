import type { AuditEventView } from '@lms/identity';
import type { CertificateDetail } from '@lms/credentials';
import { html, SafeHtml } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice, time } from './common.js';
import { consolePage, pager } from './console.pages.js';

export function certificateAdminPage(ctx: PageContext, c: CertificateDetail, errors?: Array<{ field: string; message: string }>, reason = ''): string {
  const { t } = ctx;
  const err = errors?.find((e) => e.field === 'reason');
  return consolePage(ctx, {
    title: t.t('console.cert.title', { serial: c.serial }),
    current: 'hr.people',
    errors,
    body: html`<h1>${t.t('console.cert.title', { serial: c.serial })}</h1>
<dl class="facts"><dt>${t.t('verify.holder')}</dt><dd><a href="/console/hr/people/${c.userId}">${c.holderName}</a></dd><dt>${t.t('verify.course')}</dt><dd>${c.courseTitle}</dd><dt>${t.t('verify.issued')}</dt><dd>${time(ctx, c.issuedAt)}</dd><dt>${t.t('console.status')}</dt><dd>${t.t(`certs.status.${c.status}` as MessageKey)}${c.revocationReason ? ` – ${c.revocationReason}` : ''}</dd></dl>
${
  c.status === 'revoked'
    ? ''
    : html`<form method="post" action="/console/admin/certificates/${c.id}/revoke" novalidate>${csrfField(ctx)}
<div class="field${err ? ' field-error' : ''}"><label for="reason">${t.t('console.cert.reason')}</label><span class="hint" id="reason-hint">${t.t('console.cert.reasonHint')}</span>${err ? html`<span class="error-message" id="reason-error">${err.message}</span>` : ''}<textarea id="reason" name="reason" rows="3" maxlength="500" aria-describedby="reason-hint${err ? ' reason-error' : ''}">${reason}</textarea></div>
<div class="actions"><button class="button warning" type="submit">${t.t('console.cert.revoke')}</button></div></form>`
}`,
  });
}

export interface AuditView {
  filters: { actor: string; action: string; object: string; from: string; to: string };
  items: Array<AuditEventView & { actorName: string | null }>;
  page: number;
  total: number;
  limit: number;
  errors?: Array<{ field: string; message: string }>;
}

function summary(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 159)}…` : s;
}

export function auditPage(ctx: PageContext, v: AuditView): string {
  const { t } = ctx;
  const f = v.filters;
  const input = (name: keyof AuditView['filters'], label: MessageKey, type = 'text', hint?: MessageKey) =>
    html`<div class="field"><label for="${name}">${t.t(label)}</label>${hint ? html`<span class="hint" id="${name}-hint">${t.t(hint, { example: 'certificate.revoked', type: 'certificate' })}</span>` : ''}<input type="${type}" id="${name}" name="${name}" value="${f[name]}"${hint ? html` aria-describedby="${name}-hint"` : ''}></div>`;
  return consolePage(ctx, {
    title: t.t('console.audit.title'),
    current: 'admin.audit',
    errors: v.errors,
    body: html`<h1>${t.t('console.audit.title')}</h1>
<form method="get" action="/console/admin/audit" class="filters">${input('actor', 'console.audit.actor', 'text', 'console.audit.actorHint')}${input('action', 'console.audit.action', 'text', 'console.audit.actionHint')}${input('object', 'console.audit.object', 'text', 'console.audit.objectHint')}${input('from', 'console.audit.from', 'date')}${input('to', 'console.audit.to', 'date')}<div class="field"><button class="button" type="submit">${t.t('console.filter')}</button></div></form>
<p>${t.t('console.audit.count', { count: v.total })}</p>
${
  v.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="audit-caption"><table class="data"><caption id="audit-caption" class="visually-hidden">${t.t('console.audit.title')}</caption><thead><tr><th scope="col">${t.t('console.audit.when')}</th><th scope="col">${t.t('console.audit.actor')}</th><th scope="col">${t.t('console.audit.action')}</th><th scope="col">${t.t('console.audit.object')}</th><th scope="col">${t.t('console.audit.change')}</th></tr></thead><tbody>${v.items.map(
        (e) => html`<tr><td>${time(ctx, e.at, true)}</td><td>${e.actorName ?? e.actorId ?? '–'}</td><th scope="row"><code>${e.action}</code></th><td><code>${e.subjectType}</code> <code class="id">${e.subjectId}</code></td><td><code class="json">${summary(e.after)}</code></td></tr>`,
      )}</tbody></table></div>${pager(ctx, '/console/admin/audit', { ...f }, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.audit.none')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- scheduled jobs

export interface JobRunView {
  startedAt: Date;
  durationMs: number;
  outcome: 'completed' | 'failed';
  attempt: number;
}

export interface JobsView {
  schedules: Array<{ job: string; when: string; runs: JobRunView[] }>;
  /** Runs shown per job. */
  perJob: number;
  failed: Array<{ id: string; name: string; error: string; attempts: number; failedAt: Date }>;
  page: number;
  total: number;
  limit: number;
  ran?: string;
  unavailable?: boolean;
}

function duration(ctx: PageContext, ms: number): string {
  return ms < 1000 ? ctx.t.t('console.jobs.ms', { ms }) : ctx.t.t('console.jobs.seconds', { seconds: Math.round(ms / 100) / 10 });
}

function outcome(ctx: PageContext, r: JobRunView): SafeHtml {
  return r.outcome === 'completed' ? html`<span class="tag ok">${ctx.t.t('console.jobs.completed')}</span>` : html`<span class="tag bad">${ctx.t.t('console.jobs.failed', { attempt: r.attempt })}</span>`;
}

export function jobsPage(ctx: PageContext, v: JobsView): string {
  const { t } = ctx;
  const ran = v.schedules.filter((s) => s.runs.length);
  return consolePage(ctx, {
    title: t.t('console.jobs.title'),
    current: 'admin.jobs',
    body: html`<h1>${t.t('console.jobs.title')}</h1>
${v.ran ? notice('ok', t.t('console.jobs.ran', { job: v.ran })) : ''}${v.unavailable ? notice('bad', t.t('console.jobs.unavailable'), 'alert') : ''}
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="jobs-caption"><table class="data"><caption id="jobs-caption">${t.t('console.jobs.scheduled')}</caption><thead><tr><th scope="col">${t.t('console.jobs.job')}</th><th scope="col">${t.t('console.jobs.when')}</th><th scope="col">${t.t('console.jobs.lastRun')}</th><th scope="col">${t.t('console.jobs.recent')}</th><th scope="col">${t.t('console.gaps.action')}</th></tr></thead><tbody>${v.schedules.map((s) => {
      const last = s.runs[0];
      const failures = s.runs.filter((r) => r.outcome === 'failed').length;
      return html`<tr><th scope="row"><code>${s.job}</code></th><td><code>${s.when}</code></td><td>${last ? html`${time(ctx, last.startedAt, true)} · ${duration(ctx, last.durationMs)} · ${outcome(ctx, last)}` : html`<span class="muted">${t.t('console.jobs.never')}</span>`}</td><td>${s.runs.length ? (failures ? html`<span class="tag bad">${t.t('console.jobs.failuresOf', { failures, runs: s.runs.length })}</span>` : t.t('console.jobs.failuresOf', { failures, runs: s.runs.length })) : '–'}</td><td><form method="post" action="/console/admin/jobs/${s.job}/run">${csrfField(ctx)}<button class="button secondary" type="submit">${t.t('console.jobs.run')}<span class="visually-hidden">: ${s.job}</span></button></form></td></tr>`;
    })}</tbody></table></div>
<h2>${t.t('console.jobs.lastRuns')}</h2>
${
  ran.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="runs-caption"><table class="data"><caption id="runs-caption">${t.t('console.jobs.runsCaption', { count: v.perJob })}</caption><thead><tr><th scope="col">${t.t('console.jobs.job')}</th><th scope="col">${t.t('console.jobs.started')}</th><th scope="col" class="num">${t.t('console.jobs.duration')}</th><th scope="col">${t.t('console.jobs.outcome')}</th></tr></thead><tbody>${ran.map((s) =>
        s.runs.map((r) => html`<tr><th scope="row"><code>${s.job}</code></th><td>${time(ctx, r.startedAt, true)}</td><td class="num">${duration(ctx, r.durationMs)}</td><td>${outcome(ctx, r)}</td></tr>`),
      )}</tbody></table></div>`
    : html`<p>${t.t('console.jobs.noRuns')}</p>`
}
<h2>${t.t('console.jobs.failures')}</h2>
${
  v.failed.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="failed-caption"><table class="data"><caption id="failed-caption" class="visually-hidden">${t.t('console.jobs.failures')}</caption><thead><tr><th scope="col">${t.t('console.audit.when')}</th><th scope="col">${t.t('console.jobs.job')}</th><th scope="col" class="num">${t.t('console.jobs.attempts')}</th><th scope="col">${t.t('console.jobs.error')}</th></tr></thead><tbody>${v.failed.map(
        (f) => html`<tr><td>${time(ctx, f.failedAt, true)}</td><th scope="row"><code>${f.name}</code></th><td class="num">${f.attempts}</td><td><code class="json">${f.error.length > 300 ? `${f.error.slice(0, 299)}…` : f.error}</code></td></tr>`,
      )}</tbody></table></div>${pager(ctx, '/console/admin/jobs', {}, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.jobs.noFailures')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- org units

export interface UnitsView {
  units: Array<{ id: string; code: string; name: string; kind: string; depth: number }>;
  kinds: readonly string[];
  edit?: { id: string; code: string; name: string; kind: string; parentId: string | null };
  values?: { code: string; name: string; kind: string; parentId: string };
  saved?: boolean;
  errors?: Array<{ field: string; message: string }>;
}

function parentSelect(ctx: PageContext, v: UnitsView, id: string, selected: string, exclude?: string): SafeHtml {
  const { t } = ctx;
  return html`<select id="${id}" name="parentId"><option value="">${t.t('console.units.root')}</option>${v.units
    .filter((u) => u.id !== exclude)
    .map((u) => html`<option value="${u.id}"${u.id === selected ? ' selected' : ''}>${'\u00a0\u00a0'.repeat(u.depth)}${u.name}</option>`)}</select>`;
}

function unitFields(ctx: PageContext, v: UnitsView, values: { code: string; name: string; kind: string; parentId: string }, exclude?: string): SafeHtml {
  const { t } = ctx;
  const err = (f: string): SafeHtml => {
    const e = v.errors?.find((x) => x.field === f);
    return e ? html`<span class="error-message" id="${f}-error">${e.message}</span>` : html``;
  };
  const cls = (f: string): string => (v.errors?.some((x) => x.field === f) ? ' field-error' : '');
  return html`<div class="field${cls('name')}"><label for="name">${t.t('console.units.name')}</label>${err('name')}<input type="text" id="name" name="name" value="${values.name}" maxlength="200"></div>
<div class="field${cls('code')}"><label for="code">${t.t('console.units.code')}</label>${err('code')}<input type="text" id="code" name="code" value="${values.code}" maxlength="50"></div>
<div class="field"><label for="kind">${t.t('console.units.kind')}</label><select id="kind" name="kind">${v.kinds.map((k) => html`<option value="${k}"${k === values.kind ? ' selected' : ''}>${t.t(`console.units.kind.${k}` as MessageKey)}</option>`)}</select></div>
<div class="field${cls('parentId')}"><label for="parentId">${t.t('console.units.parent')}</label>${err('parentId')}${parentSelect(ctx, v, 'parentId', values.parentId, exclude)}</div>`;
}

export function unitsPage(ctx: PageContext, v: UnitsView): string {
  const { t } = ctx;
  const values = v.values ?? { code: '', name: '', kind: 'unit', parentId: '' };
  return consolePage(ctx, {
    title: t.t('console.units.title'),
    current: 'admin.units',
    errors: v.errors,
    body: html`<h1>${t.t('console.units.title')}</h1>
${v.saved ? notice('ok', t.t('console.units.saved')) : ''}
<ul class="tree">${v.units.map(
      (u) => html`<li style="--depth:${u.depth}"><a href="/console/admin/units/${u.id}">${u.name}</a> <span class="muted">${u.code} · ${t.t(`console.units.kind.${u.kind}` as MessageKey)}</span></li>`,
    )}</ul>
<h2>${t.t('console.units.create')}</h2>
<form method="post" action="/console/admin/units" novalidate>${csrfField(ctx)}${unitFields(ctx, v, values)}<div class="actions"><button class="button" type="submit">${t.t('console.units.createButton')}</button></div></form>`,
  });
}

export function unitEditPage(ctx: PageContext, v: UnitsView & { edit: NonNullable<UnitsView['edit']> }): string {
  const { t } = ctx;
  const values = v.values ?? { code: v.edit.code, name: v.edit.name, kind: v.edit.kind, parentId: v.edit.parentId ?? '' };
  return consolePage(ctx, {
    title: t.t('console.units.edit', { unit: v.edit.name }),
    current: 'admin.units',
    errors: v.errors,
    body: html`<h1>${t.t('console.units.edit', { unit: v.edit.name })}</h1>
<p class="hint">${t.t('console.units.moveHint')}</p>
<form method="post" action="/console/admin/units/${v.edit.id}" novalidate>${csrfField(ctx)}${unitFields(ctx, v, values, v.edit.id)}<div class="actions"><button class="button" type="submit">${t.t('console.units.save')}</button><a class="button secondary" href="/console/admin/units">${t.t('console.units.back')}</a></div></form>`,
  });
}

// ---------------------------------------------------------------- statement forwarding (external LRSs)

export interface LrsForwardingView {
  endpoints: Array<{ id: string; name: string; url: string; deliveries: { pending: number; delivered: number; dead: number } }>;
  dead: Array<{ endpointName: string; statementId: string; verb: string; attempts: number; lastError: string | null; deadAt: Date }>;
  page: number;
  total: number;
  limit: number;
  requeued?: number;
}

/** The external LRSs with their delivery counts, a "send again" per endpoint with dead letters, and the dead-letter list. */
export function lrsForwardingPage(ctx: PageContext, v: LrsForwardingView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.lrs.title'),
    current: 'admin.lrs',
    body: html`<h1>${t.t('console.lrs.title')}</h1>
${v.requeued !== undefined ? notice('ok', t.t('console.lrs.requeued', { count: v.requeued })) : ''}
<p class="hint">${t.t('console.lrs.intro')}</p>
${
  v.endpoints.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="lrs-caption"><table class="data"><caption id="lrs-caption" class="visually-hidden">${t.t('console.lrs.title')}</caption><thead><tr><th scope="col">${t.t('console.lrs.name')}</th><th scope="col">${t.t('console.lrs.url')}</th><th scope="col" class="num">${t.t('console.lrs.pending')}</th><th scope="col" class="num">${t.t('console.lrs.delivered')}</th><th scope="col" class="num">${t.t('console.lrs.dead')}</th><th scope="col">${t.t('console.gaps.action')}</th></tr></thead><tbody>${v.endpoints.map(
        (e) => html`<tr><th scope="row">${e.name}</th><td><code class="id">${e.url}</code></td><td class="num">${e.deliveries.pending}</td><td class="num">${e.deliveries.delivered}</td><td class="num">${e.deliveries.dead}</td><td>${
          e.deliveries.dead > 0
            ? html`<form method="post" action="/console/admin/lrs/${e.id}/retry">${csrfField(ctx)}<button class="button secondary" type="submit">${t.t('console.lrs.retry')}<span class="visually-hidden">: ${e.name}</span></button></form>`
            : '–'
        }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t.t('console.lrs.none')}</p>`
}
<h2>${t.t('console.lrs.deadTitle')}</h2>
${
  v.dead.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="dead-caption"><table class="data"><caption id="dead-caption" class="visually-hidden">${t.t('console.lrs.deadTitle')}</caption><thead><tr><th scope="col">${t.t('console.audit.when')}</th><th scope="col">${t.t('console.lrs.endpoint')}</th><th scope="col">${t.t('console.lrs.statement')}</th><th scope="col">${t.t('console.lrs.verb')}</th><th scope="col" class="num">${t.t('console.jobs.attempts')}</th><th scope="col">${t.t('console.jobs.error')}</th></tr></thead><tbody>${v.dead.map(
        (d) => html`<tr><td>${time(ctx, d.deadAt, true)}</td><td>${d.endpointName}</td><th scope="row"><code class="id">${d.statementId}</code></th><td><code>${d.verb.replace(/^.*\//, '')}</code></td><td class="num">${d.attempts}</td><td><code class="json">${d.lastError ?? ''}</code></td></tr>`,
      )}</tbody></table></div>${pager(ctx, '/console/admin/lrs', {}, v.page, v.total, v.limit)}`
    : html`<p>${t.t('console.lrs.noDead')}</p>`
}`,
  });
}
