import { LOCALE_NAMES } from '@lms/i18n';
import type { PersonGapReport, ProfileEntry } from '@lms/competency';
import type { CertificateSummary } from '@lms/credentials';
import type { NotificationView } from '@lms/notifications';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';
import { notice, pickHtml, time } from './common.js';

export function certificatesPage(ctx: PageContext, items: CertificateSummary[]): string {
  const { t } = ctx;
  const statusTag = { valid: 'ok', expired: 'warn', revoked: 'bad' } as const;
  return renderPage(ctx, {
    title: t.t('certs.title'),
    nav: 'certificates',
    body: html`<h1>${t.t('certs.title')}</h1>
${items.length ? '' : html`<p>${t.t('certs.empty')}</p>`}
<ul class="cards">${items.map(
      (c, i) => html`<li class="card${c.status === 'valid' ? ' done' : ''}"><h2 class="h3">${c.courseTitle}</h2>
<ul class="meta"><li><span class="tag ${statusTag[c.status]}">${t.t(`certs.status.${c.status}` as MessageKey)}</span></li><li>${t.t('certs.serial', { serial: c.serial })}</li><li>${t.t('certs.issued', { date: t.date(c.issuedAt) })}</li><li>${c.expiresAt ? t.t('certs.expires', { date: t.date(c.expiresAt) }) : t.t('certs.noExpiry')}</li></ul>
<div class="actions"><a class="button" href="/certificates/${c.id}/pdf" download>${t.t('certs.pdf')}<span class="visually-hidden">: ${c.courseTitle}</span></a><a class="button secondary" href="/certificates/${c.id}/credential" download>${t.t('certs.credential')}<span class="visually-hidden">: ${c.courseTitle}</span></a></div>
<div class="field"><label for="share-${i}">${t.t('certs.share')}</label><div class="share"><input id="share-${i}" type="text" readonly value="${c.verificationUrl}"><button type="button" class="button secondary" data-copy="share-${i}" hidden>${t.t('certs.copy')}</button></div></div></li>`,
    )}</ul>`,
  });
}

export interface CompetenciesView {
  gaps: PersonGapReport;
  profile: ProfileEntry[];
  jobRoleTitle: string | null;
}

export function competenciesPage(ctx: PageContext, v: CompetenciesView): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('comp.title'),
    nav: 'competencies',
    body: html`<h1>${t.t('comp.title')}</h1>
<p class="lead">${v.gaps.jobRoleCode ? t.t('comp.role', { role: v.jobRoleTitle ?? v.gaps.jobRoleCode }) : t.t('comp.noRole')}</p>
${
  v.gaps.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t.t('comp.title')}"><table class="data"><caption class="visually-hidden">${t.t('comp.title')}</caption><thead><tr><th scope="col">${t.t('comp.competency')}</th><th scope="col" class="num">${t.t('comp.required')}</th><th scope="col" class="num">${t.t('comp.held')}</th><th scope="col">${t.t('comp.gap')}</th></tr></thead><tbody>${v.gaps.items.map(
        (g) => html`<tr><th scope="row"><strong>${g.code}</strong> ${pickHtml(ctx, g.title)}</th><td class="num">${g.requiredLevel}</td><td class="num">${g.heldLevel}</td><td>${
          !g.short
            ? html`<span class="tag ok">${t.t('comp.met')}</span>${g.expiring && g.expiresAt ? html` ${t.t('comp.expires', { date: t.date(g.expiresAt) })}` : ''}`
            : g.courses.length
              ? html`<ul>${g.courses.map((c) => html`<li><a href="/courses/${encodeURIComponent(c.slug)}">${pickHtml(ctx, c.title)}</a></li>`)}</ul>`
              : t.t('comp.noCourse')
        }</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<h2>${t.t('comp.held.title')}</h2>
${
  v.profile.length
    ? html`<ul>${v.profile.map((p) => html`<li><strong>${p.code}</strong> ${pickHtml(ctx, p.title)}: ${p.level === null ? t.t('comp.none') : t.t('course.level', { level: p.level })}${p.levelExpiresAt ? html` (${t.t('comp.expires', { date: t.date(p.levelExpiresAt) })})` : ''}</li>`)}</ul>`
    : html`<p>${t.t('comp.held.empty')}</p>`
}`,
  });
}

/** Links in notifications are absolute (e-mail); on the page they are the same-origin path. */
function localLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const u = new URL(link);
    return u.pathname + u.search;
  } catch {
    return link.startsWith('/') && !link.startsWith('//') ? link : null;
  }
}

export function notificationsPage(ctx: PageContext, items: NotificationView[]): string {
  const { t } = ctx;
  const unread = items.some((n) => !n.read);
  return renderPage(ctx, {
    title: t.t('notif.title'),
    nav: 'notifications',
    body: html`<h1>${t.t('notif.title')}</h1>
