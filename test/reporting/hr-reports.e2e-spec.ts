import { parse } from 'csv-parse/sync';
import type { OrgUnit, User } from '@lms/identity';
import { CompletionFactRepository } from '@lms/reporting';
import { anOrgUnit, aUser, drainJobs, startApi, TestApi, tokenFor } from '@lms/testing';
import { anEnrolment, aPublishedCourse, TestCourse } from './fixtures.js';

/** Collects a response body as raw bytes (to see the BOM and the exact encoding). */
function rawBody(res: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

interface Row {
  orgUnitId: string;
  courseSlug: string;
  [k: string]: unknown;
}

describe('HR reports: completion and overdue', () => {
  let api: TestApi;
  let root: OrgUnit;
  let ministry: OrgUnit;
  let department: OrgUnit;
  let agency: OrgUnit;
  let c1: TestCourse;
  let c2: TestCourse;
  let admin: User;
  let hr: User;
  let learner: User;
  let ana: User;
  let petar: User;
  let dragan: User;
  const tokens: Record<string, string> = {};

  const get = (path: string, who: 'admin' | 'hr' | 'learner'): ReturnType<TestApi['http']['get']> =>
    api.http.get(`/api/v1${path}`).set('authorization', `Bearer ${tokens[who]}`);
  const find = (items: Row[], unit: OrgUnit, course: TestCourse): Row | undefined =>
    items.find((r) => r.orgUnitId === unit.id && r.courseSlug === course.slug);

  beforeAll(async () => {
    api = await startApi();
    const ds = api.dataSource;
    root = await anOrgUnit(ds, { kind: 'country', name: 'Republic' });
    ministry = await anOrgUnit(ds, { parent: root, kind: 'institution', name: 'Министарство финансија, "Сектор"' });
    department = await anOrgUnit(ds, { parent: ministry, kind: 'department', name: 'Budget department' });
    agency = await anOrgUnit(ds, { parent: root, kind: 'institution', name: 'Tax agency' });
    c1 = await aPublishedCourse(ds, { school: root, slug: 'ai-basics-report', title: 'AI basics' });
    c2 = await aPublishedCourse(ds, { school: root, slug: 'data-ethics-report', title: 'Data ethics' });

    admin = await aUser(ds, { orgUnit: root, roles: [{ role: 'admin' }] });
    hr = await aUser(ds, { orgUnit: ministry, roles: [{ role: 'hr', scope: ministry }] });
    learner = await aUser(ds, { orgUnit: ministry });
    ana = await aUser(ds, { orgUnit: ministry, displayName: 'Ана Анић' });
    petar = await aUser(ds, { orgUnit: ministry, displayName: 'Петар "Пера" Петровић, млађи', manager: ana });
    const jovan = await aUser(ds, { orgUnit: ministry, displayName: 'Jovan' });
    dragan = await aUser(ds, { orgUnit: department, displayName: 'Dragan' });
    const mila = await aUser(ds, { orgUnit: department, displayName: 'Mila' });
    const boris = await aUser(ds, { orgUnit: agency, displayName: 'Boris' });
    const vesna = await aUser(ds, { orgUnit: agency, displayName: 'Vesna' });
    const gone = await aUser(ds, { orgUnit: ministry, displayName: 'Former employee' });
    await ds.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [gone.id]);

    // Ministry (own staff)
    await anEnrolment(ds, { user: ana, course: c1, status: 'completed', dueInDays: -20 });
    await anEnrolment(ds, { user: ana, course: c2, status: 'in_progress', source: 'self' });
    await anEnrolment(ds, { user: petar, course: c1, status: 'enrolled', dueInDays: -10 + 1 / 24 });
    await anEnrolment(ds, { user: jovan, course: c1, status: 'withdrawn', dueInDays: -30 });
    await anEnrolment(ds, { user: jovan, course: c1, status: 'in_progress', dueInDays: 15 });
    await anEnrolment(ds, { user: gone, course: c1, status: 'enrolled', dueInDays: -5 });
    // Department (below the ministry): a completed cycle and its renewal, and one overdue
    await anEnrolment(ds, { user: dragan, course: c1, status: 'completed', cycle: 1 });
    await anEnrolment(ds, { user: dragan, course: c1, status: 'enrolled', cycle: 2, dueInDays: 365 });
    await anEnrolment(ds, { user: mila, course: c1, status: 'in_progress', dueInDays: -3 + 1 / 24 });
    // Agency (outside the HR scope)
    await anEnrolment(ds, { user: boris, course: c1, status: 'completed', source: 'self' });
    await anEnrolment(ds, { user: vesna, course: c2, status: 'enrolled', dueInDays: -1 });

    for (const [name, user] of Object.entries({ admin, hr, learner })) tokens[name] = await tokenFor(api.config, user);
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
  });

  afterAll(async () => {
    await api.close();
  });

  it('counts each unit’s own staff per course for the admin (whole tree)', async () => {
    const res = await get('/reports/completion?limit=100', 'admin').expect(200);
    expect(res.body.total).toBe(5);
    expect(res.body.rollup).toBe(false);
    expect(res.body.scope.map((u: { id: string }) => u.id)).toContain(root.id);
    expect(new Date(res.body.asOf).getTime()).toBeLessThanOrEqual(Date.now());
    const items = res.body.items as Row[];
    expect(find(items, ministry, c1)).toMatchObject({
      orgUnitName: 'Министарство финансија, "Сектор"',
      courseTitle: 'AI basics',
      enrolled: 3,
      assigned: 3,
      notStarted: 1,
      inProgress: 1,
      completed: 1,
      overdue: 1,
      completionRate: 0.3333,
    });
    expect(find(items, ministry, c2)).toMatchObject({ enrolled: 1, assigned: 0, inProgress: 1, completed: 0, overdue: 0, completionRate: 0 });
    expect(find(items, department, c1)).toMatchObject({ enrolled: 3, assigned: 3, notStarted: 1, inProgress: 1, completed: 1, overdue: 1 });
    expect(find(items, agency, c1)).toMatchObject({ enrolled: 1, assigned: 0, completed: 1, completionRate: 1 });
    expect(find(items, agency, c2)).toMatchObject({ enrolled: 1, assigned: 1, notStarted: 1, overdue: 1, completionRate: 0 });
    // Tree order: a parent's rows come before its children's.
    const order = items.map((r) => r.orgUnitId);
    expect(order.indexOf(ministry.id)).toBeLessThan(order.indexOf(department.id));
  });

  it('rolls subtrees up on request', async () => {
    const res = await get(`/reports/completion?rollup=true&limit=100`, 'admin').expect(200);
    const items = res.body.items as Row[];
    expect(find(items, ministry, c1)).toMatchObject({ enrolled: 6, assigned: 6, notStarted: 2, inProgress: 2, completed: 2, overdue: 2, completionRate: 0.3333 });
    expect(find(items, root, c1)).toMatchObject({ enrolled: 7, completed: 3, overdue: 2, completionRate: 0.4286 });
    expect(find(items, root, c2)).toMatchObject({ enrolled: 2, completed: 0, overdue: 1 });
  });

  it('filters by course and by source, and pages', async () => {
    const byCourse = await get(`/reports/completion?courseSlug=${c2.slug}`, 'admin').expect(200);
    expect((byCourse.body.items as Row[]).map((r) => r.courseSlug)).toEqual([c2.slug, c2.slug]);
    const assigned = await get('/reports/completion?source=assignment&limit=100', 'admin').expect(200);
    expect(find(assigned.body.items, ministry, c2)).toBeUndefined();
    expect(find(assigned.body.items, ministry, c1)).toMatchObject({ enrolled: 3, assigned: 3 });
    const page2 = await get('/reports/completion?page=2&limit=2', 'admin').expect(200);
    expect(page2.body).toMatchObject({ page: 2, limit: 2, total: 5 });
    expect(page2.body.items).toHaveLength(2);
    const beyond = await get('/reports/completion?page=9&limit=2', 'admin').expect(200);
    expect(beyond.body).toMatchObject({ items: [], total: 5 });
  });

  it('lets HR see only its subtree: default scope, a unit below, 403 outside', async () => {
    const mine = await get('/reports/completion', 'hr').expect(200);
    expect(mine.body.scope).toEqual([{ id: ministry.id, code: ministry.code, name: ministry.name }]);
    expect(mine.body.total).toBe(3);
    for (const r of mine.body.items as Row[]) expect([ministry.id, department.id]).toContain(r.orgUnitId);
    const below = await get(`/reports/completion?orgUnitId=${department.id}`, 'hr').expect(200);
    expect((below.body.items as Row[]).map((r) => r.orgUnitId)).toEqual([department.id]);
    await get(`/reports/completion?orgUnitId=${agency.id}`, 'hr').expect(403);
    await get(`/reports/completion?orgUnitId=${root.id}`, 'hr').expect(403);
    await get(`/reports/overdue?orgUnitId=${agency.id}`, 'hr').expect(403);
    await get(`/reports/completion?orgUnitId=${agency.id}&format=csv`, 'hr').expect(403);
  });

  it('refuses learners, anonymous callers and bad input with problem documents', async () => {
    await get('/reports/completion', 'learner').expect(403);
    await get('/reports/overdue', 'learner').expect(403);
    await api.http.get('/api/v1/reports/completion').expect(401);
    const notUuid = await get('/reports/completion?orgUnitId=abc', 'admin').expect(400);
    expect(notUuid.headers['content-type']).toContain('application/problem+json');
    await get('/reports/completion?orgUnitId=00000000-0000-4000-8000-000000000000', 'admin').expect(404);
    await get('/reports/completion?courseSlug=no-such-course', 'admin').expect(404);
    await get('/reports/completion?format=xml', 'admin').expect(400);
    await get('/reports/completion?limit=1000', 'admin').expect(400);
    await get('/reports/completion?rollup=maybe', 'admin').expect(400);
    await get('/reports/completion?extra=1', 'admin').expect(400);
  });

  it('streams the completion report as CSV: BOM, RFC 4180 quoting, Cyrillic, attachment', async () => {
    const res = await get('/reports/completion?format=csv&rollup=true', 'hr').buffer(true).parse(rawBody).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="completion-report-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('"Министарство финансија, ""Сектор"""');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFForg_unit_id,org_unit_code,org_unit_name,depth,course_slug,course_title,enrolled,assigned,not_started,in_progress,completed,overdue,completion_rate',
    );
    const records = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(3);
    // Headers in the requester's language (Accept-Language); English keeps the machine keys above.
    const header = async (lang: string) =>
      ((await get('/reports/completion?format=csv&rollup=true', 'hr').set('Accept-Language', lang).buffer(true).parse(rawBody).expect(200)).body as Buffer).toString('utf8').split('\r\n')[0];
    expect(await header('mk')).toBe(
      '\uFEFFID на единицата,Шифра на единицата,Организациона единица,Ниво во структурата,Ознака на курсот,Курс,Запишани,Доделено,Не започнале,Во тек,Завршиле,Задоцнуваат,Стапка на завршување',
    );
    expect((await header('sr-RS')).startsWith('\uFEFFID јединице,Шифра јединице,Организациона јединица')).toBe(true);
    // Without an Accept-Language that names an interface language, the person's profile locale decides.
    await api.dataSource.query(`UPDATE app_user SET locale = 'sr-Latn' WHERE id = $1`, [hr.id]);
    try {
      const own = ((await get('/reports/completion?format=csv&rollup=true', 'hr').buffer(true).parse(rawBody).expect(200)).body as Buffer).toString('utf8');
      expect(own.startsWith('\uFEFFID jedinice,Šifra jedinice,Organizaciona jedinica')).toBe(true);
      expect((await header('de')).startsWith('\uFEFFID jedinice,')).toBe(true);
      expect((await header('en')).startsWith('\uFEFForg_unit_id,')).toBe(true);
    } finally {
      await api.dataSource.query(`UPDATE app_user SET locale = 'en' WHERE id = $1`, [hr.id]);
    }
    const ministryC1 = records.find((r) => r.org_unit_id === ministry.id && r.course_slug === c1.slug);
    expect(ministryC1).toMatchObject({ org_unit_name: 'Министарство финансија, "Сектор"', enrolled: '6', completed: '2', overdue: '2', completion_rate: '0.3333' });
  });

  it('lists people with overdue mandatory training, with manager and days overdue', async () => {
    const res = await get('/reports/overdue', 'hr').expect(200);
    expect(res.body.total).toBe(2);
    const [first, second] = res.body.items;
    expect(first).toMatchObject({
      userId: petar.id,
      displayName: 'Петар "Пера" Петровић, млађи',
      orgUnitId: ministry.id,
      courseSlug: c1.slug,
      courseTitle: 'AI basics',
      status: 'enrolled',
      daysOverdue: 10,
      managerId: ana.id,
      managerName: 'Ана Анић',
    });
    expect(second).toMatchObject({ orgUnitId: department.id, status: 'in_progress', daysOverdue: 3, managerName: null });
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
    const admin = await get('/reports/overdue?limit=1', 'admin').expect(200);
    expect(admin.body).toMatchObject({ total: 3, limit: 1 });
    const agencyOnly = await get(`/reports/overdue?orgUnitId=${agency.id}`, 'admin').expect(200);
    expect(agencyOnly.body.items.map((r: { courseSlug: string }) => r.courseSlug)).toEqual([c2.slug]);
  });

  it('exports the overdue list as CSV', async () => {
    const res = await get('/reports/overdue?format=csv', 'hr').buffer(true).parse(rawBody).expect(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"Петар ""Пера"" Петровић, млађи"');
    const records = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.name)).toEqual(['Петар "Пера" Петровић, млађи', 'Mila']);
    expect(records[0]).toMatchObject({ manager_name: 'Ана Анић', days_overdue: '10', course_slug: c1.slug });
  });

  it('shows new enrolments after the reports.refresh job runs (through the job system), and says how fresh it is', async () => {
    const before = await get(`/reports/completion?orgUnitId=${department.id}&courseSlug=${c2.slug}`, 'hr').expect(200);
    expect(before.body.total).toBe(0);
    await anEnrolment(api.dataSource, { user: dragan, course: c2, status: 'completed' });
    const stale = await get(`/reports/completion?orgUnitId=${department.id}&courseSlug=${c2.slug}`, 'hr').expect(200);
    expect(stale.body.total).toBe(0);
    // Through the job system: the admin's "run now", then wait for the queue to drain.
    await api.http.post('/api/v1/admin/jobs/reports.refresh/run').set('authorization', `Bearer ${tokens.admin}`).expect(202);
    await drainJobs(api);
    const fresh = await get(`/reports/completion?orgUnitId=${department.id}&courseSlug=${c2.slug}`, 'hr').expect(200);
    expect(fresh.body.items).toEqual([expect.objectContaining({ orgUnitId: department.id, enrolled: 1, completed: 1, completionRate: 1 })]);
    expect(new Date(fresh.body.asOf).getTime()).toBeGreaterThan(new Date(stale.body.asOf).getTime());
  });
});
