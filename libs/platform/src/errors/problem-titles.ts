import { fromAcceptLanguage, latinToCyrillic, type UiLocale } from '@lms/i18n';

/**
 * The `title` of a problem (the HTTP status in words) in the caller's language, chosen from
 * Accept-Language along its fallback chain (libs/i18n); English otherwise. Only statuses the API
 * answers; others keep Node's English phrase. `detail` and field messages: problem-messages.ts.
 */
const TITLES: Record<'sr-Latn' | 'mk', Record<number, string>> = {
  'sr-Latn': {
    400: 'Neispravan zahtev',
    401: 'Potrebna je prijava',
    403: 'Pristup nije dozvoljen',
    404: 'Nije pronađeno',
    405: 'Metod nije dozvoljen',
    406: 'Format nije prihvatljiv',
    409: 'Sukob sa postojećim stanjem',
    413: 'Zahtev je prevelik',
    415: 'Nepodržan tip sadržaja',
    422: 'Zahtev se ne može obraditi',
    429: 'Previše zahteva',
    500: 'Greška na serveru',
    502: 'Drugi server je odgovorio neispravno',
    503: 'Usluga trenutno nije dostupna',
  },
  mk: {
    400: 'Неисправно барање',
    401: 'Потребна е најава',
    403: 'Пристапот не е дозволен',
    404: 'Не е пронајдено',
    405: 'Методот не е дозволен',
    406: 'Форматот не е прифатлив',
    409: 'Судир со постојната состојба',
    413: 'Барањето е преголемо',
    415: 'Неподдржан тип на содржина',
    422: 'Барањето не може да се обработи',
    429: 'Премногу барања',
    500: 'Грешка на серверот',
    502: 'Другиот сервер одговори неисправно',
    503: 'Услугата моментално не е достапна',
  },
};

/** The localised title for `status` from Accept-Language, or undefined to keep the English one. */
export function localisedTitle(status: number, acceptLanguage: string | undefined): { title: string; language: string } | undefined {
  return titleIn(status, fromAcceptLanguage(acceptLanguage));
}

/** The title for `status` in `locale` (a shipped interface language), or undefined to keep the English one. */
export function titleIn(status: number, locale: UiLocale | undefined): { title: string; language: string } | undefined {
  if (!locale || locale === 'en') return undefined;
  const latin = TITLES[locale === 'sr-Cyrl' ? 'sr-Latn' : locale][status];
  // Serbian Cyrillic is generated from the Latin, as everywhere.
  const title = latin && locale === 'sr-Cyrl' ? latinToCyrillic(latin) : latin;
  return title ? { title, language: locale } : undefined;
}
