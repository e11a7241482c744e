/**
 * Three-way merge of an adaptation with its upstream, lesson by lesson and language by language:
 * `base` is the upstream version the adaptation is based on, `theirs` the newer upstream version,
 * `ours` the adaptation as it stands. A text the adaptation left as it was takes upstream's change;
 * a text upstream left as it was keeps the adaptation's (its translation, its national law); when
 * both changed it differently, the adaptation's text stays and the place is reported as a conflict.
 */

export interface MergeLesson {
  slug: string;
  title: Record<string, string>;
  body: Record<string, string>;
  minutes: number;
  required?: boolean;
}

export interface MergeResult<L extends MergeLesson> {
  lessons: L[];
  /** Lesson slugs taken from upstream (new there, or changed there only). */
  taken: string[];
  /** Lessons removed because upstream removed them and the adaptation had not changed them. */
  removed: string[];
  /** Where both sides changed the same text (the adaptation's text was kept). */
  conflicts: Array<{ slug: string; field: string; language?: string }>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function pick<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined, onConflict: () => void): T | undefined {
  if (same(ours, base)) return theirs;
  if (same(theirs, base) || same(ours, theirs)) return ours;
  onConflict();
  return ours;
}

function mergeMap(
  base: Record<string, string>,
  ours: Record<string, string>,
  theirs: Record<string, string>,
  onConflict: (language: string) => void,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lang of new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base)])) {
    const v = pick(base[lang], ours[lang], theirs[lang], () => onConflict(lang));
    if (v !== undefined) out[lang] = v;
  }
  return out;
}

export function mergeLessons<L extends MergeLesson>(base: L[], ours: L[], theirs: L[]): MergeResult<L> {
  const b = new Map(base.map((l) => [l.slug, l]));
  const t = new Map(theirs.map((l) => [l.slug, l]));
  const o = new Set(ours.map((l) => l.slug));
  const result: MergeResult<L> = { lessons: [], taken: [], removed: [], conflicts: [] };
  for (const lesson of ours) {
    const bl = b.get(lesson.slug);
    const tl = t.get(lesson.slug);
    if (!bl) {
      result.lessons.push(lesson); // the adaptation's own lesson
      continue;
    }
    if (!tl) {
      if (same(lesson, bl)) result.removed.push(lesson.slug);
      else {
        result.conflicts.push({ slug: lesson.slug, field: 'removed upstream' });
        result.lessons.push(lesson);
      }
      continue;
    }
    const conflict = (field: string) => (language?: string) => result.conflicts.push({ slug: lesson.slug, field, ...(language ? { language } : {}) });
    const merged = {
      ...lesson,
      title: mergeMap(bl.title, lesson.title, tl.title, conflict('title')),
      body: mergeMap(bl.body, lesson.body, tl.body, conflict('body')),
      minutes: pick(bl.minutes, lesson.minutes, tl.minutes, () => conflict('minutes')()) ?? lesson.minutes,
      required: pick(bl.required, lesson.required, tl.required, () => conflict('required')()),
    };
    if (merged.required === undefined) delete merged.required;
    if (!same(merged, lesson)) result.taken.push(lesson.slug);
    result.lessons.push(merged);
  }
  // Lessons new upstream: after the lesson that precedes them there (or at the end).
  theirs.forEach((lesson, i) => {
    if (b.has(lesson.slug) || o.has(lesson.slug)) return;
    const before = theirs.slice(0, i).reverse().find((l) => result.lessons.some((r) => r.slug === l.slug));
    const at = before ? result.lessons.findIndex((r) => r.slug === before.slug) + 1 : result.lessons.length;
    result.lessons.splice(at, 0, lesson);
    result.taken.push(lesson.slug);
  });
  return result;
}
