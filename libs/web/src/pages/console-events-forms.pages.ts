import type { AttendanceStatus, EventView, SessionView } from '@lms/events';
import { html, SafeHtml } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice, time } from './common.js';
import { consolePage } from './console.pages.js';
import { utcToLocalInput } from '../zoned-time.js';

type Errors = Array<{ field: string; message: string }>;

/** Zones offered in the session form (the region first); a session's own zone is added when it is not listed. */
export const TIME_ZONES = [
  'Europe/Belgrade',
  'Europe/Skopje',
  'Europe/Sarajevo',
  'Europe/Podgorica',
  'Europe/Zagreb',
  'Europe/Ljubljana',
  'Europe/Tirane',
  'Europe/Sofia',
  'Europe/Bucharest',
  'Europe/Athens',
  'Europe/Vienna',
  'Europe/Berlin',
  'Europe/Brussels',
  'Europe/London',
  'UTC',
] as const;

/** Languages offered in the event form; the API takes any BCP 47 tag, and an event's own tag is added when it is not listed. */
export const EVENT_LANGUAGES = ['en', 'sr-Latn', 'sr-Cyrl', 'mk'] as const;

export interface EventFormValues {
  title: string;
  description: string;
  language: string;
  ownerOrgUnitId: string;
  courseSlug: string;
  lessonSlug: string;
  capacity: string;
  opensAt: string;
  closesAt: string;
  cancelBy: string;
  approval: string;
  audienceUnits: string;
  audienceRoles: string;
  audienceCountries: string;
  /** Trainers with an account, by e-mail (one per line or comma-separated). */
  trainerEmails: string;
  /** External trainers, one name per line. */
  trainerNames: string;
  /** Person trainers already on the event whom the caller cannot look up by e-mail: kept as they are. */
  keepTrainers: string[];
}

export interface SessionFormValues {
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venueName: string;
  venueAddress: string;
  onlineUrl: string;
}

export interface UnitChoice {
  id: string;
  name: string;
  depth: number;
}

function errorOf(errors: Errors | undefined, name: string): { field: string; message: string } | undefined {
  return errors?.find((e) => e.field === name);
}

/** One labelled control with its hint and error, the way the other console forms show them. */
function control(
  errors: Errors | undefined,
  spec: { id: string; label: string; hint?: string; control: (describedBy: SafeHtml) => SafeHtml },
): SafeHtml {
  const err = errorOf(errors, spec.id);
  const ids = [spec.hint ? `${spec.id}-hint` : '', err ? `${spec.id}-error` : ''].filter(Boolean).join(' ');
  const describedBy = ids ? html` aria-describedby="${ids}"` : html``;
  return html`<div class="field${err ? ' field-error' : ''}"><label for="${spec.id}">${spec.label}</label>${spec.hint ? html`<span class="hint" id="${spec.id}-hint">${spec.hint}</span>` : ''}${
    err ? html`<span class="error-message" id="${spec.id}-error">${err.message}</span>` : ''
  }${spec.control(describedBy)}</div>`;
}

function textInput(
  errors: Errors | undefined,
  id: string,
  label: string,
  value: string,
  opts: { hint?: string; type?: string; max?: number; extra?: string; required?: boolean; prefix?: string } = {},
): SafeHtml {
  const name = id;
  id = `${opts.prefix ?? ''}${id}`;
  return control(errors, {
    id,
    label,
    hint: opts.hint,
    control: (d) =>
      html`<input id="${id}" name="${name}" type="${opts.type ?? 'text'}" value="${value}"${opts.max ? html` maxlength="${opts.max}"` : ''}${opts.extra === 'numeric' ? html` inputmode="numeric" class="short"` : ''}${
        opts.required ? html` required aria-required="true"` : ''
      }${d}>`,
  });
}

