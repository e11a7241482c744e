import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { startApi, TestApi } from '@lms/testing';
import { MATRIX } from './access-matrix.js';
import { BAD_UTF8, encodePart, FuzzRequest, requestFor, UrlPart, WALK_BODY_VALUES, WALK_STRINGS } from './fuzz-arbitraries.js';
import { mapLimit, OpenApiDocument, openApiRoutes, Operation } from './openapi.js';
import { seedWorld, World } from './world.js';

type Json = unknown;
interface WalkCase {
  op: Operation;
  caller: 'admin' | 'learner';
  what: string;
  path: string;
  type?: string;
  bytes?: Buffer;
}

/** Leaf paths of a JSON value (arrays: their first element), up to depth 4. */
function leaves(value: Json, at: Array<string | number> = [], depth = 0): Array<Array<string | number>> {
  if (depth > 4 || value === null || typeof value !== 'object') return at.length ? [at] : [];
  if (Array.isArray(value)) return value.length ? [at, ...leaves(value[0], [...at, 0], depth + 1)] : [at];
  return [
    ...(at.length ? [at] : []),
    ...Object.entries(value as Record<string, Json>).flatMap(([k, v]) => leaves(v, [...at, k], depth + 1)),
  ];
}

function replaced(value: Json, at: Array<string | number>, by: Json): Json {
  if (!at.length) return by;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, Json>) }) as Record<string | number, Json>;
  copy[at[0]] = replaced(copy[at[0]], at.slice(1), by);
  return copy;
}

