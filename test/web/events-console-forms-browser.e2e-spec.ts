/// <reference lib="dom" />
import QRCode from 'qrcode';
import type { Page } from 'puppeteer-core';
import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, phone, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { DAY } from '../events/events-fixtures.js';

const PASSWORD = 'workshop-forms-in-a-browser-5';
const PHONE = phone(360, 720);

/** A `datetime-local` value some days from now at a wall-clock hour. */
function localAt(days: number, hour: number): string {
  const d = new Date(Date.now() + days * DAY);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

/** Sets a control's value; with JavaScript off in the page, locators (which poll in the page) do not work, queries do. */
async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(selector, (el, v) => ((el as HTMLInputElement).value = v), value);
}

/** axe runs in the page: JavaScript on for the check only, then off again (the forms themselves are tested without it). */
async function accessible(page: Page, label: string, shot?: string): Promise<void> {
  await page.setJavaScriptEnabled(true);
  await expectAccessible(page, label, shot);
  await page.setJavaScriptEnabled(false);
}

/** Fills the control with this accessible name. */
async function fill(page: Page, label: string, value: string): Promise<void> {
  await setValue(page, `::-p-aria(${label})`, value);
}

describe('workshop console forms in a real browser (Chromium, phone, JavaScript off): create, edit, sessions, register people, QR check-in', () => {
  let api: TestApi;
  let base: string;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let hr: User;
  let trainer: User;
  let ana: User;
  let boris: User;
  let learnerOutside: User;
  let browser: LaunchedBrowser;
  let eventId = '';

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministarstvo finansija' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Sektor za budžet' });
    const other = await anOrgUnit(api.dataSource, { name: 'Drugo ministarstvo' });
    hr = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, displayName: 'Vesna Kadrovska', roles: [{ role: 'hr', scope: ministry }] });
    trainer = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, displayName: 'Jelena Trenerka' });
    ana = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Ana Anić' });
    boris = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Boris Borić' });
    learnerOutside = await aUser(api.dataSource, { orgUnit: other, password: PASSWORD, displayName: 'Ceca Spolja' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeBrowsers(browser);
    await api?.close();
  });

  it('HR creates an event on a phone without JavaScript: errors next to the fields, then the event; edits it, adds and removes a session', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/console/events`, { waitUntil: 'load' });
    await clickAndWait(page, '::-p-aria(New event[role="link"])', 'page');
    await expect(page.$eval('h1', (h) => h.textContent)).resolves.toBe('New event');
    await accessible(page, 'new event form');

    // Bad input: the form comes back (400) with the messages, in the summary and at the fields.
    await fill(page, 'Seats', 'lots');
    await setValue(page, '#startsAt', localAt(20, 10));
    await setValue(page, '#endsAt', localAt(20, 9));
    const [bad] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Create event[role="button"])')]);
    expect(bad?.status()).toBe(400);
    const errors = await mainText(page);
    for (const m of ['There is a problem', 'Enter a title.', 'Choose the organising unit.', 'Enter a number of seats from 1 to 100,000.', 'The session must end after it starts.', 'Enter an address or an online link.']) {
      expect(errors).toContain(m);
    }
    await expect(page.$eval('#capacity', (i) => (i as HTMLInputElement).value)).resolves.toBe('lots');
    await expect(page.$eval('#endsAt', (i) => i.getAttribute('aria-describedby'))).resolves.toBe('endsAt-error');
    await accessible(page, 'new event form with errors');

    await fill(page, 'Title', 'Radionica: javne nabavke');
    await fill(page, 'Seats', '1');
    await page.select('#ownerOrgUnitId', ministry.id);
    await page.select('#language', 'sr-Latn');
    await setValue(page, '#audienceUnits', `${ministry.code}, NO-SUCH-UNIT`);
    await setValue(page, '#endsAt', localAt(20, 14));
    await fill(page, 'Address', 'Kneza Miloša 20, Beograd');
    await clickAndWait(page, '::-p-aria(Create event[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('No unit has these codes: NO-SUCH-UNIT');
    await setValue(page, '#audienceUnits', ministry.code);
    await clickAndWait(page, '::-p-aria(Create event[role="button"])', 'page');
    expect(page.url()).toMatch(/\/console\/events\/[0-9a-f-]{36}\/edit\?done=created$/);
    eventId = /events\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    await expect(mainText(page)).resolves.toContain('The event was created.');
    await accessible(page, 'edit event', 'events-console-edit');

    // The event as the API sees it: times read in the session's zone (Belgrade), the audience by unit.
    const bearer = `Bearer ${await tokenFor(api.config, hr)}`;
    const created = (await api.http.get(`/api/v1/events/${eventId}`).set({ Authorization: bearer }).expect(200)).body as {
      title: string;
      capacity: number;
      language: string;
      audience: { orgUnitIds: string[] };
      sessions: Array<{ startsAt: string; timeZone: string }>;
    };
    expect(created).toMatchObject({ title: 'Radionica: javne nabavke', capacity: 1, language: 'sr-Latn', audience: { orgUnitIds: [ministry.id] } });
    const start = new Date(created.sessions[0].startsAt);
    const belgradeHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Belgrade', hour: '2-digit', hourCycle: 'h23' }).format(start);
    expect(belgradeHour).toBe('10');

    // Add a session: a bad one first, then a good one (online), then remove it.
    await setValue(page, '#startsAt', localAt(21, 10));
    await setValue(page, '#endsAt', localAt(21, 12));
    const [noPlace] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Add session[role="button"])')]);
    expect(noPlace?.status()).toBe(400);
    await expect(mainText(page)).resolves.toContain('Enter an address or an online link.');
    await fill(page, 'Online link', 'https://meet.example.org/nabavke');
    await clickAndWait(page, '::-p-aria(Add session[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('Session added.');
    await expect(page.$$eval('ol.sessions > li', (n) => n.length)).resolves.toBe(2);
    // Change the first session in its own form: without a place it comes back open with the message; then a new address.
    await page.click('ol.sessions > li:nth-child(1) summary');
    await setValue(page, '#s1-venueAddress', '');
    const [noAddress] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('ol.sessions > li:nth-child(1) details form button')]);
    expect(noAddress?.status()).toBe(400);
    await expect(mainText(page)).resolves.toContain('Enter an address or an online link.');
    await expect(page.$eval('#s1-venueAddress', (i) => i.getAttribute('aria-describedby'))).resolves.toBe('s1-venueAddress-hint s1-venueAddress-error');
    await accessible(page, 'edit event with a session error');
    await setValue(page, '#s1-venueAddress', 'Kneza Miloša 22, Beograd');
    await clickAndWait(page, 'ol.sessions > li:nth-child(1) details form button', 'page');
    await expect(mainText(page)).resolves.toContain('Session changed.');
    await expect(page.$eval('ol.sessions > li:nth-child(1)', (n) => n.textContent)).resolves.toContain('Kneza Miloša 22, Beograd');
    await clickAndWait(page, 'ol.sessions > li:nth-child(2) form[action$="/cancel"] button', 'page');
    await expect(mainText(page)).resolves.toContain('Session removed.');
    await expect(page.$eval('ol.sessions > li:nth-child(2)', (n) => n.textContent)).resolves.toContain('Session cancelled');

    // Edit: a bad capacity comes back with its message; a good one is saved.
    await fill(page, 'Seats', '0');
    const [badEdit] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Save changes[role="button"])')]);
    expect(badEdit?.status()).toBe(400);
    await expect(mainText(page)).resolves.toContain('Enter a number of seats from 1 to 100,000.');
    await fill(page, 'Seats', '1');
    await fill(page, 'Title', 'Radionica: javne nabavke 2027');
    await page.select('#approval', 'all');
    await clickAndWait(page, '::-p-aria(Save changes[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('Changes saved.');
    await expect(page.$eval('#title', (i) => (i as HTMLInputElement).value)).resolves.toBe('Radionica: javne nabavke 2027');
    await expect(page.$eval('#approval', (i) => (i as HTMLSelectElement).value)).resolves.toBe('all');
    await context.close();
  }, 90_000);

  it('a learner and a manager-less colleague cannot open the forms; HR registers people from the event page (seat, waiting list, not found)', async () => {
    const learnerPage = await (await browser.browser.createBrowserContext()).newPage();
    await learnerPage.setViewport(PHONE);
    await signIn(learnerPage, base, ana.email, PASSWORD);
    for (const path of ['/console/events/new', `/console/events/${eventId}/edit`, `/console/events/${eventId}/check-in`]) {
      const res = await learnerPage.goto(`${base}${path}`, { waitUntil: 'load' });
      expect({ path, status: res?.status() }).toEqual({ path, status: 403 });
    }
    await learnerPage.browserContext().close();

    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/console/events/${eventId}`, { waitUntil: 'load' });
    await fill(page, 'E-mail addresses', `${ana.email}\n${learnerOutside.email}\nnobody@example.org`);
    await clickAndWait(page, '::-p-aria(Register[role="button"])', 'page');
    let text = await mainText(page);
    expect(text).toContain(`Ana Anić <${ana.email}>: Booked`);
    expect(text).toContain(`${learnerOutside.email}: not found among the people you may register`);
    expect(text).toContain('nobody@example.org: not found among the people you may register');
    await accessible(page, 'console event after registering people', 'events-console-register');

    // From the search list: one seat only, so Boris waits; Ana again is already registered.
    await fill(page, 'Name or e-mail address', 'Sektor');
    await clickAndWait(page, '::-p-aria(Find[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('No one matches.');
    await fill(page, 'Name or e-mail address', 'Bor');
    await clickAndWait(page, '::-p-aria(Find[role="button"])', 'page');
    await page.click(`::-p-aria(Boris Borić ${boris.email}[role="checkbox"])`);
    await fill(page, 'E-mail addresses', ana.email);
    await clickAndWait(page, '::-p-aria(Register[role="button"])', 'page');
    text = await mainText(page);
    expect(text).toContain(`Ana Anić <${ana.email}>: already registered: Booked`);
    expect(text).toContain('Boris Borić: On the waiting list (number 1)');
    await context.close();
  }, 60_000);

  it('the booked learner shows a QR code of the check-in address; the trainer confirms on a phone without JavaScript, by scan and by short code; forged and other-event codes are refused', async () => {
    const bearer = `Bearer ${await tokenFor(api.config, hr)}`;
    await api.http
      .patch(`/api/v1/events/${eventId}`)
      .set({ Authorization: bearer })
      .send({ trainers: [{ userId: trainer.id }], capacity: 2 })
      .expect(200);
    // A second event where Ana is booked too: her code there is not a code here.
    const at = (days: number, hour: number): string => {
      const d = new Date(Date.now() + days * DAY);
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour)).toISOString();
    };
    const second = (
      await api.http
        .post('/api/v1/events')
        .set({ Authorization: bearer })
        .send({ title: 'Druga radionica', capacity: 5, ownerOrgUnitId: ministry.id, sessions: [{ startsAt: at(30, 8), endsAt: at(30, 10), timeZone: 'Europe/Belgrade', venueAddress: 'Sala 3' }] })
        .expect(201)
    ).body as { id: string };
    const otherReg = (await api.http.post(`/api/v1/events/${second.id}/registrations`).set({ Authorization: bearer }).send({ userId: ana.id }).expect(201)).body as { id: string };
    const anaBearer = `Bearer ${await tokenFor(api.config, ana)}`;
    const otherToken = ((await api.http.get(`/api/v1/event-registrations/${otherReg.id}/check-in`).set({ Authorization: anaBearer }).expect(200)).body as { token: string }).token;

    // The learner's page: an SVG QR code of the absolute check-in address, and the short code under it.
    const lc = await browser.browser.createBrowserContext();
    const lp = await lc.newPage();
    await lp.setViewport(PHONE);
    await signIn(lp, base, ana.email, PASSWORD);
    await lp.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    const mine = (await api.http.get('/api/v1/me/event-registrations').set({ Authorization: anaBearer }).expect(200)).body as { items: Array<{ id: string; eventId: string }> };
    const regId = mine.items.find((r) => r.eventId === eventId)!.id;
    const token = ((await api.http.get(`/api/v1/event-registrations/${regId}/check-in`).set({ Authorization: anaBearer }).expect(200)).body as { token: string }).token;
    const url = `${api.config.publicUrl}/console/events/${eventId}/check-in?code=${encodeURIComponent(token)}`;
    // The modules drawn on the page are those of a QR code of exactly this address.
    const drawn = await lp.$eval('figure.qr svg path[stroke]', (p) => p.getAttribute('d'));
    const expected = /stroke="#000000" d="([^"]+)"/.exec(await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }))![1];
    expect(drawn).toBe(expected);
    const shortCode = await lp.$eval('figure.qr + p code', (c) => c.textContent ?? '');
    expect(shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    await expectAccessible(lp, 'event with check-in QR code');
    // The participant's own phone opening the address: not theirs to confirm.
    const own = await lp.goto(`${base}/console/events/${eventId}/check-in?code=${encodeURIComponent(token)}`, { waitUntil: 'load' });
    expect(own?.status()).toBe(403);
    await lc.close();

    const tc = await browser.browser.createBrowserContext();
    const tp = await tc.newPage();
    await tp.setViewport(PHONE);
    // Not signed in yet: the scan leads to sign-in and back to the same check-in page.
    await tp.goto(`${base}/console/events/${eventId}/check-in?code=${encodeURIComponent(token)}`, { waitUntil: 'load' });
    expect(new URL(tp.url()).pathname).toBe('/sign-in');
    await fill(tp, 'E-mail address', trainer.email);
    await fill(tp, 'Password', PASSWORD);
    await clickAndWait(tp, '::-p-aria(Sign in[role="button"])');
    expect(tp.url()).toBe(`${base}/console/events/${eventId}/check-in?code=${encodeURIComponent(token)}`);
    await tp.setJavaScriptEnabled(false);
    await tp.reload({ waitUntil: 'load' });
    let text = await mainText(tp);
    expect(text).toContain('Ana Anić');
    // The first (scheduled) session is chosen; one tap confirms.
    await expect(tp.$$eval('input[name="sessionId"]:checked', (n) => n.length)).resolves.toBe(1);
    await accessible(tp, 'check-in page', 'events-check-in');
    await clickAndWait(tp, '::-p-aria(Confirm attendance[role="button"])', 'page');
    text = await mainText(tp);
    expect(text).toContain('Ana Anić is marked present for the session of');
    expect(text).toContain('Present');

    // A forged code and a code of another event: a clear 400 page with the code form.
    for (const code of [`${regId}.forged-mac`, otherToken, 'ZZZZZ-ZZZZZ']) {
      const res = await tp.goto(`${base}/console/events/${eventId}/check-in?code=${encodeURIComponent(code)}`, { waitUntil: 'load' });
      expect(res?.status()).toBe(400);
      await expect(mainText(tp)).resolves.toContain('This code does not belong to a participant with a seat at this event.');
    }
    await accessible(tp, 'check-in with a bad code');

    // The short code typed on the attendance page of the session (Boris got the second seat when capacity grew).
    const event = (await api.http.get(`/api/v1/events/${eventId}`).set({ Authorization: bearer }).expect(200)).body as { sessions: Array<{ id: string; status: string }> };
    const sessionId = event.sessions.find((s) => s.status === 'scheduled')!.id;
    const borisBearer = `Bearer ${await tokenFor(api.config, boris)}`;
    const borisRegs = (await api.http.get('/api/v1/me/event-registrations').set({ Authorization: borisBearer }).expect(200)).body as { items: Array<{ id: string; eventId: string; status: string }> };
    const borisReg = borisRegs.items.find((r) => r.eventId === eventId)!;
    // The seat freed by the larger capacity was offered to Boris; he takes it.
    expect(borisReg.status).toBe('offered');
    await api.http.post(`/api/v1/event-registrations/${borisReg.id}/confirm`).set({ Authorization: borisBearer }).expect(200);
    const bp = await (await browser.browser.createBrowserContext()).newPage();
    await signIn(bp, base, boris.email, PASSWORD);
    await bp.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    const borisCode = await bp.$eval('figure.qr + p code', (c) => c.textContent ?? '');
    await bp.browserContext().close();

    await tp.goto(`${base}/console/events/${eventId}/sessions/${sessionId}`, { waitUntil: 'load' });
    await fill(tp, "Code under the participant's QR code", borisCode.toLowerCase().replace('-', ' '));
    await clickAndWait(tp, '::-p-aria(Find participant[role="button"])', 'page');
    await expect(mainText(tp)).resolves.toContain('Boris Borić');
    await clickAndWait(tp, '::-p-aria(Confirm attendance[role="button"])', 'page');
    await expect(mainText(tp)).resolves.toContain('Boris Borić is marked present for the session of');
    await tp.goto(`${base}/console/events/${eventId}/sessions/${sessionId}`, { waitUntil: 'load' });
    await expect(tp.$$eval('input[value="present"]:checked', (n) => n.length)).resolves.toBe(2);
    await expect(mainText(tp)).resolves.toContain('checked in by QR code');

    // The confirm needs the CSRF token.
    await tp.setJavaScriptEnabled(true);
    await tp.goto(`${base}/console/events/${eventId}/check-in`, { waitUntil: 'load' });
    const forged = await tp.evaluate(
      async (id, code, session) =>
        (await fetch(`/console/events/${id}/check-in`, { method: 'POST', body: new URLSearchParams({ code, sessionId: session }), redirect: 'manual' })).status,
      eventId,
      token,
      sessionId,
    );
    expect(forged).toBe(403);
    await tc.close();
  }, 120_000);
  it('HR creates an event in Macedonian with a trainer picked by e-mail and an external trainer; the trainer then runs it from the console', async () => {
    const marko = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Marko Predavač' });
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, hr.email, PASSWORD);
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/console/events/new`, { waitUntil: 'load' });
    await fill(page, 'Title', 'Obuka predavača');
    await fill(page, 'Seats', '12');
    await page.select('#ownerOrgUnitId', ministry.id);
    await page.select('#language', 'mk');
    await setValue(page, '#startsAt', localAt(30, 9));
    await setValue(page, '#endsAt', localAt(30, 12));
    await fill(page, 'Address', 'Nemanjina 22, Beograd');
    // Someone HR cannot see is refused at the field, like an unknown address; what was typed stays.
    await fill(page, 'Trainers with an account (e-mail addresses)', `${marko.email}\n${learnerOutside.email}`);
    await fill(page, 'External trainers (names)', 'Dr Petra Spoljna\n\n');
    const [bad] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('::-p-aria(Create event[role="button"])')]);
    expect(bad?.status()).toBe(400);
    await expect(mainText(page)).resolves.toContain(`No person you can see has this e-mail address: ${learnerOutside.email.toLowerCase()}.`);
    await expect(page.$eval('#trainerEmails', (i) => i.getAttribute('aria-describedby'))).resolves.toBe('trainerEmails-hint trainerEmails-error');
    await expect(page.$eval('#trainerNames', (i) => (i as HTMLTextAreaElement).value)).resolves.toContain('Dr Petra Spoljna');
    await accessible(page, 'new event form with a trainer error');
    await fill(page, 'Trainers with an account (e-mail addresses)', marko.email);
    await clickAndWait(page, '::-p-aria(Create event[role="button"])', 'page');
    expect(page.url()).toMatch(/\/console\/events\/[0-9a-f-]{36}\/edit\?done=created$/);
    const id = /events\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    await expect(page.$eval('#trainerEmails', (i) => (i as HTMLTextAreaElement).value)).resolves.toBe(marko.email);
    await expect(page.$eval('#trainerNames', (i) => (i as HTMLTextAreaElement).value)).resolves.toBe('Dr Petra Spoljna');
    await expect(page.$eval('#language', (i) => (i as HTMLSelectElement).value)).resolves.toBe('mk');
    await accessible(page, 'edit event with trainers');

    const bearer = `Bearer ${await tokenFor(api.config, hr)}`;
    const created = (await api.http.get(`/api/v1/events/${id}`).set({ Authorization: bearer }).expect(200)).body as {
      language: string;
      trainers: Array<{ userId: string | null; name: string }>;
    };
    expect(created.language).toBe('mk');
    expect(created.trainers).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: marko.id, name: 'Marko Predavač' }), expect.objectContaining({ userId: null, name: 'Dr Petra Spoljna' })]),
    );
    expect(created.trainers).toHaveLength(2);
    // The API takes any BCP 47 tag, stored canonical, and refuses what is not one (400 naming the field).
    await api.http.patch(`/api/v1/events/${id}`).set({ Authorization: bearer }).send({ language: 'SR-latn' }).expect(200);
    await expect(api.dataSource.query(`SELECT language FROM live_event WHERE id = $1`, [id])).resolves.toEqual([{ language: 'sr-Latn' }]);
    const refused = await api.http.patch(`/api/v1/events/${id}`).set({ Authorization: bearer }).send({ language: 'not a tag!' }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('language');
    await api.http.patch(`/api/v1/events/${id}`).set({ Authorization: bearer }).send({ language: 'de-AT' }).expect(200);
    // The form keeps a tag it does not list, and saving leaves the trainers as they are.
    await page.goto(`${base}/console/events/${id}/edit`, { waitUntil: 'load' });
    await expect(page.$eval('#language', (i) => (i as HTMLSelectElement).value)).resolves.toBe('de-AT');
    await clickAndWait(page, '::-p-aria(Save changes[role="button"])', 'page');
    await expect(mainText(page)).resolves.toContain('Changes saved.');
    const saved = (await api.http.get(`/api/v1/events/${id}`).set({ Authorization: bearer }).expect(200)).body as { language: string; trainers: unknown[] };
    expect(saved.language).toBe('de-AT');
    expect(saved.trainers).toHaveLength(2);
    await context.close();

    // The trainer sees the event in their console list and opens its participant and attendance page.
    const tc = await browser.browser.createBrowserContext();
    const tp = await tc.newPage();
    await tp.setViewport(PHONE);
    await signIn(tp, base, marko.email, PASSWORD);
    await tp.setJavaScriptEnabled(false);
    await tp.goto(`${base}/console/events`, { waitUntil: 'load' });
    await expect(mainText(tp)).resolves.toContain('Obuka predavača');
    await clickAndWait(tp, '::-p-aria(Obuka predavača[role="link"])', 'page');
    expect(new URL(tp.url()).pathname).toBe(`/console/events/${id}`);
    await expect(tp.$eval('h1', (h) => h.textContent)).resolves.toBe('Obuka predavača');
    await accessible(tp, 'trainer event page');
    await tc.close();
  }, 120_000);
});
