import fc from 'fast-check';
import { JsonSchema, OpenApiDocument, OpenApiOperation, resolve } from './openapi.js';

/**
 * Request generators for the schema fuzzer: values that follow an operation's OpenAPI schema,
 * the same values broken one field at a time, and outright hostile input (wrong types, huge and
 * deeply nested values, NUL and other control characters, lone surrogates, invalid UTF-8 as raw
 * bytes, SQL and script payloads, extra fields).
 */

export const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE app_user; --",
  '1; SELECT pg_sleep(5)',
  '" OR ""="',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31m',
  '\r\nX-Injected: 1',
  '\u202Eevil\u202C',
  '\uD800',
  'x\uDFFFy',
  '\uFEFF',
  '𝕏🦄',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '',
  ' ',
];

/** Raw byte sequences that are not UTF-8 (sent as they are, inside bodies and URLs). */
export const BAD_UTF8 = [
  Buffer.from([0xff]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((n) => String.fromCharCode(n)), minLength: 1, maxLength: 8 });

export function hostileString(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...known, 'x@y.z'), fc.constantFrom('\u0000', '\uD800', '\uDC00', '\u202E', '\u0001', '\u001F'))
        .map(([a, b]) => `${a}${b}`),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: controlChars },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'A'.repeat(n)) },
    { weight: 2, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant('x') },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...known, 'x'), fc.constantFrom(...PAYLOADS)).map(([a, b]) => `${a}${b}`) },
  );
}

export function hostileValue(known: string[]): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 5, arbitrary: hostileString(known) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e-308, 0.5) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.dictionary(hostileString(known), leaf, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((n) => nested(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
  );
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** A value that follows `schema` (enums, formats, bounds, required keys), with known ids where ids fit. */
export function valid(doc: OpenApiDocument, schema: JsonSchema | undefined, known: string[], depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (depth > 4) return fc.constant(null);
  switch (type ?? (s.properties ? 'object' : 'string')) {
    case 'integer':
    case 'number':
      return fc.integer({ min: Math.max(s.minimum ?? -1_000, -1_000_000), max: Math.min(s.maximum ?? 1_000, 1_000_000) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(doc, s.items, known, depth + 1), { maxLength: 4 });
    case 'object': {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, valid(doc, v, known, depth + 1)]));
      if (!Object.keys(props).length) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default: {
      const options: Array<fc.Arbitrary<string>> = [];
      if (s.format === 'uuid') options.push(fc.uuid(), fc.constantFrom(...known.filter((k) => /^[0-9a-f-]{36}$/.test(k))));
      else if (s.format === 'date-time' || s.format === 'date') options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      else if (s.format === 'email') options.push(fc.emailAddress());
      else options.push(fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 60) }), fc.constantFrom(...known));
      if (typeof s.example === 'string') options.push(fc.constant(s.example));
      return fc.oneof(...options);
    }
  }
}

/** The schema's value with one field broken, an extra field, or a required one missing. */
export function mutated(doc: OpenApiDocument, schema: JsonSchema | undefined, known: string[]): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const keys = Object.keys(s.properties ?? {});
  if (!keys.length) return hostileValue(known);
  return fc
    .tuple(
      valid(doc, s, known),
      fc.constantFrom(...keys, '__proto__', 'constructor', 'isAdmin', 'roles', 'id', '$where'),
      hostileValue(known),
      fc.boolean(),
    )
    .map(([base, key, value, drop]) => {
      const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) };
      if (drop && keys.includes(key)) delete copy[key];
      else Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    });
}

export type BodyKind = 'json' | 'raw-bad-utf8' | 'deep' | 'truncated' | 'wrong-type' | 'none';

/** A URL part: text (percent-encoded as UTF-8 when sent) or raw escapes sent as they are. */
export type UrlPart = string | { raw: string };

export interface FuzzRequest {
  caller: 'anon' | 'learner' | 'admin';
  path: Record<string, UrlPart>;
  /** Query values; an array repeats the key (`?a=1&a=2`). */
  query: Record<string, UrlPart | UrlPart[]>;
  /** Accept-Language and other headers a client controls. */
  acceptLanguage: string | null;
  bodyKind: BodyKind;
  body: unknown;
  depth: number;
  badBytes: Buffer;
}

/** A path or query value: a known id, a schema value, a hostile string, or raw percent-escapes that are not UTF-8. */
export function urlValue(doc: OpenApiDocument, schema: JsonSchema | undefined, known: string[]): fc.Arbitrary<UrlPart> {
  return fc.oneof(
    valid(doc, schema, known).map((v): UrlPart => (typeof v === 'string' ? v : JSON.stringify(v))),
    hostileString(known).map((v): UrlPart => v.slice(0, 3000)),
    fc.constantFrom('%FF', '%C0%AF', '%ED%A0%80', '%00', '%', '%zz', '..%2F..%2F').map((raw): UrlPart => ({ raw })),
  );
}