function zoneSelect(ctx: PageContext, errors: Errors | undefined, value: string, prefix = ''): SafeHtml {
  const zones: string[] = [...TIME_ZONES];
  if (value && !zones.includes(value)) zones.unshift(value);
  return control(errors, {
    id: `${prefix}timeZone`,
    label: ctx.t.t('console.eventForm.timeZone'),
    control: (d) => html`<select id="${prefix}timeZone" name="timeZone"${d}>${zones.map((z) => html`<option value="${z}"${z === value ? ' selected' : ''}>${z}</option>`)}</select>`,
  });
}

/** The fields of one session (create page: the first session; edit page: a new one). */
function sessionFields(ctx: PageContext, errors: Errors | undefined, v: SessionFormValues, prefix = ''): SafeHtml {
  const { t } = ctx;
  return html`${textInput(errors, 'startsAt', t.t('console.eventForm.startsAt'), v.startsAt, { type: 'datetime-local', required: true, prefix })}
${textInput(errors, 'endsAt', t.t('console.eventForm.endsAt'), v.endsAt, { type: 'datetime-local', required: true, prefix })}
${zoneSelect(ctx, errors, v.timeZone, prefix)}
${textInput(errors, 'venueName', t.t('console.eventForm.venueName'), v.venueName, { max: 200, prefix })}
${textInput(errors, 'venueAddress', t.t('console.eventForm.venueAddress'), v.venueAddress, { max: 400, hint: t.t('console.eventForm.whereHint'), prefix })}
${textInput(errors, 'onlineUrl', t.t('console.eventForm.onlineUrl'), v.onlineUrl, { type: 'url', max: 1000, hint: t.t('console.eventForm.onlineUrlHint'), prefix })}`;
}

/** A session's values for its change form: times on the session's own wall clock. */
export function sessionValues(s: SessionView): SessionFormValues {
  return {
    startsAt: utcToLocalInput(s.startsAt, s.timeZone),
    endsAt: utcToLocalInput(s.endsAt, s.timeZone),
    timeZone: s.timeZone,
    venueName: s.venueName ?? '',
    venueAddress: s.venueAddress ?? '',
    onlineUrl: s.onlineUrl ?? '',
  };
}

/** Person trainers the caller cannot look up: named, and kept through hidden fields. */
function keptTrainers(ctx: PageContext, kept: Array<{ userId: string | null; name: string }>): SafeHtml {
  if (!kept.length) return html``;
  return html`<p>${ctx.t.t('console.eventForm.trainersKept', { names: kept.map((k) => k.name).join(', ') })}</p>${kept.map(
    (k) => html`<input type="hidden" name="keepTrainers" value="${k.userId ?? ''}">`,
  )}`;
}

