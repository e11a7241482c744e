import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCanvas } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DataSource } from 'typeorm';
import { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, uniq } from '@lms/testing';

export { anOrgUnit, aUser, startApi, tokenFor, uniq, type TestApi } from '@lms/testing';

// jsqr is a UMD bundle: its default export is the decoder function (typed as a module namespace under nodenext).
const jsQR = jsQRModule as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/**
 * Set-up for credentials tests, straight into the database: a school, a published course version
 * with competencies and a validity, and a COMPLETED enrolment (as learning leaves it).
 */
export interface CompletedEnrolmentSpec {
  user: User;
  school?: OrgUnit;
  title?: Record<string, string>;
  competencies?: Array<{ code: string; level: number }>;
  validityMonths?: number | null;
  completedAt?: Date;
  status?: 'completed' | 'in_progress';
}

export interface BuiltEnrolment {
  enrolmentId: string;
  courseId: string;
  courseVersionId: string;
  slug: string;
  school: OrgUnit;
}

export async function aSchool(ds: DataSource, name = 'Национална академија за јавну управу'): Promise<OrgUnit> {
  return anOrgUnit(ds, { kind: 'school', name });
}

export async function aCompletedEnrolment(ds: DataSource, spec: CompletedEnrolmentSpec): Promise<BuiltEnrolment> {
  const school = spec.school ?? (await aSchool(ds));
  const slug = uniq('ai-basics').toLowerCase();
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ($1, $2) RETURNING id`, [slug, school.id])) as Array<{ id: string }>;
  const title = spec.title ?? {
    en: 'Artificial intelligence in public administration',
    'sr-Latn': 'Veštačka inteligencija u javnoj upravi',
    'sr-Cyrl': 'Вештачка интелигенција у јавној управи',
  };
  const [version] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, published_at)
     VALUES ($1, 1, 'published', $2, 'en', $3, $4, $5, 'all-staff', 'foundation', 45, 'dacps', $6, '[]', '{}', $7, now()) RETURNING id`,
    [
      course.id,
      createHash('sha256').update(course.id).digest('hex'),
      Object.keys(title),
      JSON.stringify(title),
      JSON.stringify({ en: 'What AI is and how to use it responsibly in public service.' }),
      JSON.stringify(spec.competencies ?? [{ code: 'DACPS-AI-1', level: 2 }, { code: 'DACPS-DATA-2', level: 1 }]),
      spec.validityMonths === undefined ? 24 : spec.validityMonths,
    ],
  )) as Array<{ id: string }>;
  const status = spec.status ?? 'completed';
  const [enrolment] = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at, completed_at)
     VALUES ($1, $2, $3, $4, 'self', $5, now(), $6) RETURNING id`,
    [spec.user.id, course.id, version.id, status, status === 'completed' ? 100 : 50, status === 'completed' ? (spec.completedAt ?? new Date()) : null],
  )) as Array<{ id: string }>;
  return { enrolmentId: enrolment.id, courseId: course.id, courseVersionId: version.id, slug, school };
}

export async function certificatesOf(ds: DataSource, enrolmentId: string): Promise<Array<{ id: string; serial: string; verification_code: string }>> {
  return (await ds.query(`SELECT id, serial, verification_code FROM certificate WHERE enrolment_id = $1`, [enrolmentId])) as Array<{
    id: string;
    serial: string;
    verification_code: string;
  }>;
}

export async function eventCount(ds: DataSource, name: string, payload: Record<string, string>): Promise<number> {
  const [r] = (await ds.query(`SELECT count(*)::int AS n FROM outbox_event WHERE name = $1 AND payload @> $2::jsonb`, [name, JSON.stringify(payload)])) as Array<{
    n: number;
  }>;
  return r.n;
}

/** Polls until `probe` returns a value (bounded): for effects of jobs run by the worker. */
export async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function newId(): string {
  return randomUUID();
}

/** Raw bytes of a binary HTTP answer (supertest buffers only text by default). */
export function binaryParser(response: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const res = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => done(e, Buffer.alloc(0)));
}

export interface ParsedPdf {
  pages: number;
  text: string;
  /** What a QR reader finds on page 1 rendered at 2x (what a phone camera would see). */
  qr: string | null;
  widthPt: number;
  heightPt: number;
}

/** Parses a PDF with pdfjs (an independent reader), extracts the text and decodes the QR code from the rendered page. */
export async function readPdf(bytes: Buffer): Promise<ParsedPdf> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const page = await doc.getPage(1);
    const content = await page.getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
    const viewport = page.getViewport({ scale: 2 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const qr = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
    const base = page.getViewport({ scale: 1 });
    return { pages: doc.numPages, text, qr: qr?.data ?? null, widthPt: base.width, heightPt: base.height };
  } finally {
    await doc.destroy();
  }
}