${items.length ? '' : html`<p>${t.t('notif.empty')}</p>`}
${unread ? html`<form method="post" action="/notifications/read-all">${csrfField(ctx)}<div class="actions"><button class="button secondary" type="submit">${t.t('notif.markAllRead')}</button></div></form>` : ''}
<ul class="cards">${items.map((n) => {
      const link = localLink(n.link);
      return html`<li class="card${n.read ? '' : ' overdue'}"><h2 class="h3">${n.title}</h2><ul class="meta">${n.read ? '' : html`<li><span class="tag">${t.t('notif.unread')}</span></li>`}<li>${time(ctx, n.createdAt, true)}</li></ul><p>${n.body}</p>
<div class="actions">${link ? html`<a class="button secondary" href="${link}">${t.t('notif.open')}<span class="visually-hidden">: ${n.title}</span></a>` : ''}${n.read ? '' : html`<form method="post" action="/notifications/${n.id}/read">${csrfField(ctx)}<button class="button secondary" type="submit">${t.t('notif.markRead')}<span class="visually-hidden">: ${n.title}</span></button></form>`}</div></li>`;
    })}</ul>`,
  });
}

export interface SettingsView {
  locale: string;
  timeZone: string;
  email: boolean;
  digest: 'daily' | 'immediate';
  saved?: boolean;
  errors?: Array<{ field: string; message: string }>;
}

export const TIME_ZONES = [
  'Europe/Belgrade', 'Europe/Sarajevo', 'Europe/Podgorica', 'Europe/Skopje', 'Europe/Zagreb', 'Europe/Ljubljana', 'Europe/Tirane',
  'Europe/Sofia', 'Europe/Bucharest', 'Europe/Budapest', 'Europe/Athens', 'Europe/Vienna', 'Europe/Berlin', 'Europe/Brussels',
  'Europe/London', 'UTC',
];

export function settingsPage(ctx: PageContext, v: SettingsView): string {
  const { t } = ctx;
  const zones = TIME_ZONES.includes(v.timeZone) ? TIME_ZONES : [v.timeZone, ...TIME_ZONES];
  const tzError = v.errors?.find((e) => e.field === 'timeZone');
  return renderPage(ctx, {
    title: t.t('settings.title'),
    nav: 'settings',
    errors: v.errors,
    body: html`<h1>${t.t('settings.title')}</h1>
${v.saved ? notice('ok', t.t('settings.saved')) : ''}
<form method="post" action="/settings">${csrfField(ctx)}
<div class="field"><label for="locale">${t.t('settings.language')}</label><select id="locale" name="locale">${
      // A profile language the interface is not offered in (set through the API, e.g. hr) stays selectable, by its name.
      (ctx.uiLocales as readonly string[]).includes(v.locale) ? '' : html`<option value="${v.locale}" lang="${v.locale}" selected>${t.languageName(v.locale)}</option>`
    }${ctx.uiLocales.map(
      (l) => html`<option value="${l}" lang="${l}"${l === v.locale ? ' selected' : ''}>${LOCALE_NAMES[l]}</option>`,
    )}</select></div>
<div class="field${tzError ? ' field-error' : ''}"><label for="timeZone">${t.t('settings.timeZone')}</label><span class="hint" id="timeZone-hint">${t.t('settings.timeZoneHint')}</span>${tzError ? html`<span class="error-message" id="timeZone-error">${tzError.message}</span>` : ''}<select id="timeZone" name="timeZone" aria-describedby="timeZone-hint${tzError ? ' timeZone-error' : ''}">${zones.map(
      (z) => html`<option value="${z}"${z === v.timeZone ? ' selected' : ''}>${z.replace('_', ' ')}</option>`,
    )}</select></div>
<div class="field"><div class="choice"><input type="checkbox" id="email" name="email" value="on"${v.email ? ' checked' : ''} aria-describedby="email-hint"><label for="email">${t.t('settings.email')}</label></div><span class="hint" id="email-hint">${t.t('settings.emailHint')}</span></div>
<fieldset><legend>${t.t('settings.digest')}</legend>${(['daily', 'immediate'] as const).map(
      (d) => html`<div class="choice"><input type="radio" id="digest-${d}" name="digest" value="${d}"${d === v.digest ? ' checked' : ''}><label for="digest-${d}">${t.t(`settings.digest.${d}`)}</label></div>`,
    )}</fieldset>
<div class="actions"><button class="button" type="submit">${t.t('settings.save')}</button></div>
</form>
<h2>${t.t('settings.data.title')}</h2>
<p>${t.t('settings.data.body')}</p>
<p><a class="button secondary" href="/api/v1/me/data-export" download>${t.t('settings.data.download')}</a></p>`,
  });
}
