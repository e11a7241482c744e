import type { VerificationResult } from '@lms/credentials';
import { DEFAULT_THRESHOLD, OPEN_DATA_DIMENSIONS } from '@lms/reporting';
import type { OpenDataDimension, OpenDataDocument, OpenDataInstitution } from '@lms/reporting';
import { html, SafeHtml } from '../html.js';
import { renderPage } from '../layout.js';
import type { PageContext } from '../layout.js';
import type { MessageKey } from '../messages/en.js';

export function verifyPage(ctx: PageContext, r: VerificationResult | null, code?: string): string {
  const { t } = ctx;
  if (!r) {
    return renderPage(ctx, {
      title: t.t('verify.title'),
      body: html`<h1>${t.t('verify.title')}</h1>${code ? html`<div class="notice bad" role="alert"><p>${t.t('verify.notFound')}</p></div>` : ''}
<form method="get" action="/verify"><div class="field"><label for="code">${t.t('verify.serial')}</label><input id="code" name="code" type="text" value="${code ?? ''}" maxlength="200" autocomplete="off" spellcheck="false"></div><div class="actions"><button class="button" type="submit">${t.t('verify.title')}</button></div></form>`,
    });
  }
  const kind = { valid: 'ok', expired: 'warn', revoked: 'bad' }[r.status];
  const row = (label: string, value: SafeHtml | string) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return renderPage(ctx, {
    title: t.t('verify.title'),
    body: html`<h1>${t.t('verify.title')}</h1>
<div class="notice ${kind}" role="status"><p><strong>${t.t(`verify.${r.status}` as MessageKey)}</strong></p></div>
<div class="table-wrap" role="region" tabindex="0" aria-label="${t.t('verify.title')}"><table class="data"><tbody>
${row(t.t('verify.holder'), r.holder.name ?? html`<em>${t.t('verify.holderErased')}</em>`)}
${row(t.t('verify.course'), html`<span lang="${r.locale}">${r.course.title}</span>`)}
${row(t.t('verify.issuer'), r.course.school)}
${r.result ? row(t.t('verify.result'), resultText(ctx, r.result)) : ''}
${row(t.t('verify.serial'), r.serial)}
${row(t.t('verify.issued'), t.date(r.issuedAt))}
${r.expiresAt ? row(t.t('verify.expires'), t.date(r.expiresAt)) : ''}
${r.revokedAt ? row(t.t('certs.status.revoked'), t.date(r.revokedAt)) : ''}
</tbody></table></div>
<p class="muted">${t.t('verify.signed')} <a href="/.well-known/jwks.json">JWKS</a></p>`,
  });
}

/** A certificate's course result: "80% · final quiz · Passed" (the parts that are known). */
function resultText(ctx: PageContext, r: NonNullable<VerificationResult['result']>): string {
  const { t } = ctx;
  const parts = [
    ...(r.score === null ? [] : [`${t.number(r.score)}%`]),
    t.t(`verify.resultSource.${r.source}` as MessageKey),
    ...(r.passed === null ? [] : [t.t(r.passed ? 'course.packagePassed' : 'course.packageFailed')]),
  ];
  return parts.join(' · ');
}

export type OpenDataBy = OpenDataDimension;

/** A horizontal bar chart as inline SVG (no script), with the table below as its text alternative. */
function chart(ctx: PageContext, doc: OpenDataDocument, label: string): SafeHtml {
  const rows = doc.rows.filter((r) => r.completionRate !== null).slice(0, 20);
  if (!rows.length) return html``;
  const barH = 26;
  const height = rows.length * (barH + 8) + 8;
  return html`<figure class="chart"><svg viewBox="0 0 640 ${height}" role="img" aria-labelledby="chart-title"><title id="chart-title">${label}</title>${rows.map((r, i) => {
    const y = 8 + i * (barH + 8);
    const w = Math.round((r.completionRate ?? 0) * 360);
    return html`<text x="0" y="${y + 18}">${r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label}</text><rect class="bar" x="250" y="${y}" width="${Math.max(w, 1)}" height="${barH}"></rect><text x="${258 + w}" y="${y + 18}">${ctx.t.number(r.completionRate ?? 0, { style: 'percent', maximumFractionDigits: 0 })}</text>`;
  })}</svg><figcaption class="visually-hidden">${label}</figcaption></figure>`;
}

