import { INTL_TAGS, textInChain, type UiLocale, uiLocaleFor } from '@lms/i18n';

/**
 * Wording of the certificate (PDF) and the verification page in the shipped interface languages.
 * Gender-neutral on purpose ("awarded to … for completing"), because Serbian past participles
 * agree with the holder's gender.
 */
export type TextLocale = UiLocale;

export interface CertificateTexts {
  heading: string;
  awardedTo: string;
  forCompleting: string;
  version: string;
  competencies: string;
  level: string;
  issuedOn: string;
  validUntil: string;
  noExpiry: string;
  /** Shown instead of the name once the holder's personal data was erased. */
  holderErased: string;
  serial: string;
  verifyAt: string;
  issuer: string;
  statusValid: string;
  statusExpired: string;
  statusRevoked: string;
  revokedOn: string;
  verificationTitle: string;
  notFound: string;
  /** The result line: "Result", where it came from, passed / not passed. */
  result: string;
  outcome: string;
  resultSources: { package: string; quiz: string };
  passed: string;
  notPassed: string;
  criteria: (title: string, version: number) => string;
}

const TEXTS: Record<TextLocale, CertificateTexts> = {
  en: {
    heading: 'Certificate of Completion',
    awardedTo: 'This certificate is awarded to',
    forCompleting: 'for successfully completing the course',
    version: 'version',
    competencies: 'Competencies',
    level: 'level',
    issuedOn: 'Issued on',
    validUntil: 'Valid until',
    noExpiry: 'does not expire',
    holderErased: 'not shown: the holder’s personal data was erased at their request',
    serial: 'Serial number',
    verifyAt: 'Verify this certificate',
    issuer: 'Issued by',
    statusValid: 'Valid',
    statusExpired: 'Expired',
    statusRevoked: 'Revoked',
    revokedOn: 'Revoked on',
    verificationTitle: 'Certificate verification',
    notFound: 'No certificate has this verification code.',
    result: 'Result',
    outcome: 'Outcome',
    resultSources: { package: 'packaged lessons', quiz: 'final quiz' },
    passed: 'passed',
    notPassed: 'not passed',
    criteria: (title, version) => `Completed every required lesson of "${title}" (version ${version}) and met its completion rule, including the final quiz where the course has one.`,
  },
  'sr-Latn': {
    heading: 'Sertifikat o završenoj obuci',
    awardedTo: 'Ovaj sertifikat dodeljuje se',
    forCompleting: 'za uspešno završenu obuku',
    version: 'verzija',
    competencies: 'Kompetencije',
    level: 'nivo',
    issuedOn: 'Datum izdavanja',
    validUntil: 'Važi do',
    noExpiry: 'bez roka važenja',
    holderErased: 'nije prikazano: lični podaci imaoca obrisani su na njegov zahtev',
    serial: 'Serijski broj',
    verifyAt: 'Provera sertifikata',
    issuer: 'Izdavalac',
    statusValid: 'Važeći',
    statusExpired: 'Istekao',
    statusRevoked: 'Opozvan',
    revokedOn: 'Opozvan dana',
    verificationTitle: 'Provera sertifikata',
    notFound: 'Nijedan sertifikat nema ovaj kod za proveru.',
    result: 'Rezultat',
    outcome: 'Ishod',
    resultSources: { package: 'lekcije iz paketa', quiz: 'završni test' },
    passed: 'položeno',
    notPassed: 'nije položeno',
    criteria: (title, version) => `Završene sve obavezne lekcije obuke „${title}” (verzija ${version}) i ispunjen uslov za završetak, uključujući završni test ako ga obuka ima.`,
  },
  'sr-Cyrl': {
    heading: 'Сертификат о завршеној обуци',
    awardedTo: 'Овај сертификат додељује се',
    forCompleting: 'за успешно завршену обуку',
    version: 'верзија',
    competencies: 'Компетенције',
    level: 'ниво',
    issuedOn: 'Датум издавања',
    validUntil: 'Важи до',
    noExpiry: 'без рока важења',
    holderErased: 'није приказано: лични подаци имаоца обрисани су на његов захтев',
    serial: 'Серијски број',
    verifyAt: 'Провера сертификата',
    issuer: 'Издавалац',
    statusValid: 'Важећи',
    statusExpired: 'Истекао',
    statusRevoked: 'Опозван',
    revokedOn: 'Опозван дана',
    verificationTitle: 'Провера сертификата',
    notFound: 'Ниједан сертификат нема овај код за проверу.',
    result: 'Резултат',
    outcome: 'Исход',
    resultSources: { package: 'лекције из пакета', quiz: 'завршни тест' },
    passed: 'положено',
    notPassed: 'није положено',
    criteria: (title, version) => `Завршене све обавезне лекције обуке „${title}” (верзија ${version}) и испуњен услов за завршетак, укључујући завршни тест ако га обука има.`,
  },
  mk: {
    heading: 'Сертификат за завршена обука',
    awardedTo: 'Овој сертификат се доделува на',
    forCompleting: 'за успешно завршување на курсот',
    version: 'верзија',
    competencies: 'Компетенции',
    level: 'ниво',
    issuedOn: 'Датум на издавање',
    validUntil: 'Важи до',
    noExpiry: 'без рок на важење',
    holderErased: 'не е прикажано: личните податоци на носителот се избришани на негово барање',
    serial: 'Сериски број',
    verifyAt: 'Проверете го сертификатот',
    issuer: 'Издавач',
    statusValid: 'Важечки',
    statusExpired: 'Истечен',
    statusRevoked: 'Поништен',
    revokedOn: 'Поништен на',
    verificationTitle: 'Проверка на сертификат',
    notFound: 'Ниту еден сертификат нема ваков код за проверка.',
    result: 'Резултат',
    outcome: 'Исход',
    resultSources: { package: 'лекции од пакетот', quiz: 'завршен тест' },
    passed: 'положено',
    notPassed: 'не е положено',
    criteria: (title, version) =>
      `Завршени се сите задолжителни лекции од курсот „${title}“ (верзија ${version}) и е исполнет условот за завршување, вклучително и завршниот тест ако курсот има тест.`,
  },
};


/** The texts that serve a holder of `locale`, along its fallback chain (hr → sr-Latn, de → en). */
export function textLocale(locale: string | null | undefined): TextLocale {
  return uiLocaleFor(locale);
}

export function textsFor(locale: string | null | undefined): CertificateTexts {
  return TEXTS[textLocale(locale)];
}

/** The value of a language map for a reader of `locale` along its fallback chain, else the default language, else any. */
export function localized(map: Record<string, string> | null | undefined, locale: string, defaultLanguage: string): string {
  return textInChain(map, locale, defaultLanguage);
}

/** The result as one line: "80% (final quiz, passed)"; null without a result. */
export function resultLine(result: { score: number | null; passed: boolean | null; source: 'package' | 'quiz' } | null | undefined, locale: string): string | null {
  if (!result || (result.score === null && result.passed === null)) return null;
  const t = textsFor(locale);
  const details = [t.resultSources[result.source], ...(result.passed === null ? [] : [result.passed ? t.passed : t.notPassed])].join(', ');
  return result.score === null ? `${details}` : `${result.score}% (${details})`;
}

/** A calendar date in the locale's long form (UTC, so the same certificate always prints the same). */
export function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(INTL_TAGS[textLocale(locale)], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}
