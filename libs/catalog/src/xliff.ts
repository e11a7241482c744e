import { createHash } from 'node:crypto';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { canonicalLocale } from '@lms/i18n';
import type { LangMap, QuizQuestion } from './course-version.entity.js';
import type { CoursePackage } from './package/package.types.js';

/**
 * XLIFF 2.0 for translating a course (docs/languages.md). A version's text becomes units:
 * `course.title`, `course.summary`, `lessons.<slug>.title`, `lessons.<slug>.body` (one segment per
 * Markdown block; blank lines and fenced code are <ignorable>), `quiz.<q>.text`, `quiz.<q>.<choice>`,
 * `quiz.<q>.explanation`. Each unit carries the SHA-256 of every segment's source in the Metadata
 * module (category `lms:source-hash`), so an import can tell that the source it was made from is
 * the version's, and the languages status can tell which translations a later source change made
 * outdated.
 */
export interface CourseTexts {
  slug: string;
  version: number;
  title: LangMap;
  summary: LangMap;
  lessons: Array<{ slug: string; title: LangMap; body: LangMap }>;
  quiz: { questions: QuizQuestion[] } | null;
}

/** The texts of a package read from files (version 0: not a database version). */
export function courseTextsOfPackage(pkg: CoursePackage): CourseTexts {
  return {
    slug: pkg.slug,
    version: 0,
    title: pkg.title,
    summary: pkg.summary,
    lessons: pkg.lessons.map((l) => ({ slug: l.slug, title: l.title, body: l.body })),
    quiz: pkg.quiz,
  };
}

export type XliffPart = { kind: 'segment'; text: string } | { kind: 'ignorable'; text: string };

export interface XliffUnit {
  id: string;
  parts: XliffPart[];
}

const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';
const MDA_NS = 'urn:oasis:names:tc:xliff:metadata:2.0';
const HASH_CATEGORY = 'lms:source-hash';

/** A bad XLIFF file: the element (an XPath-like location) and what is wrong with it. */
export class XliffProblem extends Error {
  constructor(
    readonly element: string,
    readonly problem: string,
  ) {
    super(`${element}: ${problem}`);
    this.name = 'XliffProblem';
  }
}

export function sourceHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Markdown → segments and ignorables whose concatenation is the text, byte for byte: each block
 * (paragraph, heading, list, table, quote) is a segment; the blank lines between them and fenced
 * code blocks are ignorable.
 */
export function markdownParts(text: string): XliffPart[] {
  const parts: XliffPart[] = [];
  const pieces = text.split(/(\n[ \t]*\n(?:[ \t]*\n)*)/);
  // pieces alternate block, separator, block…; merge the blocks of a fenced code block that spans blank lines.
  let i = 0;
  const push = (kind: XliffPart['kind'], t: string): void => {
    if (!t) return;
    const last = parts.at(-1);
    if (last && last.kind === 'ignorable' && kind === 'ignorable') last.text += t;
    else parts.push({ kind, text: t });
  };
  while (i < pieces.length) {
    let block = pieces[i];
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(block);
    if (fence) {
      const closing = new RegExp(`^ {0,3}\\${fence[1][0]}{${fence[1].length},}\\s*$`);
      const closes = (b: string): boolean => b.split('\n').slice(1).some((l) => closing.test(l));
      while (!closes(block) && i + 2 < pieces.length) {
        block += pieces[i + 1] + pieces[i + 2];
        i += 2;
      }
      push('ignorable', block);
    } else {
      const lead = /^\s*/.exec(block)![0];
      const trail = /\s*$/.exec(block.slice(lead.length))![0];
      push('ignorable', lead);
      push('segment', block.slice(lead.length, block.length - trail.length));
      push('ignorable', trail);
    }
    if (i + 1 < pieces.length) push('ignorable', pieces[i + 1]);
    i += 2;
  }
  return parts;
}

