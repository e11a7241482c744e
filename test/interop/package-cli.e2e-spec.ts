import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '@lms/identity';
import { aUser, startApi, type TestApi, tokenFor } from '@lms/testing';
import { runCoursesCli } from '../../apps/cli/src/courses-command.js';
import { theSchool } from '../catalog/catalog-fixtures.js';
import { aCourse, cmi5Files, scorm12Files, zip } from './fixtures.js';

describe('courses CLI: package and import-package', () => {
  let api: TestApi;
  let author: User;
  const out: string[] = [];
  const err: string[] = [];
  let io: Parameters<typeof runCoursesCli>[1];

  beforeAll(async () => {
    api = await startApi({ withoutRedis: true });
    const school = await theSchool(api.dataSource);
    author = await aUser(api.dataSource, { orgUnit: school, roles: [{ role: 'author', scope: school }] });
    await api.http.post('/api/v1/courses').set('authorization', `Bearer ${await tokenFor(api.config, author)}`).send(aCourse('cli-course')).expect(201);
    io = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      isTTY: false,
      env: { DATABASE_URL: api.db.url, JWT_SECRET: 'j'.repeat(40), CREDENTIAL_KEY_SECRET: 'k'.repeat(40), DATA_DIR: api.config.dataDir, LOG_LEVEL: 'silent' },
    };
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    out.length = 0;
    err.length = 0;
  });

  it('checks a package without a database and lists its activities; a broken one exits 1 with its problems', async () => {
    const good = join(api.config.dataDir, 'good.zip');
    writeFileSync(good, zip(cmi5Files()));
    await expect(runCoursesCli(['package', good], io)).resolves.toBe(0);
    expect(out.join('')).toMatch(/cmi5 "AI ethics for managers", 3 files, 1 activities:\n {2}au https:\/\/lms.test\/cmi5\/aus\/au1: Fairness -> au1\/index.html/);
    const bad = join(api.config.dataDir, 'bad.zip');
    writeFileSync(bad, zip({ ...scorm12Files(), '../x.js': 'x' }));
    await expect(runCoursesCli(['package', bad], io)).resolves.toBe(1);
    expect(err.join('')).toMatch(/leaves the package/);
    await expect(runCoursesCli(['package', join(api.config.dataDir, 'none.zip')], io)).resolves.toBe(1);
    await expect(runCoursesCli(['package'], io)).resolves.toBe(2);
  });

  it('imports into the draft as the named author; an unknown e-mail or a non-author imports nothing', async () => {
    const file = join(api.config.dataDir, 'scorm12.zip');
    writeFileSync(file, zip(scorm12Files()));
    await expect(runCoursesCli(['import-package', 'cli-course', file, 'nobody@test.lms'], io)).resolves.toBe(1);
    expect(err.join('')).toMatch(/no active account/);
    const learner = await aUser(api.dataSource, { orgUnit: await theSchool(api.dataSource) });
    await expect(runCoursesCli(['import-package', 'cli-course', file, learner.email], io)).resolves.toBe(1);
    expect(err.join('')).toMatch(/Nothing was imported: You are not an author/);
    await expect(runCoursesCli(['import-package', 'cli-course', file, author.email], io)).resolves.toBe(0);
    expect(out.join('')).toMatch(/Imported scorm12 package "Records management basics" \(3 files\) into the draft of cli-course: pkg-[0-9a-f]{8}-1/);
    const rows = (await api.dataSource.query(`SELECT count(*)::int AS n FROM content_package`)) as Array<{ n: number }>;
    expect(rows[0].n).toBe(1);
  });
});
