import { createHash } from 'node:crypto';
import { normaliseForSearch } from '../search-text.js';
import { CoursePackage, FrameworkDefinition, flattenCompetencies } from './package.types.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 of the package with sorted keys: the same content always gives the same hash. */
export function contentHash(pkg: CoursePackage): string {
  return createHash('sha256').update(JSON.stringify(canonical(pkg))).digest('hex');
}

/**
 * What the catalog search indexes for a version: slug, title, summary and lesson titles in every
 * language, the competency codes and (when the framework is at hand) their titles — normalised
 * (lower case, Latin script, no diacritics).
 */
export function searchTextOf(pkg: CoursePackage, framework?: FrameworkDefinition): string {
  const parts: string[] = [pkg.slug.replace(/-/g, ' '), ...Object.values(pkg.title), ...Object.values(pkg.summary)];
  for (const lesson of pkg.lessons) parts.push(...Object.values(lesson.title));
  const titles = framework ? new Map(flattenCompetencies(framework).map((c) => [c.code, c.title])) : new Map();
  for (const c of pkg.competencies) {
    parts.push(c.code);
    const t = titles.get(c.code) as Record<string, string> | undefined;
    if (t) parts.push(...Object.values(t));
  }
  return normaliseForSearch(parts.join(' \n '));
}
