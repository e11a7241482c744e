import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv, freePort, runNode, RunningProcess, waitForStatus } from '@lms/testing';
import { threeSessions } from './events-fixtures.js';

const API = 'dist/apps/api/src/main.js';

/**
 * Embedded mode (PGlite, one database connection, jobs in-process): the built API registers and
 * cancels over HTTP, and the invitation and its cancellation leave as .eml files — no transaction
 * waits on a second connection.
 */
describe('events in embedded mode (real process from dist/)', () => {
  let proc: RunningProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-embedded-events-'));
  afterAll(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const mailWith = async (needle: string, timeoutMs = 30_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let files: string[];
      try {
        files = readdirSync(join(dataDir, 'mail')).filter((f) => f.endsWith('.eml'));
      } catch {
        files = []; // no e-mail written yet
      }
      for (const f of files) {
        const text = readFileSync(join(dataDir, 'mail', f), 'utf8');
        if (text.includes(needle)) return text;
      }
      await sleep(200);
    }
    throw new Error(`no e-mail with ${needle} after ${timeoutMs} ms:\n${proc?.output() ?? ''}`);
  };

  it('registers, sends the invitation, cancels and sends the CANCEL', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = runNode(API, cleanEnv({ DATA_DIR: dataDir, PORT: String(port), IMPORT_COURSES_ON_START: 'false', ADMIN_EMAIL: 'admin@embedded.test', ADMIN_PASSWORD: 'embedded admin passphrase 1', PUBLIC_URL: 'http://lms.embedded', MFA_REQUIRED_ROLES: 'none' }));
    // A first start on PGlite runs every migration in WebAssembly: well under a minute idle, longer on a loaded machine.
    await waitForStatus(`${base}/health/ready`, 200, 150_000, proc);
    const call = async (method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const login = await call('POST', '/api/v1/auth/login', undefined, { email: 'admin@embedded.test', password: 'embedded admin passphrase 1' });
    expect(login.status).toBe(200);
    const token = String(login.body.accessToken);
    const unit = await call('POST', '/api/v1/org-units', token, { code: 'EMB-SCHOOL', name: 'Embedded school', kind: 'school' });
    expect(unit.status).toBe(201);
    const event = await call('POST', '/api/v1/events', token, { title: 'Embedded webinar', ownerOrgUnitId: unit.body.id, capacity: 5, sessions: threeSessions(new Date(), 5).slice(2) });
    expect(event.status).toBe(201);
    const reg = await call('POST', `/api/v1/events/${String(event.body.id)}/registrations`, token, {});
    expect(reg.body.status).toBe('booked');
    const invite = await mailWith('METHOD:REQUEST');
    expect(invite).toContain('Embedded webinar');
    const cancelled = await call('POST', `/api/v1/event-registrations/${String(reg.body.id)}/cancel`, token, { reason: 'Changed plans' });
    expect(cancelled.status).toBe(200);
    const cancel = await mailWith('METHOD:CANCEL');
    expect(cancel).toContain('SEQUENCE:2');
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  }, 240_000);
});
