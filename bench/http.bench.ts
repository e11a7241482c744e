// Benchmark: HTTP throughput of the production build — the API process (`node dist/apps/api/src/main.js`)
// on real PostgreSQL and Redis, LOG_LEVEL info as in production — next to a bare Fastify server (its
// own process too) answering the same requests with exactly the bytes and headers the API sent,
// measured in the same run with autocannon on loopback, bounded in time. Reads target ≥ 0.5 of
// bare Fastify's req/s; lesson completion ≥ 1,000/s. Prints req/s and p99 for both sides.
// Requests carry `accept-encoding: br, gzip` as browsers do, so compression is part of the cost.
// Run: `npm run bench -- http` or `node dist/bench/http.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL, BENCH_REDIS_URL (default redis://127.0.0.1:6379),
// BENCH_HTTP_SECONDS (per side and endpoint, default 5), BENCH_HTTP_CONNECTIONS (default 10),
// BENCH_HTTP_ONLY (comma-separated endpoint names), BENCH_CPU_PROF_DIR (run the API with
// --cpu-prof writing there; summarise with `node scripts/cpu-profile-top.mjs <dir>`),
// BENCH_API_LOG (a file for the API's log lines, default a temporary file; read for the statement counts), BENCH_API_ENV (JSON object of extra API variables, e.g. '{"AUTH_CACHE_SECONDS":"0"}').
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { withMigratedDatabase } from './support.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_HTTP_ONLY?.split(',').map((s) => s.trim());
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACCEPT_ENCODING = 'br, gzip';
/** Learners whose enrolments the lesson-completion load cycles through. */
const LEARNERS = 100;

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Absolute req/s target instead of the ratio. */
  minRps?: number;
  /** Requests cycled through (path and headers), e.g. one per learner; `path` is the first. */
  rotate?: Array<{ path: string; headers: Record<string, string> }>;
  /** Route pattern for the bare server when `rotate` is used. */
  pattern?: string;
}

