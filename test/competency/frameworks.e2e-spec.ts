import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FrameworkImportService, FrameworkVersionChangedError } from '@lms/competency';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';
import { DACPS_FILE, importDacps } from './competency-fixtures.js';

describe('Competency frameworks', () => {
  let api: TestApi;
  let token: string;
  let importer: FrameworkImportService;

  beforeAll(async () => {
    api = await startApi();
    importer = api.app.get(FrameworkImportService, { strict: false });
    const unit = await anOrgUnit(api.dataSource);
    token = await tokenFor(api.config, await aUser(api.dataSource, { orgUnit: unit }));
  });
  afterAll(async () => {
    await api.close();
  });

  it('imports the framework file once: a second import of the same version changes nothing', async () => {
    const first = await importDacps(api);
    expect(first).toMatchObject({ key: 'dacps', version: 1, status: 'created', previousVersion: null });
    expect(first.competencies).toBeGreaterThan(15);
    const again = await importDacps(api);
    expect(again).toMatchObject({ status: 'unchanged', added: [], removed: [], changed: [] });
    const [{ n }] = (await api.dataSource.query(`SELECT count(*)::int AS n FROM competency_framework WHERE key = 'dacps'`)) as Array<{ n: number }>;
    expect(n).toBe(1);
  });

  it('lists frameworks and shows one with ordered levels, the competency tree and crosswalks', async () => {
    const list = await api.http.get('/api/v1/competency-frameworks').set('Authorization', `Bearer ${token}`).expect(200);
    expect(list.body).toMatchObject({ page: 1, limit: 20, total: 1 });
    expect(list.body.items[0]).toMatchObject({ key: 'dacps', version: 1, versions: [1] });

    const res = await api.http.get('/api/v1/competency-frameworks/dacps').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.levels.map((l: { level: number; code: string }) => `${l.level}:${l.code}`)).toEqual(['1:awareness', '2:working', '3:practitioner', '4:expert']);
    const lit = res.body.competencies.find((c: { code: string }) => c.code === 'LIT');
    expect(lit.children.map((c: { code: string }) => c.code)).toEqual(['LIT.1', 'LIT.2', 'LIT.3']);
    expect(lit.children[2].crosswalk).toEqual([{ framework: 'DigComp 2.2', code: '1.2', relation: 'exactMatchOf' }]);
    expect(lit.title['sr-Cyrl']).toBeTruthy();
  });

  it('keeps the old version next to a new one and says which codes were added, removed and changed', async () => {
    const v1 = parse(readFileSync(DACPS_FILE, 'utf8')) as { version: number; competencies: Array<{ code: string; title: Record<string, string>; children?: Array<{ code: string; title: Record<string, string> }> }> };
    const v2 = structuredClone(v1);
    v2.version = 2;
    const lit = v2.competencies.find((c) => c.code === 'LIT')!;
    lit.children = lit.children!.filter((c) => c.code !== 'LIT.3');
    lit.children[0].title = { ...lit.children[0].title, en: 'Understanding AI systems and their limits' };
    lit.children.push({ code: 'LIT.4', title: { en: 'Prompting responsibly' } });
    const result = await importer.importFramework(v2);
    expect(result).toMatchObject({ version: 2, status: 'created', previousVersion: 1, added: ['LIT.4'], removed: ['LIT.3'], changed: ['LIT.1'] });

    const latest = await api.http.get('/api/v1/competency-frameworks/dacps').set('Authorization', `Bearer ${token}`).expect(200);
    expect(latest.body).toMatchObject({ version: 2, versions: [1, 2] });
    const old = await api.http.get('/api/v1/competency-frameworks/dacps?version=1').set('Authorization', `Bearer ${token}`).expect(200);
    expect(old.body.version).toBe(1);
    expect(old.body.competencies.find((c: { code: string }) => c.code === 'LIT').children.map((c: { code: string }) => c.code)).toContain('LIT.3');
  });

  it('refuses to change the content of a version already imported', async () => {
    const v1 = parse(readFileSync(DACPS_FILE, 'utf8')) as { title: Record<string, string> };
    v1.title = { ...v1.title, en: 'Edited without a new version' };
    await expect(importer.importFramework(v1)).rejects.toBeInstanceOf(FrameworkVersionChangedError);
  });

  it('answers bad input with 400, unknown frameworks and versions with 404, and no token with 401', async () => {
    await api.http.get('/api/v1/competency-frameworks/nope').set('Authorization', `Bearer ${token}`).expect(404);
    await api.http.get('/api/v1/competency-frameworks/dacps?version=9').set('Authorization', `Bearer ${token}`).expect(404);
    const bad = await api.http.get('/api/v1/competency-frameworks/dacps?version=first').set('Authorization', `Bearer ${token}`).expect(400);
    expect(bad.body.errors[0].field).toBe('version');
    await api.http.get('/api/v1/competency-frameworks/Not%20A%20Key').set('Authorization', `Bearer ${token}`).expect(400);
    await api.http.get('/api/v1/competency-frameworks?limit=1000').set('Authorization', `Bearer ${token}`).expect(400);
    await api.http.get('/api/v1/competency-frameworks').expect(401);
  });
});
