import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogImportError, CatalogImportService } from '@lms/catalog';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { runCoursesCli } from '../../apps/cli/src/courses-command.js';
import { anEnrolment, copyOfCourses, countRows, COURSES_DIR, editFile, rawQuery, theSchool } from './catalog-fixtures.js';

describe('importing curricula as code', () => {
  let api: TestApi;
  let importer: CatalogImportService;
  const dirs: string[] = [];
  const copy = (): string => {
    const d = copyOfCourses();
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    api = await startApi();
    await theSchool(api.dataSource);
    importer = api.app.get(CatalogImportService);
  });

  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await api.close();
  });

  it('imports every package once, and a second import changes nothing', async () => {
    const first = await importer.importDirectory(COURSES_DIR);
    expect(first.created).toBeGreaterThanOrEqual(8);
    expect(first.newVersions + first.unchanged).toBe(0);
    const after = await countRows(api.dataSource);
    expect(after.versions).toBe(first.created);

    const second = await importer.importDirectory(COURSES_DIR);
    expect(second).toMatchObject({ created: 0, newVersions: 0, unchanged: first.created });
    await expect(countRows(api.dataSource)).resolves.toEqual(after);
  });

  it('makes version 2 of an edited course while an enrolment on version 1 keeps reading version 1', async () => {
    const unit = await anOrgUnit(api.dataSource);
    const early = await aUser(api.dataSource, { orgUnit: unit });
    const pinned = await anEnrolment(api.dataSource, early.id, 'ai-fundamentals');
    expect(pinned.version).toBe(1);

    const dir = copy();
    editFile(join(dir, 'ai-fundamentals/lessons/en/01-what-ai-is.md'), '## A working definition', 'A sentence added in version 2.\n\n## A working definition');
    const result = await importer.importDirectory(dir);
    expect(result.packages.filter((p) => p.outcome !== 'unchanged')).toEqual([{ slug: 'ai-fundamentals', outcome: 'new-version', version: 2 }]);

    const late = await aUser(api.dataSource, { orgUnit: unit });
    await anEnrolment(api.dataSource, late.id, 'ai-fundamentals');
    const read = async (user: { id: string }) =>
      api.http.get('/api/v1/courses/ai-fundamentals/lessons/what-ai-is?lang=en').set('Authorization', `Bearer ${await tokenFor(api.config, user)}`);

    const old = await read(early);
    expect(old.status).toBe(200);
    expect(old.body.version).toBe(1);
    expect(old.body.markdown).not.toContain('added in version 2');
    const fresh = await read(late);
    expect(fresh.body.version).toBe(2);
    expect(fresh.body.markdown).toContain('A sentence added in version 2.');

    const detail = await api.http.get('/api/v1/courses/ai-fundamentals').set('Authorization', `Bearer ${await tokenFor(api.config, early)}`);
    expect(detail.body.version).toBe(2);

    // Published versions are immutable in the database itself.
    await expect(
      rawQuery(api.db.url, `UPDATE lesson SET minutes = 1 WHERE course_version_id = (SELECT course_version_id FROM enrolment WHERE id = $1)`, [pinned.id]),
    ).rejects.toThrow(/immutable/);
    // Importing the edited folder again creates nothing.
    await expect(importer.importDirectory(dir)).resolves.toMatchObject({ created: 0, newVersions: 0 });
  });

  it('is all-or-nothing: a package naming an unknown school imports nothing, and names the package', async () => {
    const before = await countRows(api.dataSource);
    const dir = copy();
    editFile(join(dir, 'generative-ai-at-work/lessons/en/01-how-generative-ai-works.md'), /\n## /, '\nChanged.\n\n## ');
    editFile(join(dir, 'leading-digital-change/course.yaml'), 'school: SPA', 'school: NO-SUCH-SCHOOL');
    const error = await importer.importDirectory(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogImportError);
    expect((error as CatalogImportError).problems).toEqual([
      { file: join(dir, 'leading-digital-change', 'course.yaml'), field: 'school', message: expect.stringContaining('no org unit with code "NO-SUCH-SCHOOL"') },
    ]);
    await expect(countRows(api.dataSource)).resolves.toEqual(before);
  });

  it('rolls back everything when the import fails half-way', async () => {
    const before = await countRows(api.dataSource);
    const dir = copy();
    for (const slug of ['algorithmic-accountability', 'cybersecurity-data-protection', 'leading-digital-change']) {
      editFile(join(dir, slug, 'course.yaml'), 'estimatedMinutes: ', 'estimatedMinutes: 1');
    }
    let seen = 0;
    const failing = importer.importDirectory(dir, {
      onProgress: (p) => {
        seen = p.done;
        if (p.slug === 'leading-digital-change') throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(seen).toBe(9);
    await expect(countRows(api.dataSource)).resolves.toEqual(before);
  });

  it('does the same through the courses CLI, printing plain progress lines off a terminal', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      isTTY: false,
      env: {
        DATABASE_URL: api.db.url,
        JWT_SECRET: 'j'.repeat(40),
        CREDENTIAL_KEY_SECRET: 'k'.repeat(40),
        DATA_DIR: api.config.dataDir,
        LOG_LEVEL: 'silent',
      },
    };
    const dir = copy();
    editFile(join(dir, 'data-governance-open-data/quiz.yaml'), /text:\n(\s+)en: "/, 'text:\n$1en: "(Edited) ');
    await expect(runCoursesCli(['import', dir], io)).resolves.toBe(0);
    const text = out.join('');
    // ai-fundamentals is at v2 (edited above); the folder has the original text again: that is
    // a change too, so v3 (never a silent revert to v1).
    expect(text).toMatch(/\[1\/9\] ai-fundamentals: new version \(v3\)/);
    expect(text).toMatch(/\[2\/9\] algorithmic-accountability: unchanged \(v1\)/);
    expect(text).toMatch(/data-governance-open-data: new version \(v2\)/);
    expect(text).toContain('Done: 0 new course(s), 2 new version(s), 7 unchanged.');
    expect(text).not.toContain('\r');
    expect(err.join('')).toBe('');
    // The competency domain imported the framework in the same transaction.
    const [fw] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_framework WHERE key = 'dacps'`)) as Array<{ n: number }>;
    expect(fw.n).toBe(1);

    // A broken folder: every problem, exit 1, nothing imported.
    const broken = copy();
    const brokenFile = join(broken, 'ai-fundamentals/course.yaml');
    editFile(brokenFile, 'code: LIT.1,', 'code: LIT.42,');
    // The line of the edited code, from the file itself (it moves when a language is added).
    const line = readFileSync(brokenFile, 'utf8').split('\n').findIndex((l) => l.includes('code: LIT.42,')) + 1;
    expect(line).toBeGreaterThan(0);
    err.length = 0;
    await expect(runCoursesCli(['import', broken], io)).resolves.toBe(1);
    expect(err.join('')).toContain(`${brokenFile}:${line}:13  competencies[0].code: "LIT.42" is not a competency of framework dacps`);
    expect(err.join('')).toContain('nothing was imported');
  });
});

describe('first start', () => {
  it('imports courses/ on bootstrap when the catalog is empty and IMPORT_COURSES_ON_START is on', async () => {
    const api = await startApi({ env: { IMPORT_COURSES_ON_START: 'true', COURSES_DIR } });
    try {
      const counts = await countRows(api.dataSource);
      expect(counts.courses).toBeGreaterThanOrEqual(8);
      const [spa] = (await api.dataSource.query(`SELECT kind FROM org_unit WHERE code = 'SPA'`)) as Array<{ kind: string }>;
      expect(spa.kind).toBe('school');
    } finally {
      await api.close();
    }
  });
});
