import type { AttendanceRow, CommitmentView, EvaluationResults, EventView, FollowupGroupView, KeptRow, RegistrationView, SessionView } from '@lms/events';
import type { Page } from '@lms/platform';
import { html, SafeHtml, trusted } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { inLang, notice, time } from './common.js';
import { consolePage, pager } from './console.pages.js';

/** Live statuses of a registration (the person holds a place, waits or asks). */
const LIVE = new Set(['pending_approval', 'booked', 'waitlisted', 'offered']);

export function statusTag(ctx: PageContext, r: Pick<RegistrationView, 'status' | 'waitlistPosition'>): SafeHtml {
  const kind = r.status === 'booked' ? ' ok' : r.status === 'cancelled' || r.status === 'declined' || r.status === 'expired' ? ' bad' : '';
  const label = ctx.t.t(`events.status.${r.status}` as MessageKey);
  return html`<span class="tag${kind}">${label}${r.status === 'waitlisted' && r.waitlistPosition ? ` (${ctx.t.t('events.position', { n: r.waitlistPosition })})` : ''}</span>`;
}

/** Start–end of a session in the reader's time zone (the end's date only when it differs). */
function sessionTime(ctx: PageContext, s: SessionView): SafeHtml {
  const sameDay = ctx.t.isoDate(s.startsAt) === ctx.t.isoDate(s.endsAt);
  const end = sameDay
    ? new Intl.DateTimeFormat(ctx.t.intlTag, { timeStyle: 'short', timeZone: ctx.t.timeZone }).format(new Date(s.endsAt))
    : ctx.t.date(s.endsAt, true);
  return html`${time(ctx, s.startsAt, true)} – <time datetime="${new Date(s.endsAt).toISOString()}">${end}</time>`;
}

function firstSession(v: EventView): SessionView | undefined {
  return v.sessions.find((s) => s.status === 'scheduled') ?? v.sessions[0];
}

function eventTitle(ctx: PageContext, v: Pick<EventView, 'title' | 'language'>): SafeHtml {
  return inLang(ctx, v.title, v.language);
}

function seatsText(ctx: PageContext, v: EventView): string {
  return ctx.t.t('events.seats', { available: v.seats.available, capacity: v.seats.capacity });
}

// ---------------------------------------------------------------- learner: the list

export interface EventsView {
  events: Page<EventView>;
  mine: RegistrationView[];
  commitments: Array<CommitmentView & { eventTitle: string }>;
  /** Follow-up groups I belong to or am invited to. */
  groups: FollowupGroupView[];
  feedUrl?: string;
  flash?: string;
}

