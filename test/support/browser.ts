/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page, Viewport } from 'puppeteer-core';
import type { TestApi } from '@lms/testing';
import { removeProfile, type LaunchedBrowser } from '../../bench/browser-support.js';

export { chromiumPath, freePort, launchBrowser, Link, removeProfile } from '../../bench/browser-support.js';
export type { LaunchedBrowser } from '../../bench/browser-support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core in the page (WCAG 2.0–2.2 A and AA rules); returns the violations, each with the offending nodes. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Screenshots land here when SCREENSHOTS_DIR is set (docs/screenshots is made that way). */
export const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR;

/** A phone's viewport (touch, mobile); 360×640 unless a test wants another size. */
export function phone(width = 360, height = 640): Viewport {
  return { width, height, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
}

export const PHONE: Viewport = phone();
export const DESKTOP: Viewport = { width: 1280, height: 900, deviceScaleFactor: 1 };

/**
 * Clicks and waits for the page that follows to load. `locator` (the default) waits for the
 * control to be visible and enabled first; `page` is a plain page.click on the selector.
 */
export async function clickAndWait(page: Page, selector: string, click: 'locator' | 'page' = 'locator'): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    click === 'page' ? page.click(selector) : page.locator(selector).click(),
  ]);
}

/** Fills the sign-in form already on the page, by its accessible labels, and submits it. */
export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator('::-p-aria(E-mail address)').fill(email);
  await page.locator('::-p-aria(Password)').fill(password);
  await clickAndWait(page, '::-p-aria(Sign in[role="button"])');
}

/** Opens the sign-in page and signs in. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
  await fillSignIn(page, email, password);
}

/** The text of the page's main element, runs of white space made one space. */
export async function mainText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('main')?.textContent?.replace(/\s+/g, ' ') ?? '');
}

export interface ShotOptions {
  /** The file name without `.png`; in expectAccessible, the label unless said. */
  name?: string;
  /** The whole page rather than the viewport; true unless said. */
  fullPage?: boolean;
  /** Where the file goes; SCREENSHOTS_DIR unless said. Without a folder, no screenshot. */
  dir?: string;
}

/** A screenshot when a folder for them is set (see SCREENSHOTS_DIR); nothing otherwise. */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true, dir = SCREENSHOTS_DIR }: Omit<ShotOptions, 'name'> = {},
): Promise<void> {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
}

/**
 * axe (WCAG 2.2 A/AA + best practice) with zero violations, no sideways scrolling (reflow,
 * WCAG 1.4.10), and a screenshot when `shot` is given (and a folder for them is set).
 */
export async function expectAccessible(page: Page, label: string, shot?: string | ShotOptions): Promise<void> {
  const violations = await axe(page);
  expect({ page: label, violations }).toEqual({ page: label, violations: [] });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect({ page: label, overflow }).toEqual({ page: label, overflow: 0 });
  if (shot === undefined) return;
  const { name = label, ...options } = typeof shot === 'string' ? { name: shot } : shot;
  await screenshot(page, name, options);
}

/** The SCO's frame in the lesson page's SCORM player, once the SCO's page is there and says it is no longer loading. */
export async function scoFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('[data-scorm-player] iframe');
  await page.waitForFunction(() =>
    (document.querySelector('[data-scorm-player] iframe') as HTMLIFrameElement | null)?.src.includes('/content/'),
  );
  const frame = await handle!.contentFrame();
  // The status element must exist too: before the SCO's document has loaded there is none, and
  // "no element" is not "done loading" (a busy machine showed the difference).
  await frame.waitForFunction(() => {
    const status = document.getElementById('status')?.textContent;
    return !!status && status !== 'loading';
  });
  return frame;
}

/** Reads until `ok` holds (at most 100 reads, 100 ms apart), then returns the last value read; the caller asserts on it. */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
}

/** Starts the API listening on a free port of 127.0.0.1 and returns its base URL. */
export async function listenLocally(api: TestApi): Promise<string> {
  await api.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
}

/** Closes each browser launched (those never launched are skipped) and removes its profile. */
export async function closeBrowsers(...browsers: Array<LaunchedBrowser | undefined>): Promise<void> {
  for (const b of browsers) {
    if (!b) continue;
    await b.close();
    removeProfile(b.userDataDir);
  }
}
