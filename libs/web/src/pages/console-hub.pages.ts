import { LICENCE_IDS, LICENCES } from '@lms/catalog';
import type { AdaptedFrom, CourseDetail, CourseListItem, CourseSharing, UpstreamDiff } from '@lms/catalog';
import type { InstitutionView } from '@lms/identity';
import type { PeerCourse } from '../peer-catalog.js';
import { LOCALE_NAMES } from '@lms/i18n';
import { html, SafeHtml } from '../html.js';
import { csrfField } from '../layout.js';
import type { PageContext } from '../layout.js';
import { inLang, notice, pick } from './common.js';
import { consolePage, pager } from './console.pages.js';
import { diffBody } from './console-author.pages.js';

export type FieldErrors = Array<{ field: string; message: string }>;

/** The languages an institution is named in on the form: the interface's own, plus any the institution already has. */
export const NAME_LANGUAGES = ['en', 'sr-Latn', 'mk'] as const;

function languageName(lang: string): string {
  return (LOCALE_NAMES as Record<string, string>)[lang] ?? lang;
}

function errorOf(errors: FieldErrors | undefined, f: string): SafeHtml {
  const e = errors?.find((x) => x.field === f);
  return e ? html`<span class="error-message" id="${f}-error">${e.message}</span>` : html``;
}

function cls(errors: FieldErrors | undefined, f: string): string {
  return errors?.some((x) => x.field === f) ? ' field-error' : '';
}

