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

/** A calendar date in the locale's long form (UTC, so the same certificate always prints the same). */
export function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(INTL_TAGS[textLocale(locale)], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}
