import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { aPublishedCourse, RIGHT_ANSWERS, type BuiltCourse } from '../support/learning-builders.js';
import { aUser, anOrgUnit, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { NativeStatementService, uuidV5 } from '@lms/interop';
import { runCoursesCli } from '../../apps/cli/src/courses-command.js';

/**
 * Statements from native courses (issue #18 item 5) and forwarding to external LRSs (item 6):
 * learners complete a course through the API; the outbox jobs write each fact once to the built-in
 * LRS; an external LRS that is down for part of the run (connections reset, then 503) receives every
 * statement exactly once; an LRS that never answers ends in the dead-letter list; back-fill sends
 * older statements to an endpoint added later. Retries are shortened by configuration
 * (XAPI_FORWARD_ATTEMPTS=5, XAPI_FORWARD_BACKOFF_MS=100): an outage of at most 3 failed requests
 * per batch always ends in delivery, whatever the timing.
 */

const V = '1.0.3';
const VERB = {
  registered: 'http://adlnet.gov/expapi/verbs/registered',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  earned: 'http://id.tincanapi.com/verb/earned',
  viewed: 'http://id.tincanapi.com/verb/viewed',
};

/**
 * A small LRS-like server: Basic auth, POST/PUT /xapi/statements, statements kept by id (a batch
 * with an id it already holds answers 409, a PUT of a held id 204 — as real LRSs do). `resets`
 * connections are destroyed first, then `unavailable` requests answer 503 (after storing the batch,
 * when `loseAnswers`: the acknowledgement is lost), then it works — or never, when `alwaysDown`.
 */
class FakeLrs {
  readonly stored = new Map<string, Record<string, unknown>>();
  /** How many times each id was stored (must end at 1 for every id). */
  readonly storeCount = new Map<string, number>();
  requests = 0;
  resets = 0;
  unavailable = 0;
  loseAnswers = false;
  alwaysDown = false;
  private server!: Server;
  private readonly auth: string;

  constructor(user: string, password: string) {
    this.auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      if (this.resets > 0) {
        this.resets--;
        socket.destroy();
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/xapi/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private keep(s: Record<string, unknown>): void {
    const id = String(s.id);
    this.stored.set(id, s);
    this.storeCount.set(id, (this.storeCount.get(id) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.requests++;
    const answer = (status: number, body?: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-experience-api-version': V }).end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (this.alwaysDown) return answer(503, { error: 'maintenance' });
    if (req.headers.authorization !== this.auth) return answer(401);
    if (req.headers['x-experience-api-version'] !== V) return answer(400);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/xapi/statements') return answer(404);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> | Array<Record<string, unknown>>;
    if (req.method === 'POST') {
      const list = Array.isArray(body) ? body : [body];
      if (this.unavailable > 0) {
        this.unavailable--;
        if (this.loseAnswers && !list.some((s) => this.stored.has(String(s.id)))) list.forEach((s) => this.keep(s));
        return answer(503);
      }
      if (list.some((s) => this.stored.has(String(s.id)))) return answer(409);
      list.forEach((s) => this.keep(s));
      return answer(200, list.map((s) => s.id));
    }
    if (req.method === 'PUT') {
      const id = url.searchParams.get('statementId') ?? '';
      if (!this.stored.has(id)) this.keep(body as Record<string, unknown>);
      return answer(204);
    }
    return answer(405);
  }
}

describe('xAPI statements from native courses, forwarded to external LRSs', () => {
  let api: TestApi;
  let adminToken: string;
  let readAuth: string;
  let course: BuiltCourse;
  let otherCourse: BuiltCourse;
  const learners: Array<{ id: string; token: string; enrolmentId: string }> = [];
  const flaky = new FakeLrs('flaky-key', 'flaky-secret-1');
  const broken = new FakeLrs('broken-key', 'broken-secret-2');
  const late = new FakeLrs('late-key', 'late-secret-3');
  let flakyId: string;
  let brokenId: string;

  const admin = () => ({ authorization: `Bearer ${adminToken}` });

  async function builtIn(agentUserId?: string): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    let url = `/xapi/statements?limit=200${agentUserId ? `&agent=${encodeURIComponent(JSON.stringify({ objectType: 'Agent', account: { homePage: 'http://lms.test', name: agentUserId } }))}` : ''}`;
    for (;;) {
      const res = await api.http.get(url).set('authorization', readAuth).set('X-Experience-API-Version', V).expect(200);
      out.push(...(res.body.statements as Array<Record<string, unknown>>));
      if (!res.body.more) return out;
      url = res.body.more as string;
    }
  }

  beforeAll(async () => {
    api = await startApi({ env: { XAPI_FORWARD_ATTEMPTS: '5', XAPI_FORWARD_BACKOFF_MS: '100' } });
    const unit = await anOrgUnit(api.dataSource);
    const adminUser = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
    adminToken = await tokenFor(api.config, adminUser);
    const client = await api.http.post('/api/v1/admin/lrs-clients').set(admin()).send({ name: 'reader', scopes: ['statements/read'] }).expect(201);
    readAuth = `Basic ${Buffer.from(`${client.body.key}:${client.body.secret}`).toString('base64')}`;
    course = await aPublishedCourse(api.dataSource);
    otherCourse = await aPublishedCourse(api.dataSource);

    // The flaky LRS takes the course's statements; the broken one only completions (of any course).
    const flakyUrl = await flaky.start();
    const brokenUrl = await broken.start();
    broken.alwaysDown = true;
    const f = await api.http
      .post('/api/v1/admin/lrs-endpoints')
      .set(admin())
      .send({ name: 'Ministry LRS', url: flakyUrl, username: 'flaky-key', password: 'flaky-secret-1', courseSlugs: [course.slug] })
      .expect(201);
    flakyId = f.body.id as string;
    const b = await api.http
      .post('/api/v1/admin/lrs-endpoints')
      .set(admin())
      .send({ name: 'Broken LRS', url: brokenUrl, username: 'broken-key', password: 'broken-secret-2', verbs: [VERB.completed] })
      .expect(201);
    brokenId = b.body.id as string;

    for (let i = 0; i < 3; i++) {
      const user = await aUser(api.dataSource, { orgUnit: unit });
      learners.push({ id: user.id, token: await tokenFor(api.config, user), enrolmentId: '' });
    }
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all([flaky.stop(), broken.stop(), late.stop().catch(() => undefined)]);
  });

  it('never returns or stores an endpoint password in the clear, and validates the input', async () => {
    const list = await api.http.get('/api/v1/admin/lrs-endpoints').set(admin()).expect(200);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain('flaky-secret-1');
    expect(list.body.items.find((e: { id: string }) => e.id === flakyId)).toMatchObject({ hasPassword: true, username: 'flaky-key', activityPrefixes: [`http://lms.test/courses/${course.slug}`] });
    const [row] = (await api.dataSource.query(`SELECT password_encrypted FROM lrs_endpoint WHERE id = $1`, [flakyId])) as Array<{ password_encrypted: string }>;
    expect(row.password_encrypted).toMatch(/^v1\./);
    expect(row.password_encrypted).not.toContain('flaky-secret-1');
    const bad = await api.http.post('/api/v1/admin/lrs-endpoints').set(admin()).send({ name: 'x', url: 'ftp://lrs', username: 'a:b', password: '', verbs: ['not an iri'] }).expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'url', 'username', 'password', 'verbs']));
    await api.http.post('/api/v1/admin/lrs-endpoints').set(admin()).send({ name: 'creds in url', url: 'https://u:p@lrs.example.gov/xapi', username: 'a', password: 'b' }).expect(400);
  });

  it('learners complete the course; each fact lands exactly once in the built-in LRS, as an account, through the outbox', async () => {
    // The flaky LRS is down while the learners work: 2 connections reset, then 2 answers 503 — one of them after storing (lost answer).
    flaky.resets = 2;
    flaky.unavailable = 2;
    flaky.loseAnswers = true;
    for (const l of learners) {
      const enrolled = await api.http.post('/api/v1/enrolments').set('authorization', `Bearer ${l.token}`).send({ courseSlug: course.slug }).expect(201);
      l.enrolmentId = enrolled.body.id as string;
      if (l === learners[0]) {
        // The first learner opens the first lesson three times today (API twice, the lesson page once): one "viewed" statement.
        const first = course.lessons[0].slug;
        for (let i = 0; i < 2; i++) await api.http.get(`/api/v1/courses/${course.slug}/lessons/${first}`).set('authorization', `Bearer ${l.token}`).expect(200);
        await api.http.get(`/courses/${course.slug}/lessons/${first}`).set('authorization', `Bearer ${l.token}`).expect(200);
        // An admin's read (a preview, no enrolment) is no view.
        await api.http.get(`/api/v1/courses/${course.slug}/lessons/${first}`).set(admin()).expect(200);
      }
      for (const lesson of course.lessons) {
        await api.http.post(`/api/v1/enrolments/${l.enrolmentId}/lessons/${lesson.slug}/complete`).set('authorization', `Bearer ${l.token}`).expect(200);
      }
      // One failed attempt, then a passing one.
      await api.http
        .post(`/api/v1/enrolments/${l.enrolmentId}/quiz-attempts`)
        .set('authorization', `Bearer ${l.token}`)
        .send({ answers: [{ questionId: 'q1', choiceIds: ['a'] }, { questionId: 'q2', choiceIds: ['b'] }] })
        .expect(201);
      const passed = await api.http.post(`/api/v1/enrolments/${l.enrolmentId}/quiz-attempts`).set('authorization', `Bearer ${l.token}`).send({ answers: RIGHT_ANSWERS }).expect(201);
      expect(passed.body.enrolment.status).toBe('completed');
    }
    // A learner of another course: not for the flaky LRS's filter.
    const other = learners[0];
    await api.http.post('/api/v1/enrolments').set('authorization', `Bearer ${other.token}`).send({ courseSlug: otherCourse.slug }).expect(201);
    await drainJobs(api, 60_000);

    const [certs] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM certificate WHERE course_id = $1`, [course.courseId])) as Array<{ n: number }>;
    expect(certs.n).toBe(3);
    for (const l of learners) {
      const mine = (await builtIn(l.id)).filter((s) => (s.context as { registration?: string } | undefined)?.registration === l.enrolmentId);
      const verbs = mine.map((s) => (s.verb as { id: string }).id).sort();
      // registered, (the first learner: lesson viewed once,) 3 lessons completed, 2 attempts × (attempted + passed/failed), course completed, certificate earned
      expect(verbs).toEqual(
        [
          VERB.registered,
          ...(l === learners[0] ? [VERB.viewed] : []),
          VERB.completed,
          VERB.completed,
          VERB.completed,
          VERB.attempted,
          VERB.attempted,
          VERB.failed,
          VERB.passed,
          VERB.completed,
          VERB.earned,
        ].sort(),
      );
      expect(new Set(mine.map((s) => s.id)).size).toBe(mine.length);
      for (const s of mine) {
        expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'http://lms.test', name: l.id } });
        expect(JSON.stringify(s)).not.toMatch(/mailto|@test/);
        expect(s.authority).toMatchObject({ account: { homePage: 'http://lms.test', name: 'lms' } });
      }
      const registered = mine.find((s) => (s.verb as { id: string }).id === VERB.registered)!;
      expect(registered.id).toBe(uuidV5(`enrolment:${l.enrolmentId}:registered`));
      const passed = mine.find((s) => (s.verb as { id: string }).id === VERB.passed)!;
      expect(passed.result).toMatchObject({ success: true, score: { scaled: 1, raw: 100, min: 0, max: 100 } });
      const failed = mine.find((s) => (s.verb as { id: string }).id === VERB.failed)!;
      expect((failed.result as { score: { scaled: number } }).score.scaled).toBeLessThan(0.7);
    }
    // The view: one lesson_view row and one event, the statement's id from enrolment, lesson and day, the lesson as object.
    const [view] = (await api.dataSource.query(`SELECT lesson_id, to_char(day, 'YYYY-MM-DD') AS day FROM lesson_view`)) as Array<{ lesson_id: string; day: string }>;
    const [events] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE name = 'lesson.viewed'`)) as Array<{ n: number }>;
    expect(events.n).toBe(1);
    const viewed = (await builtIn(learners[0].id)).find((s) => (s.verb as { id: string }).id === VERB.viewed)!;
    expect(viewed.id).toBe(uuidV5(`lesson:${learners[0].enrolmentId}:${view.lesson_id}:viewed:${view.day}`));
    expect(viewed.object).toMatchObject({ id: `http://lms.test/courses/${course.slug}/lessons/${course.lessons[0].slug}`, definition: { type: 'http://adlnet.gov/expapi/activities/lesson' } });
    expect(viewed.context).toMatchObject({ registration: learners[0].enrolmentId, contextActivities: { parent: [{ id: `http://lms.test/courses/${course.slug}` }] } });
  });

  it('replayed events (the outbox relaying a row again) store nothing twice and send nothing twice', async () => {
    const before = (await builtIn()).length;
    const sentBefore = flaky.stored.size;
    // The events whose only reaction is a statement are written again (as a relay that ran twice would);
    // the course completion and certificate statements are written again by their service directly.
    const events = (await api.dataSource.query(`SELECT name, payload FROM outbox_event WHERE name IN ('enrolment.created', 'lesson.completed', 'lesson.viewed', 'quiz.attempted')`)) as Array<{
      name: string;
      payload: unknown;
    }>;
    expect(events.length).toBe(3 * (1 + 3 + 2) + 1 + 1);
    for (const e of events) await api.dataSource.query(`INSERT INTO outbox_event (name, payload) VALUES ($1, $2)`, [e.name, e.payload]);
    const native = api.app.get(NativeStatementService);
    for (const l of learners) await native.courseCompleted(l.enrolmentId);
    const certs = (await api.dataSource.query(`SELECT id FROM certificate WHERE course_id = $1`, [course.courseId])) as Array<{ id: string }>;
    for (const c of certs) await native.certificateIssued(c.id);
    await drainJobs(api, 60_000);
    expect((await builtIn()).length).toBe(before);
    expect(flaky.stored.size).toBe(sentBefore);
  });

  it('the LRS that was down received every statement of its course exactly once', async () => {
    const expected = (await builtIn()).filter((s) => JSON.stringify(s).includes(`http://lms.test/courses/${course.slug}`));
    expect(expected.length).toBe(3 * 10 + 1);
    expect([...flaky.stored.keys()].sort()).toEqual(expected.map((s) => String(s.id)).sort());
    expect([...flaky.storeCount.values()].every((n) => n === 1)).toBe(true);
    // The outage really happened: every reset and 503 was used up.
    expect(flaky.resets).toBe(0);
    expect(flaky.unavailable).toBe(0);
    // What arrived is the statement itself, without the built-in LRS's stored/authority.
    const one = flaky.stored.get(String(expected[0].id))!;
    expect(one).not.toHaveProperty('stored');
    expect(one).not.toHaveProperty('authority');
    const ep = await api.http.get(`/api/v1/admin/lrs-endpoints/${flakyId}`).set(admin()).expect(200);
    expect(ep.body.deliveries).toEqual({ pending: 0, delivered: 31, dead: 0 });
  });

  it('an endpoint that never answers ends in the dead-letter list (only the statements its filter takes); admins can requeue them', async () => {
    const completions = (await builtIn()).filter((s) => (s.verb as { id: string }).id === VERB.completed);
    expect(completions.length).toBe(3 * 3 + 3);
    const dead = await api.http.get(`/api/v1/admin/lrs-endpoints/dead-letters?endpointId=${brokenId}&limit=100`).set(admin()).expect(200);
    expect(dead.body.total).toBe(completions.length);
    expect(new Set((dead.body.items as Array<{ statementId: string }>).map((d) => d.statementId))).toEqual(new Set(completions.map((s) => String(s.id))));
    for (const d of dead.body.items as Array<{ verb: string; attempts: number; lastError: string; endpointName: string }>) {
      expect(d).toMatchObject({ verb: VERB.completed, attempts: 5, endpointName: 'Broken LRS' });
      expect(d.lastError).toMatch(/503/);
      expect(d.lastError).not.toContain('broken-secret-2');
    }
    const all = await api.http.get('/api/v1/admin/lrs-endpoints/dead-letters').set(admin()).expect(200);
    expect(all.body.total).toBe(completions.length);
    await api.http.get('/api/v1/admin/lrs-endpoints/dead-letters?endpointId=nope').set(admin()).expect(400);
    expect(broken.stored.size).toBe(0);

    // The LRS is repaired: the dead letters go out again and arrive once.
    broken.alwaysDown = false;
    const retried = await api.http.post(`/api/v1/admin/lrs-endpoints/${brokenId}/dead-letters/retry`).set(admin()).send({}).expect(200);
    expect(retried.body).toEqual({ requeued: completions.length });
    await drainJobs(api, 60_000);
    expect(broken.stored.size).toBe(completions.length);
    const after = await api.http.get(`/api/v1/admin/lrs-endpoints/dead-letters?endpointId=${brokenId}`).set(admin()).expect(200);
    expect(after.body.total).toBe(0);
  });

  it('back-fill (CLI) sends older statements to an endpoint added later, once', async () => {
    const lateUrl = await late.start();
    const created = await api.http.post('/api/v1/admin/lrs-endpoints').set(admin()).send({ name: 'Late LRS', url: lateUrl, username: 'late-key', password: 'late-secret-3' }).expect(201);
    const lateId = created.body.id as string;
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      isTTY: false,
      env: { DATABASE_URL: api.db.url, JWT_SECRET: 'j'.repeat(40), CREDENTIAL_KEY_SECRET: 'k'.repeat(40), DATA_DIR: api.config.dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://lms.test' },
    };
    await expect(runCoursesCli(['xapi-backfill', '2026-13-01', '2027-01-01'], io)).resolves.toBe(2);
    await expect(runCoursesCli(['xapi-backfill', '2030-01-01', '2020-01-01'], io)).resolves.toBe(2);
    await expect(runCoursesCli(['xapi-backfill', '2020-01-01', '2100-01-01', 'not-a-uuid'], io)).resolves.toBe(2);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    await expect(runCoursesCli(['xapi-backfill', from, to, lateId], io)).resolves.toBe(0);
    const total = (await builtIn()).length;
    expect(out.join('')).toContain(`Queued ${total} statement deliveries`);
    // A second back-fill queues nothing new; the first and second are sent once.
    await expect(runCoursesCli(['xapi-backfill', from, to, lateId], io)).resolves.toBe(0);
    expect(out.join('')).toContain('Queued 0 statement deliveries');
    await drainJobs(api, 60_000);
    expect(late.stored.size).toBe(total);
    expect([...late.storeCount.values()].every((n) => n === 1)).toBe(true);
    // Other endpoints got nothing extra from the back-fill of this one.
    expect(flaky.stored.size).toBe(31);
  });

  it('admins change and delete endpoints; the changes are audited without the password', async () => {
    const changed = await api.http.patch(`/api/v1/admin/lrs-endpoints/${brokenId}`).set(admin()).send({ name: 'Repaired LRS', password: 'new-secret-4', verbs: [] }).expect(200);
    expect(changed.body).toMatchObject({ name: 'Repaired LRS', verbs: [], hasPassword: true });
    expect(JSON.stringify(changed.body)).not.toContain('new-secret-4');
    const audit = (await api.dataSource.query(`SELECT action, before, after FROM audit_event WHERE subject_id = $1 ORDER BY at`, [brokenId])) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['lrs_endpoint.created', 'lrs_endpoint.dead_letters_requeued', 'lrs_endpoint.updated']);
    expect(JSON.stringify(audit)).not.toMatch(/broken-secret-2|new-secret-4/);
    await api.http.patch(`/api/v1/admin/lrs-endpoints/${brokenId}`).set(admin()).send({ url: 'javascript:alert(1)' }).expect(400);
    await api.http.delete(`/api/v1/admin/lrs-endpoints/${brokenId}`).set(admin()).expect(204);
    await api.http.get(`/api/v1/admin/lrs-endpoints/${brokenId}`).set(admin()).expect(404);
    const [rows] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM lrs_delivery WHERE endpoint_id = $1`, [brokenId])) as Array<{ n: number }>;
    expect(rows.n).toBe(0);
  });
});
