import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { OrgUnit } from '@lms/identity';
import { anOrgUnit } from '@lms/testing';

export const COURSES_DIR = join(process.cwd(), 'courses');

/** The school unit SPA (identity creates it on start; created here when it is not there). */
export async function theSchool(ds: DataSource, code = 'SPA'): Promise<OrgUnit> {
  const found = await ds.getRepository(OrgUnit).findOneBy({ code });
  return found ?? anOrgUnit(ds, { code, kind: 'school', name: `School ${code}` });
}

/** A private copy of courses/ to edit. */
export function copyOfCourses(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lms-courses-'));
  cpSync(COURSES_DIR, dir, { recursive: true });
  return dir;
}

export function editFile(path: string, from: string | RegExp, to: string): void {
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit did not apply to ${path}`);
  writeFileSync(path, next);
}

/** An enrolment pinned to a version (as the learning domain makes them), straight in the table. */
export async function anEnrolment(ds: DataSource, userId: string, courseSlug: string, version?: number): Promise<{ id: string; version: number }> {
  const rows = (await ds.query(
    `INSERT INTO enrolment (user_id, course_id, course_version_id, source)
     SELECT $1, v.course_id, v.id, 'self' FROM course_version v JOIN course c ON c.id = v.course_id
      WHERE c.slug = $2 AND v.status = 'published' AND ($3::int IS NULL OR v.version = $3)
      ORDER BY v.version DESC LIMIT 1
     RETURNING id, (SELECT version FROM course_version WHERE id = course_version_id) AS version`,
    [userId, courseSlug, version ?? null],
  )) as Array<{ id: string; version: number }>;
  if (!rows.length) throw new Error(`no published version of ${courseSlug}`);
  return rows[0];
}

export async function countRows(ds: DataSource): Promise<{ courses: number; versions: number; lessons: number }> {
  const [r] = (await ds.query(
    `SELECT (SELECT count(*)::int FROM course) AS courses, (SELECT count(*)::int FROM course_version) AS versions, (SELECT count(*)::int FROM lesson) AS lessons`,
  )) as Array<{ courses: number; versions: number; lessons: number }>;
  return r;
}

/** A statement outside TypeORM (whose logger would print the expected failure). */
export async function rawQuery(url: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
