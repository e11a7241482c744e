import { IntlMessageFormat } from 'intl-messageformat';
import { fromAcceptLanguage, icuLatinToCyrillic, INTL_TAGS, uiLocaleFor, type UiLocale } from '@lms/i18n';

/**
 * The catalog of what problem+json says in `detail` and in field messages, for the languages other
 * than English (English keeps the messages the code writes, which clients and tests read). ICU
 * MessageFormat with CLDR plural rules; Serbian Cyrillic is generated from the Latin, as in the UI
 * catalogs. Field messages are keyed by the rule that failed (class-validator's constraint names
 * and ours); a rule without a message here gets `field.invalid`, so a caller never reads English.
 */
const MESSAGES: Record<'sr-Latn' | 'mk', Record<string, string>> = {
  'sr-Latn': {
    'detail.validation': 'Zahtev nije ispravan',
    'detail.nul': 'Zahtev sadrži znak NUL (U+0000) ili usamljeni surogat, koji nisu dozvoljeni u tekstu',
    'detail.pg.22P02': 'Neka vrednost nije u ispravnom obliku (na primer identifikator koji nije UUID)',
    'detail.pg.22007': 'Datum ili vreme nije ispravno',
    'detail.pg.22008': 'Datum ili vreme je van dozvoljenog opsega',
    'detail.pg.22003': 'Broj je van dozvoljenog opsega',
    'detail.pg.22001': 'Vrednost je predugačka',
    'detail.pg.23505': 'Ovo već postoji',
    'detail.pg.23503': 'Ovo upućuje na nešto što ne postoji ili je još u upotrebi',
    'detail.413': 'Telo zahteva je veće od dozvoljenih 1 MiB',
    'detail.415': 'Ova vrsta sadržaja ovde nije podržana',
    'detail.503.database': 'Baza podataka trenutno nije dostupna. Pokušajte ponovo za koji trenutak.',
    'detail.500': 'Došlo je do greške na našoj strani. Kada je prijavljujete, navedite identifikator greške {errorId}.',
    'detail.uuid': 'Identifikator u putanji mora biti UUID',
    'detail.numeric': 'Deo putanje mora biti broj',
    'detail.401.token': 'Pristupni token nije ispravan ili je istekao',
    'detail.401.session': 'Vaša sesija je završena; prijavite se ponovo',
    'detail.401.required': 'Potreban je pristupni token (bearer) ili sesija u pregledaču',
    'field.invalid': 'Polje {field} nije ispravno',
    'field.whitelistValidation': 'Polje {field} nije dozvoljeno',
    'field.unknownValue': 'Zahtev sadrži vrednost koja nije očekivana',
    'field.nestedValidation': 'Polje {field} mora biti objekat ili niz',
    'field.isDefined': 'Polje {field} je obavezno',
    'field.isNotEmpty': 'Polje {field} ne sme biti prazno',
    'field.isString': 'Polje {field} mora biti tekst',
    'field.isInt': 'Polje {field} mora biti ceo broj',
    'field.isNumber': 'Polje {field} mora biti broj',
    'field.isBoolean': 'Polje {field} mora biti true ili false',
    'field.isArray': 'Polje {field} mora biti niz',
    'field.isObject': 'Polje {field} mora biti objekat',
    'field.isUUID': 'Polje {field} mora biti UUID',
    'field.isEmail': 'Polje {field} mora biti adresa e-pošte',
    'field.isUrl': 'Polje {field} mora biti URL adresa',
    'field.isISO8601': 'Polje {field} mora biti datum ili vreme u obliku ISO 8601',
    'field.matches': 'Polje {field} nije u ispravnom obliku',
    'field.isIn': 'Polje {field} mora imati jednu od ovih vrednosti: {values}',
    'field.min': 'Polje {field} ne sme biti manje od {min, number}',
    'field.max': 'Polje {field} ne sme biti veće od {max, number}',
    'field.maxLength': 'Polje {field} može imati najviše {max, plural, one {# znak} few {# znaka} other {# znakova}}',
    'field.minLength': 'Polje {field} mora imati najmanje {min, plural, one {# znak} few {# znaka} other {# znakova}}',
    'field.isLength': 'Polje {field} mora imati od {min, number} do {max, plural, one {# znaka} few {# znaka} other {# znakova}}',
    'field.arrayMaxSize': 'Polje {field} može sadržati najviše {max, plural, one {# stavku} few {# stavke} other {# stavki}}',
    'field.arrayMinSize': 'Polje {field} mora sadržati najmanje {min, plural, one {# stavku} few {# stavke} other {# stavki}}',
    'field.isLanguageTag': 'Polje {field} mora biti oznaka jezika po standardu BCP 47, na primer en, sr-Latn, sr-Cyrl ili mk',
    'field.isTimeZone': 'Polje {field} mora biti vremenska zona iz baze IANA, na primer Europe/Belgrade ili UTC',
    'field.isName': 'Polje {field} mora biti neprazan tekst bez kontrolnih znakova, ne duži od dozvoljenog',
    'field.nul': 'Polje {field} ne sme sadržati znak NUL (U+0000) ni usamljeni surogat',
    'field.future': 'Polje {field} mora biti datum u budućnosti',
    'field.unknownOrgUnit': 'Ne postoji organizaciona jedinica sa identifikatorom {id}',
    'field.unknownPerson': 'Ne postoji osoba sa identifikatorom {id}',
  },
  mk: {
    'detail.validation': 'Барањето не е исправно',
    'detail.nul': 'Барањето содржи знак NUL (U+0000) или осамен сурогат, кои не се дозволени во текст',
    'detail.pg.22P02': 'Некоја вредност не е во исправен облик (на пример идентификатор што не е UUID)',
    'detail.pg.22007': 'Датумот или времето не е исправно',
    'detail.pg.22008': 'Датумот или времето е надвор од дозволениот опсег',
    'detail.pg.22003': 'Бројот е надвор од дозволениот опсег',
    'detail.pg.22001': 'Вредноста е предолга',
    'detail.pg.23505': 'Ова веќе постои',
    'detail.pg.23503': 'Ова упатува на нешто што не постои или сè уште се користи',
    'detail.413': 'Телото на барањето е поголемо од дозволениот 1 MiB',
    'detail.415': 'Овој вид содржина не е поддржан тука',
    'detail.503.database': 'Базата на податоци моментално не е достапна. Обидете се повторно за малку.',
    'detail.500': 'Настана грешка кај нас. Кога ја пријавувате, наведете го идентификаторот на грешката {errorId}.',
    'detail.uuid': 'Идентификаторот во патеката мора да биде UUID',
    'detail.numeric': 'Делот од патеката мора да биде број',
    'detail.401.token': 'Токенот за пристап не е исправен или е истечен',
    'detail.401.session': 'Вашата сесија заврши; најавете се повторно',
    'detail.401.required': 'Потребен е токен за пристап (bearer) или сесија во прелистувачот',
    'field.invalid': 'Полето {field} не е исправно',
    'field.whitelistValidation': 'Полето {field} не е дозволено',
    'field.unknownValue': 'Барањето содржи вредност што не се очекува',
    'field.nestedValidation': 'Полето {field} мора да биде објект или низа',
    'field.isDefined': 'Полето {field} е задолжително',
    'field.isNotEmpty': 'Полето {field} не смее да биде празно',
    'field.isString': 'Полето {field} мора да биде текст',
    'field.isInt': 'Полето {field} мора да биде цел број',
    'field.isNumber': 'Полето {field} мора да биде број',
    'field.isBoolean': 'Полето {field} мора да биде true или false',
    'field.isArray': 'Полето {field} мора да биде низа',
    'field.isObject': 'Полето {field} мора да биде објект',
    'field.isUUID': 'Полето {field} мора да биде UUID',
    'field.isEmail': 'Полето {field} мора да биде адреса на е-пошта',
    'field.isUrl': 'Полето {field} мора да биде URL-адреса',
    'field.isISO8601': 'Полето {field} мора да биде датум или време во облик ISO 8601',
    'field.matches': 'Полето {field} не е во исправен облик',
    'field.isIn': 'Полето {field} мора да има една од овие вредности: {values}',
    'field.min': 'Полето {field} не смее да биде помало од {min, number}',
    'field.max': 'Полето {field} не смее да биде поголемо од {max, number}',
    'field.maxLength': 'Полето {field} може да има најмногу {max, plural, one {# знак} other {# знаци}}',
    'field.minLength': 'Полето {field} мора да има најмалку {min, plural, one {# знак} other {# знаци}}',
    'field.isLength': 'Полето {field} мора да има од {min, number} до {max, plural, one {# знак} other {# знаци}}',
    'field.arrayMaxSize': 'Полето {field} може да содржи најмногу {max, plural, one {# ставка} other {# ставки}}',
    'field.arrayMinSize': 'Полето {field} мора да содржи најмалку {min, plural, one {# ставка} other {# ставки}}',
    'field.isLanguageTag': 'Полето {field} мора да биде ознака на јазик според стандардот BCP 47, на пример en, sr-Latn, sr-Cyrl или mk',
    'field.isTimeZone': 'Полето {field} мора да биде временска зона од базата IANA, на пример Europe/Belgrade или UTC',
    'field.isName': 'Полето {field} мора да биде непразен текст без контролни знаци, не подолг од дозволеното',
    'field.nul': 'Полето {field} не смее да содржи знак NUL (U+0000) ниту осамен сурогат',
    'field.future': 'Полето {field} мора да биде датум во иднина',
    'field.unknownOrgUnit': 'Не постои организациона единица со идентификатор {id}',
    'field.unknownPerson': 'Не постои лице со идентификатор {id}',
  },
};

