import { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { coursePackageSchema, courseSchema, frameworkSchema, lessonFrontMatterSchema, quizSchema } from './package.schemas.js';
import { PathSegment, pointerToPath, SourceDoc } from './yaml-source.js';
import type { ProblemList } from './problem-list.js';

export type SchemaName = 'course' | 'quiz' | 'lesson' | 'framework' | 'package';

let compiled: Record<SchemaName, ValidateFunction> | undefined;

function validators(): Record<SchemaName, ValidateFunction> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
    ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
    compiled = {
      course: ajv.compile(courseSchema),
      quiz: ajv.compile(quizSchema),
      lesson: ajv.compile(lessonFrontMatterSchema),
      framework: ajv.compile(frameworkSchema),
      package: ajv.compile(coursePackageSchema),
    };
  }
  return compiled;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  array: 'a list',
  object: 'a map of fields',
  boolean: 'true or false',
  null: 'null',
};

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggestion(name: string, parentSchema: unknown): string {
  const props = Object.keys((parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
  const best = props.map((p) => ({ p, d: distance(name, p) })).sort((x, y) => x.d - y.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(name.length / 4))) return ` (did you mean ${best.p}?)`;
  return props.length ? ` (known fields: ${props.join(', ')})` : '';
}

function hint(e: ErrorObject): string | undefined {
  return (e.parentSchema as Record<string, unknown> | undefined)?.['x-hint'] as string | undefined;
}

/** Validates `source.value` against a schema and adds one problem per violation, with its location. */
export function schemaCheck(name: SchemaName, source: SourceDoc, problems: ProblemList, value: unknown = source.value): boolean {
  const validate = validators()[name];
  if (validate(value)) return true;
  for (const e of validate.errors ?? []) {
    const path: PathSegment[] = pointerToPath(e.instancePath);
    if (e.keyword === 'propertyNames') continue; // reported by the inner error that names the property
    if (e.propertyName !== undefined) {
      problems.add(source, [...path, e.propertyName], `"${e.propertyName}" ${hint(e) ?? 'is not a valid name here'}`, { key: true });
      continue;
    }
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        problems.add(source, [...path, missing], 'is required', { locate: path });
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        problems.add(source, [...path, extra], `is not a known field${suggestion(extra, e.parentSchema)}`, { key: true });
        break;
      }
      case 'enum':
        problems.add(source, path, `must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`);
        break;
      case 'type': {
        const t = (e.params as { type: string | string[] }).type;
        const types = (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPE_WORDS[x] ?? x);
        problems.add(source, path, `must be ${types.join(' or ')}`);
        break;
      }
      case 'pattern':
        problems.add(source, path, hint(e) ?? `must match ${(e.params as { pattern: string }).pattern}`);
        break;
      case 'uniqueItems': {
        const { i, j } = e.params as { i: number; j: number };
        problems.add(source, [...path, i], `duplicates item ${j + 1} of the list (${JSON.stringify((e.data as unknown[])[i])})`);
        break;
      }
      default:
        problems.add(source, path, e.message ?? `fails ${e.keyword}`);
    }
  }
  return false;
}