export function eventsPage(ctx: PageContext, v: EventsView): string {
  const { t } = ctx;
  const live = v.mine.filter((r) => LIVE.has(r.status));
  return renderPage(ctx, {
    title: t.t('events.title'),
    nav: 'events',
    body: html`<h1>${t.t('events.title')}</h1>
${v.flash ? notice('ok', v.flash) : ''}
<section aria-labelledby="mine-title"><h2 id="mine-title">${t.t('events.mine')}</h2>
${
  live.length
    ? html`<ul class="cards two">${live.map(
        (r) => html`<li class="card"><h3><a href="/events/${r.eventId}">${r.eventTitle}</a></h3><p>${statusTag(ctx, r)}</p></li>`,
      )}</ul>`
    : html`<p>${t.t('events.mineEmpty')}</p>`
}</section>
<section aria-labelledby="upcoming-title"><h2 id="upcoming-title">${t.t('events.upcoming')}</h2>
<p role="status">${t.t('events.count', { count: v.events.total })}</p>
<ul class="cards two">${v.events.items.map((e) => {
      const first = firstSession(e);
      return html`<li class="card"><h3><a href="/events/${e.id}">${eventTitle(ctx, e)}</a></h3>
<ul class="meta">${first ? html`<li>${time(ctx, first.startsAt, true)}</li>` : ''}<li>${t.t('events.sessionCount', { count: e.sessions.length })}</li><li>${seatsText(ctx, e)}</li><li>${t.languageName(e.language)}</li></ul></li>`;
    })}</ul>
${pager(ctx, '/events', {}, v.events.page, v.events.total, v.events.limit)}</section>
<section aria-labelledby="commitments-title"><h2 id="commitments-title">${t.t('events.commitments')}</h2>
${
  v.commitments.length
    ? html`<ul>${v.commitments.map(
        (c) => html`<li><a href="/events/${c.eventId}#commitments-title">${c.action}</a> – ${c.eventTitle} · ${t.t('events.commitment.due', { date: t.date(`${c.dueOn}T12:00:00Z`) })} ${commitmentTag(ctx, c)}</li>`,
      )}</ul>`
    : html`<p>${t.t('events.commitmentsEmpty')}</p>`
}</section>
${
  v.groups.length
    ? html`<section aria-labelledby="followup-title"><h2 id="followup-title">${t.t('followup.mine')}</h2><ul>${v.groups.map(
        (g) => html`<li><a href="/follow-up/${g.id}">${g.title}</a> – ${g.eventTitle}${g.myRole === 'invited' ? html` <span class="tag">${t.t('followup.member.invited')}</span>` : ''}</li>`,
      )}</ul></section>`
    : ''
}
<section aria-labelledby="feed-title"><h2 id="feed-title">${t.t('events.feed.title')}</h2>
<p>${t.t('events.feed.body')}</p>
${
  v.feedUrl
    ? html`${notice('ok', t.t('events.feed.created'))}<div class="field"><label for="feed-url">${t.t('events.feed.url')}</label><input id="feed-url" type="text" readonly value="${v.feedUrl}"></div>
<p><a href="${v.feedUrl.replace(/^https?:/, 'webcal:')}">${t.t('events.feed.subscribe')}</a></p>`
    : ''
}
<form method="post" action="/events/calendar-feed">${csrfField(ctx)}<div class="actions"><button class="button secondary" type="submit">${v.feedUrl ? t.t('events.feed.rotate') : t.t('events.feed.create')}</button></div></form></section>`,
  });
}

function commitmentTag(ctx: PageContext, c: Pick<CommitmentView, 'status'>): SafeHtml {
  return html`<span class="tag${c.status === 'kept' ? ' ok' : c.status === 'not_kept' ? ' bad' : ''}">${ctx.t.t(`events.commitment.status.${c.status}` as MessageKey)}</span>`;
}

// ---------------------------------------------------------------- learner: one event

export interface Questionnaire {
  anonymous: boolean;
  questions: Array<{ id: string; type: string; text: string; max?: number; choices?: Array<{ id: string; text: string }> }>;
}

export interface EventDetailView {
  event: EventView;
  registration: RegistrationView | null;
  checkIn?: { token: string; qrSvg: string };
  runs: boolean;
  evaluation?: { questionnaire: Questionnaire; answered: boolean; open: boolean };
  commitments: CommitmentView[];
  /** My follow-up groups of this event. */
  groups?: FollowupGroupView[];
  flash?: string;
  errors?: Array<{ field: string; message: string }>;
  /** Values of a commitment form sent back with errors. */
  commitmentValues?: Record<string, string>;
  canRegister: boolean;
}

