import { startApi, TestApi } from '@lms/testing';
import { API_PREFIX } from '../../apps/api/src/configure-app.js';
import { walkRoutes } from '../identity/route-walk.js';
import { Cell, MATRIX, MatrixRow, Status } from './access-matrix.js';
import { mapLimit, openApiRoutes } from './openapi.js';
import { CALLERS, Caller, seedWorld, World } from './world.js';

/**
 * The access matrix (test/security/access-matrix.ts) against the real app: every route × caller ×
 * ownership answers the status in the table, no route goes untested, and nobody who may not see
 * `peer` finds peer's name, e-mail or id in any answer.
 */
const DISCOVER = process.env.MATRIX_DISCOVER === '1';
/** Callers with no business with peer (HR in scope, peer's manager and admins may have). */
const STRANGERS: Caller[] = ['anon', 'learner', 'author', 'authorOther', 'hrOut'];

interface Outcome {
  route: string;
  caller: Caller;
  own: boolean | null;
  status: number;
  expected: number | undefined;
  leak: string | null;
  snippet: string;
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}

function expectedOf(status: Status | undefined, own: boolean | null): number | undefined {
  if (status === undefined) return undefined;
  if (typeof status === 'number') return status;
  return own === false ? status[1] : status[0];
}

async function callCell(w: World, key: string, row: MatrixRow, caller: Caller, own: boolean | null): Promise<Outcome> {
  const [method, path] = key.split(' ');
  const person = caller === 'anon' ? 'peer' : own === false ? 'peer' : caller;
  const cell: Cell = { w, caller, owner: w.people[person], own: own !== false, params: {} };
  cell.params = row.params ? await row.params(cell) : {};
  const url = fill(path, cell.params);
  const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = w.api.http[m](url).set('accept', path.startsWith(`/${API_PREFIX}`) ? 'application/json' : 'text/html,application/json;q=0.5');
  if (caller !== 'anon') req = req.set('authorization', `Bearer ${row.fresh ? await w.freshToken(caller) : w.tokens[caller]}`);
  if (row.query) req = req.query(row.query(cell));
  if (row.body) {
    const body = row.body(cell);
    if (row.type === 'csv') req = req.set('content-type', 'text/csv').send(body as string);
    else if (row.type === 'form') req = req.type('form').send(body as object);
    else req = req.send(body as object);
  }
  const res = await req;
  const text = typeof res.text === 'string' ? res.text : '';
  let leak: string | null = null;
  if (!row.showsPeer && (STRANGERS.includes(caller) || res.status >= 400)) {
    const peer = w.people.peer.user;
    for (const value of [peer.email, peer.displayName, peer.id]) {
      if (!url.includes(value) && text.includes(value)) leak = `shows ${value}`;
    }
  }
  if (row.check) leak = leak ?? (await row.check(cell, { status: res.status, text, body: res.body as unknown }));
  return {
    route: key,
    caller,
    own,
    status: res.status,
    expected: expectedOf(row.expect[caller], own),
    leak,
    snippet: text.slice(0, 160).replace(/\s+/g, ' '),
  };
}

function printDiscovered(outcomes: Outcome[]): void {
  const byRoute = new Map<string, Outcome[]>();
  for (const o of outcomes) byRoute.set(o.route, [...(byRoute.get(o.route) ?? []), o]);
  const lines: string[] = [];
  for (const [route, os] of byRoute) {
    const parts = CALLERS.map((c) => {
      const mine = os.filter((o) => o.caller === c);
      const own = mine.find((o) => o.own !== false)?.status;
      const other = mine.find((o) => o.own === false)?.status;
      return `${c}: ${other === undefined || other === own ? own : `[${own}, ${other}]`}`;
    });
    lines.push(`${JSON.stringify(route)}: { ${parts.join(', ')} },`);
  }
  process.stdout.write(`\n--- discovered matrix ---\n${lines.join('\n')}\n--- end ---\n`);
}

describe('access matrix: every route × caller × ownership', () => {
  let api: TestApi;
  let w: World;
  let served: string[];

  beforeAll(async () => {
    api = await startApi({ env: { DOCS_ENABLED: 'true' } });
    w = await seedWorld(api);
    const nest = walkRoutes(api.app).map((r) => `${r.method} ${r.neutral ? r.path : `/${API_PREFIX}${r.path === '/' ? '' : r.path}`}`);
    const doc = await api.http.get('/docs-json').expect(200);
    served = [...new Set([...nest, ...openApiRoutes(doc.body).map((o) => o.key)])].sort();
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('has a row for every route the app serves, and no row for a route it does not', () => {
    const table = new Set(Object.keys(MATRIX));
    const missing = served.filter((k) => !table.has(k));
    const stale = [...table].filter((k) => !served.includes(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    expect(served.length).toBeGreaterThanOrEqual(100);
  });

  it('every row states a status for every caller', () => {
    if (DISCOVER) return;
    const incomplete = Object.entries(MATRIX)
      .filter(([, row]) => CALLERS.some((c) => row.expect[c] === undefined || (!row.owned && Array.isArray(row.expect[c]))))
      .map(([k]) => k);
    expect(incomplete).toEqual([]);
  });

  it('every cell answers the expected status, and no stranger sees another person', async () => {
    const cells: Array<[string, MatrixRow, Caller, boolean | null]> = [];
    for (const [key, row] of Object.entries(MATRIX)) {
      if (!served.includes(key)) continue;
      for (const caller of CALLERS) {
        if (row.owned && caller !== 'anon') cells.push([key, row, caller, true], [key, row, caller, false]);
        else cells.push([key, row, caller, null]);
      }
    }
    const started = Date.now();
    const outcomes = await mapLimit(cells, 4, ([key, row, caller, own]) => callCell(w, key, row, caller, own));
    if (DISCOVER) printDiscovered(outcomes);
    const wrong = outcomes
      .filter((o) => o.status !== o.expected)
      .map(
        (o) =>
          `${o.route} as ${o.caller}${o.own === null ? '' : o.own ? ' (own)' : ' (other)'}: expected ${o.expected}, got ${o.status} ${o.snippet}`,
      );
    const leaks = outcomes
      .filter((o) => o.leak)
      .map((o) => `${o.route} as ${o.caller}${o.own === false ? ' (other)' : ''} → ${o.status}: ${o.leak}`);
    process.stdout.write(
      `access matrix: ${outcomes.length} cells over ${new Set(outcomes.map((o) => o.route)).size} routes in ${Date.now() - started} ms\n`,
    );
    expect({ leaks, wrong: DISCOVER ? [] : wrong }).toEqual({ leaks: [], wrong: [] });
    expect(outcomes.length).toBeGreaterThan(800);
  }, 300_000);
});
