import { readFileSync } from 'node:fs';
import { ValidationError } from '@lms/platform';
import { buildCompetencyTree, diffCompetencies, flattenFramework, frameworkContentHash, parseFrameworkYaml, validateFrameworkFile } from './framework-file.js';

const dacps = readFileSync(new URL('../../../courses/frameworks/dacps.yaml', import.meta.url), 'utf8');

const small = {
  key: 'mini',
  version: 1,
  title: { en: 'Mini' },
  levels: [
    { level: 1, code: 'basic', title: { en: 'Basic' } },
    { level: 2, code: 'good', title: { en: 'Good' } },
  ],
  competencies: [
    { code: 'A', title: { en: 'Area A' }, children: [{ code: 'A.1', title: { en: 'One' }, crosswalk: [{ framework: 'DigComp 2.2', code: '1.2', relation: 'exactMatchOf' }] }] },
  ],
};

describe('framework files', () => {
  it('parses the dacps framework: ordered levels, a tree with stable codes and crosswalks', () => {
    const f = parseFrameworkYaml(dacps, 'dacps.yaml');
    expect(f.key).toBe('dacps');
    expect(f.levels.map((l) => l.level)).toEqual([1, 2, 3, 4]);
    const flat = flattenFramework(f);
    expect(flat.find((c) => c.code === 'LIT.1')).toMatchObject({ parentCode: 'LIT', crosswalk: expect.arrayContaining([{ framework: 'DigComp 2.2', code: '1.2', relation: 'isRelatedTo' }]) });
    expect(new Set(flat.map((c) => c.code)).size).toBe(flat.length);
    const tree = buildCompetencyTree(flat);
    expect(tree.map((n) => n.code)).toEqual(f.competencies.map((c) => c.code));
    expect(tree[0].children.map((c) => c.code)).toEqual(['LIT.1', 'LIT.2', 'LIT.3']);
  });

  it('lists every problem by field', () => {
    let error: unknown;
    try {
      validateFrameworkFile({
        ...small,
        key: 'Bad Key',
        levels: [{ level: 2, code: 'x', title: { en: 'X' } }],
        competencies: [
          { code: 'A', title: { en: 'A' } },
          { code: 'A', title: {}, crosswalk: [{ framework: 'F', code: '1', relation: 'sameAs' }] },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['key', 'levels[0].level', 'competencies[1].code', 'competencies[1].title', 'competencies[1].crosswalk[0].relation']));
  });

  it('names the file and line of a YAML syntax error', () => {
    expect(() => parseFrameworkYaml('key: x\nlevels: [\n  - {', 'broken.yaml')).toThrow(ValidationError);
    try {
      parseFrameworkYaml('key: x\nlevels: [\n  - {', 'broken.yaml');
    } catch (e) {
      expect((e as ValidationError).errors[0].field).toMatch(/^broken\.yaml/);
    }
  });

  it('hashes content independently of key order', () => {
    const a = validateFrameworkFile(small);
    const b = validateFrameworkFile({ competencies: small.competencies, levels: small.levels, title: small.title, version: 1, key: 'mini' });
    expect(frameworkContentHash(a)).toBe(frameworkContentHash(b));
    expect(frameworkContentHash(a)).not.toBe(frameworkContentHash(validateFrameworkFile({ ...small, title: { en: 'Other' } })));
  });

  it('says which codes a new version adds, removes and changes', () => {
    const v1 = flattenFramework(validateFrameworkFile(small));
    const v2 = flattenFramework(
      validateFrameworkFile({
        ...small,
        version: 2,
        competencies: [
          { code: 'A', title: { en: 'Area A' }, children: [{ code: 'A.1', title: { en: 'One, renamed' } }, { code: 'A.2', title: { en: 'Two' } }] },
        ],
      }),
    );
    expect(diffCompetencies(v1, v2)).toEqual({ added: ['A.2'], removed: [], changed: ['A.1'] });
    expect(diffCompetencies(v2, v1)).toEqual({ added: [], removed: ['A.2'], changed: ['A.1'] });
    expect(diffCompetencies(v1, v1)).toEqual({ added: [], removed: [], changed: [] });
  });
});