function reasonField(ctx: PageContext, id: string, label: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label><span class="hint" id="${id}-hint">${ctx.t.t('events.reason.hint')}</span><textarea id="${id}" name="reason" rows="2" maxlength="1000" aria-describedby="${id}-hint"></textarea></div>`;
}

function registrationBox(ctx: PageContext, v: EventDetailView): SafeHtml {
  const { t } = ctx;
  const r = v.registration;
  const id = v.event.id;
  const cancelForm = html`<details><summary>${t.t('events.cancel')}</summary><form method="post" action="/events/${id}/cancel">${csrfField(ctx)}${reasonField(ctx, 'cancel-reason', t.t('events.cancel.reason'))}<div class="actions"><button class="button warning" type="submit">${t.t('events.cancel.confirm')}</button></div></form></details>`;
  if (r && LIVE.has(r.status)) {
    const status = html`<p>${statusTag(ctx, r)}</p>`;
    if (r.status === 'pending_approval') return html`${status}<p>${t.t('events.pending.body')}</p>${cancelForm}`;
    if (r.status === 'waitlisted') return html`${status}<p>${t.t('events.waitlisted.body', { n: r.waitlistPosition ?? 0 })}</p>${cancelForm}`;
    if (r.status === 'offered')
      return html`${status}<p>${t.t('events.offered.body', { date: r.offerExpiresAt ? t.date(r.offerExpiresAt, true) : '' })}</p><form method="post" action="/events/${id}/confirm">${csrfField(ctx)}<div class="actions"><button class="button" type="submit">${t.t('events.offered.confirm')}</button></div></form>${cancelForm}`;
    return html`${status}<p>${t.t('events.booked.body')}</p>
${
  v.checkIn
    ? html`<h3>${t.t('events.checkIn.title')}</h3><p>${t.t('events.checkIn.body')}</p><figure class="qr" role="img" aria-label="${t.t('events.checkIn.qr')}">${trusted(v.checkIn.qrSvg)}</figure><p class="muted">${t.t('events.checkIn.code')} <code class="id">${v.checkIn.token}</code></p>`
    : ''
}${cancelForm}`;
  }
  const past = r ? html`<p>${statusTag(ctx, r)}${r.decisionReason ? html` ${r.decisionReason}` : ''}</p>` : '';
  if (!v.canRegister) return html`${past}<p>${t.t('events.closed')}</p>`;
  return html`${past}<form method="post" action="/events/${id}/register">${csrfField(ctx)}<div class="actions"><button class="button" type="submit">${t.t('events.register')}</button></div></form>${
    v.event.approval.mode !== 'none' ? html`<p class="muted">${t.t('events.approvalHint')}</p>` : ''
  }`;
}

function evaluationForm(ctx: PageContext, v: EventDetailView): SafeHtml {
  const { t } = ctx;
  const e = v.evaluation;
  if (!e) return html``;
  const head = html`<h2 id="evaluation-title">${t.t('events.evaluation.title')}</h2>`;
  if (e.answered) return html`<section aria-labelledby="evaluation-title">${head}${notice('ok', t.t('events.evaluation.thanks'), null)}</section>`;
  if (!e.open) return html`<section aria-labelledby="evaluation-title">${head}<p>${t.t('events.evaluation.later')}</p></section>`;
  const q = e.questionnaire;
  return html`<section aria-labelledby="evaluation-title">${head}<p>${q.anonymous ? t.t('events.evaluation.anonymous') : t.t('events.evaluation.named')}</p>
<form method="post" action="/events/${v.event.id}/evaluation">${csrfField(ctx)}${q.questions.map((x, i) => {
    const name = `a:${x.id}`;
    const fid = `ev-${i + 1}`;
    if (x.type === 'text')
      return html`<div class="field"><label for="${fid}">${x.text}</label><textarea id="${fid}" name="${name}" rows="3" maxlength="4000"></textarea></div>`;
    const options =
      x.type === 'scale'
        ? Array.from({ length: x.max ?? 5 }, (_, k) => ({ id: String(k + 1), text: String(k + 1) }))
        : (x.choices ?? []);
    return html`<fieldset id="${fid}" class="field"><legend>${x.text}${x.type === 'scale' ? html` <span class="muted">(${t.t('events.evaluation.scale', { max: x.max ?? 5 })})</span>` : ''}</legend>${options.map(
      (o) => html`<div class="choice"><input type="radio" id="${fid}-${o.id}" name="${name}" value="${o.id}"><label for="${fid}-${o.id}">${o.text}</label></div>`,
    )}</fieldset>`;
  })}<div class="actions"><button class="button" type="submit">${t.t('events.evaluation.submit')}</button></div></form></section>`;
}

/** The follow-up group made from a commitment (a link), or a form to start one. */
function followupLink(ctx: PageContext, v: EventDetailView, c: CommitmentView, i: number): SafeHtml {
  const { t } = ctx;
  const group = (v.groups ?? []).find((g) => g.commitmentId === c.id);
  if (group) return html`<p><a href="/follow-up/${group.id}">${t.t('followup.open', { title: group.title })}</a></p>`;
  return html`<details><summary>${t.t('followup.start')}</summary><p class="hint">${t.t('followup.startHint')}</p><form method="post" action="/follow-up">${csrfField(ctx)}<input type="hidden" name="eventId" value="${v.event.id}"><input type="hidden" name="commitmentId" value="${c.id}">
<div class="field"><label for="group-title-${i}">${t.t('followup.groupTitle')}</label><input id="group-title-${i}" name="title" type="text" maxlength="200"></div>
<div class="actions"><button class="button secondary" type="submit">${t.t('followup.create')}</button></div></form></details>`;
}

function commitmentsSection(ctx: PageContext, v: EventDetailView): SafeHtml {
  const { t } = ctx;
  const val = v.commitmentValues ?? {};
  const err = (f: string) => v.errors?.find((e) => e.field === f);
  const fieldError = (f: string) => {
    const e = err(f);
    return e ? html`<span class="error" id="${f}-error">${e.message}</span>` : '';
  };
  const described = (f: string, hint?: boolean) => {
    const ids = [hint ? `${f}-hint` : '', err(f) ? `${f}-error` : ''].filter(Boolean).join(' ');
    return ids ? html` aria-describedby="${ids}"` : '';
  };
  return html`<section aria-labelledby="commitments-title"><h2 id="commitments-title">${t.t('events.commitments')}</h2>
<p>${t.t('events.commitment.intro')}</p>
${v.commitments.map(
  (c, i) => html`<article class="card"><h3>${c.action}</h3><ul class="meta"><li>${t.t('events.commitment.due', { date: t.date(`${c.dueOn}T12:00:00Z`) })}</li>${
    c.partners.length ? html`<li>${t.t('events.commitment.partnersList', { partners: c.partners.join(', ') })}</li>` : ''
  }${c.competencyCode ? html`<li>${t.t('events.commitment.competency')}: ${c.competencyCode}</li>` : ''}${c.sdg ? html`<li>${t.t('events.commitment.sdgN', { n: c.sdg })}</li>` : ''}<li>${commitmentTag(ctx, c)}</li></ul>
${c.updates.length ? html`<ul>${c.updates.map((u) => html`<li>${time(ctx, u.createdAt)}: ${u.note} ${commitmentTag(ctx, u)}</li>`)}</ul>` : ''}
${followupLink(ctx, v, c, i)}
<details><summary>${t.t('events.commitment.update')}</summary><form method="post" action="/events/${v.event.id}/commitments/${c.id}/updates">${csrfField(ctx)}
<div class="field"><label for="note-${i}">${t.t('events.commitment.note')}</label><textarea id="note-${i}" name="note" rows="2" maxlength="2000" required></textarea></div>
<div class="field"><label for="status-${i}">${t.t('events.commitment.statusLabel')}</label><select id="status-${i}" name="status">${(['open', 'kept', 'not_kept'] as const).map(
    (s) => html`<option value="${s}"${s === c.status ? ' selected' : ''}>${t.t(`events.commitment.status.${s}` as MessageKey)}</option>`,
  )}</select></div>
<div class="actions"><button class="button secondary" type="submit">${t.t('events.commitment.post')}</button></div></form></details></article>`,
)}
<h3 id="new-commitment">${t.t('events.commitment.new')}</h3>
<form method="post" action="/events/${v.event.id}/commitments" aria-labelledby="new-commitment">${csrfField(ctx)}
<div class="field${err('action') ? ' field-error' : ''}"><label for="action">${t.t('events.commitment.action')}</label><span class="hint" id="action-hint">${t.t('events.commitment.actionHint')}</span>${fieldError('action')}<textarea id="action" name="action" rows="3" maxlength="2000"${described('action', true)}>${val.action ?? ''}</textarea></div>
<div class="field${err('dueOn') ? ' field-error' : ''}"><label for="dueOn">${t.t('events.commitment.dueOn')}</label>${fieldError('dueOn')}<input id="dueOn" name="dueOn" type="date" value="${val.dueOn ?? ''}"${described('dueOn')}></div>
<div class="field"><label for="partners">${t.t('events.commitment.partners')}</label><span class="hint" id="partners-hint">${t.t('events.commitment.partnersHint')}</span><input id="partners" name="partners" type="text" maxlength="2000" value="${val.partners ?? ''}" aria-describedby="partners-hint"></div>
<div class="field"><label for="competencyCode">${t.t('events.commitment.competency')}</label><span class="hint" id="competencyCode-hint">${t.t('events.commitment.competencyHint')}</span><input id="competencyCode" name="competencyCode" type="text" maxlength="100" value="${val.competencyCode ?? ''}" aria-describedby="competencyCode-hint"></div>
<div class="field"><label for="sdg">${t.t('events.commitment.sdg')}</label><select id="sdg" name="sdg"><option value="">${t.t('events.commitment.sdgNone')}</option>${Array.from({ length: 17 }, (_, k) => k + 1).map(
    (n) => html`<option value="${n}"${val.sdg === String(n) ? ' selected' : ''}>${t.t('events.commitment.sdgN', { n })}</option>`,
  )}</select></div>
<div class="actions"><button class="button" type="submit">${t.t('events.commitment.save')}</button></div></form></section>`;
}

export function eventPage(ctx: PageContext, v: EventDetailView): string {
  const { t } = ctx;
  const e = v.event;
  const attr = e.language === ctx.locale ? '' : html` lang="${e.language}"`;
  const booked = v.registration?.status === 'booked';
  return renderPage(ctx, {
    title: e.title,
    nav: 'events',
    errors: v.errors,
    body: html`<p class="muted"><a href="/events">${t.t('events.title')}</a></p>
<h1${attr}>${e.title}</h1>
${v.flash ? notice('ok', v.flash) : ''}
${e.status === 'cancelled' ? notice('bad', t.t('events.cancelled'), null) : ''}
${e.description ? html`<p class="lead"${attr}>${e.description}</p>` : ''}
<ul class="meta"><li>${seatsText(ctx, e)}</li>${e.seats.waitlisted ? html`<li>${t.t('events.waitlistCount', { count: e.seats.waitlisted })}</li>` : ''}<li>${t.languageName(e.language)}</li>${
      e.cancellationDeadline ? html`<li>${t.t('events.cancelBy', { date: t.date(e.cancellationDeadline, true) })}</li>` : ''
    }</ul>
${v.runs ? html`<p><a class="button secondary" href="/console/events/${e.id}">${t.t('events.run')}</a></p>` : ''}
<section class="card" aria-labelledby="my-place"><h2 id="my-place" class="h3">${t.t('events.myPlace')}</h2>${registrationBox(ctx, v)}</section>
<section aria-labelledby="sessions-title"><h2 id="sessions-title">${t.t('events.sessions')}</h2>
<p class="muted">${t.t('events.timesIn', { zone: t.timeZone })}</p>
<ol class="sessions">${e.sessions.map(
      (s) => html`<li>${sessionTime(ctx, s)}${s.status === 'cancelled' ? html` <span class="tag bad">${t.t('events.sessionCancelled')}</span>` : ''}
<ul class="meta">${s.venueName || s.venueAddress ? html`<li>${[s.venueName, s.venueAddress].filter(Boolean).join(', ')}</li>` : ''}${
        s.onlineUrl ? html`<li>${booked ? html`<a href="${s.onlineUrl}" rel="noopener">${t.t('events.online')}</a>` : t.t('events.onlineAfterBooking')}</li>` : ''
      }</ul></li>`,
    )}</ol></section>
${e.trainers.length ? html`<section aria-labelledby="trainers-title"><h2 id="trainers-title">${t.t('events.trainers')}</h2><ul>${e.trainers.map((x) => html`<li>${x.name}</li>`)}</ul></section>` : ''}
${booked ? evaluationForm(ctx, v) : ''}
${booked ? commitmentsSection(ctx, v) : ''}`,
  });
}

// ---------------------------------------------------------------- console

export function consoleEventsPage(ctx: PageContext, v: { events: Page<EventView> }): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.events.title'),
    current: 'events',
    body: html`<h1>${t.t('console.events.title')}</h1>
<p class="lead">${t.t('console.events.intro')}</p>
${
  v.events.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="events-caption"><table class="data"><caption id="events-caption">${t.t('console.events.count', { count: v.events.total })}</caption><thead><tr><th scope="col">${t.t('console.events.event')}</th><th scope="col">${t.t('console.events.starts')}</th><th scope="col" class="num">${t.t('console.events.booked')}</th><th scope="col" class="num">${t.t('console.events.waitlisted')}</th><th scope="col" class="num">${t.t('console.events.pending')}</th></tr></thead><tbody>${v.events.items.map((e) => {
        const first = firstSession(e);
        return html`<tr><th scope="row"><a href="/console/events/${e.id}">${eventTitle(ctx, e)}</a>${e.status === 'cancelled' ? html` <span class="tag bad">${t.t('events.status.cancelled')}</span>` : ''}</th><td>${first ? time(ctx, first.startsAt, true) : ''}</td><td class="num">${e.seats.held} / ${e.seats.capacity}</td><td class="num">${e.seats.waitlisted}</td><td class="num">${e.seats.pendingApproval}</td></tr>`;
      })}</tbody></table></div>`
    : html`<p>${t.t('console.events.none')}</p>`
}
${pager(ctx, '/console/events', {}, v.events.page, v.events.total, v.events.limit)}`,
  });
}