function urlOf(op: Operation, path: Record<string, UrlPart>, query: Record<string, UrlPart | UrlPart[]>): string {
  const q = Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${k}=${encodePart(one)}`));
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodePart(path[name] ?? 'x')) + (q.length ? `?${q.join('&')}` : '');
}

/**
 * Property-based fuzzing of every operation of the OpenAPI document (/docs-json): requests built
 * from the operation's schemas, broken and hostile (see fuzz-arbitraries.ts), sent anonymously, as
 * a learner and as an admin over a real socket. Nothing may answer 5xx, and every 4xx is
 * application/problem+json. Seeded: FUZZ_SEED (default below) and FUZZ_RUNS (cases per operation)
 * reproduce a run; a failure prints the seed, the operation and the exact request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const PARALLEL = 4;

interface Sent {
  status: number;
  contentType: string;
  text: string;
}

function hashSeed(key: string): number {
  let h = SEED | 0;
  for (const ch of key) h = (Math.imul(h ^ ch.charCodeAt(0), 16_777_619) + 1) | 0;
  return h;
}

function bodyOf(op: Operation, r: FuzzRequest): { bytes?: Buffer; type?: string } {
  const content = Object.keys(op.op.requestBody?.content ?? {});
  const type = content[0] ?? 'application/json';
  const json = (): string => (typeof r.body === 'string' && type !== 'application/json' ? r.body : (JSON.stringify(r.body) ?? 'null'));
  switch (r.bodyKind) {
    case 'none':
      return {};
    case 'json':
      return { bytes: Buffer.from(json(), 'utf8'), type };
    case 'raw-bad-utf8':
      return {
        bytes: Buffer.concat([
          Buffer.from(type === 'application/json' ? '{"email":"a' : 'email,displayName,orgUnitCode\na'),
          r.badBytes,
          Buffer.from(type === 'application/json' ? 'b"}' : 'b,c,d\n'),
        ]),
        type,
      };
    case 'deep':
      return { bytes: Buffer.from(`${'['.repeat(r.depth)}${']'.repeat(r.depth)}`), type: 'application/json' };
    case 'truncated': {
      const text = json();
      return { bytes: Buffer.from(text.slice(0, Math.max(1, Math.floor(text.length / 2))), 'utf8'), type };
    }
    case 'wrong-type':
      return { bytes: Buffer.from('<a>1</a>'), type: 'application/xml' };
  }
}

function describeRequest(op: Operation, r: FuzzRequest, path: string, body: { bytes?: Buffer; type?: string }): string {
  const shown = body.bytes
    ? body.bytes.length > 400
      ? `${body.bytes.subarray(0, 400).toString('latin1')}… (${body.bytes.length} bytes)`
      : body.bytes.toString('latin1')
    : '';
  return `${op.method.toUpperCase()} ${path} as ${r.caller}${body.type ? ` [${body.type}, ${r.bodyKind}] ${JSON.stringify(shown)}` : ''}`;
}

describe('schema fuzzing: every OpenAPI operation, no 5xx, every 4xx problem+json', () => {
  let api: TestApi;
  let w: World;
  let doc: OpenApiDocument;
  let base: { host: string; port: number };
  const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL * 2 });

  function send(method: string, path: string, headers: Record<string, string>, bytes?: Buffer): Promise<Sent> {
    return new Promise((resolvePromise, reject) => {
      const req = http.request(
        { ...base, agent, method, path, headers: { ...headers, ...(bytes ? { 'content-length': String(bytes.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolvePromise({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }

  beforeAll(async () => {
    api = await startApi({ env: { DOCS_ENABLED: 'true' } });
    w = await seedWorld(api);
    await api.app.listen(0, '127.0.0.1');
    const address = api.app.getHttpServer().address() as AddressInfo;
    base = { host: '127.0.0.1', port: address.port };
    doc = (await api.http.get('/docs-json').expect(200)).body as OpenApiDocument;
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await api?.close();
  });

  /** Every request of the field walk for one operation and caller, built on the access matrix's valid call. */
  async function walkCases(op: Operation, caller: 'admin' | 'learner'): Promise<WalkCase[]> {
    const row = MATRIX[op.key];
    const cell = { w, caller, owner: w.people[caller], own: true, params: {} as Record<string, string> };
    cell.params = row?.params ? await row.params(cell) : {};
    const query: Record<string, UrlPart | UrlPart[]> = row?.query ? row.query(cell) : {};
    const body = row?.body ? (row.body(cell) as Json) : undefined;
    const type = Object.keys(op.op.requestBody?.content ?? {})[0];
    const cases: WalkCase[] = [];
    const add = (what: string, path: Record<string, UrlPart>, q: Record<string, UrlPart | UrlPart[]>, bytes?: Buffer, t = type): void => {
      cases.push({ op, caller, what, path: urlOf(op, path, q), ...(bytes ? { bytes, type: t } : {}) });
    };
    const jsonBytes = (v: Json): Buffer | undefined =>
      body === undefined ? undefined : Buffer.from(typeof v === 'string' && type !== 'application/json' ? v : JSON.stringify(v));
    const baseBytes = jsonBytes(body);
    const pathNames = (op.op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
    const queryNames = [
      ...new Set([...(op.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), ...Object.keys(query), 'unexpected']),
    ];
    for (const name of pathNames) {
      for (const v of [...WALK_STRINGS, { raw: '%FF' }, { raw: '%C0%AF' }, { raw: '%ED%A0%80' }, 'x'.repeat(3000)])
        add(`path ${name}`, { ...cell.params, [name]: v }, query, baseBytes);
    }
    for (const name of queryNames) {
      for (const v of [...WALK_STRINGS, { raw: '%FF' }, 'x'.repeat(3000)])
        add(`query ${name}`, cell.params, { ...query, [name]: v }, baseBytes);
      add(`query ${name} repeated`, cell.params, { ...query, [name]: [(query[name] as UrlPart) ?? '1', '2'] }, baseBytes);
    }
    if (body !== undefined && type === 'application/json') {
      for (const at of leaves(body))
        for (const v of WALK_BODY_VALUES) add(`body ${at.join('.')}`, cell.params, query, jsonBytes(replaced(body, at, v)));
      for (const v of WALK_BODY_VALUES.slice(0, 8))
        add('body extra field', cell.params, query, jsonBytes({ ...(body as object), isAdmin: v, roles: [{ role: 'admin' }] }));
      add(
        'body __proto__',
        cell.params,
        query,
        Buffer.from(`{"__proto__":{"isAdmin":true},${(baseBytes ?? Buffer.from('{}')).toString().slice(1)}`),
      );
      for (const bad of BAD_UTF8)
        add(
          'body invalid UTF-8',
          cell.params,
          query,
          Buffer.concat([Buffer.from('{"x":"'), bad, Buffer.from(`",${(baseBytes ?? Buffer.from('{}')).toString().slice(1)}`)]),
        );
      add('body deep', cell.params, query, Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`));
      add('body truncated', cell.params, query, baseBytes?.subarray(0, Math.ceil(baseBytes.length / 2)));
      add('body wrong type', cell.params, query, Buffer.from('<a/>'), 'application/xml');
    } else if (typeof body === 'string') {
      for (const v of [...WALK_STRINGS, 'x'.repeat(5000)])
        add('csv cell', cell.params, query, Buffer.from(`email,displayName,orgUnitCode\nwalk@test.lms,${v},${w.unitA.code}\n`));
      for (const bad of BAD_UTF8)
        add(
          'csv invalid UTF-8',
          cell.params,
          query,
          Buffer.concat([Buffer.from('email,displayName,orgUnitCode\nwalk@test.lms,A'), bad, Buffer.from(`,${w.unitA.code}\n`)]),
        );
      add('csv no header', cell.params, query, Buffer.from('\n\n\n'));
    }
    return cases;
  }

  it('walks every field of every operation with hostile values on top of a valid request', async () => {
    const ops = openApiRoutes(doc);
    const cases: WalkCase[] = [];
    // As admin, who reaches furthest into every route; the random properties below also call as a learner and anonymously.
    for (const op of ops) cases.push(...(await walkCases(op, 'admin')));
    const started = Date.now();
    const statuses = new Map<number, number>();
    const failures = (
      await mapLimit(cases, PARALLEL, async (c) => {
        const res = await send(
          c.op.method.toUpperCase(),
          c.path,
          { accept: 'application/json', authorization: `Bearer ${w.tokens[c.caller]}`, ...(c.type ? { 'content-type': c.type } : {}) },
          c.bytes,
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const shown = c.bytes ? JSON.stringify(c.bytes.subarray(0, 300).toString('latin1')) : '';
        if (res.status >= 500 || (res.status >= 400 && !res.contentType.startsWith('application/problem+json')))
          return `${c.op.key} ${c.what} as ${c.caller}: ${c.op.method.toUpperCase()} ${c.path.slice(0, 300)} ${shown} → ${res.status} ${res.contentType} ${res.text.slice(0, 200)}`;
        return null;
      })
    ).filter((f) => f !== null);
    process.stdout.write(
      `field walk: ${cases.length} requests over ${ops.length} operations in ${Date.now() - started} ms; answers ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`,
    );
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(ops.length * 20);
  }, 240_000);

  it(`answers every generated request without a 5xx (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`, async () => {
    const ops = openApiRoutes(doc);
    expect(ops.length).toBeGreaterThanOrEqual(70);
    const known = [
      ...Object.values(w.people).flatMap((p) => [
        p.user.id,
        p.enrolment,
        p.certificate,
        p.notification,
        p.failedEmail,
        p.verificationCode,
        p.user.email,
      ]),
      w.unitA.id,
      w.unitA.code,
      w.schoolA.id,
      w.schoolA.code,
      w.course.slug,
      w.courseB.slug,
      w.jobRole,
      w.assignment,
      'l1',
      'dacps',
      'reminder-sweep',
      'DAT.2',
    ];
    const tokens = { learner: w.tokens.learner, admin: w.tokens.admin };
    let cases = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    const failures = await mapLimit(ops, PARALLEL, async (op) => {
      const seed = hashSeed(op.key);
      let last = '';
      const property = fc.asyncProperty(requestFor(doc, op.op, known), async (r) => {
        cases++;
        const path = urlOf(op, r.path, r.query);
        const body = op.method === 'get' ? {} : bodyOf(op, r);
        const headers: Record<string, string> = { accept: 'application/json' };
        if (r.caller !== 'anon') headers.authorization = `Bearer ${tokens[r.caller]}`;
        if (body.type) headers['content-type'] = body.type;
        if (r.acceptLanguage !== null) headers['accept-language'] = r.acceptLanguage;
        const res = await send(op.method.toUpperCase(), path, headers, body.bytes);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        last = `${describeRequest(op, r, path, body)} → ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${last}`);
        if (res.status >= 400 && !res.contentType.startsWith('application/problem+json')) throw new Error(`4xx not problem+json: ${last}`);
      });
      try {
        await fc.assert(property, { seed, numRuns: RUNS, endOnFailure: true });
        return null;
      } catch (e) {
        return `${op.key} (FUZZ_SEED=${SEED}, operation seed ${seed}): ${e instanceof Error ? (e.message.split('\n').find((l) => l.includes('5xx') || l.includes('4xx')) ?? e.message.slice(0, 600)) : String(e)}\n  last request: ${last}`;
      }
    });
    process.stdout.write(
      `schema fuzzing: ${cases} cases over ${ops.length} operations in ${Date.now() - started} ms (FUZZ_SEED=${SEED}); answers ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`,
    );
    expect(failures.filter((f) => f !== null)).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(ops.length * RUNS);
  }, 240_000);
});
