import { parse } from 'csv-parse/sync';
import type { OrgUnit } from '@lms/identity';
import { derivableCells, OpenDataService, publishedCells, tableRelations, type PublishedTable } from '@lms/reporting';
import { anOrgUnit, startApi, TestApi } from '@lms/testing';
import { alternativeFor } from './disclosure-witness.js';
import { aPublishedCourse, TestCourse } from './fixtures.js';

const DIMENSIONS = ['institution', 'course', 'gender', 'locality', 'year'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/**
 * A crafted population with cells that are too small, cells that could be differenced from the
 * totals, and many enrolments of few people, so that protection has work to do everywhere.
 */
interface Person {
  unit: OrgUnit;
  gender: string | null;
  locality: string | null;
  /** [course, completed, enrolment year] */
  enrolments: Array<[TestCourse, boolean, number]>;
}

describe('open data (public, protected aggregates)', () => {
  let api: TestApi;
  let big: OrgUnit;
  let bigDept: OrgUnit;
  let mid: OrgUnit;
  let tiny: OrgUnit;
  let k1: TestCourse;
  let k2: TestCourse;
  let k3: TestCourse;
  const people: Person[] = [];

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    const country = await anOrgUnit(ds, { kind: 'country', name: 'Republic' });
    big = await anOrgUnit(ds, { parent: country, kind: 'institution', name: 'Ministry of Interior' });
    bigDept = await anOrgUnit(ds, { parent: big, kind: 'department', name: 'Police academy' });
    mid = await anOrgUnit(ds, { parent: country, kind: 'institution', name: 'Завод за статистику' });
    tiny = await anOrgUnit(ds, { parent: country, kind: 'institution', name: 'Small office' });
    k1 = await aPublishedCourse(ds, { school: country, slug: 'open-ai-basics', title: 'AI basics' });
    k2 = await aPublishedCourse(ds, { school: country, slug: 'open-data-ethics', title: 'Data ethics' });
    k3 = await aPublishedCourse(ds, { school: country, slug: 'open-quantum', title: 'Quantum' });

    // Ministry (and its department): 24 people, all in k1 (17 completed), 12 also in k2.
    for (let i = 0; i < 24; i++) {
      const enrolments: Person['enrolments'] = [[k1, i < 17, 2025]];
      if (i % 2 === 0) enrolments.push([k2, i % 4 === 0, 2025]);
      people.push({ unit: i < 16 ? big : bigDept, gender: i % 2 ? 'male' : 'female', locality: i < 15 ? 'urban' : 'rural', enrolments });
    }
    // Statistics office: 12 people; one of gender 'other'; three enrolled in 2024.
    for (let i = 0; i < 12; i++) {
      const gender = i === 0 ? 'other' : i % 2 ? 'female' : 'male';
      people.push({ unit: mid, gender, locality: i < 6 ? 'urban' : i < 10 ? 'rural' : null, enrolments: [[k1, i < 7, i < 3 ? 2024 : 2025]] });
    }
    // Small office: 2 people, but 6 enrolments (k1, k2, k3 each) — many enrolments, few people.
    for (let i = 0; i < 2; i++) {
      people.push({ unit: tiny, gender: 'female', locality: 'rural', enrolments: [[k1, true, 2025], [k2, i === 0, 2025], [k3, false, 2025]] });
    }
    for (const [n, p] of people.entries()) {
      const [user] = (await ds.query(
        `INSERT INTO app_user (email, display_name, org_unit_id, gender, locality) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [`open-${n}@test.lms`, `Secret Person ${n}`, p.unit.id, p.gender, p.locality],
      )) as Array<{ id: string }>;
      for (const [course, done, year] of p.enrolments) {
        await ds.query(
          `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, enrolled_at, completed_at)
           VALUES ($1, $2, $3, $4, 'self', make_timestamptz($5, 6, 1, 12, 0, 0, 'UTC'), CASE WHEN $4 = 'completed' THEN now() END)`,
          [user.id, course.id, course.versionId, done ? 'completed' : 'in_progress', year],
        );
      }
    }
    // A withdrawn enrolment counts nowhere.
    const [someone] = (await ds.query(`SELECT id FROM app_user WHERE email = 'open-0@test.lms'`)) as Array<{ id: string }>;
    await ds.query(
      `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, withdrawn_at) VALUES ($1, $2, $3, 'withdrawn', 'self', now())`,
      [someone.id, k3.id, k3.versionId],
    );
    await api.app.get(OpenDataService).refresh({ force: true, wait: true });
  });

  afterAll(async () => {
    await api.close();
  });

  /** The true table for a dimension, counted by the test itself from its own population. */
  function truth(dimension: Dimension, keys: string[]): number[] {
    const keyOf = (p: Person, course: TestCourse, year: number): string => {
      switch (dimension) {
        case 'institution':
          return p.unit === bigDept ? big.code : p.unit.code;
        case 'course':
          return course.slug;
        case 'gender':
          return p.gender ?? 'not_recorded';
        case 'locality':
          return p.locality ?? 'not_recorded';
        case 'year':
          return String(year);
      }
    };
    const cells = new Map<string, [number, number]>(keys.map((k) => [k, [0, 0]]));
    const total: [number, number] = [0, 0];
    for (const p of people) {
      for (const [course, done, year] of p.enrolments) {
        const c = cells.get(keyOf(p, course, year));
        if (!c) throw new Error(`no row for ${keyOf(p, course, year)} in ${dimension}`);
        c[done ? 0 : 1] += 1;
        total[done ? 0 : 1] += 1;
      }
    }
    return [...keys.map((k) => cells.get(k) as [number, number]), total].flatMap(([c, n]) => [c + n, c, n]);
  }

  it('is public and publishes no cell under 5 in any table', async () => {
    for (const by of DIMENSIONS) {
      const res = await api.http.get(`/api/v1/open-data/completion?by=${by}`).expect(200);
      expect(res.body).toMatchObject({ dimension: by, unit: 'enrolment', threshold: 5 });
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      for (const v of publishedCells(res.body as PublishedTable)) if (v !== null) expect(v).toBeGreaterThanOrEqual(5);
    }
  });

  it('publishes the true numbers where it publishes, and hides what is small', async () => {
    const gender = (await api.http.get('/api/v1/open-data/completion?by=gender').expect(200)).body as PublishedTable;
    expect(gender.rows.map((r) => r.key)).toEqual(['female', 'male', 'other', 'undisclosed', 'not_recorded']);
    expect(gender.rows.find((r) => r.key === 'other')).toMatchObject({ enrolled: null, completed: null, notCompleted: null, completionRate: null });
    expect(gender.total).toEqual({ enrolled: 54, completed: 33, notCompleted: 21, completionRate: 0.6111 });
    const institution = (await api.http.get('/api/v1/open-data/completion').expect(200)).body as PublishedTable & { dimension: string };
    expect(institution.dimension).toBe('institution');
    expect(institution.rows.map((r) => r.label)).toEqual(['Ministry of Interior', 'Small office', 'Завод за статистику']);
    // The small office: 6 enrolments but only 2 people → hidden although 6 >= 5.
    expect(institution.rows[1]).toMatchObject({ key: tiny.code, enrolled: null, completed: null, notCompleted: null });
    const course = (await api.http.get('/api/v1/open-data/completion?by=course').expect(200)).body as PublishedTable;
    expect(course.rows.find((r) => r.key === k3.slug)).toMatchObject({ label: 'Quantum', enrolled: null });
    const year = (await api.http.get('/api/v1/open-data/completion?by=year').expect(200)).body as PublishedTable;
    expect(year.rows.map((r) => r.key)).toEqual(['2024', '2025']);
    expect(year.rows[0].enrolled).toBeNull();
    for (const by of DIMENSIONS) {
      const table = (await api.http.get(`/api/v1/open-data/completion?by=${by}`).expect(200)).body as PublishedTable;
      const real = truth(by, table.rows.map((r) => r.key));
      publishedCells(table).forEach((v, i) => {
        if (v !== null) expect(v).toBe(real[i]);
      });
    }
  });

  it('leaves no hidden cell derivable from the published rows and totals', async () => {
    for (const by of DIMENSIONS) {
      const table = (await api.http.get(`/api/v1/open-data/completion?by=${by}`).expect(200)).body as PublishedTable;
      const cells = publishedCells(table);
      const relations = tableRelations(table.rows.length);
      const real = truth(by, table.rows.map((r) => r.key));
      // The attacker's linear programme finds no hidden cell with a single possible value …
      expect(derivableCells(cells, relations)).toEqual([]);
      // … and for every hidden cell there is another table that fits everything published.
      const hidden = cells.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
      for (const cell of hidden) {
        const other = alternativeFor(cell, real, cells, relations);
        expect(other).not.toBeNull();
        expect(other?.[cell]).not.toBe(real[cell]);
      }
      if (by === 'gender') expect(hidden.length).toBeGreaterThan(3); // the small row and its complement
    }
  });

  it('contains no personal data', async () => {
    for (const by of DIMENSIONS) {
      for (const format of ['json', 'csv']) {
        const res = await api.http.get(`/api/v1/open-data/completion?by=${by}&format=${format}`).expect(200);
        expect(res.text).not.toMatch(/Secret Person|open-\d+@test\.lms|@/);
      }
    }
    const res = await api.http.get('/api/v1/open-data/completion?by=gender').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['country', 'dimension', 'generatedAt', 'institution', 'method', 'rows', 'threshold', 'total', 'unit']);
    for (const row of res.body.rows) expect(Object.keys(row).sort()).toEqual(['completed', 'completionRate', 'country', 'enrolled', 'institution', 'key', 'label', 'notCompleted']);
    // The scope of the whole instance: no country, no institution.
    expect(res.body).toMatchObject({ country: null, institution: null });
  });

  it('serves CSV with BOM, Cyrillic labels, empty suppressed cells and a total row', async () => {
    const res = await api.http.get('/api/v1/open-data/completion?by=institution&format=csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="open-data-completion-by-institution-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(res.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.label)).toEqual(['Ministry of Interior', 'Small office', 'Завод за статистику', 'Total']);
    expect(records[1]).toMatchObject({ enrolled: '', completed: '', not_completed: '', completion_rate: '' });
    expect(records[3]).toMatchObject({ key: '_total', enrolled: '54', completed: '33', not_completed: '21' });
    for (const r of records) for (const col of ['enrolled', 'completed', 'not_completed']) if (r[col] !== '') expect(Number(r[col])).toBeGreaterThanOrEqual(5);
  });

  it('rejects unknown dimensions and formats', async () => {
    await api.http.get('/api/v1/open-data/completion?by=email').expect(400);
    await api.http.get('/api/v1/open-data/completion?format=xlsx').expect(400);
  });

  it('serves the stored tables until the daily rebuild', async () => {
    const first = (await api.http.get('/api/v1/open-data/completion?by=course').expect(200)).body as { generatedAt: string };
    const skipped = await api.app.get(OpenDataService).refresh();
    expect(skipped.generated).toBe(false);
    const again = (await api.http.get('/api/v1/open-data/completion?by=course').expect(200)).body as { generatedAt: string };
    expect(again.generatedAt).toBe(first.generatedAt);
    const forced = await api.app.get(OpenDataService).refresh({ force: true, wait: true });
    expect(forced.generated).toBe(true);
    const rebuilt = (await api.http.get('/api/v1/open-data/completion?by=course').expect(200)).body as { generatedAt: string };
    expect(new Date(rebuilt.generatedAt).getTime()).toBeGreaterThan(new Date(first.generatedAt).getTime());
  });
});
