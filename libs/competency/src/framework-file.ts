import { createHash } from 'node:crypto';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FieldError, ValidationError } from '@lms/platform';

/**
 * The competency framework file (`courses/frameworks/<key>.yaml`, format in courses/README.md) and
 * the pure rules around it: validation, flattening of the tree, content hash, and the difference
 * between two versions. No database here.
 */
export type LangMap = Record<string, string>;

export interface FrameworkLevel {
  level: number;
  code: string;
  title: LangMap;
  description?: LangMap;
}

/** IMS CASE association types usable in a crosswalk. */
export const CROSSWALK_RELATIONS = ['exactMatchOf', 'isRelatedTo', 'isPartOf', 'isPeerOf', 'precedes', 'replacedBy', 'exemplar', 'hasSkillLevel'] as const;
export type CrosswalkRelation = (typeof CROSSWALK_RELATIONS)[number];

export interface CrosswalkRef {
  framework: string;
  code: string;
  relation: CrosswalkRelation;
}

export interface FrameworkCompetencyNode {
  code: string;
  title: LangMap;
  description?: LangMap;
  crosswalk?: CrosswalkRef[];
  children?: FrameworkCompetencyNode[];
}

export interface FrameworkFile {
  key: string;
  version: number;
  title: LangMap;
  description?: LangMap;
  source?: string;
  levels: FrameworkLevel[];
  competencies: FrameworkCompetencyNode[];
}

/** One competency of the tree, flattened for storage. */
export interface FlatCompetency {
  code: string;
  parentCode: string | null;
  position: number;
  title: LangMap;
  description: LangMap | null;
  crosswalk: CrosswalkRef[];
}

export const FRAMEWORK_KEY_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
export const COMPETENCY_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_COMPETENCIES = 5_000;
const MAX_DEPTH = 8;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: FieldError[] = [];
  fail(field: string, message: string): void {
    if (this.errors.length < 100) this.errors.push({ field, message });
  }
  langMap(v: unknown, field: string, required: boolean): LangMap | undefined {
    if (v === undefined || v === null) {
      if (required) this.fail(field, `${field} is required: a map from language to text`);
      return undefined;
    }
    if (!isObj(v) || Object.keys(v).length === 0) {
      this.fail(field, `${field} must be a map from language to text, e.g. { en: "..." }`);
      return undefined;
    }
    const out: LangMap = {};
    for (const [lang, text] of Object.entries(v)) {
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) this.fail(`${field}.${lang}`, `${lang} is not a BCP 47 language tag`);
      else if (typeof text !== 'string' || text.trim() === '') this.fail(`${field}.${lang}`, `${field}.${lang} must be non-empty text`);
      else out[lang] = text;
    }
    return out;
  }
}

/**
 * Checks a parsed framework file and returns it typed, or throws a ValidationError listing every
 * problem by field (e.g. `competencies[0].children[2].code`).
 */