/** Percent-encodes every byte of the UTF-8 form outside the unreserved set (lone surrogates become U+FFFD). */
export function encodePart(part: UrlPart): string {
  if (typeof part !== 'string') return part.raw;
  let out = '';
  for (const byte of Buffer.from(part, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Parameters of one kind (`path` or `query`) that follow the schema, then at most one of them hostile (or repeated, for a query). */
function paramsArb(
  doc: OpenApiDocument,
  op: OpenApiOperation,
  where: 'path' | 'query',
  known: string[],
): fc.Arbitrary<Record<string, UrlPart | UrlPart[]>> {
  const params = (op.parameters ?? []).filter((p) => p.in === where);
  const validArb = fc.record(
    Object.fromEntries(
      params.map((p) => [p.name, valid(doc, p.schema, known).map((v): UrlPart => (typeof v === 'string' ? v : JSON.stringify(v)))]),
    ),
    { requiredKeys: where === 'path' ? params.map((p) => p.name) : params.filter((p) => p.required).map((p) => p.name) },
  ) as fc.Arbitrary<Record<string, UrlPart | UrlPart[]>>;
  const names = [...params.map((p) => p.name), ...(where === 'query' ? ['unexpected'] : [])];
  if (!names.length) return validArb;
  const broken = fc
    .tuple(fc.constantFrom(...names), urlValue(doc, undefined, known), fc.boolean())
    .map(([name, value, repeat]) => ({ name, value, repeat }));
  return fc.tuple(validArb, fc.option(broken, { freq: 2 })).map(([values, b]) => {
    if (!b) return values;
    const copy = { ...values };
    copy[b.name] = b.repeat && where === 'query' ? ([values[b.name] ?? 'x', b.value] as UrlPart[]) : b.value;
    return copy;
  });
}

export function requestFor(doc: OpenApiDocument, op: OpenApiOperation, known: string[]): fc.Arbitrary<FuzzRequest> {
  const pathArb = paramsArb(doc, op, 'path', known);
  const queryArb = paramsArb(doc, op, 'query', known);
  const content = op.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const hasBody = Object.keys(content).length > 0;
  const bodyArb = hasBody
    ? jsonSchema
      ? fc.oneof(
          { weight: 2, arbitrary: valid(doc, jsonSchema, known) },
          { weight: 4, arbitrary: mutated(doc, jsonSchema, known) },
          { weight: 2, arbitrary: hostileValue(known) },
        )
      : fc
          .array(fc.array(hostileString(known), { maxLength: 6 }), { maxLength: 6 })
          .map((rows) => ['email,displayName,orgUnitCode', ...rows.map((r) => r.join(','))].join('\n'))
    : hostileValue(known);
  return fc.record({
    caller: fc.constantFrom('anon' as const, 'learner' as const, 'admin' as const, 'admin' as const),
    path: pathArb as fc.Arbitrary<Record<string, UrlPart>>,

    query: queryArb as fc.Arbitrary<Record<string, UrlPart | UrlPart[]>>,
    acceptLanguage: fc.option(
      fc.oneof(
        fc.constantFrom('sr-Latn', 'sr-Cyrl,en;q=0.5', '*', 'xx-YY-zz-1234567890', ';q=', 'en;q=NaN', ',,,,'),
        fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((n) => String.fromCharCode(n)), maxLength: 200 }),
      ),
    ),
    bodyKind: hasBody
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant<BodyKind>('json') },
          fc.constantFrom<BodyKind>('raw-bad-utf8', 'deep', 'truncated', 'wrong-type'),
        )
      : fc.constantFrom<BodyKind>('none', 'none', 'json'),
    body: bodyArb,
    depth: fc.integer({ min: 50, max: 300_000 }),
    badBytes: fc.constantFrom(...BAD_UTF8),
  });
}

/** The field walk: each of these in turn replaces one field of a request that is otherwise valid. */
export const WALK_STRINGS = [
  'a\u0000b',
  '\uD800',
  'x\uDFFF',
  'Ana\u202Egnp.exe',
  '\u0001\u0008\u001f\u007f',
  "' OR 1=1 --",
  "'); DROP TABLE app_user; --",
  '<script>alert(1)</script>',
  '',
  '../../../../etc/passwd',
];
export const WALK_BODY_VALUES: unknown[] = [
  ...WALK_STRINGS,
  'x'.repeat(70_000),
  2 ** 64,
  -1,
  1.5,
  true,
  null,
  [],
  {},
  ['a', { b: 1 }],
  { $gt: '' },
];
