import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { OrgUnit, User } from '@lms/identity';
import { EmailSender, MAX_SEND_ATTEMPTS, ReminderSweep } from '@lms/notifications';
import { anOrgUnit, aUser, drainJobs, startApi, type TestApi, tokenFor } from '@lms/testing';
import { aCourse, anEnrolment, emailsOf, setClock, type TestCourse } from './notifications-fixtures.js';

interface Received {
  to: string[];
  raw: string;
}

/** A local SMTP server that refuses the next `rejectNext` messages with 451 (try later), and every mail to bounce-…@ with 550. */
class TestSmtp {
  received: Received[] = [];
  rejectNext = 0;
  rejected = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (address.address.startsWith('bounce-')) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (this.rejectNext > 0) {
          this.rejectNext--;
          this.rejected++;
          return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
        }
        this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  countTo(address: string): number {
    return this.received.filter((r) => r.to.includes(address)).length;
  }
}

describe('E-mail delivery over SMTP: retries, never twice, failures visible', () => {
  const smtp = new TestSmtp();
  let api: TestApi;
  let unit: OrgUnit;
  let course: TestCourse;
  let admin: User;

  beforeAll(async () => {
    const port = await smtp.start();
    api = await startApi({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
    unit = await anOrgUnit(api.dataSource);
    course = await aCourse(api.dataSource);
    admin = await aUser(api.dataSource, { orgUnit: unit, roles: [{ role: 'admin' }] });
  });

  afterAll(async () => {
    await api.close();
    await smtp.stop();
  });

  it('SMTP refusing the first messages, then recovering: every digest is delivered exactly once', async () => {
    const ds = api.dataSource;
    const learners: User[] = [];
    for (let i = 0; i < 3; i++) {
      const u = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
      await anEnrolment(ds, u, course, { dueAt: '2026-03-13T12:00:00Z' });
      learners.push(u);
    }
    smtp.rejectNext = 3;
    const result = await api.app.get(ReminderSweep).run(setClock(api, '2026-03-10T08:00:00Z'));
    expect(result.emails).toBe(3);
    // the send jobs fail, back off (5 s) and retry through the queue
    await drainJobs(api, 60_000);
    expect(smtp.rejected).toBe(3);
    expect(smtp.received).toHaveLength(3);
    for (const u of learners) expect(smtp.countTo(u.email)).toBe(1);
    const rows = (await Promise.all(learners.map((u) => emailsOf(ds, u.id)))).flat();
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(6); // each message: one refused attempt, one delivered
    const raw = smtp.received.find((r) => r.to.includes(learners[0].email))!.raw;
    const first = (await emailsOf(ds, learners[0].id))[0];
    expect(raw).toContain(`Message-ID: <${first.id}@lms.test>`);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?Q\?Your_learning_reminders/m); // MIME-encoded (the subject has an en dash)
    expect(raw).toContain(`Open the course: http://lms.test/courses/${course.slug}`);
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');

    // the sweep and the jobs again, the same morning: nothing is sent twice
    await api.app.get(ReminderSweep).run(setClock(api, '2026-03-10T08:30:00Z'));
    await drainJobs(api);
    expect(smtp.received).toHaveLength(3);
  });

  it('a send job that runs again, or a sender that died mid-send, never duplicates a delivered message', async () => {
    const ds = api.dataSource;
    const u = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
    await anEnrolment(ds, u, course, { dueAt: '2026-04-13T12:00:00Z' });
    await api.app.get(ReminderSweep).run(setClock(api, '2026-04-10T08:00:00Z'));
    await drainJobs(api);
    const [msg] = await emailsOf(ds, u.id);
    expect(msg.state).toBe('sent');
    const sender = api.app.get(EmailSender);
    await expect(sender.send(msg.id, 1)).resolves.toBe('skipped');
    expect(smtp.countTo(u.email)).toBe(1);

    // a sender claimed another message and died: after the lease it is sent (once) by the next attempt
    const v = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
    const [row] = (await ds.query(
      `INSERT INTO email_message (user_id, to_address, dedupe_key, locale, subject, text_body, html_body, state, attempts, last_attempt_at)
       VALUES ($1, $2, 'test:crashed', 'en', 'Crashed mid-send', 'text', '<p>html</p>', 'sending', 1, $3) RETURNING id`,
      [v.id, v.email, '2026-04-10T08:00:00Z'],
    )) as Array<{ id: string }>;
    setClock(api, '2026-04-10T08:05:00Z');
    await expect(sender.send(row.id, 2)).resolves.toBe('skipped'); // still within the lease: maybe still being sent
    setClock(api, '2026-04-10T08:11:00Z');
    await expect(sender.send(row.id, 2)).resolves.toBe('sent');
    await expect(sender.send(row.id, 3)).resolves.toBe('skipped');
    expect(smtp.countTo(v.email)).toBe(1);
    expect((await emailsOf(ds, v.id))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('after the last attempt (or a permanent refusal) the failure is recorded and listed for administrators, who can retry it', async () => {
    const ds = api.dataSource;
    const adminToken = await tokenFor(api.config, admin);
    const sender = api.app.get(EmailSender);

    // a mailbox the server does not know: 550, no point retrying
    const bouncer = await aUser(ds, { orgUnit: unit, timeZone: 'UTC', email: `bounce-${Date.now()}@test.lms` });
    await anEnrolment(ds, bouncer, course, { dueAt: '2026-05-13T12:00:00Z' });
    await api.app.get(ReminderSweep).run(setClock(api, '2026-05-10T08:00:00Z'));
    await drainJobs(api);
    const [bounced] = await emailsOf(ds, bouncer.id);
    expect(bounced).toMatchObject({ state: 'failed', attempts: 1 });
    expect(bounced.lastError).toMatch(/550|No such mailbox/);

    // a temporary failure on the queue's last attempt
    const u = await aUser(ds, { orgUnit: unit, timeZone: 'UTC' });
    const [row] = (await ds.query(
      `INSERT INTO email_message (user_id, to_address, dedupe_key, locale, subject, text_body, html_body, state, attempts)
       VALUES ($1, $2, 'test:last-attempt', 'en', 'Last attempt', 'text', '<p>html</p>', 'retrying', $3) RETURNING id`,
      [u.id, u.email, MAX_SEND_ATTEMPTS - 1],
    )) as Array<{ id: string }>;
    smtp.rejectNext = 1;
    await expect(sender.send(row.id, MAX_SEND_ATTEMPTS)).resolves.toBe('failed');
    expect((await emailsOf(ds, u.id))[0]).toMatchObject({ state: 'failed', attempts: MAX_SEND_ATTEMPTS });

    const page = await api.http.get('/api/v1/admin/notifications/failed?limit=1').set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(page.body).toMatchObject({ page: 1, limit: 1, total: 2 });
    expect(page.body.items).toHaveLength(1);
    const all = await api.http.get('/api/v1/admin/notifications/failed').set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual([bounced.id, row.id].sort());
    expect(all.body.items.find((i: { id: string }) => i.id === row.id)).toMatchObject({ toAddress: u.email, attempts: MAX_SEND_ATTEMPTS, lastError: expect.stringMatching(/451|busy/) });

    // only administrators
    const learnerToken = await tokenFor(api.config, u);
    await api.http.get('/api/v1/admin/notifications/failed').set('Authorization', `Bearer ${learnerToken}`).expect(403);
    await api.http.get('/api/v1/admin/notifications/failed').expect(401);
    await api.http.get('/api/v1/admin/notifications/failed?limit=1000').set('Authorization', `Bearer ${adminToken}`).expect(400);

    // retry: queued again, sent once by its job, gone from the failed list
    const before = smtp.countTo(u.email);
    await api.http.post(`/api/v1/admin/notifications/failed/${row.id}/retry`).set('Authorization', `Bearer ${adminToken}`).expect(202, { id: row.id, state: 'queued' });
    await drainJobs(api);
    expect(smtp.countTo(u.email)).toBe(before + 1);
    expect((await emailsOf(ds, u.id))[0].state).toBe('sent');
    await api.http.post(`/api/v1/admin/notifications/failed/${row.id}/retry`).set('Authorization', `Bearer ${adminToken}`).expect(404);
    await api.http.post('/api/v1/admin/notifications/failed/not-a-uuid/retry').set('Authorization', `Bearer ${adminToken}`).expect(400);
    const after = await api.http.get('/api/v1/admin/notifications/failed').set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(after.body.total).toBe(1);
  });
});

