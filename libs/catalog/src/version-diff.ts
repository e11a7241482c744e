/** One line of a line-by-line comparison. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Longest-common-subsequence line diff (small texts: lessons are a few hundred lines at most). */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: 'removed', text: a[i++] });
    else out.push({ kind: 'added', text: b[j++] });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++] });
  while (j < b.length) out.push({ kind: 'added', text: b[j++] });
  return out;
}

export interface VersionSnapshot {
  version: number;
  title: Record<string, string>;
  languages: string[];
  lessons: Array<{ slug: string; title: Record<string, string>; body: Record<string, string> }>;
  quiz: { questions: Array<{ id: string }> } | null;
}

export interface VersionDiff {
  from: number;
  to: number;
  languagesAdded: string[];
  languagesRemoved: string[];
  lessonsAdded: string[];
  lessonsRemoved: string[];
  /** Changed lessons, per language whose text changed, with the line diff (unchanged lines kept for context). */
  lessonsChanged: Array<{ slug: string; language: string; lines: DiffLine[] }>;
  questionsAdded: string[];
  questionsRemoved: string[];
}

/** What changed between two versions of a course: languages, lessons (text per language), quiz questions. */
export function diffVersions(a: VersionSnapshot, b: VersionSnapshot): VersionDiff {
  const slugsA = new Set(a.lessons.map((l) => l.slug));
  const slugsB = new Set(b.lessons.map((l) => l.slug));
  const changed: VersionDiff['lessonsChanged'] = [];
  for (const lb of b.lessons) {
    const la = a.lessons.find((l) => l.slug === lb.slug);
    if (!la) continue;
    for (const lang of [...new Set([...Object.keys(la.body), ...Object.keys(lb.body)])].sort()) {
      const before = `${la.title[lang] ?? ''}\n${la.body[lang] ?? ''}`;
      const after = `${lb.title[lang] ?? ''}\n${lb.body[lang] ?? ''}`;
      if (before !== after) changed.push({ slug: lb.slug, language: lang, lines: diffLines(before, after) });
    }
  }
  const qa = new Set((a.quiz?.questions ?? []).map((q) => q.id));
  const qb = new Set((b.quiz?.questions ?? []).map((q) => q.id));
  return {
    from: a.version,
    to: b.version,
    languagesAdded: b.languages.filter((l) => !a.languages.includes(l)),
    languagesRemoved: a.languages.filter((l) => !b.languages.includes(l)),
    lessonsAdded: [...slugsB].filter((s) => !slugsA.has(s)),
    lessonsRemoved: [...slugsA].filter((s) => !slugsB.has(s)),
    lessonsChanged: changed,
    questionsAdded: [...qb].filter((q) => !qa.has(q)),
    questionsRemoved: [...qa].filter((q) => !qb.has(q)),
  };
}
