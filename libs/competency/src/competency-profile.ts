import type { EvidenceSource } from './competency-evidence.entity.js';
import type { LangMap } from './framework-file.js';

/** What the profile needs of one piece of evidence. */
export interface EvidenceFact {
  frameworkKey: string;
  competencyCode: string;
  level: number;
  source: EvidenceSource;
  courseSlug: string | null;
  note: string | null;
  awardedAt: Date;
  expiresAt: Date | null;
}

export interface ProfileEvidence {
  source: EvidenceSource;
  level: number;
  courseSlug?: string;
  note?: string;
  awardedAt: string;
  expiresAt?: string;
  expired: boolean;
}

export interface ProfileEntry {
  frameworkKey: string;
  code: string;
  title: LangMap | null;
  /** The highest level with unexpired evidence; null when every piece of evidence has expired. */
  level: number | null;
  /** When the held level lapses (the latest expiry among unexpired evidence at that level); absent when it does not. */
  levelExpiresAt?: string;
  evidence: ProfileEvidence[];
}

const isValid = (e: { expiresAt: Date | null }, at: Date): boolean => e.expiresAt === null || e.expiresAt.getTime() > at.getTime();

/** The held level: the highest level among evidence that has not expired at `at`; null when none. */
export function heldLevel(evidence: Array<{ level: number; expiresAt: Date | null }>, at: Date): number | null {
  let best: number | null = null;
  for (const e of evidence) if (isValid(e, at) && (best === null || e.level > best)) best = e.level;
  return best;
}

/** When the held level lapses: null when a non-expiring piece of evidence holds it (or nothing is held). */
export function heldLevelExpiry(evidence: Array<{ level: number; expiresAt: Date | null }>, at: Date): Date | null {
  const level = heldLevel(evidence, at);
  if (level === null) return null;
  let latest: Date | null = null;
  for (const e of evidence) {
    if (!isValid(e, at) || e.level < level) continue;
    if (e.expiresAt === null) return null;
    if (!latest || e.expiresAt > latest) latest = e.expiresAt;
  }
  return latest;
}

/** Groups a person's evidence per competency (framework + code), newest evidence first. */
export function buildProfile(evidence: EvidenceFact[], titles: (frameworkKey: string, code: string) => LangMap | null, at: Date): ProfileEntry[] {
  const groups = new Map<string, EvidenceFact[]>();
  for (const e of evidence) {
    const k = `${e.frameworkKey}\u0000${e.competencyCode}`;
    const list = groups.get(k);
    if (list) list.push(e);
    else groups.set(k, [e]);
  }
  const out: ProfileEntry[] = [];
  for (const list of groups.values()) {
    const { frameworkKey, competencyCode } = list[0];
    const sorted = [...list].sort((a, b) => b.awardedAt.getTime() - a.awardedAt.getTime());
    const expiry = heldLevelExpiry(list, at);
    out.push({
      frameworkKey,
      code: competencyCode,
      title: titles(frameworkKey, competencyCode),
      level: heldLevel(list, at),
      ...(expiry ? { levelExpiresAt: expiry.toISOString() } : {}),
      evidence: sorted.map((e) => ({
        source: e.source,
        level: e.level,
        ...(e.courseSlug ? { courseSlug: e.courseSlug } : {}),
        ...(e.note ? { note: e.note } : {}),
        awardedAt: e.awardedAt.toISOString(),
        ...(e.expiresAt ? { expiresAt: e.expiresAt.toISOString() } : {}),
        expired: !isValid(e, at),
      })),
    });
  }
  return out.sort((a, b) => (a.frameworkKey === b.frameworkKey ? a.code.localeCompare(b.code, 'en') : a.frameworkKey.localeCompare(b.frameworkKey, 'en')));
}