function plainParts(text: string): XliffPart[] {
  return [{ kind: 'segment', text }];
}

/** The units of a course's text in one language (the source), in a stable order. */
export function courseUnits(texts: CourseTexts, lang: string): XliffUnit[] {
  const units: XliffUnit[] = [
    { id: 'course.title', parts: plainParts(texts.title[lang] ?? '') },
    { id: 'course.summary', parts: plainParts(texts.summary[lang] ?? '') },
  ];
  for (const l of texts.lessons) {
    units.push({ id: `lessons.${l.slug}.title`, parts: plainParts(l.title[lang] ?? '') });
    units.push({ id: `lessons.${l.slug}.body`, parts: markdownParts(l.body[lang] ?? '') });
  }
  for (const q of texts.quiz?.questions ?? []) {
    units.push({ id: `quiz.${q.id}.text`, parts: plainParts(q.text[lang] ?? '') });
    for (const c of q.choices) units.push({ id: `quiz.${q.id}.${c.id}`, parts: plainParts(c.text[lang] ?? '') });
    if (q.explanation) units.push({ id: `quiz.${q.id}.explanation`, parts: plainParts(q.explanation[lang] ?? '') });
  }
  return units;
}

/** Segment id → source hash for every unit (`course.title#s1`). */
export function segmentHashes(units: XliffUnit[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const u of units) {
    let n = 0;
    for (const p of u.parts) if (p.kind === 'segment') out[`${u.id}#s${++n}`] = sourceHash(p.text);
  }
  return out;
}

type XmlNode = Record<string, unknown>;
const text = (t: string): XmlNode => ({ '#text': t });
const el = (name: string, attrs: Record<string, string> | null, children: XmlNode[]): XmlNode => ({
  [name]: children,
  ...(attrs ? { ':@': Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`@_${k}`, v])) } : {}),
});

/**
 * The XLIFF 2.0 document for translating `texts` from `source` into `target`. Targets are filled
 * with the target's current text where the course already has that language and the segment
 * structure matches (state "translated"), else left out (state "initial").
 */
export function exportXliff(texts: CourseTexts, source: string, target: string): string {
  const sourceUnits = courseUnits(texts, source);
  const targetUnits = new Map(courseUnits(texts, target).map((u) => [u.id, u]));
  const units = sourceUnits.map((u) => {
    const existing = targetUnits.get(u.id);
    const existingSegments = existing?.parts.filter((p) => p.kind === 'segment') ?? [];
    const sourceSegments = u.parts.filter((p) => p.kind === 'segment');
    const prefill = existingSegments.length === sourceSegments.length && existingSegments.every((p) => p.text !== '');
    let n = 0;
    const hashes: XmlNode[] = [];
    const children: XmlNode[] = [];
    for (const p of u.parts) {
      if (p.kind === 'ignorable') {
        children.push(el('ignorable', null, [el('source', null, [text(p.text)])]));
        continue;
      }
      const id = `s${++n}`;
      hashes.push(el('mda:meta', { type: id }, [text(sourceHash(p.text))]));
      const seg = [el('source', null, [text(p.text)])];
      if (prefill) seg.push(el('target', null, [text(existingSegments[n - 1].text)]));
      children.push(el('segment', { id, state: prefill ? 'translated' : 'initial' }, seg));
    }
    return el('unit', { id: u.id }, [el('mda:metadata', null, [el('mda:metaGroup', { category: HASH_CATEGORY }, hashes)]), ...children]);
  });
  const doc: XmlNode[] = [
    { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    el('xliff', { xmlns: XLIFF_NS, 'xmlns:mda': MDA_NS, version: '2.0', srcLang: source, trgLang: target }, [
      // Version 0: the package files (CLI), not a version in the database.
      el('file', { id: 'f1', original: texts.version ? `courses/${texts.slug}/versions/${texts.version}` : `courses/${texts.slug}/files`, 'xml:space': 'preserve' }, units),
    ]),
  ];
  const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });
  return `${builder.build(doc) as string}\n`;
}

