import { formatDate, resultLine, textLocale, textsFor } from './certificate-texts.js';

export type CertificateStatus = 'valid' | 'expired' | 'revoked';

/** The public answer of GET /verify/:code. */
export interface VerificationResult {
  status: CertificateStatus;
  serial: string;
  /** `name` is null once the holder's personal data was erased (`holderErased`). */
  holder: { name: string | null };
  holderErased: boolean;
  course: { slug: string; version: number; title: string; school: string; competencies: Array<{ code: string; level: number }> };
  /** The course result on the certificate (packaged score, else the final quiz); null without one. */
  result: { score: number | null; passed: boolean | null; source: 'package' | 'quiz' } | null;
  issuedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Language the certificate was issued in (the holder's). */
  locale: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; background: #f4f6f9; color: #1d2430; line-height: 1.5; }
  main { max-width: 40rem; margin: 2rem auto; background: #fff; border: 1px solid #d5dbe3; border-radius: 8px; padding: 1.5rem 2rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; color: #1f3a5f; }
  .status { display: inline-block; font-weight: 700; padding: .25rem .75rem; border-radius: 4px; border: 2px solid; margin-bottom: 1rem; }
  .valid { color: #0b6b2e; border-color: #0b6b2e; background: #e8f5ec; }
  .expired { color: #7a5200; border-color: #7a5200; background: #fff5e0; }
  .revoked { color: #a11a1a; border-color: #a11a1a; background: #fdeaea; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.25rem; margin: 0; }
  dt { font-weight: 600; color: #4a5566; }
  dd { margin: 0; }
  ul { margin: 0; padding-left: 1.1rem; }
`;

function page(lang: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A small self-contained, accessible page (no scripts, no external assets; every value escaped). */
export function renderVerificationPage(result: VerificationResult): string {
  const t = textsFor(result.locale);
  const lang = textLocale(result.locale);
  const statusText = { valid: t.statusValid, expired: t.statusExpired, revoked: t.statusRevoked }[result.status];
  const rows: Array<[string, string]> = [
    [t.serial, escapeHtml(result.serial)],
    [t.awardedTo, result.holder.name === null ? `<em>${escapeHtml(t.holderErased)}</em>` : escapeHtml(result.holder.name)],
    [t.forCompleting, `${escapeHtml(result.course.title)} (${escapeHtml(t.version)} ${escapeHtml(result.course.version)})`],
    ...(resultLine(result.result, lang) ? [[t.result, escapeHtml(resultLine(result.result, lang))] as [string, string]] : []),
    [t.issuer, escapeHtml(result.course.school)],
    [t.issuedOn, `<time datetime="${escapeHtml(result.issuedAt)}">${escapeHtml(formatDate(new Date(result.issuedAt), lang))}</time>`],
    [
      t.validUntil,
      result.expiresAt ? `<time datetime="${escapeHtml(result.expiresAt)}">${escapeHtml(formatDate(new Date(result.expiresAt), lang))}</time>` : escapeHtml(t.noExpiry),
    ],
  ];
  if (result.revokedAt) rows.push([t.revokedOn, `<time datetime="${escapeHtml(result.revokedAt)}">${escapeHtml(formatDate(new Date(result.revokedAt), lang))}</time>`]);
  if (result.course.competencies.length) {
    rows.push([
      t.competencies,
      `<ul>${result.course.competencies.map((c) => `<li>${escapeHtml(c.code)} (${escapeHtml(t.level)} ${escapeHtml(c.level)})</li>`).join('')}</ul>`,
    ]);
  }
  const body = `<h1>${escapeHtml(t.verificationTitle)}</h1>
<p class="status ${result.status}" role="status">${escapeHtml(statusText)}</p>
<dl>
${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('\n')}
</dl>`;
  return page(lang, `${t.verificationTitle}: ${result.serial}`, body);
}

export function renderVerificationNotFoundPage(): string {
  const t = textsFor('en');
  return page('en', t.verificationTitle, `<h1>${escapeHtml(t.verificationTitle)}</h1>\n<p role="status">${escapeHtml(t.notFound)}</p>`);
}