function eventFields(ctx: PageContext, v: { values: EventFormValues; units: UnitChoice[]; errors?: Errors; event?: EventView }): SafeHtml {
  const { t } = ctx;
  const x = v.values;
  const e = v.errors;
  const creating = !v.event;
  const approvalModes = x.approval === 'units' ? ['none', 'all', 'units'] : ['none', 'all'];
  return html`${textInput(e, 'title', t.t('console.eventForm.title'), x.title, { max: 300, required: true })}
${control(e, {
  id: 'description',
  label: t.t('console.eventForm.description'),
  control: (d) => html`<textarea id="description" name="description" rows="4" maxlength="10000"${d}>${x.description}</textarea>`,
})}
${control(e, {
  id: 'language',
  label: t.t('console.eventForm.language'),
  control: (d) =>
    html`<select id="language" name="language"${d}>${[...EVENT_LANGUAGES, ...((EVENT_LANGUAGES as readonly string[]).includes(x.language) || !x.language ? [] : [x.language])].map(
      (l) => html`<option value="${l}"${l === x.language ? ' selected' : ''}>${t.languageName(l)}</option>`,
    )}</select>`,
})}
${
  creating
    ? html`${control(e, {
        id: 'ownerOrgUnitId',
        label: t.t('console.eventForm.owner'),
        hint: t.t('console.eventForm.ownerHint'),
        control: (d) =>
          html`<select id="ownerOrgUnitId" name="ownerOrgUnitId"${d}><option value="">${t.t('console.choose')}</option>${v.units.map(
            (u) => html`<option value="${u.id}"${u.id === x.ownerOrgUnitId ? ' selected' : ''}>${'\u00a0\u00a0'.repeat(Math.max(0, u.depth - 1))}${u.name}</option>`,
          )}</select>`,
      })}
<fieldset><legend>${t.t('console.eventForm.course')}</legend><p class="hint">${t.t('console.eventForm.courseHint')}</p>
${textInput(e, 'courseSlug', t.t('console.eventForm.courseSlug'), x.courseSlug, { max: 100 })}
${textInput(e, 'lessonSlug', t.t('console.eventForm.lessonSlug'), x.lessonSlug, { max: 100 })}</fieldset>`
    : html`<p>${v.event?.courseSlug ? t.t('console.eventForm.linkedTo', { course: v.event.courseSlug, lesson: v.event.lessonSlug ?? '' }) : t.t('console.eventForm.standAlone')}</p>`
}
${textInput(e, 'capacity', t.t('console.eventForm.capacity'), x.capacity, { extra: 'numeric', required: true })}
<fieldset><legend>${t.t('console.eventForm.window')}</legend><p class="hint">${t.t('events.timesIn', { zone: t.timeZone })}</p>
${textInput(e, 'opensAt', t.t('console.eventForm.opensAt'), x.opensAt, { type: 'datetime-local', hint: t.t('console.eventForm.optional') })}
${textInput(e, 'closesAt', t.t('console.eventForm.closesAt'), x.closesAt, { type: 'datetime-local', hint: t.t('console.eventForm.optional') })}
${textInput(e, 'cancelBy', t.t('console.eventForm.cancelBy'), x.cancelBy, { type: 'datetime-local', hint: t.t('console.eventForm.cancelByHint') })}</fieldset>
${control(e, {
  id: 'approval',
  label: t.t('console.eventForm.approval'),
  control: (d) =>
    html`<select id="approval" name="approval"${d}>${approvalModes.map(
      (m) => html`<option value="${m}"${m === x.approval ? ' selected' : ''}>${t.t(`console.eventForm.approval.${m}` as MessageKey)}</option>`,
    )}</select>`,
})}
<fieldset><legend>${t.t('console.eventForm.audience')}</legend><p class="hint">${t.t('console.eventForm.audienceHint')}</p>
${textInput(e, 'audienceUnits', t.t('console.eventForm.audienceUnits'), x.audienceUnits, { max: 2000, hint: t.t('console.eventForm.codesHint') })}
${textInput(e, 'audienceRoles', t.t('console.eventForm.audienceRoles'), x.audienceRoles, { max: 2000, hint: t.t('console.eventForm.codesHint') })}
${textInput(e, 'audienceCountries', t.t('console.eventForm.audienceCountries'), x.audienceCountries, { max: 2000, hint: t.t('console.eventForm.codesHint') })}</fieldset>
<fieldset><legend>${t.t('console.eventForm.trainers')}</legend>
${control(e, {
  id: 'trainerEmails',
  label: t.t('console.eventForm.trainerEmails'),
  hint: t.t('console.eventForm.trainerEmailsHint'),
  control: (d) => html`<textarea id="trainerEmails" name="trainerEmails" rows="3" maxlength="5000" autocomplete="off"${d}>${x.trainerEmails}</textarea>`,
})}
${control(e, {
  id: 'trainerNames',
  label: t.t('console.eventForm.trainerNames'),
  hint: t.t('console.eventForm.trainerNamesHint'),
  control: (d) => html`<textarea id="trainerNames" name="trainerNames" rows="3" maxlength="5000"${d}>${x.trainerNames}</textarea>`,
})}
${keptTrainers(ctx, v.event?.trainers.filter((tr) => tr.userId && x.keepTrainers.includes(tr.userId)) ?? [])}</fieldset>`;
}