function described(errors: FieldErrors | undefined, f: string, hint = false): SafeHtml {
  const ids = [hint ? `${f}-hint` : '', errors?.some((x) => x.field === f) ? `${f}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function institutionName(ctx: PageContext, i: { names: Record<string, string>; code: string }): SafeHtml {
  const name = pick(ctx, i.names);
  return name.text ? inLang(ctx, name.text, name.lang) : html`${i.code}`;
}

// ---------------------------------------------------------------- institutions (instance-wide admin)

export interface InstitutionFormValues {
  code: string;
  country: string;
  names: Record<string, string>;
  issuerName: string;
  logoUrl: string;
}

export const EMPTY_INSTITUTION: InstitutionFormValues = { code: '', country: '', names: {}, issuerName: '', logoUrl: '' };

export function nameField(lang: string): string {
  return `name-${lang}`;
}

function institutionFields(ctx: PageContext, values: InstitutionFormValues, errors: FieldErrors | undefined, withCode: boolean): SafeHtml {
  const { t } = ctx;
  const languages = [...new Set([...NAME_LANGUAGES, ...Object.keys(values.names)])];
  return html`${
    withCode
      ? html`<div class="field${cls(errors, 'code')}"><label for="code">${t.t('hub.inst.code')}</label><span class="hint" id="code-hint">${t.t('hub.inst.codeHint')}</span>${errorOf(errors, 'code')}<input type="text" id="code" name="code" value="${values.code}" maxlength="64" autocapitalize="characters"${described(errors, 'code', true)}></div>`
      : ''
  }
<fieldset class="field${cls(errors, nameField(languages[0]))}"><legend>${t.t('hub.inst.names')}</legend><p class="hint">${t.t('hub.inst.namesHint')}</p>${languages.map(
    (l) => html`<div class="field${cls(errors, nameField(l))}"><label for="${nameField(l)}">${t.t('hub.inst.nameIn', { language: languageName(l) })}</label>${errorOf(errors, nameField(l))}<input type="text" id="${nameField(l)}" name="${nameField(l)}" value="${values.names[l] ?? ''}" maxlength="200" lang="${l}"${described(errors, nameField(l))}></div>`,
  )}</fieldset>
<div class="field${cls(errors, 'country')}"><label for="country">${t.t('hub.inst.country')}</label><span class="hint" id="country-hint">${t.t('hub.inst.countryHint', { example: 'RS, ME, MK' })}</span>${errorOf(errors, 'country')}<input type="text" id="country" name="country" value="${values.country}" maxlength="2" autocapitalize="characters" autocomplete="off"${described(errors, 'country', true)}></div>
<div class="field${cls(errors, 'issuerName')}"><label for="issuerName">${t.t('hub.inst.issuer')}</label><span class="hint" id="issuerName-hint">${t.t('hub.inst.issuerHint')}</span>${errorOf(errors, 'issuerName')}<input type="text" id="issuerName" name="issuerName" value="${values.issuerName}" maxlength="200"${described(errors, 'issuerName', true)}></div>
<div class="field${cls(errors, 'logoUrl')}"><label for="logoUrl">${t.t('hub.inst.logo')}</label><span class="hint" id="logoUrl-hint">${t.t('hub.inst.logoHint', { scheme: 'https://' })}</span>${errorOf(errors, 'logoUrl')}<input type="url" id="logoUrl" name="logoUrl" value="${values.logoUrl}" maxlength="2000" inputmode="url"${described(errors, 'logoUrl', true)}></div>`;
}

export interface InstitutionsView {
  items: InstitutionView[];
  total: number;
  page: number;
  limit: number;
  q: string;
  saved?: boolean;
  values?: InstitutionFormValues;
  errors?: FieldErrors;
}

export function institutionsPage(ctx: PageContext, v: InstitutionsView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('hub.inst.title'),
    current: 'admin.institutions',
    errors: v.errors,
    body: html`<h1>${t.t('hub.inst.title')}</h1>
<p class="lead">${t.t('hub.inst.intro')}</p>
${v.saved ? notice('ok', t.t('hub.inst.saved')) : ''}
<form method="get" action="/console/admin/institutions" role="search" aria-label="${t.t('hub.inst.search')}"><div class="field"><label for="q">${t.t('hub.inst.search')}</label><input type="search" id="q" name="q" value="${v.q}" maxlength="100"></div><div class="actions"><button class="button secondary" type="submit">${t.t('hub.inst.searchButton')}</button></div></form>
${
  v.items.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="inst-caption"><table class="data"><caption id="inst-caption">${t.t('hub.inst.count', { count: v.total })}</caption><thead><tr><th scope="col">${t.t('hub.inst.name')}</th><th scope="col">${t.t('hub.inst.code')}</th><th scope="col">${t.t('hub.inst.country')}</th></tr></thead><tbody>${v.items.map(
        (i) => html`<tr><th scope="row"><a href="/console/admin/institutions/${i.id}">${institutionName(ctx, i)}</a></th><td><code>${i.code}</code></td><td>${i.country ?? html`<span class="tag warn">${t.t('hub.inst.noCountry')}</span>`}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t.t('hub.inst.none')}</p>`
}
${pager(ctx, '/console/admin/institutions', { q: v.q || undefined }, v.page, v.total, v.limit)}
<h2>${t.t('hub.inst.create')}</h2>
<form method="post" action="/console/admin/institutions" novalidate>${csrfField(ctx)}${institutionFields(ctx, v.values ?? EMPTY_INSTITUTION, v.errors, true)}<div class="actions"><button class="button" type="submit">${t.t('hub.inst.createButton')}</button></div></form>`,
  });
}

export function institutionEditPage(ctx: PageContext, i: InstitutionView, values: InstitutionFormValues, errors?: FieldErrors): string {
  const { t } = ctx;
  const name = pick(ctx, i.names).text || i.code;
  return consolePage(ctx, {
    title: t.t('hub.inst.edit', { name }),
    current: 'admin.institutions',
    errors,
    body: html`<h1>${t.t('hub.inst.edit', { name })}</h1>
<p class="muted"><code>${i.code}</code></p>
<form method="post" action="/console/admin/institutions/${i.id}" novalidate>${csrfField(ctx)}${institutionFields(ctx, values, errors, false)}<div class="actions"><button class="button" type="submit">${t.t('hub.inst.save')}</button></div></form>
<p><a href="/console/admin/institutions">${t.t('hub.inst.back')}</a></p>`,
  });
}

// ---------------------------------------------------------------- federation (instance-wide admin)

export interface PeerView {
  url: string;
  keyThumbprint: string | null;
  pinnedJwk: boolean;
}

export function federationPage(ctx: PageContext, peers: PeerView[], feedUrl: string): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('hub.fed.title'),
    current: 'admin.federation',
    body: html`<h1>${t.t('hub.fed.title')}</h1>
<p class="lead">${t.t('hub.fed.intro', { variable: 'FEDERATION_PEERS' })}</p>
<p>${t.t('hub.fed.ownFeed')} <a href="${feedUrl}"><code class="id">${feedUrl}</code></a></p>
${
  peers.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="peers-caption"><table class="data"><caption id="peers-caption">${t.t('hub.fed.peers', { count: peers.length })}</caption><thead><tr><th scope="col">${t.t('hub.fed.url')}</th><th scope="col">${t.t('hub.fed.key')}</th><th scope="col">${t.t('hub.fed.catalog')}</th></tr></thead><tbody>${peers.map(
        (p) => html`<tr><th scope="row"><code class="id">${p.url}</code></th><td>${p.keyThumbprint ? html`<code class="id">${p.keyThumbprint}</code>` : ''}${p.pinnedJwk ? html`<span class="tag">${t.t('hub.fed.pinnedJwk')}</span>` : ''}</td><td><a href="/console/admin/federation/catalog?url=${encodeURIComponent(p.url)}">${t.t('hub.fed.read')}<span class="visually-hidden"> ${p.url}</span></a></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t.t('hub.fed.none')}</p>`
}
<p class="hint">${t.t('hub.fed.readOnly')}</p>`,
  });
}

// ---------------------------------------------------------------- sharing (authors of the course)

export interface SharingFormValues {
  visibility: string;
  institutions: string[];
  countries: string;
  licence: string;
  attribution: string;
}

export function sharingValues(s: CourseSharing): SharingFormValues {
  return { visibility: s.visibility, institutions: s.institutions, countries: s.countries.join(', '), licence: s.licence ?? '', attribution: s.attribution ?? '' };
}

export interface SharingView {
  slug: string;
  title: { text: string; lang: string };
  values: SharingFormValues;
  institutions: InstitutionView[];
  /** For an adaptation: where it comes from and whether upstream has a newer version. */
  upstream?: { adaptedFrom: AdaptedFrom; latest: number; upToDate: boolean } | null;
  saved?: boolean;
  adapted?: boolean;
  errors?: FieldErrors;
}

export function sharingPage(ctx: PageContext, v: SharingView): string {
  const { t } = ctx;
  const vis = ['private', 'shared', 'public'] as const;
  const title = inLang(ctx, v.title.text, v.title.lang);
  return consolePage(ctx, {
    title: t.t('hub.sharing.title', { course: v.title.text }),
    current: 'author',
    errors: v.errors,
    body: html`<h1>${t.t('hub.sharing.heading')} <span class="muted">${title}</span></h1>
${v.saved ? notice('ok', t.t('hub.sharing.saved')) : ''}${v.adapted ? notice('ok', t.t('hub.adapt.done')) : ''}
${v.upstream ? upstreamNotice(ctx, v.slug, v.upstream) : ''}
<form method="post" action="/console/author/courses/${v.slug}/sharing" novalidate>${csrfField(ctx)}
<fieldset class="field${cls(v.errors, 'visibility')}" id="visibility"><legend>${t.t('hub.sharing.visibility')}</legend>${errorOf(v.errors, 'visibility')}${vis.map(
      (x) => html`<div class="choice"><input type="radio" id="visibility-${x}" name="visibility" value="${x}"${v.values.visibility === x ? ' checked' : ''}><label for="visibility-${x}">${t.t(`hub.sharing.vis.${x}`)}</label></div>`,
    )}</fieldset>
<fieldset class="field${cls(v.errors, 'institutions')}" id="institutions"><legend>${t.t('hub.sharing.institutions')}</legend><p class="hint">${t.t('hub.sharing.institutionsHint')}</p>${errorOf(v.errors, 'institutions')}${v.institutions.map(
      (i) => html`<div class="choice"><input type="checkbox" id="inst-${i.id}" name="institutions" value="${i.id}"${v.values.institutions.includes(i.id) ? ' checked' : ''}><label for="inst-${i.id}">${institutionName(ctx, i)}${i.country ? ` (${i.country})` : ''}</label></div>`,
    )}</fieldset>
<div class="field${cls(v.errors, 'countries')}"><label for="countries">${t.t('hub.sharing.countries')}</label><span class="hint" id="countries-hint">${t.t('hub.sharing.countriesHint', { example: 'ME, MK' })}</span>${errorOf(v.errors, 'countries')}<input type="text" id="countries" name="countries" value="${v.values.countries}" maxlength="300" autocapitalize="characters" autocomplete="off"${described(v.errors, 'countries', true)}></div>
<div class="field${cls(v.errors, 'licence')}"><label for="licence">${t.t('hub.sharing.licence')}</label><span class="hint" id="licence-hint">${t.t('hub.sharing.licenceHint')}</span>${errorOf(v.errors, 'licence')}<select id="licence" name="licence"${described(v.errors, 'licence', true)}><option value=""${v.values.licence ? '' : ' selected'}>${t.t('hub.sharing.licenceNone')}</option>${LICENCE_IDS.map(
      (l) => html`<option value="${l}"${v.values.licence === l ? ' selected' : ''}>${l} – ${LICENCES[l].adaptable ? t.t('hub.sharing.adaptable') : t.t('hub.sharing.notAdaptable')}</option>`,
    )}</select></div>
<div class="field${cls(v.errors, 'attribution')}"><label for="attribution">${t.t('hub.sharing.attribution')}</label><span class="hint" id="attribution-hint">${t.t('hub.sharing.attributionHint')}</span>${errorOf(v.errors, 'attribution')}<textarea id="attribution" name="attribution" rows="3" maxlength="500"${described(v.errors, 'attribution', true)}>${v.values.attribution}</textarea></div>
<div class="actions"><button class="button" type="submit">${t.t('hub.sharing.save')}</button></div></form>
<p><a href="/console/author/shared">${t.t('hub.shared.link')}</a></p>
<p><a href="/console/author">${t.t('console.author.back')}</a></p>`,
  });
}

function upstreamLine(ctx: PageContext, a: AdaptedFrom): string {
  return a.institution
    ? ctx.t.t('hub.upstream.from', { title: a.title, institution: a.institution.name, version: a.version })
    : ctx.t.t('hub.upstream.fromCourse', { title: a.title, version: a.version });
}

function upstreamNotice(ctx: PageContext, slug: string, u: { adaptedFrom: AdaptedFrom; latest: number; upToDate: boolean }): SafeHtml {
  const { t } = ctx;
  return html`<section class="card" aria-labelledby="upstream-title"><h2 id="upstream-title" class="h3">${t.t('hub.upstream.title')}</h2><p>${upstreamLine(ctx, u.adaptedFrom)}</p>${
    u.upToDate
      ? html`<p>${t.t('hub.upstream.upToDate')}</p>`
      : html`${notice('warn', t.t('hub.upstream.newer', { version: u.latest }))}<p><a href="/console/author/courses/${slug}/upstream">${t.t('hub.upstream.review')}</a></p>`
  }</section>`;
}

export interface UpstreamView {
  slug: string;
  diff: UpstreamDiff;
  merged?: { version: number; taken: number; conflicts: number };
  errors?: FieldErrors;
}

export function upstreamPage(ctx: PageContext, v: UpstreamView): string {
  const { t } = ctx;
  const d = v.diff;
  return consolePage(ctx, {
    title: t.t('hub.upstream.pageTitle', { slug: v.slug }),
    current: 'author',
    errors: v.errors,
    body: html`<h1>${t.t('hub.upstream.pageTitle', { slug: v.slug })}</h1>
${v.merged ? notice('ok', t.t('hub.upstream.merged', { version: v.merged.version, taken: v.merged.taken, conflicts: v.merged.conflicts })) : ''}
<p>${upstreamLine(ctx, d.adaptedFrom)}</p>
${
  d.upToDate
    ? html`<p>${t.t('hub.upstream.upToDate')}</p>`
    : html`${notice('warn', t.t('hub.upstream.newer', { version: d.latest }))}
<h2>${t.t('hub.upstream.changes', { from: d.diff.from, to: d.diff.to })}</h2>
${diffBody(ctx, d.diff)}
<form method="post" action="/console/author/courses/${v.slug}/upstream-merge" novalidate>${csrfField(ctx)}<input type="hidden" name="version" value="${d.latest}"><p class="hint" id="version">${t.t('hub.upstream.mergeHint')}</p><div class="actions"><button class="button" type="submit">${t.t('hub.upstream.merge', { version: d.latest })}</button></div></form>`
}
<p><a href="/console/author/courses/${v.slug}/sharing">${t.t('hub.upstream.backToSharing')}</a></p>
<p><a href="/console/author">${t.t('console.author.back')}</a></p>`,
  });
}

// ---------------------------------------------------------------- courses of other institutions, adapting one

export interface SharedView {
  items: CourseListItem[];
  page: number;
  total: number;
  limit: number;
}

export function sharedCoursesPage(ctx: PageContext, v: SharedView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('hub.shared.title'),
    current: 'author.shared',
    body: html`<h1>${t.t('hub.shared.title')}</h1>
<p class="lead">${t.t('hub.shared.intro')}</p>
${
  v.items.length
    ? html`<ul class="cards">${v.items.map(
        (c) => html`<li class="card"><h2 class="h3"${c.language === ctx.locale ? '' : html` lang="${c.language}"`}>${c.title}</h2><p class="muted"><code>${c.slug}</code></p><p><a href="/console/author/courses/${c.slug}/adapt">${t.t('hub.adapt.link')}<span class="visually-hidden">: ${c.title}</span></a></p></li>`,
      )}</ul>`
    : html`<p>${t.t('hub.shared.none')}</p>`
}
${pager(ctx, '/console/author/shared', {}, v.page, v.total, v.limit)}`,
  });
}

export interface AdaptView {
  course: CourseDetail;
  values: { slug: string; school: string };
  errors?: FieldErrors;
}

export function adaptPage(ctx: PageContext, v: AdaptView): string {
  const { t } = ctx;
  const c = v.course;
  const title = c.language === ctx.locale ? html`${c.title}` : html`<span lang="${c.language}">${c.title}</span>`;
  const adaptable = c.licence !== null && (LICENCE_IDS as string[]).includes(c.licence) && LICENCES[c.licence as keyof typeof LICENCES].adaptable;
  return consolePage(ctx, {
    title: t.t('hub.adapt.title', { course: c.title }),
    current: 'author.shared',
    errors: v.errors,
    body: html`<h1>${t.t('hub.adapt.heading')} <span class="muted">${title}</span></h1>
<ul class="meta">${c.institution ? html`<li>${t.t('hub.adapt.institution', { institution: c.institution.name })}${c.institution.country ? ` (${c.institution.country})` : ''}</li>` : ''}<li>${t.t('hub.sharing.licence')}: ${c.licence ?? t.t('hub.sharing.licenceNone')}</li>${c.attribution ? html`<li>${t.t('course.attribution', { text: c.attribution })}</li>` : ''}</ul>
${adaptable ? '' : notice('info', t.t('hub.adapt.licenceWarning'))}
<p>${t.t('hub.adapt.intro')}</p>
<form method="post" action="/console/author/courses/${c.slug}/adapt" novalidate>${csrfField(ctx)}
<div class="field${cls(v.errors, 'slug')}"><label for="slug">${t.t('hub.adapt.slug')}</label><span class="hint" id="slug-hint">${t.t('hub.adapt.slugHint')}</span>${errorOf(v.errors, 'slug')}<input type="text" id="slug" name="slug" value="${v.values.slug}" maxlength="100" autocapitalize="none" autocomplete="off"${described(v.errors, 'slug', true)}></div>
<div class="field${cls(v.errors, 'school')}"><label for="school">${t.t('hub.adapt.school')}</label><span class="hint" id="school-hint">${t.t('hub.adapt.schoolHint')}</span>${errorOf(v.errors, 'school')}<input type="text" id="school" name="school" value="${v.values.school}" maxlength="64" autocapitalize="characters" autocomplete="off"${described(v.errors, 'school', true)}></div>
<div class="actions"><button class="button" type="submit">${t.t('hub.adapt.submit')}</button></div></form>
<p><a href="/console/author/shared">${t.t('hub.shared.back')}</a></p>`,
  });
}

export interface PeerCatalogView {
  peer: string;
  courses: PeerCourse[];
  /** The feed could not be read or verified: why, in the reader's language. */
  unavailable?: string;
  imported?: string;
  /** A refused import: the course and its fields' messages. */
  refused?: { slug: string; values: { school: string; as: string }; errors: FieldErrors };
}

/** A trusted peer's verified catalog, each public course with the form to import it as a private draft of a school here. */
export function peerCatalogPage(ctx: PageContext, v: PeerCatalogView): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t.t('hub.fed.catalogTitle', { peer: v.peer }),
    current: 'admin.federation',
    errors: v.refused?.errors,
    body: html`<h1>${t.t('hub.fed.catalog')}: <code class="id">${v.peer}</code></h1>
${v.imported ? notice('ok', html`${t.t('hub.fed.imported', { slug: v.imported })} <a href="/console/author/courses/${v.imported}/sharing">${t.t('hub.sharing.link')}</a>`) : ''}
${v.unavailable ? notice('bad', v.unavailable, 'alert') : ''}
${
  v.courses.length
    ? html`<p>${t.t('hub.fed.importIntro')}</p><ul class="cards">${v.courses.map((c) => {
        const title = pick(ctx, c.title);
        const refused = v.refused?.slug === c.slug ? v.refused : undefined;
        const id = (f: string): string => `${f}-${c.slug}`;
        return html`<li class="card"><h2 class="h3"${title.lang === ctx.locale ? '' : html` lang="${title.lang}"`}>${title.text}</h2>
<ul class="meta"><li><code>${c.slug}</code></li><li>${t.t('console.author.version')} ${c.version}</li>${c.institution ? html`<li>${institutionName(ctx, { names: c.institution.name, code: c.institution.code })}${c.institution.country ? ` (${c.institution.country})` : ''}</li>` : ''}<li>${t.t('hub.sharing.licence')}: ${c.licence ?? t.t('hub.sharing.licenceNone')}</li></ul>
<form method="post" action="/console/admin/federation/imports" novalidate>${csrfField(ctx)}<input type="hidden" name="peer" value="${v.peer}"><input type="hidden" name="slug" value="${c.slug}">
<div class="field${cls(refused?.errors, id('school'))}"><label for="${id('school')}">${t.t('hub.fed.school')}</label>${errorOf(refused?.errors, id('school'))}<input type="text" id="${id('school')}" name="school" value="${refused?.values.school ?? ''}" maxlength="64" autocapitalize="characters" autocomplete="off"${described(refused?.errors, id('school'))}></div>
<div class="field${cls(refused?.errors, id('as'))}"><label for="${id('as')}">${t.t('hub.fed.as')}</label><span class="hint" id="${id('as')}-hint">${t.t('hub.fed.asHint')}</span>${errorOf(refused?.errors, id('as'))}<input type="text" id="${id('as')}" name="as" value="${refused?.values.as ?? ''}" maxlength="100" autocapitalize="none" autocomplete="off"${described(refused?.errors, id('as'), true)}></div>
<div class="actions"><button class="button" type="submit">${t.t('hub.fed.import')}<span class="visually-hidden"> ${title.text}</span></button></div></form></li>`;
      })}</ul>`
    : v.unavailable
      ? ''
      : html`<p>${t.t('hub.fed.noCourses')}</p>`
}
<p><a href="/console/admin/federation">${t.t('hub.fed.back')}</a></p>`,
  });
}