/** Latin words of the Serbian messages that are values or names, not Serbian: kept as written in Cyrillic. */
const KEEP = ['bearer', 'true', 'false', 'en', 'sr-Latn', 'sr-Cyrl', 'mk', 'Europe/Belgrade', 'UTC', 'IANA', 'MiB', 'NUL', 'U+0000', 'URL', 'UUID', 'ISO', 'BCP'];

export type ProblemLocale = Exclude<UiLocale, 'en'>;
type Catalog = Record<string, string>;

const CATALOGS: Record<ProblemLocale, Catalog> = {
  'sr-Latn': MESSAGES['sr-Latn'],
  'sr-Cyrl': Object.fromEntries(Object.entries(MESSAGES['sr-Latn']).map(([k, v]) => [k, icuLatinToCyrillic(v, KEEP)])),
  mk: MESSAGES.mk,
};

/** The catalog of a language (ICU sources; problem-messages.spec.ts checks keys and plural categories). */
export function problemCatalog(locale: ProblemLocale): Readonly<Record<string, string>> {
  return CATALOGS[locale];
}

const compiled = new Map<string, IntlMessageFormat>();

/** The message `key` in `locale`, or undefined when the catalog has none (or its values do not fit). */
export function problemMessage(locale: ProblemLocale, key: string, values: Record<string, string | number> = {}): string | undefined {
  const source = CATALOGS[locale][key];
  if (source === undefined) return undefined;
  const cacheKey = `${locale}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(source, INTL_TAGS[locale]);
    compiled.set(cacheKey, format);
  }
  try {
    return String(format.format(values));
  } catch {
    return undefined;
  }
}

/**
 * The language of a problem for this caller: Accept-Language when it names a shipped interface
 * language (the client asked, per request), else the signed-in person's profile locale; English
 * (undefined) otherwise.
 */
export function problemLocale(acceptLanguage: string | undefined, personLocale?: string | null): ProblemLocale | undefined {
  const locale = fromAcceptLanguage(acceptLanguage) ?? (personLocale ? uiLocaleFor(personLocale) : undefined);
  return locale && locale !== 'en' ? locale : undefined;
}
