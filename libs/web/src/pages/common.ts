import { html, SafeHtml } from '../html.js';
import type { PageContext } from '../layout.js';

export type LangMap = Record<string, string>;

/** Text of a language map in the reader's fallback chain (sr-Cyrl → sr-Latn → en), else any. */
export function pick(ctx: PageContext, map: LangMap | null | undefined): { text: string; lang: string } {
  if (!map) return { text: '', lang: ctx.locale };
  for (const l of ctx.t.contentLanguages) if (map[l] !== undefined) return { text: map[l], lang: l };
  const [lang, text] = Object.entries(map)[0] ?? [ctx.locale, ''];
  return { text, lang };
}

/** A span with a lang attribute when the text is not in the page's language. */
export function inLang(ctx: PageContext, text: string, lang: string): SafeHtml {
  return lang === ctx.locale ? html`${text}` : html`<span lang="${lang}">${text}</span>`;
}

export function pickHtml(ctx: PageContext, map: LangMap | null | undefined): SafeHtml {
  const { text, lang } = pick(ctx, map);
  return inLang(ctx, text, lang);
}

export function time(ctx: PageContext, value: Date | string, withTime = false): SafeHtml {
  return html`<time datetime="${new Date(value).toISOString()}">${ctx.t.date(value, withTime)}</time>`;
}

export function notice(kind: 'ok' | 'warn' | 'bad' | 'info', body: SafeHtml | string, role: 'status' | 'alert' | null = 'status'): SafeHtml {
  return html`<div class="notice${kind === 'info' ? '' : ` ${kind}`}"${role ? html` role="${role}"` : ''}><p>${body}</p></div>`;
}

