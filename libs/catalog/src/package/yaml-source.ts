import { isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Document } from 'yaml';

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** `title.sr-Cyrl`, `questions[2].choices[0].id`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** JSON pointer (ajv's instancePath) → path segments; array indexes become numbers. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * A parsed document (a YAML file, a lesson's front matter, or JSON sent to the API) that can say
 * where a field path is: line and column for YAML, nothing for JSON.
 */
export class SourceDoc {
  constructor(
    /** File path as reported, or undefined for JSON bodies. */
    readonly file: string | undefined,
    /** The plain value (undefined when the YAML could not be parsed). */
    readonly value: unknown,
    /** Prefix of field paths: `course`, `lessons[2]`… for API bodies, empty for files. */
    readonly fieldPrefix: readonly PathSegment[] = [],
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
    /** Added to every line number (front matter starts on line 2 of a lesson file). */
    private readonly lineOffset = 0,
  ) {}

  static json(value: unknown, fieldPrefix: PathSegment[]): SourceDoc {
    return new SourceDoc(undefined, value, fieldPrefix);
  }

  /** Parses YAML; syntax errors come back with their line and column. */
  static yaml(file: string, text: string, lineOffset = 0): { source: SourceDoc; syntaxErrors: Array<Position & { message: string }> } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    // One error per line: after a syntax error the parser often reports knock-on errors on the same line.
    const seen = new Set<number>();
    const syntaxErrors: Array<Position & { message: string }> = [];
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      if (seen.has(pos.line)) continue;
      seen.add(pos.line);
      syntaxErrors.push({ line: pos.line + lineOffset, column: pos.col, message: e.message.split('\n')[0] });
    }
    const value: unknown = syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 50 });
    return { source: new SourceDoc(file, value, [], doc, lines, lineOffset), syntaxErrors };
  }

  field(path: readonly PathSegment[]): string {
    return formatPath([...this.fieldPrefix, ...path]);
  }

  /**
   * Where a path is in the file: the key of the deepest existing map entry on the path (so a
   * missing `title.sr-Cyrl` points at `title:`), or the sequence item. `key`: point at the key of
   * the last segment rather than at its value.
   */
  locate(path: readonly PathSegment[], key = false): Position | undefined {
    if (!this.doc || !this.lines) return undefined;
    let node: unknown = this.doc.contents;
    let offset: number | undefined = (node as Node | null)?.range?.[0];
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        offset = last && !key && valueNode && isScalar(valueNode) ? (valueNode.range?.[0] ?? keyNode.range?.[0]) : keyNode.range?.[0];
        node = valueNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0];
        node = item;
      } else {
        break;
      }
    }
    if (offset === undefined) return { line: 1 + this.lineOffset, column: 1 };
    const pos = this.lines.linePos(offset);
    return { line: pos.line + this.lineOffset, column: pos.col };
  }
}