/** What an imported file says: the version it was made from, its languages and every segment's target. */
export interface ParsedXliff {
  slug: string;
  version: number;
  source: string;
  target: string;
  /** unit id → segment targets in order, with each segment's source text. */
  units: Map<string, Array<{ id: string; source: string; target: string | null }>>;
}

type Ordered = Array<Record<string, unknown>>;

function nameOf(node: Record<string, unknown>): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}
function attrs(node: Record<string, unknown>): Record<string, string> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}
function childrenOf(node: Record<string, unknown>): Ordered {
  return (node[nameOf(node)] as Ordered | undefined) ?? [];
}
/** The text of an element that may hold only text (no inline elements). */
function textOf(node: Record<string, unknown>, where: string): string {
  let out = '';
  for (const c of childrenOf(node)) {
    const name = nameOf(c);
    if (name === '#text') out += String(c['#text']);
    else throw new XliffProblem(`${where}/${name}`, 'inline elements are not supported: a target holds plain text (Markdown)');
  }
  return out;
}

const MAX_UNITS = 5000;

/** Parses and checks the structure of an XLIFF 2.0 file; every problem names its element. */
export function parseXliff(xml: string): ParsedXliff {
  if (/<!DOCTYPE/i.test(xml)) throw new XliffProblem('DOCTYPE', 'is not allowed in XLIFF');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XliffProblem(`line ${valid.err.line}`, `not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
    processEntities: true,
    htmlEntities: false,
  });
  const doc = parser.parse(xml) as Ordered;
  const roots = doc.filter((n) => nameOf(n) !== '#text');
  const root = roots[0];
  if (roots.length !== 1 || nameOf(root) !== 'xliff') throw new XliffProblem('/', 'the root element must be <xliff>');
  const ra = attrs(root);
  if (ra.version !== '2.0') throw new XliffProblem('/xliff/@version', 'must be "2.0"');
  if (ra.xmlns !== XLIFF_NS) throw new XliffProblem('/xliff/@xmlns', `must be ${XLIFF_NS}`);
  const source = canonicalLocale(ra.srcLang);
  if (!source) throw new XliffProblem('/xliff/@srcLang', 'must be a BCP 47 language tag');
  const target = canonicalLocale(ra.trgLang);
  if (!target) throw new XliffProblem('/xliff/@trgLang', 'must be a BCP 47 language tag such as mk or sr-Latn');
  if (target === source) throw new XliffProblem('/xliff/@trgLang', 'must differ from srcLang');
  const files = childrenOf(root).filter((n) => nameOf(n) === 'file');
  if (files.length !== 1) throw new XliffProblem('/xliff/file', 'there must be exactly one <file> (one course version)');
  const original = /^courses\/([a-z0-9][a-z0-9-]*)\/(?:versions\/([1-9]\d{0,8})|files)$/.exec(attrs(files[0]).original ?? '');
  if (!original) throw new XliffProblem('/xliff/file/@original', 'must be courses/<slug>/versions/<n> (or courses/<slug>/files), as exported');
  const units = new Map<string, Array<{ id: string; source: string; target: string | null }>>();
  const unitNodes = childrenOf(files[0]).filter((n) => nameOf(n) === 'unit');
  if (unitNodes.length > MAX_UNITS) throw new XliffProblem('/xliff/file', `has more than ${MAX_UNITS} units`);
  for (const unit of unitNodes) {
    const id = attrs(unit).id;
    const where = `/xliff/file/unit[@id='${id ?? ''}']`;
    if (!id) throw new XliffProblem('/xliff/file/unit', 'has no id');
    if (units.has(id)) throw new XliffProblem(where, 'appears twice');
    const segments: Array<{ id: string; source: string; target: string | null }> = [];
    for (const seg of childrenOf(unit).filter((n) => nameOf(n) === 'segment')) {
      const segId = attrs(seg).id ?? '';
      const at = `${where}/segment[@id='${segId}']`;
      const sources = childrenOf(seg).filter((n) => nameOf(n) === 'source');
      const targets = childrenOf(seg).filter((n) => nameOf(n) === 'target');
      if (sources.length !== 1) throw new XliffProblem(`${at}/source`, 'there must be exactly one <source>');
      if (targets.length > 1) throw new XliffProblem(`${at}/target`, 'there may be at most one <target>');
      segments.push({ id: segId, source: textOf(sources[0], `${at}/source`), target: targets.length ? textOf(targets[0], `${at}/target`) : null });
    }
    units.set(id, segments);
  }
  return { slug: original[1], version: original[2] ? Number(original[2]) : 0, source, target, units };
}

/**
 * The target language's texts from a parsed file, checked against the version's source: every
 * unit and segment present, sources unchanged, every target filled. The ignorables (blank lines,
 * code) come from the version, never from the file.
 */
export function translatedTexts(texts: CourseTexts, parsed: ParsedXliff): Map<string, string> {
  const out = new Map<string, string>();
  const expected = courseUnits(texts, parsed.source);
  const known = new Set(expected.map((u) => u.id));
  for (const id of parsed.units.keys()) if (!known.has(id)) throw new XliffProblem(`/xliff/file/unit[@id='${id}']`, `is not a unit of ${texts.slug} version ${texts.version}`);
  for (const unit of expected) {
    const where = `/xliff/file/unit[@id='${unit.id}']`;
    const given = parsed.units.get(unit.id);
    if (!given) throw new XliffProblem(where, 'is missing');
    const sourceSegments = unit.parts.filter((p) => p.kind === 'segment');
    if (given.length !== sourceSegments.length) throw new XliffProblem(where, `has ${given.length} segment(s); the source has ${sourceSegments.length}`);
    let n = 0;
    let result = '';
    for (const part of unit.parts) {
      if (part.kind === 'ignorable') {
        result += part.text;
        continue;
      }
      const seg = given[n];
      const at = `${where}/segment[@id='${seg.id}']`;
      if (seg.id !== `s${n + 1}`) throw new XliffProblem(at, `expected segment s${n + 1} here`);
      if (seg.source !== part.text) throw new XliffProblem(`${at}/source`, `differs from ${texts.slug} version ${texts.version}: the source was edited or the file is from another version`);
      if (seg.target === null || (seg.target.trim() === '' && part.text.trim() !== '')) throw new XliffProblem(`${at}/target`, 'is missing or empty: translate every segment');
      result += seg.target;
      n++;
    }
    out.set(unit.id, result);
  }
  return out;
}

/** The course's texts with `lang` set from the unit texts (a new language or a replaced one). */
export function withLanguage(texts: CourseTexts, lang: string, units: Map<string, string>): CourseTexts {
  const get = (id: string): string => units.get(id) ?? '';
  return {
    ...texts,
    title: { ...texts.title, [lang]: get('course.title') },
    summary: { ...texts.summary, [lang]: get('course.summary') },
    lessons: texts.lessons.map((l) => ({
      slug: l.slug,
      title: { ...l.title, [lang]: get(`lessons.${l.slug}.title`) },
      body: { ...l.body, [lang]: get(`lessons.${l.slug}.body`) },
    })),
    quiz: texts.quiz && {
      questions: texts.quiz.questions.map((q) => ({
        ...q,
        text: { ...q.text, [lang]: get(`quiz.${q.id}.text`) },
        choices: q.choices.map((c) => ({ ...c, text: { ...c.text, [lang]: get(`quiz.${q.id}.${c.id}`) } })),
        ...(q.explanation ? { explanation: { ...q.explanation, [lang]: get(`quiz.${q.id}.explanation`) } } : {}),
      })),
    },
  };
}
