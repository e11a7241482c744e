/// <reference lib="dom" />
import type { User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, type TestApi, tokenFor } from '@lms/testing';
import { clickAndWait, closeBrowsers, DESKTOP, expectAccessible, launchBrowser, listenLocally, mainText, phone, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';

const PASSWORD = 'lrs-console-in-a-browser-8';
const PHONE = phone(320, 640);

/**
 * The console page of statement forwarding (docs/xapi.md): an admin sees the external LRSs with
 * their delivery counts and the dead-letter list, and sends the dead letters again — without
 * JavaScript-only controls, axe-clean, on a phone.
 */
describe('console: statements forwarded to external LRSs, in a real browser', () => {
  let api: TestApi;
  let base: string;
  let admin: User;
  let browser: LaunchedBrowser;
  let endpointId: string;

  beforeAll(async () => {
    api = await startApi({ env: { XAPI_FORWARD_ATTEMPTS: '1' } });
    base = await listenLocally(api);
    const unit = await anOrgUnit(api.dataSource, { name: 'Ministarstvo državne uprave' });
    admin = await aUser(api.dataSource, { orgUnit: unit, password: PASSWORD, displayName: 'Admin Adminović', roles: [{ role: 'admin' }] });
    const token = await tokenFor(api.config, admin);
    // An LRS that refuses connections (a closed port) and two statements that could not reach it.
    const created = await api.http
      .post('/api/v1/admin/lrs-endpoints')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'Ministry LRS', url: 'http://127.0.0.1:9/xapi/', username: 'ministry', password: 'ministry-secret' })
      .expect(201);
    endpointId = created.body.id as string;
    for (const [i, verb] of ['completed', 'passed'].entries()) {
      const id = `00000000-0000-4000-8000-00000000000${i + 1}`;
      const statement = { id, actor: { objectType: 'Agent', account: { homePage: 'http://lms.test', name: admin.id } }, verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` }, object: { id: 'http://lms.test/courses/x' } };
      await api.dataSource.query(
        `INSERT INTO xapi_statement (id, statement, content_hash, verb_id, activity_id, related_activity_ids, agent_keys, related_agent_keys, stored, timestamp)
         VALUES ($1, $2, 'h', $3, 'http://lms.test/courses/x', '{}', '{}', '{}', now(), now())`,
        [id, statement, `http://adlnet.gov/expapi/verbs/${verb}`],
      );
      await api.dataSource.query(
        `INSERT INTO lrs_delivery (endpoint_id, statement_id, batch_id, state, attempts, last_error, dead_at) VALUES ($1, $2, gen_random_uuid(), 'dead', 10, 'the LRS could not be reached (ECONNREFUSED)', now())`,
        [endpointId, id],
      );
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  it('an admin finds the page in the console navigation, reads the dead letters and sends them again', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, admin.email, PASSWORD);
    await page.goto(`${base}/console/admin/jobs`, { waitUntil: 'load' });
    await clickAndWait(page, '::-p-aria(External LRSs)');
    expect(page.url()).toBe(`${base}/console/admin/lrs`);
    const before = await mainText(page);
    expect(before).toContain('Ministry LRS');
    expect(before).toContain('Records that could not be delivered');
    expect(before).toContain('ECONNREFUSED');
    expect(before).not.toContain('ministry-secret');
    await expectAccessible(page, 'lrs phone', 'console-lrs');
    await page.setViewport(DESKTOP);
    await expectAccessible(page, 'lrs desktop', 'console-lrs-desktop');

    await clickAndWait(page, `form[action="/console/admin/lrs/${endpointId}/retry"] button`);
    expect(page.url()).toBe(`${base}/console/admin/lrs?requeued=2`);
    expect(await mainText(page)).toContain('2 records were put back in the queue.');
    await expectAccessible(page, 'lrs after retry');
    const audit = (await api.dataSource.query(`SELECT action, after FROM audit_event WHERE subject_id = $1 AND action = 'lrs_endpoint.dead_letters_requeued'`, [endpointId])) as Array<{ after: unknown }>;
    expect(audit.map((a) => a.after)).toEqual([{ requeued: 2 }]);
    await context.close();
  }, 120_000);
});
