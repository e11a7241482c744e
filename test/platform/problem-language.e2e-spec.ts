import type { OrgUnit, User } from '@lms/identity';
import { anOrgUnit, aUser, startApi, TestApi, tokenFor } from '@lms/testing';

/**
 * problem+json in the caller's language: the title, `detail` and every field message of a
 * validation problem follow Accept-Language (en, sr-Latn, sr-Cyrl, mk), else the signed-in
 * person's profile locale; English stays exactly as the code writes it.
 */
describe('validation problems in the caller language (platform)', () => {
  let api: TestApi;
  let unit: OrgUnit;
  let hr: User;

  beforeAll(async () => {
    api = await startApi();
    unit = await anOrgUnit(api.dataSource);
    hr = await aUser(api.dataSource, { orgUnit: unit, locale: 'en', roles: [{ role: 'hr', scope: unit }] });
  });

  afterAll(async () => {
    await api?.close();
  });

  const badLogin = { email: 'x'.repeat(300), password: '', remember: true };

  it.each([
    [
      'en',
      'Bad Request',
      'The request is not valid',
      [
        ['email', 'email must be at most 254 characters'],
        ['password', 'password must be a non-empty string'],
        ['remember', 'remember is not allowed'],
      ],
    ],
    [
      'sr-Latn-RS',
      'Neispravan zahtev',
      'Zahtev nije ispravan',
      [
        ['email', 'Polje email može imati najviše 254 znaka'],
        ['password', 'Polje password ne sme biti prazno'],
        ['remember', 'Polje remember nije dozvoljeno'],
      ],
    ],
    [
      'sr-RS,sr;q=0.9',
      'Неисправан захтев',
      'Захтев није исправан',
      [
        ['email', 'Поље email може имати највише 254 знака'],
        ['password', 'Поље password не сме бити празно'],
        ['remember', 'Поље remember није дозвољено'],
      ],
    ],
    [
      'mk-MK,mk;q=0.9',
      'Неисправно барање',
      'Барањето не е исправно',
      [
        ['email', 'Полето email може да има најмногу 254 знаци'],
        ['password', 'Полето password не смее да биде празно'],
        ['remember', 'Полето remember не е дозволено'],
      ],
    ],
  ])('POST /auth/login with Accept-Language %s', async (language, title, detail, fields) => {
    const res = await api.http.post('/api/v1/auth/login').set('accept-language', language).send(badLogin).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', title, detail });
    const got = (res.body.errors as Array<{ field: string; message: string }>).map((e) => [e.field, e.message]).sort();
    expect(got).toEqual([...fields].sort());
    // Only field and message are sent (the rule that words them stays inside).
    for (const e of res.body.errors) expect(Object.keys(e).sort()).toEqual(['field', 'message']);
  });

  it('an HR report query: isIn and max in each language', async () => {
    const auth = `Bearer ${await tokenFor(api.config, hr)}`;
    const ask = async (language: string) =>
      (await api.http.get('/api/v1/reports/overdue?format=xls&limit=500').set('authorization', auth).set('accept-language', language).expect(400)).body as {
        title: string;
        errors: Array<{ field: string; message: string }>;
      };
    const byField = (b: { errors: Array<{ field: string; message: string }> }) => Object.fromEntries(b.errors.map((e) => [e.field, e.message]));
    expect(byField(await ask('sr-Latn'))).toEqual({ format: 'Polje format mora imati jednu od ovih vrednosti: json, csv', limit: 'Polje limit ne sme biti veće od 100' });
    expect(byField(await ask('sr-Cyrl'))).toEqual({ format: 'Поље format мора имати једну од ових вредности: json, csv', limit: 'Поље limit не сме бити веће од 100' });
    expect(byField(await ask('mk'))).toEqual({ format: 'Полето format мора да има една од овие вредности: json, csv', limit: 'Полето limit не смее да биде поголемо од 100' });
    expect(byField(await ask('en'))).toEqual({ format: 'format must be one of the following values: json, csv', limit: 'limit must not be greater than 100' });
  });

  it('without Accept-Language, the signed-in person’s profile locale decides', async () => {
    const person = await aUser(api.dataSource, { orgUnit: unit, locale: 'mk' });
    const res = await api.http
      .get('/api/v1/me/certificates?limit=0')
      .set('authorization', `Bearer ${await tokenFor(api.config, person)}`)
      .expect(400);
    expect(res.headers['content-language']).toBe('mk');
    expect(res.body).toMatchObject({ title: 'Неисправно барање', detail: 'Барањето не е исправно', errors: [{ field: 'limit', message: 'Полето limit не смее да биде помало од 1' }] });
    // An explicit Accept-Language wins over the profile.
    const en = await api.http
      .get('/api/v1/me/certificates?limit=0')
      .set('authorization', `Bearer ${await tokenFor(api.config, person)}`)
      .set('accept-language', 'en')
      .expect(400);
    expect(en.body).toMatchObject({ title: 'Bad Request', errors: [{ field: 'limit', message: 'limit must not be less than 1' }] });
  });

  it('a path id that is not a UUID, and a missing sign-in, in the caller language', async () => {
    const auth = `Bearer ${await tokenFor(api.config, hr)}`;
    const uuid = await api.http.get('/api/v1/certificates/not-a-uuid').set('authorization', auth).set('accept-language', 'sr-Latn').expect(400);
    expect(uuid.body).toMatchObject({ title: 'Neispravan zahtev', detail: 'Identifikator u putanji mora biti UUID' });
    const anonymous = await api.http.get('/api/v1/me/certificates').set('accept-language', 'sr-Cyrl').expect(401);
    expect(anonymous.body).toMatchObject({ title: 'Потребна је пријава', detail: 'Потребан је приступни токен (bearer) или сесија у прегледачу' });
    const english = await api.http.get('/api/v1/me/certificates').expect(401);
    expect(english.body.detail).toBe('A bearer access token (or a browser session) is required');
  });

  it('text with a NUL character is refused in the caller language too', async () => {
    const res = await api.http.post('/api/v1/auth/login').set('accept-language', 'mk').send({ email: 'a\u0000b@x.mk', password: 'p' }).expect(400);
    expect(res.body).toMatchObject({
      title: 'Неисправно барање',
      detail: 'Барањето содржи знак NUL (U+0000) или осамен сурогат, кои не се дозволени во текст',
      errors: [{ field: 'email', message: 'Полето email не смее да содржи знак NUL (U+0000) ниту осамен сурогат' }],
    });
  });
});
