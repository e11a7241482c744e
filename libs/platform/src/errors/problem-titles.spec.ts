import { localisedTitle } from './problem-titles.js';

describe('problem titles in the caller language', () => {
  it('follows Accept-Language along the fallback chain; English (undefined) otherwise', () => {
    expect(localisedTitle(404, 'mk-MK,mk;q=0.9')).toEqual({ title: 'Не е пронајдено', language: 'mk' });
    expect(localisedTitle(400, 'sr-Latn-RS')).toEqual({ title: 'Neispravan zahtev', language: 'sr-Latn' });
    expect(localisedTitle(400, 'sr-RS')).toEqual({ title: 'Неисправан захтев', language: 'sr-Cyrl' });
    expect(localisedTitle(403, 'hr')).toEqual({ title: 'Pristup nije dozvoljen', language: 'sr-Latn' });
    expect(localisedTitle(404, 'en-GB')).toBeUndefined();
    expect(localisedTitle(404, 'de')).toBeUndefined();
    expect(localisedTitle(404, undefined)).toBeUndefined();
    expect(localisedTitle(418, 'mk')).toBeUndefined();
  });
});
