import type { LangMap } from './framework-file.js';

/**
 * Which published courses close which gaps, and in what order to recommend them. Pure rules:
 * a course closes a gap when its latest published version awards the competency (same framework)
 * at or above the required level; courses are ranked by how many gaps they close in the whole
 * analysis (one person, or every person of a unit), then by estimated minutes, then by slug.
 */
export interface GapGroup {
  frameworkKey: string;
  code: string;
  requiredLevel: number;
  /** Gaps in this group: people short of the level (1 or 0 for a single person). */
  short: number;
}

/** One competency a published course awards (a course awarding three competencies is three offers). */
export interface CourseOffer {
  slug: string;
  title: LangMap;
  estimatedMinutes: number;
  frameworkKey: string;
  code: string;
  level: number;
}

export interface RecommendedCourse {
  slug: string;
  title: LangMap;
  estimatedMinutes: number;
  /** The level the course awards for this competency. */
  awardsLevel: number;
  /** Gaps of this group the course closes. */
  closes: number;
  /** Gaps it closes across the whole analysis: the first ranking key. */
  closesTotal: number;
}

export const MAX_RECOMMENDED_PER_GAP = 5;

export function closesGap(offer: Pick<CourseOffer, 'frameworkKey' | 'code' | 'level'>, gap: Pick<GapGroup, 'frameworkKey' | 'code' | 'requiredLevel'>): boolean {
  return offer.frameworkKey === gap.frameworkKey && offer.code === gap.code && offer.level >= gap.requiredLevel;
}

/** For each group (same order as given), the courses that close it, best first, at most `max`. */
export function recommendCourses(groups: GapGroup[], offers: CourseOffer[], max = MAX_RECOMMENDED_PER_GAP): RecommendedCourse[][] {
  const totals = new Map<string, number>();
  for (const g of groups) {
    if (g.short <= 0) continue;
    const closing = new Set(offers.filter((o) => closesGap(o, g)).map((o) => o.slug));
    for (const slug of closing) totals.set(slug, (totals.get(slug) ?? 0) + g.short);
  }
  return groups.map((g) => {
    if (g.short <= 0) return [];
    const best = new Map<string, CourseOffer>();
    for (const o of offers) {
      if (!closesGap(o, g)) continue;
      const prev = best.get(o.slug);
      if (!prev || o.level > prev.level) best.set(o.slug, o);
    }
    return [...best.values()]
      .map((o) => ({ slug: o.slug, title: o.title, estimatedMinutes: o.estimatedMinutes, awardsLevel: o.level, closes: g.short, closesTotal: totals.get(o.slug) ?? 0 }))
      .sort((a, b) => b.closesTotal - a.closesTotal || a.estimatedMinutes - b.estimatedMinutes || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .slice(0, max);
  });
}