export function validateFrameworkFile(input: unknown): FrameworkFile {
  const c = new Checker();
  if (!isObj(input)) throw new ValidationError([{ field: '(file)', message: 'a framework file must be a YAML mapping' }], 'The framework file is not valid');
  const allowed = new Set(['key', 'version', 'title', 'description', 'source', 'levels', 'competencies']);
  for (const k of Object.keys(input)) if (!allowed.has(k)) c.fail(k, `${k} is not a known field of a framework file`);

  const key = input.key;
  if (typeof key !== 'string' || !FRAMEWORK_KEY_PATTERN.test(key)) c.fail('key', 'key must be lower-case letters, digits and hyphens, starting with a letter');
  const version = input.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 1_000_000) c.fail('version', 'version must be a whole number from 1');
  const title = c.langMap(input.title, 'title', true);
  const description = c.langMap(input.description, 'description', false);
  if (input.source !== undefined && input.source !== null && typeof input.source !== 'string') c.fail('source', 'source must be text');

  const levels: FrameworkLevel[] = [];
  if (!Array.isArray(input.levels) || input.levels.length === 0) c.fail('levels', 'levels must be a non-empty list, lowest first');
  else {
    const codes = new Set<string>();
    input.levels.forEach((raw: unknown, i: number) => {
      const f = `levels[${i}]`;
      if (!isObj(raw)) return c.fail(f, `${f} must be a mapping`);
      if (raw.level !== i + 1) c.fail(`${f}.level`, `${f}.level must be ${i + 1}: levels are numbered from 1, lowest first, without gaps`);
      if (typeof raw.code !== 'string' || !/^[a-z][a-z0-9-]*$/.test(raw.code)) c.fail(`${f}.code`, `${f}.code must be a lower-case word`);
      else if (codes.has(raw.code)) c.fail(`${f}.code`, `level code ${raw.code} appears twice`);
      else codes.add(raw.code);
      const lt = c.langMap(raw.title, `${f}.title`, true);
      const ld = c.langMap(raw.description, `${f}.description`, false);
      if (lt) levels.push({ level: i + 1, code: String(raw.code), title: lt, ...(ld ? { description: ld } : {}) });
    });
  }

  const seen = new Set<string>();
  let count = 0;
  const nodes = (list: unknown, field: string, depth: number): FrameworkCompetencyNode[] => {
    if (!Array.isArray(list) || list.length === 0) {
      c.fail(field, `${field} must be a non-empty list`);
      return [];
    }
    if (depth > MAX_DEPTH) {
      c.fail(field, `the competency tree is deeper than ${MAX_DEPTH} levels`);
      return [];
    }
    const out: FrameworkCompetencyNode[] = [];
    list.forEach((raw: unknown, i: number) => {
      const f = `${field}[${i}]`;
      if (!isObj(raw)) return c.fail(f, `${f} must be a mapping`);
      if (++count > MAX_COMPETENCIES) return c.fail(f, `a framework holds at most ${MAX_COMPETENCIES} competencies`);
      for (const k of Object.keys(raw)) {
        if (!['code', 'title', 'description', 'crosswalk', 'children'].includes(k)) c.fail(`${f}.${k}`, `${k} is not a known field of a competency`);
      }
      const code = typeof raw.code === 'number' ? String(raw.code) : raw.code;
      if (typeof code !== 'string' || !COMPETENCY_CODE_PATTERN.test(code)) c.fail(`${f}.code`, `${f}.code must be letters, digits, dots, hyphens or underscores`);
      else if (seen.has(code)) c.fail(`${f}.code`, `competency code ${code} appears twice in the framework`);
      else seen.add(code);
      const t = c.langMap(raw.title, `${f}.title`, true);
      const d = c.langMap(raw.description, `${f}.description`, false);
      const crosswalk: CrosswalkRef[] = [];
      if (raw.crosswalk !== undefined && raw.crosswalk !== null) {
        if (!Array.isArray(raw.crosswalk)) c.fail(`${f}.crosswalk`, `${f}.crosswalk must be a list`);
        else
          raw.crosswalk.forEach((x: unknown, j: number) => {
            const xf = `${f}.crosswalk[${j}]`;
            if (!isObj(x)) return c.fail(xf, `${xf} must be a mapping {framework, code, relation}`);
            if (typeof x.framework !== 'string' || !x.framework.trim()) c.fail(`${xf}.framework`, `${xf}.framework must be the name of another framework`);
            const xc = typeof x.code === 'number' ? String(x.code) : x.code;
            if (typeof xc !== 'string' || !xc.trim()) c.fail(`${xf}.code`, `${xf}.code must be the code in that framework`);
            if (!CROSSWALK_RELATIONS.includes(x.relation as CrosswalkRelation)) c.fail(`${xf}.relation`, `${xf}.relation must be one of ${CROSSWALK_RELATIONS.join(', ')}`);
            else crosswalk.push({ framework: String(x.framework), code: String(xc), relation: x.relation as CrosswalkRelation });
          });
      }
      const children = raw.children === undefined || raw.children === null ? undefined : nodes(raw.children, `${f}.children`, depth + 1);
      if (typeof code === 'string' && t) {
        out.push({ code, title: t, ...(d ? { description: d } : {}), ...(crosswalk.length ? { crosswalk } : {}), ...(children?.length ? { children } : {}) });
      }
    });
    return out;
  };
  const competencies = nodes(input.competencies, 'competencies', 1);

  if (c.errors.length) throw new ValidationError(c.errors, 'The framework file is not valid');
  return {
    key: key as string,
    version: version as number,
    title: title as LangMap,
    ...(description ? { description } : {}),
    ...(typeof input.source === 'string' ? { source: input.source } : {}),
    levels,
    competencies,
  };
}