export function newEventPage(ctx: PageContext, v: { values: EventFormValues; session: SessionFormValues; units: UnitChoice[]; errors?: Errors }): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('console.eventForm.newTitle'),
    current: 'events',
    errors: v.errors,
    body: html`<p class="muted"><a href="/console/events">${t.t('console.events.title')}</a></p>
<h1>${t.t('console.eventForm.newTitle')}</h1>
<form method="post" action="/console/events/new" novalidate>${csrfField(ctx)}
${eventFields(ctx, v)}
<fieldset><legend>${t.t('console.eventForm.firstSession')}</legend><p class="hint">${t.t('console.eventForm.sessionZoneHint')}</p>
${sessionFields(ctx, v.errors, v.session)}</fieldset>
<div class="actions"><button class="button" type="submit">${t.t('console.eventForm.create')}</button></div></form>`,
  });
}

function sessionLine(ctx: PageContext, s: SessionView): SafeHtml {
  const { t } = ctx;
  return html`${time(ctx, s.startsAt, true)} – ${time(ctx, s.endsAt, true)} <span class="muted">(${s.timeZone})</span>${
    s.status === 'cancelled' ? html` <span class="tag bad">${t.t('events.sessionCancelled')}</span>` : ''
  }<ul class="meta">${s.venueName || s.venueAddress ? html`<li>${[s.venueName, s.venueAddress].filter(Boolean).join(', ')}</li>` : ''}${s.onlineUrl ? html`<li><a href="${s.onlineUrl}" rel="noopener">${t.t('events.online')}</a></li>` : ''}</ul>`;
}

export function editEventPage(
  ctx: PageContext,
  v: {
    event: EventView;
    values: EventFormValues;
    session: SessionFormValues;
    units: UnitChoice[];
    errors?: Errors;
    done?: string;
    /** A session's change form sent back with errors (its fields are prefixed `s<n>-`). */
    changing?: { sessionId: string; values: SessionFormValues };
  },
): string {
  const { t } = ctx;
  const e = v.event;
  return consolePage(ctx, {
    title: t.t('console.eventForm.editTitle'),
    current: 'events',
    errors: v.errors,
    body: html`<p class="muted"><a href="/console/events/${e.id}">${e.title}</a></p>
<h1>${t.t('console.eventForm.editTitle')}</h1>
${v.done ? notice('ok', v.done) : ''}
${e.status === 'cancelled' ? notice('bad', t.t('events.cancelled'), null) : ''}
<form method="post" action="/console/events/${e.id}/edit" novalidate aria-labelledby="details-title">${csrfField(ctx)}<h2 id="details-title">${t.t('console.eventForm.details')}</h2>
${eventFields(ctx, v)}
<div class="actions"><button class="button" type="submit">${t.t('console.eventForm.save')}</button></div></form>
<section aria-labelledby="sessions-title"><h2 id="sessions-title">${t.t('events.sessions')}</h2>
<p class="muted">${t.t('events.timesIn', { zone: t.timeZone })}</p>
<ol class="sessions">${e.sessions.map((s, i) => {
      const changing = v.changing?.sessionId === s.id ? v.changing.values : undefined;
      const prefix = `s${i + 1}-`;
      return html`<li>${sessionLine(ctx, s)}${
        s.status === 'scheduled'
          ? html`<details${changing ? ' open' : ''}><summary>${t.t('console.eventForm.changeSession')}<span class="visually-hidden">: ${t.date(s.startsAt, true)}</span></summary><form method="post" action="/console/events/${e.id}/sessions/${s.id}/edit" novalidate>${csrfField(ctx)}
${sessionFields(ctx, changing ? v.errors : undefined, changing ?? sessionValues(s), prefix)}
<div class="actions"><button class="button secondary" type="submit">${t.t('console.eventForm.saveSession')}</button></div></form></details>
<form method="post" action="/console/events/${e.id}/sessions/${s.id}/cancel">${csrfField(ctx)}<button class="button warning" type="submit">${t.t('console.eventForm.removeSession')}<span class="visually-hidden">: ${t.date(s.startsAt, true)}</span></button></form>`
          : ''
      }</li>`;
    })}</ol></section>
<section aria-labelledby="add-session-title"><h2 id="add-session-title">${t.t('console.eventForm.addSession')}</h2><p class="hint">${t.t('console.eventForm.sessionZoneHint')}</p>
<form method="post" action="/console/events/${e.id}/sessions" novalidate aria-labelledby="add-session-title">${csrfField(ctx)}
${sessionFields(ctx, v.errors, v.session)}
<div class="actions"><button class="button secondary" type="submit">${t.t('console.eventForm.addSessionButton')}</button></div></form></section>`,
  });
}

