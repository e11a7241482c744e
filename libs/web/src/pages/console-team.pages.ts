import type { RegistrationView } from '@lms/events';
import type { TeamReport } from '@lms/reporting';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import { notice, time } from './common.js';
import { consolePage } from './console.pages.js';
import { approvalsSection } from './events.pages.js';

/** My team: the line manager's direct and indirect reports, their overdue training and certificates expiring soon. */
export function teamPage(ctx: PageContext, v: TeamReport & { nudged?: number; approvals?: RegistrationView[]; decided?: 'approved' | 'declined' }): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.team.title'),
    current: 'team',
    body: html`<h1>${t.t('console.team.title')}</h1>
${v.nudged !== undefined ? notice('ok', t.t('console.team.nudged', { count: v.nudged })) : ''}
<p class="lead">${t.t('console.team.summary', { people: v.people.length, direct: v.people.filter((p) => p.level === 1).length, overdue: v.overdue.length, expiring: v.expiring.length })}</p>
${v.truncated ? notice('warn', t.t('console.team.truncated', { count: v.people.length })) : ''}
${approvalsSection(ctx, v.approvals ?? [], v.decided)}
<h2>${t.t('console.team.overdue')}</h2>
${
  v.overdue.length
    ? html`<ul>${v.overdue.map((o) => html`<li><strong>${o.displayName}</strong>: ${o.courseTitle} – ${t.t('enrolment.overdueSince', { date: t.date(o.dueAt) })}</li>`)}</ul>`
    : html`<p>${t.t('console.team.noOverdue')}</p>`
}
<h2>${t.t('console.team.expiring')}</h2>
${
  v.expiring.length
    ? html`<ul>${v.expiring.map((c) => html`<li><strong>${c.displayName}</strong>: ${c.courseTitle} (${c.serial}) – ${t.t('certs.expires', { date: t.date(c.expiresAt) })}</li>`)}</ul>`
    : html`<p>${t.t('console.team.noExpiring')}</p>`
}
<h2>${t.t('console.team.people')}</h2>
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="team-caption"><table class="data"><caption id="team-caption" class="visually-hidden">${t.t('console.team.people')}</caption><thead><tr><th scope="col">${t.t('console.person')}</th><th scope="col" class="num">${t.t('home.inProgress')}</th><th scope="col" class="num">${t.t('home.completed')}</th><th scope="col" class="num">${t.t('console.overdue')}</th><th scope="col">${t.t('console.gaps.action')}</th></tr></thead><tbody>${v.people.map(
      (p) => html`<tr><th scope="row">${p.displayName}<br><span class="muted">${p.level === 1 ? t.t('console.team.direct') : t.t('console.team.through', { manager: p.managerName ?? '' })} · ${p.orgUnitName}</span></th><td class="num">${p.active}</td><td class="num">${p.completed}</td><td class="num">${p.overdue ? html`<span class="tag bad">${p.overdue}</span>` : '0'}</td><td>${
        p.active
          ? html`<form method="post" action="/console/team/nudge">${csrfField(ctx)}<input type="hidden" name="userId" value="${p.userId}"><button class="button secondary" type="submit">${t.t('console.team.nudge')}<span class="visually-hidden">: ${p.displayName}</span></button></form>`
          : ''
      }</td></tr>`,
    )}</tbody></table></div>
<p class="muted">${t.t('console.team.asOf')} ${time(ctx, new Date(), true)}</p>`,
  });
}
