/// <reference lib="dom" />
import type { OrgUnit, User } from '@lms/identity';
import { aUser, anOrgUnit, startApi, TestApi, tokenFor } from '@lms/testing';
import { clickAndWait, closeBrowsers, expectAccessible, launchBrowser, listenLocally, mainText, phone, signIn } from '../support/browser.js';
import type { LaunchedBrowser } from '../support/browser.js';
import { DAY, resetClock, setClock } from '../events/events-fixtures.js';

const PASSWORD = 'workshops-in-a-real-browser-7';
const PHONE = phone(360, 720);

describe('workshops in a real browser (Chromium): register, approve, attendance, evaluation and commitments; axe on every page', () => {
  let api: TestApi;
  let base: string;
  let ministry: OrgUnit;
  let dept: OrgUnit;
  let learner: User;
  let boss: User;
  let trainer: User;
  let hr: User;
  let browser: LaunchedBrowser;
  let eventId: string;
  let lastStart: Date;

  beforeAll(async () => {
    api = await startApi();
    base = await listenLocally(api);
    ministry = await anOrgUnit(api.dataSource, { name: 'Ministarstvo državne uprave' });
    dept = await anOrgUnit(api.dataSource, { parent: ministry, name: 'Sektor za digitalizaciju' });
    hr = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, displayName: 'Vesna HR', roles: [{ role: 'hr', scope: ministry }] });
    boss = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Dragana Rukovodilac' });
    learner = await aUser(api.dataSource, { orgUnit: dept, password: PASSWORD, displayName: 'Milica Petrović', manager: boss });
    trainer = await aUser(api.dataSource, { orgUnit: ministry, password: PASSWORD, displayName: 'Jelena Trenerka' });
    const at = (days: number, hour: number): Date => {
      const d = new Date(Date.now() + days * DAY);
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, 0, 0));
    };
    lastStart = at(11, 8);
    const bearer = `Bearer ${await tokenFor(api.config, hr)}`;
    const created = await api.http
      .post('/api/v1/events')
      .set({ Authorization: bearer })
      .send({
        title: 'Radionica: AI u javnoj upravi',
        description: 'Dvodnevna hibridna radionica o primeni veštačke inteligencije.',
        language: 'sr-Latn',
        capacity: 12,
        ownerOrgUnitId: ministry.id,
        approval: { mode: 'units', orgUnitIds: [dept.id], escalateAfterDays: 3 },
        trainers: [{ userId: trainer.id }, { externalName: 'Dr Ana Spoljna' }],
        sessions: [
          { startsAt: at(10, 8).toISOString(), endsAt: at(10, 14).toISOString(), timeZone: 'Europe/Belgrade', venueName: 'Palata Srbije, sala 2', venueAddress: 'Bulevar Mihajla Pupina 2, Beograd' },
          { startsAt: lastStart.toISOString(), endsAt: at(11, 12).toISOString(), timeZone: 'Europe/Belgrade', onlineUrl: 'https://meet.example.org/ai-radionica' },
        ],
      })
      .expect(201);
    eventId = (created.body as { id: string }).id;
    await api.http
      .put(`/api/v1/events/${eventId}/questionnaire`)
      .set({ Authorization: bearer })
      .send({
        anonymous: true,
        questions: [
          { id: 'useful', type: 'scale', text: { en: 'How useful was the workshop?', 'sr-Latn': 'Koliko vam je radionica bila korisna?' }, max: 5 },
          { id: 'comment', type: 'text', text: { en: 'What would you change?', 'sr-Latn': 'Šta biste promenili?' } },
        ],
      })
      .expect(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    if (api) resetClock(api);
    await closeBrowsers(browser);
    await api?.close();
  });

  it('a learner at phone width finds the event and registers; the request waits for the manager', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, learner.email, PASSWORD);
    await clickAndWait(page, 'nav.nav a[href="/events"]');
    await expect(mainText(page)).resolves.toContain('Radionica: AI u javnoj upravi');
    await expectAccessible(page, 'events');
    await clickAndWait(page, `main a[href="/events/${eventId}"]`);
    await expect(mainText(page)).resolves.toContain('12 seats left of 12');
    await expectAccessible(page, 'event before registering');
    await clickAndWait(page, `form[action="/events/${eventId}/register"] button`);
    const after = await mainText(page);
    expect(after).toContain('Your registration was received.');
    expect(after).toContain('Waiting for approval');
    await expectAccessible(page, 'event pending approval');
    // Every form of these pages carries the CSRF token: the same posts without it are refused.
    const forged = await page.evaluate(async (id) => {
      const out: number[] = [];
      for (const path of [`/events/${id}/register`, `/events/${id}/cancel`, `/events/${id}/confirm`, `/events/${id}/evaluation`, `/events/${id}/commitments`, '/events/calendar-feed']) {
        out.push((await fetch(path, { method: 'POST', body: new URLSearchParams({ reason: 'forged' }), redirect: 'manual' })).status);
      }
      return out;
    }, eventId);
    expect(forged).toEqual([403, 403, 403, 403, 403, 403]);
    // The calendar feed: the secret address is shown once, as a webcal link too.
    await page.goto(`${base}/events`, { waitUntil: 'load' });
    await clickAndWait(page, 'form[action="/events/calendar-feed"] button');
    await expect(page.$eval('#feed-url', (n) => (n as HTMLInputElement).value)).resolves.toMatch(/\/calendar\/[A-Za-z0-9_-]{20,}\.ics$/);
    await expectAccessible(page, 'events with feed');
    await context.close();
  }, 60_000);

  it('the manager approves the request on My team; the learner is booked and sees the check-in QR code', async () => {
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, boss.email, PASSWORD);
    await page.goto(`${base}/console/team`, { waitUntil: 'load' });
    await expect(mainText(page)).resolves.toContain('Requests awaiting your approval');
    await expectAccessible(page, 'team with a request', 'events-manager-approval');
    await page.locator('textarea[name="reason"]').fill('Relevant for our digitalisation plan');
    await clickAndWait(page, 'button[value="approve"]');
    const after = await mainText(page);
    expect(after).toContain('The request was approved.');
    expect(after).toContain('No registration request is waiting for you.');
    await expectAccessible(page, 'team after approving');
    await context.close();

    const mine = await browser.browser.createBrowserContext();
    const lp = await mine.newPage();
    await lp.setViewport(PHONE);
    await signIn(lp, base, learner.email, PASSWORD);
    await lp.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    const booked = await mainText(lp);
    expect(booked).toContain('Booked');
    expect(booked).toContain('Join online');
    await expect(lp.$('figure.qr svg')).resolves.not.toBeNull();
    await expectAccessible(lp, 'event booked');
    await mine.close();
  }, 60_000);

  it('after the sessions the trainer marks attendance on a phone (once without JavaScript); the learner evaluates and records a commitment', async () => {
    setClock(api, new Date(lastStart.getTime() + 2 * 3_600_000));
    const context = await browser.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(PHONE);
    await signIn(page, base, trainer.email, PASSWORD);
    await page.goto(`${base}/console/events`, { waitUntil: 'load' });
    await expect(mainText(page)).resolves.toContain('Radionica: AI u javnoj upravi');
    await expectAccessible(page, 'console events (trainer)');
    await page.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    await clickAndWait(page, `a[href="/console/events/${eventId}"]`);
    await expect(mainText(page)).resolves.toContain('Milica Petrović');
    await expectAccessible(page, 'console event (trainer)');
    const sessions = await page.$$eval(`a[href^="/console/events/${eventId}/sessions/"]`, (n) => n.map((a) => a.getAttribute('href')!));
    expect(sessions).toHaveLength(2);
    await clickAndWait(page, `a[href="${sessions[0]}"]`);
    await page.locator('::-p-aria(Present[role="radio"])').click();
    await clickAndWait(page, 'main form button[type="submit"]');
    await expect(mainText(page)).resolves.toContain('Attendance was saved for 1 person.');
    await expectAccessible(page, 'attendance saved', 'events-trainer-attendance');
    // The second session with JavaScript off: the plain form still works.
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}${sessions[1]}`, { waitUntil: 'load' });
    await page.click('::-p-aria(Present[role="radio"])');
    await clickAndWait(page, 'main form button[type="submit"]', 'page');
    await expect(mainText(page)).resolves.toContain('Attendance was saved for 1 person.');
    await page.setJavaScriptEnabled(true);
    await page.goto(`${base}/console/events/${eventId}`, { waitUntil: 'load' });
    await expect(page.$$eval('#att-caption ~ tbody td', (n) => n.map((x) => x.textContent))).resolves.toEqual(['100%', 'Met']);
    await context.close();

    const mine = await browser.browser.createBrowserContext();
    const lp = await mine.newPage();
    await lp.setViewport(PHONE);
    await signIn(lp, base, learner.email, PASSWORD);
    await lp.goto(`${base}/events/${eventId}`, { waitUntil: 'load' });
    await expectAccessible(lp, 'event with evaluation and commitments');
    await lp.locator('#ev-1-5').click();
    await lp.locator('#ev-2').fill('More practical exercises, please.');
    await clickAndWait(lp, `form[action="/events/${eventId}/evaluation"] button`);
    await expect(mainText(lp)).resolves.toContain('Thank you: your answers were saved.');
    await lp.locator('#action').fill('Run the AI risk checklist for our two pilot services');
    await lp.$eval('#dueOn', (el) => ((el as HTMLInputElement).value = '2027-06-30'));
    await lp.locator('#partners').fill('Kancelarija za IT, Opština Novi Sad');
    await lp.select('#sdg', '16');
    await clickAndWait(lp, `form[action="/events/${eventId}/commitments"] button`);
    const committed = await mainText(lp);
    expect(committed).toContain('Your commitment was saved.');
    expect(committed).toContain('Run the AI risk checklist for our two pilot services');
    expect(committed).toContain('with Kancelarija za IT, Opština Novi Sad');
    await expectAccessible(lp, 'event after commitment', 'events-learner-commitment');
    await lp.locator('details summary::-p-text(Post a progress update)').click();
    await lp.locator('#note-0').fill('Checklist drafted with the IT office');
    await clickAndWait(lp, 'form[action$="/updates"] button');
    await expect(mainText(lp)).resolves.toContain('Your update was posted.');
    await mine.close();

    // The organiser sees the results, suppressed with one respondent, and the commitments kept (hidden under 5).
    const org = await browser.browser.createBrowserContext();
    const op = await org.newPage();
    await op.setViewport(PHONE);
    await signIn(op, base, hr.email, PASSWORD);
    await clickAndWait(op, 'nav.nav a[href="/console"]');
    await clickAndWait(op, '.console-nav a[href="/console/events"]');
    await clickAndWait(op, `main a[href="/console/events/${eventId}"]`);
    const organiser = await mainText(op);
    expect(organiser).toContain('1 person answered.');
    expect(organiser).toContain('Results are shown from 5 respondents on');
    expect(organiser).toContain('Groups of fewer than 5 commitments are not shown.');
    await expect(op.$eval(`a[href="/api/v1/events/${eventId}/reports/attendance?format=csv"]`, (a) => a.textContent)).resolves.toBe('Attendance by unit (CSV)');
    await expectAccessible(op, 'console event (organiser)', 'events-organiser');
    await org.close();
  }, 90_000);
});
