/** HTML that is already safe to emit (built by `html` or from the sanitising lesson renderer). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Marks a string as trusted HTML. Only for output of the sanitiser or of `html` itself. */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function emit(value: Part): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(emit).join('');
  return escapeHtml(String(value));
}

/**
 * The only way pages build markup: every interpolated value is escaped unless it is SafeHtml;
 * arrays are concatenated; null, undefined and booleans render nothing (so `cond && html\`…\``).
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += emit(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** A same-origin path that is safe to redirect to after sign-in (no scheme, no host, no backslash tricks). */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const parsed = new URL(value, 'http://x.invalid');
    if (parsed.origin !== 'http://x.invalid') return fallback;
    if (parsed.pathname.startsWith('/sign-in') || parsed.pathname.startsWith('/sign-out')) return fallback;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return fallback;
  }
}