/** What the page can be restricted to, and what is chosen (codes and ids only from these lists). */
export interface OpenDataChoice {
  countries: string[];
  institutions: OpenDataInstitution[];
  country?: string;
  institution?: OpenDataInstitution;
}

export function openDataPage(ctx: PageContext, doc: OpenDataDocument | null, by: OpenDataBy, choice: OpenDataChoice = { countries: [], institutions: [] }): string {
  const { t } = ctx;
  return renderPage(ctx, {
    title: t.t('open.title'),
    body: html`<h1>${t.t('open.title')}</h1>
<p class="lead">${t.t('open.intro', { min: doc?.threshold ?? DEFAULT_THRESHOLD })}</p>
<form method="get" action="/open-data" class="search"><div class="field"><label for="by">${t.t('open.by')}</label><select id="by" name="by">${OPEN_DATA_DIMENSIONS.map(
      (d) => html`<option value="${d}"${d === by ? ' selected' : ''}>${t.t(`open.by.${d}` as MessageKey)}</option>`,
    )}</select></div>${
      choice.countries.length
        ? html`<div class="field"><label for="country">${t.t('open.country')}</label><select id="country" name="country"><option value="">${t.t('open.allCountries')}</option>${choice.countries.map(
            (c) => html`<option value="${c}"${c === choice.country ? ' selected' : ''}>${countryName(ctx, c)}</option>`,
          )}</select></div>`
        : ''
    }${
      choice.institutions.length
        ? html`<div class="field"><label for="institution">${t.t('open.institution')}</label><select id="institution" name="institution"><option value="">${t.t('open.allInstitutions')}</option>${choice.institutions.map(
            (i) =>
              html`<option value="${i.code}"${i.id === choice.institution?.id ? ' selected' : ''}>${i.name}${i.country ? ` (${countryName(ctx, i.country)})` : ''}</option>`,
          )}</select></div>`
        : ''
    }<div class="field"><button class="button" type="submit">${t.t('open.show')}</button></div></form>
${doc ? openDataFigures(ctx, doc, by, choice) : html`<p>${t.t('open.scope.none')}</p>`}`,
  });
}

function countryName(ctx: PageContext, code: string): string {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function openDataFigures(ctx: PageContext, doc: OpenDataDocument, by: OpenDataBy, choice: OpenDataChoice): SafeHtml {
  const { t } = ctx;
  const cell = (v: number | null, percent = false): SafeHtml =>
    v === null ? html`<span class="muted">${t.t('open.suppressed')}</span>` : html`${percent ? t.number(v, { style: 'percent', maximumFractionDigits: 1 }) : t.number(v)}`;
  const dimension = t.t(`open.by.${by}` as MessageKey);
  const params = new URLSearchParams({ by });
  if (choice.institution) params.set('institution', choice.institution.code);
  else if (choice.country) params.set('country', choice.country);
  params.set('format', 'csv');
  params.set('lang', ctx.locale);
  return html`<p class="muted">${t.t('open.asOf', { date: t.date(doc.generatedAt, true) })} <a href="${`/api/v1/open-data/completion?${params.toString()}`}">${t.t('open.csv')}</a></p>
${doc.rows.length ? chart(ctx, doc, t.t('open.chart', { dimension })) : html`<p>${t.t('open.empty')}</p>`}
${
  doc.rows.length
    ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t.t('open.title')}"><table class="data"><caption class="visually-hidden">${t.t('open.title')}</caption><thead><tr><th scope="col">${dimension}</th><th scope="col" class="num">${t.t('open.enrolled')}</th><th scope="col" class="num">${t.t('open.completed')}</th><th scope="col" class="num">${t.t('open.rate')}</th></tr></thead><tbody>${doc.rows.map(
        (r) => html`<tr><th scope="row">${r.label}</th><td class="num">${cell(r.enrolled)}</td><td class="num">${cell(r.completed)}</td><td class="num">${cell(r.completionRate, true)}</td></tr>`,
      )}</tbody><tfoot><tr><th scope="row">${t.t('open.total')}</th><td class="num">${cell(doc.total.enrolled)}</td><td class="num">${cell(doc.total.completed)}</td><td class="num">${cell(doc.total.completionRate, true)}</td></tr></tfoot></table></div>`
    : ''
}`;
}