// ---------------------------------------------------------------- check-in

export interface CheckInView {
  event: EventView;
  code: string;
  person?: { displayName: string; marks: Record<string, AttendanceStatus> };
  selected?: string;
  done?: SessionView;
  errors?: Errors;
}

/** The code-entry form: a GET, so a typed code lands on the same page a scan opens. */
export function codeEntryForm(ctx: PageContext, eventId: string, sessionId?: string): SafeHtml {
  const { t } = ctx;
  return html`<form method="get" action="/console/events/${eventId}/check-in" class="code-entry" aria-labelledby="code-entry-title"><h2 id="code-entry-title" class="h3">${t.t('console.checkIn.enterTitle')}</h2>
${sessionId ? html`<input type="hidden" name="session" value="${sessionId}">` : ''}<div class="field"><label for="code">${t.t('console.checkIn.code')}</label><span class="hint" id="code-hint">${t.t('console.checkIn.codeHint')}</span><input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="200" class="short" aria-describedby="code-hint"></div>
<div class="actions"><button class="button secondary" type="submit">${t.t('console.checkIn.find')}</button></div></form>`;
}

export function checkInPage(ctx: PageContext, v: CheckInView): string {
  const { t } = ctx;
  const e = v.event;
  const scheduled = e.sessions.filter((s) => s.status === 'scheduled');
  const markLabel = (m: AttendanceStatus): string => t.t(`console.attendance.${m}` as MessageKey);
  return consolePage(ctx, {
    title: t.t('console.checkIn.title'),
    current: 'events',
    errors: v.errors,
    body: html`<p class="muted"><a href="/console/events/${e.id}">${e.title}</a></p>
<h1>${t.t('console.checkIn.title')}</h1>
${v.done ? notice('ok', t.t('console.checkIn.done', { name: v.person?.displayName ?? '', date: t.date(v.done.startsAt, true) })) : ''}
${
  v.person
    ? html`<section class="card" aria-labelledby="person-title"><h2 id="person-title">${v.person.displayName}</h2>
${
  scheduled.length
    ? html`<form method="post" action="/console/events/${e.id}/check-in">${csrfField(ctx)}<input type="hidden" name="code" value="${v.code}">
<fieldset id="sessionId"><legend>${t.t('console.checkIn.session')}</legend>${scheduled.map((s, i) => {
        const mark = v.person?.marks[s.id];
        return html`<div class="choice"><input type="radio" id="session-${i + 1}" name="sessionId" value="${s.id}"${s.id === v.selected ? ' checked' : ''}><label for="session-${i + 1}">${time(ctx, s.startsAt, true)}${
          mark ? html` <span class="tag${mark === 'present' ? ' ok' : ''}">${markLabel(mark)}</span>` : ''
        }</label></div>`;
      })}</fieldset>
<div class="actions"><button class="button" type="submit">${t.t('console.checkIn.confirm')}</button></div></form>`
    : html`<p>${t.t('console.checkIn.noSessions')}</p>`
}</section>`
    : ''
}
${codeEntryForm(ctx, e.id, v.selected)}`,
  });
}
