import { parse } from 'csv-parse/sync';
import type { OrgUnit } from '@lms/identity';
import { derivableCells, OpenDataService, publishedCells, tableRelations, type PublishedTable } from '@lms/reporting';
import { anOrgUnit, startApi, TestApi, uniq } from '@lms/testing';
import { aPublishedCourse, TestCourse } from '../reporting/fixtures.js';
import { axe, launchBrowser, removeProfile, screenshot } from '../support/browser.js';

const DIMENSIONS = ['institution', 'course', 'gender', 'locality', 'year'] as const;
const COLS = ['enrolled', 'completed', 'notCompleted'] as const;
const URL = '/api/v1/open-data/completion';

interface Inst {
  id: string;
  code: string;
  country: string;
  root: OrgUnit;
}
interface Doc extends PublishedTable {
  country: string | null;
  institution: { id: string; code: string; name: string; country: string | null } | null;
  rows: Array<PublishedTable['rows'][number] & { country: string | null; institution: { code: string; name: string } | null }>;
}

/**
 * Three hub institutions in two countries (RS: A and B, ME: C), two courses. Small cells on
 * purpose: B has 3 people in k2; C has only 3 people who have not completed k2.
 */
describe('hub: open data per country and institution', () => {
  let api: TestApi;
  let a: Inst;
  let b: Inst;
  let c: Inst;
  let k1: TestCourse;
  let k2: TestCourse;

  async function institution(country: string, names: Record<string, string>): Promise<Inst> {
    const root = await anOrgUnit(api.dataSource, { kind: 'institution', code: uniq(`OD${country}`).toUpperCase(), name: names.en });
    const [row] = (await api.dataSource.query(
      `INSERT INTO institution (root_org_unit_id, country, names) VALUES ($1, $2, $3::jsonb) RETURNING id`,
      [root.id, country, JSON.stringify(names)],
    )) as Array<{ id: string }>;
    return { id: row.id, code: root.code, country, root };
  }

  let n = 0;
  async function people(inst: Inst, course: TestCourse, count: number, completed: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const [user] = (await api.dataSource.query(
        `INSERT INTO app_user (email, display_name, org_unit_id, gender, locality) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [`hub-od-${n++}@test.lms`, `Secret Person ${n}`, inst.root.id, i % 2 ? 'female' : 'male', i % 3 ? 'urban' : 'rural'],
      )) as Array<{ id: string }>;
      const done = i < completed;
      await api.dataSource.query(
        `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, enrolled_at, completed_at)
         VALUES ($1, $2, $3, $4, 'self', make_timestamptz(2026, 3, 1, 12, 0, 0, 'UTC'), CASE WHEN $4 = 'completed' THEN now() END)`,
        [user.id, course.id, course.versionId, done ? 'completed' : 'in_progress'],
      );
    }
  }

  const get = async (query: string): Promise<Doc> => (await api.http.get(`${URL}?${query}`).expect(200)).body as Doc;
  const row = (doc: Doc, key: string): Doc['rows'][number] => {
    const r = doc.rows.find((x) => x.key === key);
    if (!r) throw new Error(`no row ${key}`);
    return r;
  };

  beforeAll(async () => {
    api = await startApi();
    a = await institution('RS', { en: 'Ministry of Finance', 'sr-Latn': 'Ministarstvo finansija', mk: 'Министерство за финансии' });
    b = await institution('RS', { en: 'Tax Administration', 'sr-Latn': 'Poreska uprava' });
    c = await institution('ME', { en: 'Human Resources Authority', 'sr-Latn': 'Uprava za kadrove' });
    k1 = await aPublishedCourse(api.dataSource, { school: a.root, slug: uniq('od-ethics').toLowerCase(), title: 'Ethics' });
    k2 = await aPublishedCourse(api.dataSource, { school: a.root, slug: uniq('od-budget').toLowerCase(), title: 'Budgeting' });
    await people(a, k1, 20, 12);
    await people(a, k2, 10, 5);
    await people(b, k1, 12, 7);
    await people(b, k2, 3, 1); // small: 3 people
    await people(c, k1, 15, 9);
    await people(c, k2, 8, 5); // not completed: 3
    await api.app.get(OpenDataService).refresh({ force: true, wait: true });
  });

  afterAll(async () => {
    await api.close();
  });

  it('publishes per-institution figures, with the institution and country on every row, and suppresses small cells', async () => {
    const docA = await get(`by=course&institution=${a.code}&lang=sr-Latn`);
    expect(docA.institution).toEqual({ id: a.id, code: a.code, name: 'Ministarstvo finansija', country: 'RS' });
    expect(docA.country).toBe('RS');
    expect(row(docA, k1.slug)).toMatchObject({
      enrolled: 20,
      completed: 12,
      notCompleted: 8,
      country: 'RS',
      institution: { code: a.code, name: 'Ministarstvo finansija' },
    });
    expect(row(docA, k2.slug)).toMatchObject({ enrolled: 10, completed: 5, notCompleted: 5 });
    expect(docA.total).toMatchObject({ enrolled: 30, completed: 17, notCompleted: 13 });

    // By id too; names in the requested language, else English.
    const docB = await get(`by=course&institution=${b.id}&lang=mk`);
    expect(docB.institution?.name).toBe('Tax Administration');
    expect(row(docB, k2.slug)).toMatchObject({ enrolled: null, completed: null, notCompleted: null });
    // The hidden k2 row is not derivable from B's total: k1 is hidden with it.
    expect(derivableCells(publishedCells(docB), tableRelations(docB.rows.length))).toEqual([]);
    expect(docB.total.enrolled).toBe(15);

    const docC = await get(`by=course&institution=${c.code}`);
    expect(row(docC, k2.slug).notCompleted).toBeNull();
    expect(derivableCells(publishedCells(docC), tableRelations(docC.rows.length))).toEqual([]);
    expect(docC.total).toMatchObject({ enrolled: 23, completed: 14, notCompleted: 9 });
  });

  it('publishes per-country figures (RS = A + B, ME = C)', async () => {
    const rs = await get('by=year&country=RS');
    expect(rs.country).toBe('RS');
    expect(rs.institution).toBeNull();
    expect(row(rs, '2026')).toMatchObject({ enrolled: 45, completed: 25, notCompleted: 20, country: 'RS', institution: null });
    expect(rs.total).toMatchObject({ enrolled: 45, completed: 25, notCompleted: 20 });
    // B's k2 is hidden, so RS's k2 is too (else RS − A would give it), though RS has 13 people in k2.
    const rsCourse = await get('by=course&country=RS');
    expect(row(rsCourse, k2.slug).enrolled).toBeNull();
    const me = await get('by=year&country=ME');
    expect(me.total).toMatchObject({ enrolled: 23, completed: 14, notCompleted: 9 });
    const all = await get('by=year');
    expect(all.total).toMatchObject({ enrolled: 68, completed: 39, notCompleted: 29 });
    const byInstitution = await get('by=institution&country=RS');
    expect(byInstitution.rows.map((r) => r.key).sort()).toEqual([a.code, b.code].sort());
  });

  it('publishes no cell under 5 in any table of any scope', async () => {
    for (const scope of ['', 'country=RS', 'country=ME', `institution=${a.code}`, `institution=${b.code}`, `institution=${c.code}`]) {
      for (const by of DIMENSIONS) {
        const doc = await get(`by=${by}&${scope}`);
        for (const cell of publishedCells(doc)) if (cell !== null) expect(cell).toBeGreaterThanOrEqual(5);
        expect(derivableCells(publishedCells(doc), tableRelations(doc.rows.length))).toEqual([]);
      }
    }
  });

  it('leaks no hidden count by subtracting published tables (total minus the rest)', async () => {
    for (const by of DIMENSIONS) {
      const all = await get(`by=${by}`);
      const countries = { RS: await get(`by=${by}&country=RS`), ME: await get(`by=${by}&country=ME`) };
      const insts = new Map<Inst, Doc>();
      for (const i of [a, b, c]) insts.set(i, await get(`by=${by}&institution=${i.code}`));
      const cellOf = (doc: Doc, key: string | null, col: (typeof COLS)[number]): number | null => {
        if (key === null) return doc.total[col];
        const r = doc.rows.find((x) => x.key === key);
        return r ? r[col] : 0; // a group a table does not list is 0, and known to be
      };
      const keys = [null, ...new Set(all.rows.map((r) => r.key))];
      // Every parent = Σ parts; the attack: a published parent minus published parts, all but one.
      const families: Array<[Doc, Doc[]]> = [
        [all, [...insts.values()]],
        [all, [countries.RS, countries.ME]],
        [countries.RS, [insts.get(a)!, insts.get(b)!]],
        [countries.ME, [insts.get(c)!]],
      ];
      for (const [parent, parts] of families) {
        for (const key of keys) {
          for (const col of COLS) {
            const whole = cellOf(parent, key, col);
            const values = parts.map((p) => cellOf(p, key, col));
            const hidden = values.filter((v) => v === null).length;
            if (whole !== null) {
              // Published at the top ⇒ nothing hidden below, so the difference is a published number.
              expect({ by, key, col, hidden }).toEqual({ by, key, col, hidden: 0 });
              expect(values.reduce<number>((s, v) => s + (v as number), 0)).toBe(whole);
            }
          }
        }
      }
    }
    // The concrete attack: instance k2 − C's k2 − A's k2 would be B's 3 people.
    const course = await get('by=course');
    expect(row(course, k2.slug).enrolled).toBeNull();
  });

  it('serves CSV with country and institution columns', async () => {
    const res = await api.http.get(`${URL}?by=course&institution=${a.code}&format=csv&lang=sr-Latn`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const records = parse(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const k1Row = records.find((r) => r.key === k1.slug)!;
    expect(k1Row).toMatchObject({ country: 'RS', institution_code: a.code, institution_name: 'Ministarstvo finansija', enrolled: '20' });
    expect(records.find((r) => r.key === '_total')).toMatchObject({ country: 'RS', institution_code: a.code, enrolled: '30' });
    const rs = await api.http.get(`${URL}?by=course&country=RS&format=csv`).expect(200);
    const rsK2 = (parse(rs.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>).find(
      (r) => r.key === k2.slug,
    )!;
    expect(rsK2).toMatchObject({ country: 'RS', institution_code: '', enrolled: '' });
  });

  it.each([
    ['country=rs', 400],
    ['country=XX', 400],
    ['country=SRB', 400],
    ['country=R%27', 400],
    ['lang=%3Cscript%3E', 400],
    ['institution=NO-SUCH-PLACE', 404],
    ['institution=00000000-0000-4000-8000-000000000000', 404],
    ['country=MK', 404],
  ])('answers %s with %i problem+json', async (query, status) => {
    const res = await api.http.get(`${URL}?by=course&${query}`).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 404 for an institution of another country than the one asked for', async () => {
    const res = await api.http.get(`${URL}?country=ME&institution=${a.code}`).expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('offers country and institution selectors on the public page, without JavaScript', async () => {
    const page = await api.http.get(`/open-data?by=course&country=RS&institution=${b.code}`).set('accept-language', 'sr-Latn').expect(200);
    expect(page.text).toContain('<select id="country" name="country">');
    expect(page.text).toContain('<select id="institution" name="institution">');
    expect(page.text).toContain(`<option value="${b.code}" selected>Poreska uprava`);
    expect(page.text).toContain('<option value="RS" selected>');
    expect(page.text).toContain(`institution=${b.code}`);
    expect(page.text).not.toContain('Secret Person');
    // Unknown values fall back to every institution.
    const all = await api.http.get('/open-data?country=ZZ&institution=nope').expect(200);
    expect(all.text.match(/ selected>/g)).toHaveLength(1); // only the breakdown
  });

  it('filters by country and institution in a real browser (a plain GET form), on a phone, with no axe violations', async () => {
    // The form is a plain GET form (the page ships no script for it); the HTML test above reads it without a browser.
    const launched = await launchBrowser();
    try {
      const page = await launched.browser.newPage();
      await page.setViewport({ width: 320, height: 640, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      await api.app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
      await page.goto(`${base}/open-data?by=year`, { waitUntil: 'load' });
      expect({ violations: await axe(page) }).toEqual({ violations: [] });
      await page.select('::-p-aria(Country[role="combobox"])', 'RS');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('::-p-aria(Show[role="button"])').click()]);
      expect(page.url()).toContain('country=RS');
      const main = await page.evaluate(() => document.querySelector('main')?.textContent?.replace(/\s+/g, ' ') ?? '');
      expect(main).toContain('45');
      await page.select('::-p-aria(Institution[role="combobox"])', c.code);
      await page.select('::-p-aria(Country[role="combobox"])', '');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('::-p-aria(Show[role="button"])').click()]);
      expect(await page.$eval('#institution', (e) => (e as HTMLSelectElement).value)).toBe(c.code);
      expect(await page.$eval('#country', (e) => (e as HTMLSelectElement).value)).toBe('ME');
      expect({ violations: await axe(page) }).toEqual({ violations: [] });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await screenshot(page, 'open-data-by-institution-phone'); // only when SCREENSHOTS_DIR is set
    } finally {
      await launched.close();
      removeProfile(launched.userDataDir);
    }
  }, 90_000);
});