export interface ConsoleEventView {
  event: EventView;
  registrations: Page<RegistrationView>;
  attendance: Array<{ registrationId: string; displayName: string; share: number; completed: boolean }>;
  evaluation?: EvaluationResults | null;
  kept?: { minCell: number; rows: KeptRow[] } | null;
  organiser: boolean;
  page: number;
}

export function consoleEventPage(ctx: PageContext, v: ConsoleEventView): string {
  const { t } = ctx;
  const e = v.event;
  const pct = (x: number) => t.number(x, { style: 'percent', maximumFractionDigits: 0 });
  const counts = (s: string) => v.registrations.items.filter((r) => r.status === s).length;
  return consolePage(ctx, {
    title: e.title,
    current: 'events',
    body: html`<p class="muted"><a href="/console/events">${t.t('console.events.title')}</a></p>
<h1${e.language === ctx.locale ? '' : html` lang="${e.language}"`}>${e.title}</h1>
<p class="lead">${t.t('console.event.summary', { booked: e.seats.held, capacity: e.seats.capacity, waitlisted: e.seats.waitlisted, pending: e.seats.pendingApproval })}</p>
<ul class="actions-list"><li><a href="/api/v1/events/${e.id}/reports/attendance?format=csv" download>${t.t('console.event.csv')}</a></li><li><a href="/api/v1/events/${e.id}/sign-up-sheet" download>${t.t('console.event.pdf')}</a></li></ul>
<h2 id="sessions-title">${t.t('events.sessions')}</h2>
<ol class="sessions">${e.sessions.map(
      (s) => html`<li>${sessionTime(ctx, s)}${s.status === 'cancelled' ? html` <span class="tag bad">${t.t('events.sessionCancelled')}</span>` : html` – <a href="/console/events/${e.id}/sessions/${s.id}">${t.t('console.event.markAttendance')}<span class="visually-hidden">: ${t.date(s.startsAt, true)}</span></a>`}</li>`,
    )}</ol>
<h2>${t.t('console.event.registrations')}</h2>
<p>${t.t('console.event.byStatus', { booked: counts('booked'), waitlisted: counts('waitlisted'), pending: counts('pending_approval') })}</p>
<div class="table-wrap" role="region" tabindex="0" aria-labelledby="reg-caption"><table class="data"><caption id="reg-caption" class="visually-hidden">${t.t('console.event.registrations')}</caption><thead><tr><th scope="col">${t.t('console.person')}</th><th scope="col">${t.t('console.event.status')}</th><th scope="col">${t.t('console.event.since')}</th></tr></thead><tbody>${v.registrations.items.map(
      (r) => html`<tr><th scope="row">${r.displayName}</th><td>${statusTag(ctx, r)}</td><td>${time(ctx, r.createdAt)}</td></tr>`,
    )}</tbody></table></div>
${pager(ctx, `/console/events/${e.id}`, {}, v.page, v.registrations.total, v.registrations.limit)}
<h2>${t.t('console.event.attendance')}</h2>
${
  v.attendance.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="att-caption"><table class="data"><caption id="att-caption" class="visually-hidden">${t.t('console.event.attendance')}</caption><thead><tr><th scope="col">${t.t('console.person')}</th><th scope="col" class="num">${t.t('console.event.share')}</th><th scope="col">${t.t('console.event.rule', { percent: e.attendanceRulePercent })}</th></tr></thead><tbody>${v.attendance.map(
        (a) => html`<tr><th scope="row">${a.displayName}</th><td class="num">${pct(a.share / 100)}</td><td>${a.completed ? html`<span class="tag ok">${t.t('console.event.ruleMet')}</span>` : t.t('console.event.ruleNotMet')}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t.t('console.event.noneBooked')}</p>`
}
${v.organiser ? evaluationResults(ctx, v.evaluation ?? null) : ''}
${v.organiser ? keptSummary(ctx, v.kept ?? null) : ''}`,
  });
}

