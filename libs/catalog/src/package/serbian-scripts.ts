import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { otherSerbianScript, type SerbianScript, transliterate, transliterateMarkdown } from '@lms/i18n';
import type { PackageProblem } from './package.types.js';
import { formatPath, type PathSegment } from './yaml-source.js';

/**
 * Serbian is written once, in one script, and the other script is generated (docs/languages.md):
 * every text map with the source script (`sr-Latn`, or the course's `serbianSource`) gets the other
 * script beside it, `languages` lists both, and lessons/<source>/*.md are written to
 * lessons/<target>/ through the Markdown-aware transliterator. The plan is a pure function of the
 * files, so `generate` is deterministic and `validate` can say which checked-in text is stale.
 */
export interface ScriptFile {
  path: string;
  /** The text the file should have; null: the file should not exist (a stale generated lesson). */
  text: string | null;
}

export interface ScriptPlan {
  /** Files whose content differs from the plan (to write, or to delete when text is null). */
  changes: ScriptFile[];
  /** One problem per stale text: (file, field), for `validate`. */
  drift: PackageProblem[];
}

const MISSING = 'is missing: the other Serbian script is generated, run `npm run courses -- generate`';
const STALE = 'is out of date with the other Serbian script: run `npm run courses -- generate`';

interface Edit {
  start: number;
  end: number;
  text: string;
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** The `{ source, target }` of a YAML file's Serbian texts, or null when it has none. */
function scripts(explicit: unknown, hasLatn: boolean, hasCyrl: boolean): { source: SerbianScript; target: SerbianScript } | null {
  const source: SerbianScript | null = explicit === 'sr-Cyrl' || explicit === 'sr-Latn' ? explicit : hasLatn ? 'sr-Latn' : hasCyrl ? 'sr-Cyrl' : null;
  return source ? { source, target: otherSerbianScript(source)! } : null;
}

/**
 * The edits that give a YAML text its generated Serbian texts, plus the stale fields. Text maps are
 * maps whose keys include the source script; the target key is replaced in place or added right
 * after the source entry (block or flow style kept). A flow or block `languages` list gains the target.
 */
/** The target text of a text map at `path` (its source text given), or undefined to leave it alone. */
export type TargetText = (path: PathSegment[], source: string, root: unknown) => string | undefined;

/**
 * A YAML text with `target` set in every text map that has `source` (replaced in place, or added
 * right after the source entry in block or flow style) and added to a top-level `languages` list.
 * Comments, quoting and layout of everything else are kept byte for byte.
 */
export function setLanguageInYaml(text: string, source: string, target: string, valueFor: TargetText): string {
  return planYaml('', text, { source, target, enforced: false }, [], valueFor);
}

function planYaml(
  file: string,
  text: string,
  forced: { source: string; target: string; enforced?: boolean } | null,
  allDrift: PackageProblem[],
  valueFor?: TargetText,
): string {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true });
  if (doc.errors.length) return text;
  const plain = JSON.stringify(doc.toJS());
  const pair = forced ?? scripts(undefined, plain.includes('"sr-Latn":'), plain.includes('"sr-Cyrl":'));
  if (!pair) return text;
  const { source, target } = pair;
  // Only a file that already has the target script must be in sync; one without it is valid (generate adds it).
  const value = doc.toJS() as { languages?: unknown; title?: unknown } | null;
  const root: unknown = value;
  const enforced = forced?.enforced ?? (Array.isArray(value?.languages)
    ? value.languages.includes(target)
    : typeof value?.title === 'object' && value.title !== null
      ? target in value.title
      : plain.includes(`"${target}":`));
  const drift: PackageProblem[] = enforced ? allDrift : [];
  const edits: Edit[] = [];
  const stale = (path: PathSegment[], offset: number, missing = false): void => {
    const pos = lines.linePos(offset);
    drift.push({ file, line: pos.line, column: pos.col, field: formatPath(path), message: missing ? MISSING : STALE });
  };
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const map = node as YAMLMap<unknown, unknown>;
      const find = (k: string): Pair<unknown, unknown> | undefined =>
        map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === k) as Pair<unknown, unknown> | undefined;
      const src = find(source);
      const expected =
        src && isScalar(src.value) && typeof src.value.value === 'string'
          ? valueFor
            ? valueFor(path, src.value.value, root)
            : transliterate(src.value.value, target as SerbianScript)
          : undefined;
      if (src && expected !== undefined) {
        const tgt = find(target);
        if (tgt && isScalar(tgt.value)) {
          if (tgt.value.value !== expected) {
            const r = (tgt.value as Scalar).range!;
            edits.push({ start: r[0], end: r[1], text: quoted(expected) });
            stale([...path, target], r[0]);
          }
        } else if (!tgt) {
          // Serbian: beside its other script; any other language (XLIFF import): after the last entry.
          const anchor = valueFor ? (map.items.at(-1) as Pair<unknown, unknown>) : src;
          const valueRange = (anchor.value as Scalar).range!;
          const keyRange = (anchor.key as Scalar).range!;
          if (map.flow) {
            edits.push({ start: valueRange[1], end: valueRange[1], text: `, ${target}: ${quoted(expected)}` });
          } else {
            const lineStart = text.lastIndexOf('\n', keyRange[0] - 1) + 1;
            const indent = text.slice(lineStart, keyRange[0]);
            edits.push({ start: valueRange[1], end: valueRange[1], text: `\n${/^\s*$/.test(indent) ? indent : ' '.repeat(indent.length)}${target}: ${quoted(expected)}` });
          }
          stale([...path, target], keyRange[0], true);
        }
      }
      for (const p of map.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const key = String(p.key.value);
        if (key === 'languages' && path.length === 0 && isSeq(p.value)) {
          const items = p.value.items.filter(isScalar).map((s) => String(s.value));
          const at = valueFor ? items.length - 1 : items.indexOf(source);
          if (at >= 0 && items.includes(source) && !items.includes(target)) {
            const item = p.value.items[at] as Node;
            const r = item.range!;
            if (p.value.flow) edits.push({ start: r[1], end: r[1], text: `, ${target}` });
            else {
              const lineStart = text.lastIndexOf('\n', r[0] - 1) + 1;
              edits.push({ start: r[1], end: r[1], text: `\n${text.slice(lineStart, r[0])}${target}` });
            }
            stale(['languages'], r[0], true);
          }
          continue;
        }
        walk(p.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function courseScripts(courseYaml: string | null): { source: SerbianScript; target: SerbianScript; enforced: boolean } | null {
  if (courseYaml === null) return null;
  const doc = parseDocument(courseYaml);
  if (doc.errors.length) return null;
  const c = doc.toJS() as { languages?: unknown; serbianSource?: unknown } | null;
  const langs = Array.isArray(c?.languages) ? c.languages.map(String) : [];
  const pair = scripts(c?.serbianSource, langs.includes('sr-Latn'), langs.includes('sr-Cyrl'));
  return pair && { ...pair, enforced: langs.includes(pair.target) };
}

/** Plans the generated Serbian script of every course package and framework under `dir`. */
export function planSerbianScripts(dir: string): ScriptPlan {
  const changes: ScriptFile[] = [];
  const drift: PackageProblem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { changes, drift };
  const yamlFile = (path: string, forced: { source: SerbianScript; target: SerbianScript; enforced?: boolean } | null): void => {
    const text = readText(path);
    if (text === null) return;
    const planned = planYaml(path, text, forced, drift);
    if (planned !== text) changes.push({ path, text: planned });
  };
  yamlFile(join(dir, 'glossary.yaml'), null);
  const fwDir = join(dir, 'frameworks');
  if (existsSync(fwDir)) for (const name of readdirSync(fwDir).filter((n) => /\.ya?ml$/.test(n)).sort()) yamlFile(join(fwDir, name), null);
  for (const name of readdirSync(dir).sort()) {
    const pkg = join(dir, name);
    if (name.startsWith('.') || name === 'frameworks' || name === 'schema' || !statSync(pkg).isDirectory()) continue;
    const courseText = readText(join(pkg, 'course.yaml'));
    const pair = courseScripts(courseText);
    if (!pair) continue;
    const scriptPair = { source: pair.source, target: pair.target, enforced: pair.enforced };
    yamlFile(join(pkg, 'course.yaml'), scriptPair);
    for (const quiz of ['quiz.yaml', 'quiz.yml']) if (existsSync(join(pkg, quiz))) yamlFile(join(pkg, quiz), scriptPair);
    const srcDir = join(pkg, 'lessons', pair.source);
    const tgtDir = join(pkg, 'lessons', pair.target);
    if (!existsSync(srcDir)) continue;
    const sources = readdirSync(srcDir).filter((n) => n.endsWith('.md')).sort();
    for (const file of sources) {
      const expected = transliterateMarkdown(readFileSync(join(srcDir, file), 'utf8'), pair.target);
      const path = join(tgtDir, file);
      if (readText(path) !== expected) {
        changes.push({ path, text: expected });
        if (pair.enforced)
          drift.push({ file: path, field: '', message: existsSync(path) ? STALE : `is missing: run \`npm run courses -- generate\` to write it from lessons/${pair.source}/${file}` });
      }
    }
    if (existsSync(tgtDir))
      for (const file of readdirSync(tgtDir).filter((n) => n.endsWith('.md') && !sources.includes(n)).sort()) {
        changes.push({ path: join(tgtDir, file), text: null });
        if (pair.enforced) drift.push({ file: join(tgtDir, file), field: '', message: `has no source in lessons/${pair.source}/: run \`npm run courses -- generate\` to remove it` });
      }
  }
  return { changes, drift };
}

