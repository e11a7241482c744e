import pg from 'pg';
import { READ_APPLICATION_NAME } from '@lms/platform';
import { CompletionFactRepository } from '@lms/reporting';
import { anOrgUnit, aUser, createTestDatabase, startApi, TEST_DATABASE_URL, TestApi, TestDatabase, tokenFor } from '@lms/testing';
import { anEnrolment, aPublishedCourse } from './fixtures.js';

interface Activity {
  datname: string;
  application_name: string;
  query: string;
}

/** What every connection of the two test databases last ran (pg_stat_activity keeps the last statement of idle ones). */
async function activity(databases: string[]): Promise<Activity[]> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<Activity>(`SELECT datname, application_name, query FROM pg_stat_activity WHERE datname = ANY($1::text[])`, [databases])).rows;
  } finally {
    await c.end();
  }
}

/**
 * DATABASE_READ_URL: reports and open data read from the replica's pool. The "replica" here is a
 * second database the test controls: the primary holds an overdue enrolment, the replica does not,
 * so what the report shows says where it was read.
 */
describe('read replica for reports (DATABASE_READ_URL)', () => {
  let replica: TestDatabase;
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    replica = await createTestDatabase();
    api = await startApi({ env: { DATABASE_READ_URL: replica.url, DATABASE_READ_POOL_SIZE: '2' } });
    const ds = api.dataSource;
    const unit = await anOrgUnit(ds, { kind: 'institution', name: 'Replica ministry' });
    admin = await tokenFor(api.config, await aUser(ds, { orgUnit: unit, roles: [{ role: 'admin' }] }));
    const course = await aPublishedCourse(ds, { school: unit, slug: 'replica-course', title: 'Replica course' });
    const late = await aUser(ds, { orgUnit: unit, displayName: 'Late learner' });
    await anEnrolment(ds, { user: late, course, status: 'enrolled', dueInDays: -5 });
  });
  afterAll(async () => {
    await api?.close();
    await replica?.drop();
  });

  it('the overdue report and its CSV are read through the read pool (application_name lms-read), not the primary', async () => {
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM enrolment WHERE due_at < now() AND status = 'enrolled'`)) as Array<{ n: number }>;
    expect(n).toBe(1);
    const res = await api.http.get('/api/v1/reports/overdue').set('authorization', `Bearer ${admin}`).expect(200);
    // The replica has none of the primary's rows: the report shows what the replica holds.
    expect(res.body).toMatchObject({ total: 0, items: [] });
    const seen = await activity([api.db.name, replica.name]);
    const onReplica = seen.filter((a) => a.datname === replica.name);
    expect(onReplica.length).toBeGreaterThan(0);
    expect(onReplica.every((a) => a.application_name === READ_APPLICATION_NAME)).toBe(true);
    expect(onReplica.some((a) => /FROM enrolment/i.test(a.query))).toBe(true);
    // No primary connection ran the report's statements last.
    expect(seen.filter((a) => a.datname === api.db.name && /days_overdue|daysOverdue/i.test(a.query))).toEqual([]);
    const csv = await api.http.get('/api/v1/reports/overdue?format=csv').set('authorization', `Bearer ${admin}`).expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(1);
  });

  it('the completion report is read from the replica too, while its rebuild writes the primary', async () => {
    await api.app.get(CompletionFactRepository).rebuild({ wait: true });
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM report_completion_fact`)) as Array<{ n: number }>;
    expect(n).toBeGreaterThan(0);
    const res = await api.http.get('/api/v1/reports/completion').set('authorization', `Bearer ${admin}`).expect(200);
    // The primary now holds facts for the unit; the replica holds none.
    expect(res.body).toMatchObject({ total: 0, items: [] });
  });
});