function evaluationResults(ctx: PageContext, r: EvaluationResults | null): SafeHtml {
  const { t } = ctx;
  const head = html`<h2>${t.t('console.event.evaluation')}</h2>`;
  if (!r) return html`${head}<p>${t.t('console.event.noQuestionnaire')}</p>`;
  if (r.suppressed) return html`${head}<p>${t.t('console.event.respondents', { count: r.respondents })}</p>${notice('info', t.t('console.event.suppressed', { min: r.minRespondents }), null)}`;
  const text = (m: Record<string, string>) => {
    for (const l of ctx.t.contentLanguages) if (m[l] !== undefined) return m[l];
    return m.en ?? Object.values(m)[0] ?? '';
  };
  return html`${head}<p>${t.t('console.event.respondents', { count: r.respondents })}</p>${r.questions.map(
    (q) => html`<h3>${text(q.text)}</h3>${q.mean !== undefined ? html`<p>${t.t('console.event.mean', { mean: q.mean })}</p>` : ''}${
      q.distribution ? html`<ul>${Object.entries(q.distribution).map(([k, n]) => html`<li>${k}: ${n}</li>`)}</ul>` : ''
    }${q.texts?.length ? html`<ul>${q.texts.map((x) => html`<li>${x}</li>`)}</ul>` : ''}`,
  )}`;
}

