import { fromAcceptLanguage, latinToCyrillic, uiLocaleFor } from '@lms/i18n';
import type { CsvColumn } from './csv.js';

/**
 * Column headers of the report CSVs in the requester's language. English keeps the stable
 * snake_case keys that scripts read; a request whose Accept-Language (else the person's profile
 * locale) resolves to Serbian or Macedonian gets labels (Serbian Cyrillic generated from the
 * Latin). A key without a label keeps it.
 */
const LABELS: Record<'sr-Latn' | 'mk', Record<string, string>> = {
  'sr-Latn': {
    assigned: 'Dodeljeno',
    booked: 'Prijavljeno',
    competency_code: 'Šifra kompetencije',
    competency_title: 'Kompetencija',
    completed: 'Završilo',
    completed_at: 'Završeno',
    completion_rate: 'Stopa završavanja',
    course_slug: 'Oznaka kursa',
    course_title: 'Kurs',
    coverage: 'Pokrivenost',
    days_overdue: 'Dana kašnjenja',
    depth: 'Nivo u strukturi',
    dimension: 'Dimenzija',
    due_at: 'Rok',
    email: 'E-pošta',
    enrolled: 'Upisano',
    framework: 'Okvir kompetencija',
    in_progress: 'U toku',
    key: 'Ključ',
    label: 'Naziv',
    manager_name: 'Rukovodilac',
    name: 'Ime i prezime',
    no_show_rate: 'Stopa nedolazaka',
    no_shows: 'Nije došlo',
    not_completed: 'Nije završilo',
    not_started: 'Nije započelo',
    org_unit_code: 'Šifra jedinice',
    org_unit_id: 'ID jedinice',
    org_unit_name: 'Organizaciona jedinica',
    overdue: 'Kasni',
    package_passed: 'Položeno u paketu',
    package_score: 'Rezultat u paketu',
    people_meeting: 'Ispunjava',
    people_required: 'Potrebno',
    progress: 'Napredak',
    quiz_passed: 'Test položen',
    quiz_score: 'Rezultat testa',
    status: 'Status',
    unit: 'Jedinica',
    user_id: 'ID osobe',
  },
  mk: {
    assigned: 'Доделено',
    booked: 'Пријавени',
    competency_code: 'Шифра на компетенцијата',
    competency_title: 'Компетенција',
    completed: 'Завршиле',
    completed_at: 'Завршено',
    completion_rate: 'Стапка на завршување',
    course_slug: 'Ознака на курсот',
    course_title: 'Курс',
    coverage: 'Покриеност',
    days_overdue: 'Денови задоцнување',
    depth: 'Ниво во структурата',
    dimension: 'Димензија',
    due_at: 'Рок',
    email: 'Е-пошта',
    enrolled: 'Запишани',
    framework: 'Рамка на компетенции',
    in_progress: 'Во тек',
    key: 'Клуч',
    label: 'Назив',
    manager_name: 'Раководител',
    name: 'Име и презиме',
    no_show_rate: 'Стапка на недоаѓање',
    no_shows: 'Не дошле',
    not_completed: 'Не завршиле',
    not_started: 'Не започнале',
    org_unit_code: 'Шифра на единицата',
    org_unit_id: 'ID на единицата',
    org_unit_name: 'Организациона единица',
    overdue: 'Задоцнуваат',
    package_passed: 'Положено во пакетот',
    package_score: 'Резултат во пакетот',
    people_meeting: 'Ги исполнуваат',
    people_required: 'Потребно',
    progress: 'Напредок',
    quiz_passed: 'Тестот положен',
    quiz_score: 'Резултат на тестот',
    status: 'Статус',
    unit: 'Единица',
    user_id: 'ID на лицето',
  },
};

/** The header of `key` for a language (undefined: keep the key). */
export function csvHeaderLabel(key: string, locale: string): string | undefined {
  if (locale === 'sr-Cyrl') {
    const latin = LABELS['sr-Latn'][key];
    return latin && latinToCyrillic(latin);
  }
  return locale === 'sr-Latn' || locale === 'mk' ? LABELS[locale][key] : undefined;
}

/** The language of a CSV: Accept-Language when it names an interface language, else the person's profile locale. */
export function csvLocale(acceptLanguage: string | undefined, personLocale?: string | null): string {
  return fromAcceptLanguage(acceptLanguage) ?? (personLocale ? uiLocaleFor(personLocale) : 'en');
}

/** The columns with headers in the caller's language (csvLocale; English: the keys). */
export function localisedColumns<T>(columns: readonly CsvColumn<T>[], acceptLanguage: string | undefined, personLocale?: string | null): readonly CsvColumn<T>[] {
  const locale = csvLocale(acceptLanguage, personLocale);
  if (locale === 'en') return columns;
  return columns.map((c) => ({ ...c, header: csvHeaderLabel(c.header, locale) ?? c.header }));
}

/** Header keys in the caller's language (csvLocale), for CSVs written without columns. */
export function localisedHeaders(keys: readonly string[], acceptLanguage: string | undefined, personLocale?: string | null): string[] {
  const locale = csvLocale(acceptLanguage, personLocale);
  return keys.map((k) => (locale === 'en' ? k : (csvHeaderLabel(k, locale) ?? k)));
}
