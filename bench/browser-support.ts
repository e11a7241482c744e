// Browser plumbing shared by the browser tests (test/web) and the page-weight benchmark (bench/web):
// Debian's Chromium through puppeteer-core, and a TCP relay that plays the network.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { Browser } from 'puppeteer-core';

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH overrides. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/lib/chromium/chromium-headless-shell'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('No Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return found;
}

export interface LaunchedBrowser {
  browser: Browser;
  userDataDir: string;
  close(): Promise<void>;
}

/** Headless Chromium with its own profile folder (kept across a relaunch when `userDataDir` is given). */
export async function launchBrowser(userDataDir = mkdtempSync(join(tmpdir(), 'lms-chromium-')), javascript = true): Promise<LaunchedBrowser> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--lang=en-GB',
      ...(javascript ? [] : ['--blink-settings=scriptEnabled=false']),
    ],
  });
  return {
    browser,
    userDataDir,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

export function removeProfile(dir: string): void {
  // Chromium's helper processes can still be writing to the profile for a moment after the browser
  // closed: retry instead of failing the suite's clean-up on ENOTEMPTY/EBUSY.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/**
 * A TCP relay between the browser and the app: the "link" a test can drop (connections refused,
 * open ones cut) or make lose every answer (requests reach the server, responses never come back).
 */
export class Link {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  state: 'up' | 'down' | 'answers-lost' = 'up';
  port = 0;
  /** Bytes the server sent towards the browser (headers and bodies, as on the wire). */
  bytesDown = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      if (this.state === 'down') {
        client.destroy();
        return;
      }
      const upstream = new Socket();
      upstream.connect(this.targetPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d: Buffer) => {
        if (this.state !== 'up') return;
        this.bytesDown += d.length;
        client.write(d);
      });
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** The link drops: every open connection is cut, new ones are refused. */
  down(): void {
    this.state = 'down';
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  up(): void {
    this.state = 'up';
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A free loopback port (to put into PUBLIC_URL before the app starts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
