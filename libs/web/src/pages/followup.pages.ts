import type { FollowupGroupView, FollowupPostView } from '@lms/events';
import type { Page } from '@lms/platform';
import { html, SafeHtml } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice, time } from './common.js';
import { pager } from './console.pages.js';

export interface FollowupPageView {
  group: FollowupGroupView;
  posts: Page<FollowupPostView> | null;
  invitable: Array<{ userId: string; displayName: string }>;
  flash?: string;
  errors?: Array<{ field: string; message: string }>;
  values?: Record<string, string>;
}

function statusTag(ctx: PageContext, status: string): SafeHtml {
  return html`<span class="tag${status === 'kept' ? ' ok' : status === 'not_kept' ? ' bad' : ''}">${ctx.t.t(`events.commitment.status.${status}` as MessageKey)}</span>`;
}

function day(ctx: PageContext, isoDay: string): string {
  return ctx.t.date(`${isoDay}T12:00:00Z`);
}

/**
 * A follow-up group's space (docs/hub.md, item 6): the joint commitment, the members with their
 * institution and country, milestones (mark done, add), the status, invitations and short progress
 * updates. Every action is a plain form (works without JavaScript); the service checks who may.
 */
export function followupPage(ctx: PageContext, v: FollowupPageView): string {
  const { t } = ctx;
  const g = v.group;
  const active = g.myRole === 'active';
  const canPlan = g.myRole !== 'invited';
  const val = v.values ?? {};
  const err = (f: string) => v.errors?.find((e) => e.field === f);
  const fieldError = (f: string) => (err(f) ? html`<p class="error" id="${f}-error">${err(f)!.message}</p>` : '');
  const base = `/follow-up/${g.id}`;

  const invitation =
    g.myRole === 'invited'
      ? html`<section aria-labelledby="invited-title" class="card"><h2 id="invited-title">${t.t('followup.invited.title')}</h2><p>${t.t('followup.invited.body')}</p>
<div class="actions"><form method="post" action="${base}/accept">${csrfField(ctx)}<button class="button" type="submit">${t.t('followup.accept')}</button></form>
<form method="post" action="${base}/decline">${csrfField(ctx)}<button class="button secondary" type="submit">${t.t('followup.decline')}</button></form></div></section>`
      : g.myRole === 'organiser'
        ? notice('info', t.t('followup.organiserNote'))
        : '';

  const members = html`<section aria-labelledby="members-title"><h2 id="members-title">${t.t('followup.members')}</h2>
<ul>${g.members.map(
    (m) =>
      html`<li>${m.displayName}${m.institution ? html` – ${m.institution}` : ''}${m.country ? html` (${m.country})` : ''}${m.status === 'invited' ? html` <span class="tag">${t.t('followup.member.invited')}</span>` : ''}</li>`,
  )}</ul></section>`;

  const milestones = html`<section aria-labelledby="milestones-title"><h2 id="milestones-title">${t.t('followup.milestones')}</h2>
<p class="muted">${t.t('followup.milestone.reminderHint')}</p>
${
  g.milestones.length
    ? html`<ul class="cards">${g.milestones.map(
        (m) => html`<li class="card"><h3>${m.title}</h3><ul class="meta"><li>${t.t('events.commitment.due', { date: day(ctx, m.dueOn) })}</li><li>${
          m.done
            ? html`<span class="tag ok">${t.t('followup.milestone.done')}</span> ${m.doneAt ? t.t('followup.milestone.doneBy', { person: m.doneByName ?? t.t('followup.formerMember'), date: ctx.t.date(m.doneAt) }) : ''}`
            : html`<span class="tag">${t.t('followup.milestone.open')}</span>`
        }</li></ul>${
          active
            ? html`<form method="post" action="${base}/milestones/${m.id}">${csrfField(ctx)}<input type="hidden" name="done" value="${m.done ? 'no' : 'yes'}"><button class="button secondary" type="submit">${
                m.done ? t.t('followup.milestone.markOpen', { title: m.title }) : t.t('followup.milestone.markDone', { title: m.title })
              }</button></form>`
            : ''
        }</li>`,
      )}</ul>`
    : html`<p>${t.t('followup.milestonesEmpty')}</p>`
}
${
  canPlan
    ? html`<h3 id="new-milestone">${t.t('followup.milestone.new')}</h3>
<form method="post" action="${base}/milestones" aria-labelledby="new-milestone">${csrfField(ctx)}
<div class="field${err('title') ? ' field-error' : ''}"><label for="title">${t.t('followup.milestone.title')}</label>${fieldError('title')}<input id="title" name="title" type="text" maxlength="200" value="${val.title ?? ''}"${err('title') ? html` aria-describedby="title-error" aria-invalid="true"` : ''}></div>
<div class="field${err('dueOn') ? ' field-error' : ''}"><label for="dueOn">${t.t('followup.milestone.dueOn')}</label>${fieldError('dueOn')}<input id="dueOn" name="dueOn" type="date" value="${val.dueOn ?? ''}"${err('dueOn') ? html` aria-describedby="dueOn-error" aria-invalid="true"` : ''}></div>
<div class="actions"><button class="button" type="submit">${t.t('followup.milestone.add')}</button></div></form>`
    : ''
}</section>`;

  const status = active
    ? html`<form method="post" action="${base}/status" class="inline">${csrfField(ctx)}<div class="field"><label for="status">${t.t('events.commitment.statusLabel')}</label><select id="status" name="status">${(['open', 'kept', 'not_kept'] as const).map(
        (s) => html`<option value="${s}"${s === g.status ? ' selected' : ''}>${t.t(`events.commitment.status.${s}` as MessageKey)}</option>`,
      )}</select></div><div class="actions"><button class="button secondary" type="submit">${t.t('followup.statusSave')}</button></div></form>`
    : '';

  const invite = canPlan
    ? html`<section aria-labelledby="invite-title"><h2 id="invite-title">${t.t('followup.invite.title')}</h2>
${
  v.invitable.length
    ? html`<form method="post" action="${base}/invitations">${csrfField(ctx)}<fieldset class="field${err('userIds') ? ' field-error' : ''}" id="userIds"><legend>${t.t('followup.invite.hint')}</legend>${fieldError('userIds')}${v.invitable.map(
        (p, i) => html`<div class="choice"><input type="checkbox" id="invite-${i}" name="userIds" value="${p.userId}"><label for="invite-${i}">${p.displayName}</label></div>`,
      )}</fieldset><div class="actions"><button class="button secondary" type="submit">${t.t('followup.invite.submit')}</button></div></form>`
    : html`<p>${t.t('followup.invite.none')}</p>`
}</section>`
    : '';

  const posts = v.posts
    ? html`<section aria-labelledby="posts-title"><h2 id="posts-title">${t.t('followup.posts')}</h2>
${
  active
    ? html`<form method="post" action="${base}/posts">${csrfField(ctx)}<div class="field${err('body') ? ' field-error' : ''}"><label for="body">${t.t('followup.post.label')}</label>${fieldError('body')}<textarea id="body" name="body" rows="3" maxlength="2000"${err('body') ? html` aria-describedby="body-error" aria-invalid="true"` : ''}>${val.body ?? ''}</textarea></div><div class="actions"><button class="button" type="submit">${t.t('followup.post.submit')}</button></div></form>`
    : ''
}
${
  v.posts.items.length
    ? html`<ul class="cards">${v.posts.items.map((p) => html`<li class="card"><p>${p.body}</p><p class="muted">${p.displayName ?? t.t('followup.formerMember')} · ${time(ctx, p.createdAt, true)}</p></li>`)}</ul>${pager(ctx, base, {}, v.posts.page, v.posts.total, v.posts.limit)}`
    : html`<p>${t.t('followup.postsEmpty')}</p>`
}</section>`
    : '';

  return renderPage(ctx, {
    title: g.title,
    nav: 'events',
    errors: v.errors,
    body: html`<h1>${g.title}</h1>
${v.flash ? notice('ok', v.flash) : ''}
<p>${t.t('followup.fromEvent')} <a href="/events/${g.eventId}">${g.eventTitle}</a></p>
<section aria-labelledby="commitment-title"><h2 id="commitment-title">${t.t('followup.commitment')}</h2><p>${g.action}</p><p>${statusTag(ctx, g.status)}</p>${status}</section>
${invitation}
${members}
${milestones}
${posts}
${invite}`,
  });
}
