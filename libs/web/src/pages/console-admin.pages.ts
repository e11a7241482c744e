import type { AuditEventView } from '@lms/identity';
import type { CertificateDetail } from '@lms/credentials';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { time } from './common.js';
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
