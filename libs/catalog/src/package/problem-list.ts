import type { PackageProblem } from './package.types.js';
import { formatPath, PathSegment, SourceDoc } from './yaml-source.js';

/** Collects every problem (never stops at the first), each with its file, line, column and field. */
export class ProblemList {
  readonly items: PackageProblem[] = [];

  get count(): number {
    return this.items.length;
  }

  /**
   * A problem at `path` of a document. `locate`: the path to point at when it differs (a missing
   * field points at its parent); `key`: point at the key rather than the value.
   */
  add(source: SourceDoc, path: readonly PathSegment[], message: string, opts: { locate?: readonly PathSegment[]; key?: boolean } = {}): void {
    const pos = source.locate(opts.locate ?? path, opts.key);
    this.items.push({ ...(source.file ? { file: source.file } : {}), ...(pos ? { line: pos.line, column: pos.column } : {}), field: source.field(path), message });
  }

  /** A problem about a file or folder as a whole, or at a known line of it. */
  file(file: string | undefined, message: string, opts: { line?: number; column?: number; field?: string | readonly PathSegment[] } = {}): void {
    const field = typeof opts.field === 'string' ? opts.field : formatPath(opts.field ?? []);
    this.items.push({
      ...(file ? { file } : {}),
      ...(opts.line ? { line: opts.line, column: opts.column ?? 1 } : {}),
      field,
      message,
    });
  }
}

/** Sorted by file, then line, then column: the order a person fixes them in. */
export function sortProblems(problems: PackageProblem[]): PackageProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.field.localeCompare(b.field),
  );
}

/** `file:line:column  field: message` — the shape editors and CI logs turn into links. */
export function formatProblem(p: PackageProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}` : '(package)';
  return `${where}  ${p.field ? `${p.field}: ` : ''}${p.message}`;
}
