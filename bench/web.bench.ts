/// <reference lib="dom" />
// Benchmark: the learner's lesson page on a weak link. The real API app (production mode, real
// PostgreSQL, the starter catalog) serves a signed-in learner; Chromium on an emulated slow 3G
// link (400 kbit/s each way, 400 ms round trip) opens a lesson with an empty cache. Next to it, in
// the same run and on the same emulated link, a bare Node server sends the very same bytes
// (document and assets, already compressed): the ratio is our time over the floor the link allows.
// Prints bytes on the wire and the time to a usable page (DOMContentLoaded: text laid out, forms
// live) and to load. Run: `npm run bench -- web`. Env: BENCH_WEB_ROUNDS (default 3).
import 'reflect-metadata';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Page } from 'puppeteer-core';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp, createHttpAdapter } from '../apps/api/src/configure-app.js';
import { freePort, launchBrowser, Link, removeProfile } from './browser-support.js';
import { benchConfig, best, createScratchDatabase, fmt } from './support.js';

const ROUNDS = Number(process.env.BENCH_WEB_ROUNDS ?? 3);
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const ADMIN = { email: 'bench-admin@lms.test', password: 'bench-admin-password-123' };

interface Captured {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

async function coldVisit(page: Page, url: string): Promise<{ usable: number; loaded: number }> {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'cache_storage,service_workers' });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const t0 = performance.now();
  let usable = 0;
  page.once('domcontentloaded', () => (usable = performance.now() - t0));
  await page.goto(url, { waitUntil: 'load' });
  const loaded = performance.now() - t0;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  return { usable, loaded };
}

async function main(): Promise<void> {
  const db = await createScratchDatabase('lms_bench_web');
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-bench-web-'));
  const linkPort = await freePort();
  const base = `http://127.0.0.1:${linkPort}`;
  const config = benchConfig(db.url, {
    PUBLIC_URL: base,
    IMPORT_COURSES_ON_START: 'true',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DATA_DIR: dataDir,
    JOBS_IN_API: 'true',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), { logger: false });
  await configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const link = new Link((app.getHttpServer().address() as { port: number }).port);
  await link.start(linkPort);
  const browser = await launchBrowser();
  const bare = createServer();
  try {
    const page = await browser.browser.newPage();
    await page.setViewport({ width: 360, height: 640, isMobile: true });
    await page.goto(`${base}/sign-in`);
    await page.type('#email', ADMIN.email);
    await page.type('#password', ADMIN.password);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-in"] button')]);
    await page.goto(`${base}/courses/ai-fundamentals`);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/enrol"] button')]);
    const lessonHref = await page.$eval('ol.lessons a', (a) => (a as HTMLAnchorElement).href);

    // What the lesson costs: every response of a cold visit, captured to serve again from the bare server.
    const captured: Captured[] = [];
    const onResponse = async (r: import('puppeteer-core').HTTPResponse): Promise<void> => {
      if (r.request().method() !== 'GET' || r.status() >= 300) return;
      try {
        captured.push({ url: new URL(r.url()).pathname + new URL(r.url()).search, status: r.status(), headers: r.headers(), body: await r.buffer() });
      } catch {
        // a response without a body (preflight, cached): nothing to replay
      }
    };
    page.on('response', (r) => void onResponse(r));
    link.bytesDown = 0;
    await coldVisit(page, lessonHref);
    const bytes = link.bytesDown;
    page.removeAllListeners('response');

    bare.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const hit = captured.find((c) => c.url === req.url);
      if (!hit) {
        res.statusCode = 404;
        res.end();
        return;
      }
      // Puppeteer hands the decoded body: compress it again as ours went over the wire.
      const type = hit.headers['content-type'] ?? 'application/octet-stream';
      const encoded = hit.headers['content-encoding'] === 'br';
      const body = encoded ? brotliCompressSync(hit.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) : hit.body;
      res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...(encoded ? { 'content-encoding': 'br' } : {}) });
      res.end(body);
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const barePort = (bare.address() as { port: number }).port;
    const bareUrl = `http://127.0.0.1:${barePort}${new URL(lessonHref).pathname}`;
    const barePage = await browser.browser.newPage();
    await barePage.setViewport({ width: 360, height: 640, isMobile: true });

    const ours: Array<{ usable: number; loaded: number }> = [];
    const floor: Array<{ usable: number; loaded: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        ours.push(await coldVisit(page, lessonHref));
        floor.push(await coldVisit(barePage, bareUrl));
      } else {
        floor.push(await coldVisit(barePage, bareUrl));
        ours.push(await coldVisit(page, lessonHref));
      }
    }
    const usable = best(ours.map((x) => x.usable));
    const loaded = best(ours.map((x) => x.loaded));
    const bareUsable = best(floor.map((x) => x.usable));
    console.log(
      `web: lesson page, cold cache, slow 3G (400 kbit/s, 400 ms RTT): ${(bytes / 1024).toFixed(1)} KB on the wire; ` +
        `usable (DOMContentLoaded) in ${fmt(usable)}, loaded in ${fmt(loaded)}; the same bytes from a bare server: usable in ${fmt(bareUsable)} ` +
        `→ ratio ${(usable / bareUsable).toFixed(2)} (best of ${ROUNDS})`,
    );
  } finally {
    await browser.close();
    removeProfile(browser.userDataDir);
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await link.close();
    await app.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
