import type { LangMap, QuizQuestion } from '../course-version.entity.js';

/** One problem found in a curriculum package: where (file, line, column, field path) and what. */
export interface PackageProblem {
  /** Path of the file (as given to the validator); absent for JSON sent to the API. */
  file?: string;
  /** 1-based line and column in `file`, when known. */
  line?: number;
  column?: number;
  /** Field path inside the file or JSON body, e.g. `title.sr-Cyrl` or `questions[2].choices`. */
  field: string;
  message: string;
}

export const AUDIENCES = ['all-staff', 'managers', 'specialists'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const COURSE_LEVELS = ['foundation', 'intermediate', 'advanced'] as const;
export type CourseLevel = (typeof COURSE_LEVELS)[number];

/** A lesson in every language of its course. */
export interface PackageLesson {
  slug: string;
  /** 1-based order. */
  position: number;
  title: LangMap;
  minutes: number;
  required: boolean;
  /** Markdown per language. */
  body: LangMap;
}

/** A validated course package, the same whether it came from files or from the authoring API. */
export interface CoursePackage {
  slug: string;
  /** Code of the owning school (an org unit of kind `school`). */
  school: string;
  defaultLanguage: string;
  languages: string[];
  title: LangMap;
  summary: LangMap;
  audience: Audience;
  level: CourseLevel;
  estimatedMinutes: number;
  framework: string;
  competencies: Array<{ code: string; level: number }>;
  alignedWith: string[];
  completion: { quiz?: { passMark: number; attemptsAllowed: number } };
  certificateValidityMonths: number | null;
  lessons: PackageLesson[];
  quiz: { questions: QuizQuestion[] } | null;
}

export interface FrameworkLevel {
  level: number;
  code: string;
  title: LangMap;
  description?: LangMap;
}

export interface FrameworkCrosswalk {
  framework: string;
  code: string;
  relation: string;
}

export interface FrameworkCompetency {
  code: string;
  title: LangMap;
  description?: LangMap;
  crosswalk?: FrameworkCrosswalk[];
  children?: FrameworkCompetency[];
}

/** A competency framework file (courses/frameworks/<key>.yaml). */
export interface FrameworkDefinition {
  key: string;
  version: number;
  /** Its languages are the keys of `title`. */
  title: LangMap;
  description?: LangMap;
  source?: string;
  levels: FrameworkLevel[];
  competencies: FrameworkCompetency[];
}

/** Every competency of a framework, depth first, with its parent code. */
export function flattenCompetencies(framework: Pick<FrameworkDefinition, 'competencies'>): Array<FrameworkCompetency & { parent: string | null; depth: number }> {
  const out: Array<FrameworkCompetency & { parent: string | null; depth: number }> = [];
  const walk = (items: FrameworkCompetency[] | undefined, parent: string | null, depth: number): void => {
    for (const c of items ?? []) {
      out.push({ ...c, parent, depth });
      walk(c.children, c.code, depth + 1);
    }
  };
  walk(framework.competencies, null, 0);
  return out;
}
