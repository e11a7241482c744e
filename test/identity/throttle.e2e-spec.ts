import { rmSync } from 'node:fs';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { LOGIN_LIMITS } from '@lms/identity';
import { aUser, startApi, TestApi, testConfig, uniq } from '@lms/testing';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/configure-app.js';
import { PASSWORD, rootUnit } from './fixtures.js';

const LOGIN = '/api/v1/auth/login';

describe('login throttling (per account and per IP, in the database, before hashing)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });
  // All requests come from 127.0.0.1: move earlier attempts to another IP so each test starts with
  // a fresh per-IP count (the per-account counts stay).
  beforeEach(async () => {
    await api.dataSource.query(`UPDATE login_attempt SET ip = '192.0.2.1'`);
  });

  async function person(): Promise<{ id: string; email: string }> {
    return aUser(api.dataSource, { orgUnit: await rootUnit(api.dataSource), password: PASSWORD });
  }

  it('uses the documented limits', () => {
    expect(LOGIN_LIMITS).toMatchObject({ accountFailures: 5, accountWindowSeconds: 900, ipFailures: 20, ipWindowSeconds: 60 });
  });

  it('answers 429 with Retry-After after 5 failures for an account, even with the right password, without extending the lock', async () => {
    const p = await person();
    for (let i = 0; i < 5; i++)
      await api.http
        .post(LOGIN)
        .send({ email: p.email, password: `wrong-password-${i}` })
        .expect(401);
    const res = await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('too_many_login_attempts');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
    await api.http.post(LOGIN).send({ email: p.email.toUpperCase(), password: PASSWORD }).expect(429);
    const outcomes = (await api.dataSource.query(
      `SELECT outcome, count(*)::int AS n FROM login_attempt WHERE email = $1 GROUP BY outcome ORDER BY outcome`,
      [p.email],
    )) as Array<{
      outcome: string;
      n: number;
    }>;
    expect(outcomes).toEqual([
      { outcome: 'failure', n: 5 },
      { outcome: 'throttled', n: 2 },
    ]);
    // When the window has passed, the right password works again.
    await api.dataSource.query(`UPDATE login_attempt SET at = at - interval '16 minutes' WHERE email = $1`, [p.email]);
    await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200);
  });

  it('throttles unknown e-mails exactly like known ones', async () => {
    const email = `${uniq('ghost')}@nowhere.lms`;
    for (let i = 0; i < 5; i++) await api.http.post(LOGIN).send({ email, password: 'whatever-password' }).expect(401);
    const res = await api.http.post(LOGIN).send({ email, password: 'whatever-password' }).expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('a successful sign-in clears the account’s earlier failures', async () => {
    const p = await person();
    for (let i = 0; i < 4; i++) await api.http.post(LOGIN).send({ email: p.email, password: 'wrong-password' }).expect(401);
    await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(200);
    for (let i = 0; i < 5; i++) await api.http.post(LOGIN).send({ email: p.email, password: 'wrong-password' }).expect(401);
    await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(429);
  });

  it('counts parallel guesses before hashing: a burst of 12 gets at most 5 verdicts', async () => {
    const p = await person();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.http.post(LOGIN).send({ email: p.email, password: `guess-number-${i}` })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('answers 429 after 20 failures from one IP across different accounts (Retry-After within the minute)', async () => {
    for (let i = 0; i < 20; i++)
      await api.http
        .post(LOGIN)
        .send({ email: `${uniq('spray')}@t.lms`, password: 'Summer2024!!' })
        .expect(401);
    const p = await person();
    const res = await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(429);
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it('shares the counts between replicas (two app instances on one database)', async () => {
    const config = testConfig(api.db, { JWT_SECRET: api.config.jwtSecret });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const replica = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ bodyLimit: config.bodyLimitBytes }), {
      logger: false,
    });
    await configureApp(replica, config);
    await replica.init();
    await replica.getHttpAdapter().getInstance().ready();
    try {
      const other = request(replica.getHttpServer());
      const p = await person();
      for (let i = 0; i < 3; i++) await api.http.post(LOGIN).send({ email: p.email, password: 'wrong-password' }).expect(401);
      for (let i = 0; i < 2; i++) await other.post(LOGIN).send({ email: p.email, password: 'wrong-password' }).expect(401);
      await api.http.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(429);
      await other.post(LOGIN).send({ email: p.email, password: PASSWORD }).expect(429);
    } finally {
      await replica.close();
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});