/** Parses YAML text; a syntax error becomes a ValidationError naming the file and line. */
export function parseFrameworkYaml(text: string, fileName = 'framework.yaml'): FrameworkFile {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0]?.line : undefined;
    throw new ValidationError(
      [{ field: line ? `${fileName}:${line}` : fileName, message: e instanceof Error ? e.message.split('\n')[0] : 'not valid YAML' }],
      `${fileName} is not valid YAML`,
    );
  }
  try {
    return validateFrameworkFile(data);
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(
        e.errors.map((x) => ({ field: `${fileName}: ${x.field}`, message: x.message })),
        `${fileName} is not a valid framework file`,
      );
    }
    throw e;
  }
}

/** The tree as rows, parents before children, with the position among siblings. */
export function flattenFramework(file: FrameworkFile): FlatCompetency[] {
  const out: FlatCompetency[] = [];
  const walk = (list: FrameworkCompetencyNode[], parentCode: string | null): void => {
    list.forEach((n, position) => {
      out.push({ code: n.code, parentCode, position, title: n.title, description: n.description ?? null, crosswalk: n.crosswalk ?? [] });
      if (n.children) walk(n.children, n.code);
    });
  };
  walk(file.competencies, null);
  return out;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObj(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  }
  return v;
}

/** sha256 of the file with keys sorted: the same content always hashes the same. */
export function frameworkContentHash(file: FrameworkFile): string {
  return createHash('sha256').update(JSON.stringify(canonical(file))).digest('hex');
}

export interface FrameworkDiff {
  added: string[];
  removed: string[];
  /** Codes kept whose title, description, parent or crosswalk changed. */
  changed: string[];
}

/** Which codes a new version adds, removes or changes compared to an older one. */
export function diffCompetencies(previous: FlatCompetency[], next: FlatCompetency[]): FrameworkDiff {
  const before = new Map(previous.map((c) => [c.code, c]));
  const after = new Map(next.map((c) => [c.code, c]));
  const same = (a: FlatCompetency, b: FlatCompetency): boolean =>
    a.parentCode === b.parentCode &&
    JSON.stringify(canonical(a.title)) === JSON.stringify(canonical(b.title)) &&
    JSON.stringify(canonical(a.description)) === JSON.stringify(canonical(b.description)) &&
    JSON.stringify(canonical(a.crosswalk)) === JSON.stringify(canonical(b.crosswalk));
  const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    added: [...after.keys()].filter((c) => !before.has(c)).sort(byCode),
    removed: [...before.keys()].filter((c) => !after.has(c)).sort(byCode),
    changed: [...after.values()].filter((c) => before.has(c.code) && !same(before.get(c.code)!, c)).map((c) => c.code).sort(byCode),
  };
}

export interface CompetencyTreeNode {
  code: string;
  title: LangMap;
  description: LangMap | null;
  crosswalk: CrosswalkRef[];
  children: CompetencyTreeNode[];
}

/** Rebuilds the tree from stored rows (any order). */
export function buildCompetencyTree(rows: FlatCompetency[]): CompetencyTreeNode[] {
  const sorted = [...rows].sort((a, b) => a.position - b.position);
  const nodes = new Map<string, CompetencyTreeNode>();
  for (const r of sorted) nodes.set(r.code, { code: r.code, title: r.title, description: r.description, crosswalk: r.crosswalk, children: [] });
  const roots: CompetencyTreeNode[] = [];
  for (const r of sorted) {
    const node = nodes.get(r.code)!;
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