function keptSummary(ctx: PageContext, k: { minCell: number; rows: KeptRow[] } | null): SafeHtml {
  const { t } = ctx;
  const head = html`<h2>${t.t('console.event.kept')}</h2>`;
  if (!k || !k.rows.length) return html`${head}<p>${t.t('console.event.noCommitments')}</p>`;
  const n = (x: number | null) => (x === null ? '–' : String(x));
  return html`${head}<p class="muted">${t.t('console.event.keptNote', { min: k.minCell })}</p><div class="table-wrap" role="region" tabindex="0" aria-labelledby="kept-caption"><table class="data"><caption id="kept-caption" class="visually-hidden">${t.t('console.event.kept')}</caption><thead><tr><th scope="col">${t.t('console.event.country')}</th><th scope="col">${t.t('console.event.institution')}</th><th scope="col" class="num">${t.t('events.commitments')}</th><th scope="col" class="num">${t.t('events.commitment.status.kept')}</th><th scope="col" class="num">${t.t('events.commitment.status.not_kept')}</th><th scope="col" class="num">${t.t('events.commitment.status.open')}</th></tr></thead><tbody>${k.rows.map(
    (r) => html`<tr><th scope="row">${r.country ?? '–'}</th><td>${r.institution ?? '–'}</td><td class="num">${r.suppressed ? t.t('console.event.hidden') : n(r.commitments)}</td><td class="num">${n(r.kept)}</td><td class="num">${n(r.notKept)}</td><td class="num">${n(r.open)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function attendancePage(ctx: PageContext, v: { event: EventView; session: SessionView; rows: AttendanceRow[]; saved?: number }): string {
  const { t } = ctx;
  const e = v.event;
  const options = [
    ['present', t.t('console.attendance.present')],
    ['partial', t.t('console.attendance.partial')],
    ['absent', t.t('console.attendance.absent')],
  ] as const;
  return consolePage(ctx, {
    title: t.t('console.attendance.title'),
    current: 'events',
    body: html`<p class="muted"><a href="/console/events/${e.id}">${e.title}</a></p>
<h1>${t.t('console.attendance.title')}</h1>
<p class="lead">${sessionTime(ctx, v.session)}</p>
${v.saved !== undefined ? notice('ok', t.t('console.attendance.saved', { count: v.saved })) : ''}
${
  v.rows.length
    ? html`<form method="post" action="/console/events/${e.id}/sessions/${v.session.id}">${csrfField(ctx)}<ul class="attendance">${v.rows.map(
        (r, i) => html`<li><fieldset><legend>${r.displayName}${r.via === 'qr' ? html` <span class="muted">(${t.t('console.attendance.viaQr')})</span>` : ''}</legend>${options.map(
          ([value, label]) =>
            html`<div class="choice"><input type="radio" id="m-${i}-${value}" name="m:${r.registrationId}" value="${value}"${r.status === value ? ' checked' : ''}><label for="m-${i}-${value}">${label}</label></div>`,
        )}</fieldset></li>`,
      )}</ul><div class="actions"><button class="button" type="submit">${t.t('console.attendance.save')}</button></div></form>`
    : html`<p>${t.t('console.event.noneBooked')}</p>`
}`,
  });
}

// ---------------------------------------------------------------- line manager

export function approvalsSection(ctx: PageContext, items: RegistrationView[], decided?: 'approved' | 'declined'): SafeHtml {
  const { t } = ctx;
  return html`<h2 id="approvals-title">${t.t('console.approvals.title')}</h2>
${decided ? notice('ok', t.t(decided === 'approved' ? 'console.approvals.approved' : 'console.approvals.declined')) : ''}
${
  items.length
    ? html`<ul class="cards">${items.map(
        (r, i) => html`<li class="card"><h3 class="h4">${r.displayName}</h3><p><a href="/events/${r.eventId}">${r.eventTitle}</a> · ${t.t('console.approvals.requested', { date: t.date(r.createdAt) })}${r.escalatedAt ? html` <span class="tag">${t.t('console.approvals.escalated')}</span>` : ''}</p>
<form method="post" action="/console/team/approvals/${r.id}">${csrfField(ctx)}<div class="field"><label for="reason-${i}">${t.t('console.approvals.reason')}</label><span class="hint" id="reason-${i}-hint">${t.t('console.approvals.reasonHint')}</span><textarea id="reason-${i}" name="reason" rows="2" maxlength="1000" aria-describedby="reason-${i}-hint"></textarea></div>
<div class="actions"><button class="button" type="submit" name="decision" value="approve">${t.t('console.approvals.approve')}<span class="visually-hidden">: ${r.displayName}</span></button><button class="button warning" type="submit" name="decision" value="decline">${t.t('console.approvals.decline')}<span class="visually-hidden">: ${r.displayName}</span></button></div></form></li>`,
      )}</ul>`
    : html`<p>${t.t('console.approvals.none')}</p>`
}`;
}
