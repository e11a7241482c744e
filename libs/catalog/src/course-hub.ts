import type { EntityManager } from 'typeorm';
import { textIn } from './language.js';

/**
 * Courses across institutions (docs/hub.md). A course belongs to the institution whose tree holds
 * its school; the tree root of an org unit is the first id of its materialised path.
 */

/** Where a viewer stands: the root of their tree, its institution (if the root is one) and its country. */
export interface Viewer {
  rootId: string;
  institutionId: string | null;
  country: string | null;
}

export async function viewerOf(manager: EntityManager, orgUnitId: string): Promise<Viewer> {
  const rows = (await manager.query(
    `SELECT split_part(o.path, '/', 2) AS "rootId", i.id AS "institutionId", i.country
       FROM org_unit o LEFT JOIN institution i ON i.root_org_unit_id = split_part(o.path, '/', 2)::uuid
      WHERE o.id = $1`,
    [orgUnitId],
  )) as Viewer[];
  // A person always has a unit; an unknown one sees only public courses.
  return rows[0] ?? { rootId: '00000000-0000-0000-0000-000000000000', institutionId: null, country: null };
}

/**
 * SQL: the course (alias `c`) is visible to the viewer whose root, institution and country are the
 * given bind parameters — its own institution's, public, or shared with the viewer's institution
 * or country.
 */
export function visibleSql(c: string, root: string, institution: string, country: string): string {
  return `(${c}.visibility = 'public'
    OR (SELECT split_part(s.path, '/', 2) FROM org_unit s WHERE s.id = ${c}.school_org_unit_id) = ${root}::text
    OR (${c}.visibility = 'shared' AND (${institution}::uuid = ANY(${c}.shared_institution_ids) OR ${country}::text = ANY(${c}.shared_countries))))`;
}

export async function isVisibleTo(manager: EntityManager, courseId: string, orgUnitId: string): Promise<boolean> {
  const v = await viewerOf(manager, orgUnitId);
  const rows = (await manager.query(`SELECT 1 FROM course c WHERE c.id = $1 AND ${visibleSql('c', '$2', '$3', '$4')}`, [courseId, v.rootId, v.institutionId, v.country])) as unknown[];
  return rows.length > 0;
}

export interface InstitutionRef {
  id: string;
  code: string;
  /** In the reader's language (else English, else any). */
  name: string;
  country: string | null;
}

/** The institution owning a school's tree; null when the tree's root is no institution. */
export async function institutionOfSchool(manager: EntityManager, schoolOrgUnitId: string, lang: string): Promise<InstitutionRef | null> {
  const rows = (await manager.query(
    `SELECT i.id, r.code, i.names, i.country
       FROM org_unit s JOIN institution i ON i.root_org_unit_id = split_part(s.path, '/', 2)::uuid JOIN org_unit r ON r.id = i.root_org_unit_id
      WHERE s.id = $1`,
    [schoolOrgUnitId],
  )) as Array<{ id: string; code: string; names: Record<string, string>; country: string | null }>;
  const r = rows[0];
  return r ? { id: r.id, code: r.code, name: textIn(r.names, lang, 'en') || r.code, country: r.country } : null;
}

/** "Adapted from … by …": the upstream course, the version the adaptation is based on, and its institution. */
export interface AdaptedFrom {
  course: string;
  title: string;
  version: number;
  institution: InstitutionRef | null;
}

export async function adaptedFromOf(
  manager: EntityManager,
  course: { upstreamCourseId: string | null; upstreamVersion: number | null },
  lang: string,
): Promise<AdaptedFrom | null> {
  if (!course.upstreamCourseId || course.upstreamVersion === null) return null;
  const rows = (await manager.query(
    `SELECT c.slug, c.school_org_unit_id AS "schoolId", v.title, v.default_language AS "defaultLanguage"
       FROM course c LEFT JOIN course_version v ON v.course_id = c.id AND v.version = $2
      WHERE c.id = $1`,
    [course.upstreamCourseId, course.upstreamVersion],
  )) as Array<{ slug: string; schoolId: string; title: Record<string, string> | null; defaultLanguage: string | null }>;
  const r = rows[0];
  if (!r) return null;
  return {
    course: r.slug,
    title: textIn(r.title, lang, r.defaultLanguage ?? 'en') || r.slug,
    version: course.upstreamVersion,
    institution: await institutionOfSchool(manager, r.schoolId, lang),
  };
}