interface Side {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before ${url} answered`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function load(base: string, e: Endpoint, seconds = SECONDS): Promise<Side> {
  let n = 0;
  const rotate = e.rotate;
  const result = await autocannon({
    url: base + e.path,
    method: e.method,
    headers: { 'accept-encoding': ACCEPT_ENCODING, ...e.headers },
    body: e.body,
    ...(rotate
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request): autocannon.Request => {
                const r = rotate[n++ % rotate.length];
                return { ...req, path: r.path, headers: { ...req.headers, ...r.headers } };
              },
            },
          ],
        }
      : {}),
    connections: CONNECTIONS,
    duration: seconds,
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** Request id → `queries` of the API's request log lines (pino JSON, one a line). */
function statementCounts(logFile: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"queries"')) continue;
    try {
      const entry = JSON.parse(line) as { req?: { id?: string }; queries?: number };
      if (entry.req?.id && typeof entry.queries === 'number') out.set(entry.req.id, entry.queries);
    } catch {
      // not a JSON line
    }
  }
  return out;
}

async function main(): Promise<void> {
  const jwtSecret = randomBytes(32).toString('hex');
  await withMigratedDatabase('http', {}, async ({ ds, url }) => {
    // A learner with an API session (bearer token) and a web session (cookie), written directly:
    // signing in goes through argon2, which is not what this measures.
    const [unit] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('HTTP', 'Bench', 'institution', '', 0) RETURNING id`)) as Array<{ id: string }>;
    await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [unit.id]);
    const [user] = (await ds.query(`INSERT INTO app_user (email, display_name, org_unit_id) VALUES ('learner@bench.lms', 'Bench Learner', $1) RETURNING id`, [unit.id])) as Array<{ id: string }>;
    await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'learner', NULL)`, [user.id]);
    const [apiSession] = (await ds.query(`INSERT INTO auth_session (user_id) VALUES ($1) RETURNING id`, [user.id])) as Array<{ id: string }>;
    const secret = randomBytes(32).toString('base64url');
    const [webSession] = (await ds.query(
      `INSERT INTO auth_session (user_id, kind, secret_hash, expires_at) VALUES ($1, 'web', $2, now() + interval '1 day') RETURNING id`,
      [user.id, createHash('sha256').update(secret).digest('hex')],
    )) as Array<{ id: string }>;
    const accessToken = (sub: string, sid: string): Promise<string> =>
      new SignJWT({ typ: 'access', sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer('lms')
        .setAudience('lms-api')
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(new TextEncoder().encode(jwtSecret));
    const token = await accessToken(user.id, apiSession.id);
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: `lms_session=${webSession.id}.${secret}` };

    const port = await freePort();
    const apiEnv: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: `bench-http-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: jwtSecret,
      CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      IMPORT_COURSES_ON_START: 'true',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '10',
      AUTH_CACHE_SECONDS: '5',
      ...(JSON.parse(process.env.BENCH_API_ENV ?? '{}') as Record<string, string>),
    };
    // The API's log lines (kept for the statement counts; BENCH_API_LOG keeps the file).
    const apiLog = process.env.BENCH_API_LOG ?? join(tmpdir(), `lms-bench-http-api-${randomBytes(4).toString('hex')}.log`);
    const profDir = process.env.BENCH_CPU_PROF_DIR;
    const api = spawn(process.execPath, [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), 'dist/apps/api/src/main.js'], {
      env: apiEnv,
      stdio: ['ignore', openSync(apiLog, 'w'), 'inherit'],
    });
    let bare: ChildProcess | undefined;
    try {
      const t0 = performance.now();
      await waitFor(`http://127.0.0.1:${port}/health/live`, api, 120_000);
      const startMs = performance.now() - t0;
      const base = `http://127.0.0.1:${port}`;

      const [course] = (await ds.query(
        `SELECT c.slug, v.id AS version_id FROM course c JOIN course_version v ON v.course_id = c.id AND v.status = 'published'
          ORDER BY c.slug <> 'ai-fundamentals', c.slug LIMIT 1`,
      )) as Array<{ slug: string; version_id: string }>;
      if (!course) throw new Error('no course was imported at start');
      const lessons = (await ds.query(`SELECT slug FROM lesson WHERE course_version_id = $1 ORDER BY position`, [course.version_id])) as Array<{ slug: string }>;
      const enrol = await fetch(`${base}/api/v1/enrolments`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ courseSlug: course.slug }),
      });
      if (!enrol.ok) throw new Error(`enrolling failed: ${enrol.status} ${await enrol.text()}`);
      const lesson = lessons[0].slug;
      // Lesson completion locks the enrolment row: many learners, as in real use, not one row hammered.
      const completions: Array<{ path: string; headers: Record<string, string> }> = [];
      for (let i = 0; i < LEARNERS; i++) {
        const [other] = (await ds.query(`INSERT INTO app_user (email, display_name, org_unit_id) VALUES ($1, $2, $3) RETURNING id`, [
          `learner${i}@bench.lms`,
          `Learner ${i}`,
          unit.id,
        ])) as Array<{ id: string }>;
        await ds.query(`INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'learner', NULL)`, [other.id]);
        const [sess] = (await ds.query(`INSERT INTO auth_session (user_id) VALUES ($1) RETURNING id`, [other.id])) as Array<{ id: string }>;
        const headers = { authorization: `Bearer ${await accessToken(other.id, sess.id)}` };
        const r = await fetch(`${base}/api/v1/enrolments`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ courseSlug: course.slug }) });
        if (!r.ok) throw new Error(`enrolling learner ${i} failed: ${r.status}`);
        const { id } = (await r.json()) as { id: string };
        completions.push({ path: `/api/v1/enrolments/${id}/lessons/${lesson}/complete`, headers });
      }

      const endpoints: Endpoint[] = [
        { name: 'me (JSON)', method: 'GET', path: '/api/v1/me', headers: bearer },
        { name: 'catalog list', method: 'GET', path: '/api/v1/courses?limit=20', headers: bearer },
        { name: 'course page (JSON)', method: 'GET', path: `/api/v1/courses/${course.slug}`, headers: bearer },
        { name: 'lesson read', method: 'GET', path: `/api/v1/courses/${course.slug}/lessons/${lesson}`, headers: bearer },
        { name: 'my learning (JSON)', method: 'GET', path: '/api/v1/me/enrolments', headers: bearer },
        { name: 'course page (HTML)', method: 'GET', path: `/courses/${course.slug}`, headers: cookie },
        { name: 'home page (HTML)', method: 'GET', path: '/', headers: cookie },
        {
          name: 'lesson completion',
          method: 'POST',
          path: completions[0].path,
          headers: completions[0].headers,
          rotate: completions,
          pattern: '/api/v1/enrolments/:id/lessons/:lesson/complete',
          minRps: 1000,
        },
      ].filter((e) => !ONLY || ONLY.includes(e.name)) as Endpoint[];

      // Record what the API answers, for the bare server to repeat byte for byte.
      const runId = randomBytes(3).toString('hex');
      const recorded = [];
      for (const [i, e] of endpoints.entries()) {
        const r = await fetch(base + e.path, { method: e.method, headers: { 'accept-encoding': ACCEPT_ENCODING, ...e.headers, 'x-request-id': `q-${runId}-${i}-0` }, body: e.body });
        const body = Buffer.from(await r.arrayBuffer());
        if (r.status !== 200) throw new Error(`${e.name}: ${e.method} ${e.path} answered ${r.status}: ${body.toString('utf8').slice(0, 300)}`);
        const headers: Record<string, string> = {};
        for (const h of ['content-type', 'content-encoding', 'cache-control', 'etag', 'vary']) {
          const v = r.headers.get(h);
          if (v) headers[h] = v;
        }
        recorded.push({ method: e.method, path: e.pattern ?? e.path, status: r.status, headers, bodyBase64: body.toString('base64') });
      }
      // SQL statements a request runs (the `queries` field of the API's request log line): the first
      // request above (cold caches), then two more one after the other (warm). Lesson completion:
      // another learner's first completion, then a repeat of it.
      for (const [i, e] of endpoints.entries()) {
        for (const k of [1, 2]) {
          const r = e.rotate ? e.rotate[1] : e;
          await fetch(base + r.path, { method: e.method, headers: { 'accept-encoding': ACCEPT_ENCODING, ...r.headers, 'x-request-id': `q-${runId}-${i}-${k}` }, body: e.body });
        }
      }
      const file = join(tmpdir(), `lms-bench-http-${randomBytes(4).toString('hex')}.json`);
      writeFileSync(file, JSON.stringify(recorded));
      bare = spawn(process.execPath, ['dist/bench/bare-fastify.js', file], { stdio: ['ignore', 'pipe', 'inherit'] });
      const barePort = await new Promise<number>((resolve, reject) => {
        bare!.stdout!.on('data', (d: Buffer) => {
          const m = /listening (\d+)/.exec(d.toString());
          if (m) resolve(Number(m[1]));
        });
        bare!.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
      });
      const bareBase = `http://127.0.0.1:${barePort}`;

      console.log(
        `http.bench: API ready in ${Math.round(startMs)} ms (incl. courses import); ${CONNECTIONS} connections, ${SECONDS} s a side, accept-encoding "${ACCEPT_ENCODING}"`,
      );
      const queries = statementCounts(apiLog);
      console.log('  SQL statements a request (first request, then two warm ones):');
      for (const [i, e] of endpoints.entries()) {
        const counts = [`q-${runId}-${i}-0`, `q-${runId}-${i}-1`, `q-${runId}-${i}-2`].map((id) => queries.get(id) ?? '?');
        console.log(`    ${e.name.padEnd(20)} ${counts.join(' / ')}`);
      }
      let ok = true;
      for (const [i, e] of endpoints.entries()) {
        // Warm both (JIT, caches, pool), then measure in alternating order.
        await load(base, e, 1);
        let b: Side;
        let a: Side;
        if (i % 2 === 0) {
          b = await load(bareBase, e);
          a = await load(base, e);
        } else {
          a = await load(base, e);
          b = await load(bareBase, e);
        }
        const ratio = a.rps / b.rps;
        const pass = a.non2xx === 0 && a.errors === 0 && (e.minRps ? a.rps >= e.minRps : ratio >= 0.5);
        ok &&= pass;
        const bytes = Buffer.from(recorded[i].bodyBase64, 'base64').length;
        console.log(
          `  ${e.name.padEnd(20)} API ${Math.round(a.rps).toString().padStart(6)} req/s p99 ${String(a.p99).padStart(4)} ms | ` +
            `bare Fastify ${Math.round(b.rps).toString().padStart(6)} req/s p99 ${String(b.p99).padStart(4)} ms | ` +
            `ratio ${ratio.toFixed(2)} (${bytes} B${recorded[i].headers['content-encoding'] ? ` ${recorded[i].headers['content-encoding']}` : ''}) ` +
            `${e.minRps ? `target ≥ ${e.minRps}/s` : 'target ≥ 0.5'} ${pass ? 'OK' : 'BELOW TARGET'}` +
            (a.non2xx || a.errors ? ` (${a.non2xx} non-2xx, ${a.errors} errors)` : ''),
        );
      }
      if (!ok) process.exitCode = 1;
    } finally {
      if (bare) await stop(bare);
      await stop(api);
    }
  });
}

main().catch((e: unknown) => {
  console.error('http.bench failed:', e);
  process.exit(1);
});
