import { SHIPPED_UI_LOCALES, type UiLocale, uiLocaleFor } from '@lms/i18n';

/**
 * Every user-facing string of the notifications, per locale (en, sr-Latn, sr-Cyrl, mk). Dates are
 * formatted by the caller (Intl, in the locale) and passed in; day counts are pluralised here.
 * Serbian sentences avoid prepositions before dates ("rok: 10. mart 2026.") so the nominative
 * date that Intl produces is always grammatical.
 */
export const MESSAGE_LOCALES = SHIPPED_UI_LOCALES;
export type MessageLocale = UiLocale;

/** The texts for a person's locale along its fallback chain (hr → sr-Latn, sr-Cyrl-RS → sr-Cyrl, de → en). */
export function messageLocale(locale: string | null | undefined): MessageLocale {
  return uiLocaleFor(locale);
}

export interface Messages {
  /** BCP 47 tag for Intl date formatting. */
  dateLocale: string;
  days(n: number): string;
  digestSubject(date: string): string;
  digestTitle(count: number): string;
  greeting(name: string): string;
  sectionOwn: string;
  sectionCertificates: string;
  sectionManager: string;
  sectionHr: string;
  sectionEvents: string;
  mandatory: string;
  dueIn(course: string, days: string, date: string): string;
  dueToday(course: string, date: string): string;
  overdue(course: string, days: string, date: string): string;
  escalation(person: string, course: string, days: string, date: string): string;
  certificateExpiring(course: string, days: string, date: string): string;
  openCourse: string;
  footer: string;
  assignedTitle(course: string): string;
  assignedBody(course: string, date: string | null): string;
  certificateIssuedTitle(course: string): string;
  certificateIssuedBody(course: string, serial: string): string;
  certificateRevokedTitle(course: string): string;
  certificateRevokedBody(course: string, serial: string, reason: string | null): string;
  completedTitle(course: string): string;
  completedBody(course: string): string;
  remindTitle(course: string): string;
  remindBody(course: string, date: string | null): string;
  nudgeBody(course: string, date: string | null): string;
  invitationSubject: string;
  invitationBody(expiryDate: string): string;
  invitationAction: string;
  resetSubject: string;
  resetBody(minutes: number): string;
  resetAction: string;
  /** Account e-mails: what to do when the message was not expected. */
  accountIgnore: string;
  accountFooter: string;
  /** An upstream course of an adaptation published a new version (docs/hub.md). */
  upstreamTitle(upstream: string): string;
  upstreamBody(upstream: string, version: number, adaptation: string, base: number): string;
  openAuthoring: string;
  /** A reply in a community thread the person took part in (docs/hub.md). */
  communityReplyTitle(thread: string): string;
  communityReplyBody(author: string, thread: string, space: string): string;
  openDiscussion: string;
}

const srPlural = new Intl.PluralRules('sr');
const mkPlural = new Intl.PluralRules('mk');

const en: Messages = {
  upstreamTitle: (upstream) => `New version of a course you adapted: ${upstream}`,
  upstreamBody: (upstream, version, adaptation, base) =>
    `“${upstream}” has been published in version ${version}. Your adaptation “${adaptation}” is based on version ${base}: look at what changed and merge it into your draft.`,
  openAuthoring: 'Open your courses',
  communityReplyTitle: (thread) => `New reply: ${thread}`,
  openDiscussion: 'Open the discussion',
  communityReplyBody: (author, thread, space) => `${author} replied in the discussion “${thread}” in the community “${space}”.`,

  dateLocale: 'en-GB',
  days: (n) => `${n} ${n === 1 ? 'day' : 'days'}`,
  digestSubject: (date) => `Your learning reminders – ${date}`,
  digestTitle: (n) => (n === 1 ? '1 learning reminder for today' : `${n} learning reminders for today`),
  greeting: (name) => `Hello ${name},`,
  sectionOwn: 'Your training',
  sectionCertificates: 'Your certificates',
  sectionManager: 'People you are responsible for',
  sectionHr: 'Overdue training in your units (escalated to HR)',
  sectionEvents: 'Since your last digest',
  mandatory: 'mandatory',
  dueIn: (course, days, date) => `“${course}” is due in ${days} (${date}).`,
  dueToday: (course, date) => `“${course}” is due today (${date}).`,
  overdue: (course, days, date) => `“${course}” is ${days} overdue (it was due ${date}).`,
  escalation: (person, course, days, date) => `${person}: “${course}” is ${days} overdue (it was due ${date}).`,
  certificateExpiring: (course, days, date) => `Your certificate for “${course}” expires in ${days} (${date}). Take the course again to renew it.`,
  openCourse: 'Open the course',
  footer: 'You receive this because you have training on the learning platform. You can change how you receive e-mail under notification preferences.',
  assignedTitle: (course) => `New training assigned: ${course}`,
  assignedBody: (course, date) => `You have been assigned the mandatory training “${course}”.${date ? ` Due: ${date}.` : ''}`,
  certificateIssuedTitle: (course) => `Certificate issued: ${course}`,
  certificateIssuedBody: (course, serial) => `Congratulations! Your certificate for “${course}” has been issued (serial number ${serial}).`,
  certificateRevokedTitle: (course) => `Certificate revoked: ${course}`,
  certificateRevokedBody: (course, serial, reason) =>
    `Your certificate for “${course}” (serial number ${serial}) has been revoked.${reason ? ` Reason: ${reason}.` : ''}`,
  completedTitle: (course) => `Course completed: ${course}`,
  completedBody: (course) => `Well done! You have completed “${course}”.`,
  remindTitle: (course) => `Reminder: ${course}`,
  remindBody: (course, date) => `Your HR unit reminds you to complete the mandatory training “${course}”.${date ? ` It was due ${date}.` : ''}`,
  nudgeBody: (course, date) => `Your manager reminds you to complete the training “${course}”.${date ? ` It is due ${date}.` : ''}`,
  invitationSubject: 'You are invited to the learning platform',
  invitationBody: (date) =>
    `An account has been created for you on the public service learning platform. Choose your password with the link below; it works once, until ${date}.`,
  invitationAction: 'Choose your password',
  resetSubject: 'Reset your password',
  resetBody: (minutes) => `Someone asked to reset the password of your account on the learning platform. The link below works once, for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
  resetAction: 'Choose a new password',
  accountIgnore: 'If you did not expect this e-mail, ignore it: nothing changes until the link is used.',
  accountFooter: 'You receive this e-mail because of your account on the learning platform. Never forward it: the link is personal.',
};

const srLatn: Messages = {
  upstreamTitle: (upstream) => `Nova verzija kursa koji ste prilagodili: ${upstream}`,
  upstreamBody: (upstream, version, adaptation, base) =>
    `Objavljena je verzija ${version} kursa „${upstream}“. Vaša prilagođena verzija „${adaptation}“ zasniva se na verziji ${base}: pregledajte izmene i preuzmite ih u svoj nacrt.`,
  openAuthoring: 'Otvorite svoje kurseve',
  communityReplyTitle: (thread) => `Novi odgovor: ${thread}`,
  openDiscussion: 'Otvorite diskusiju',
  communityReplyBody: (author, thread, space) => `${author} – novi odgovor u diskusiji „${thread}“ u zajednici „${space}“.`,

  dateLocale: 'sr-Latn',
  days: (n) => `${n} ${srPlural.select(n) === 'one' ? 'dan' : 'dana'}`,
  digestSubject: (date) => `Podsetnici za učenje – ${date}`,
  digestTitle: (n) => `Podsetnici za danas: ${n}`,
  greeting: (name) => `Dobar dan, ${name},`,
  sectionOwn: 'Vaša obuka',
  sectionCertificates: 'Vaši sertifikati',
  sectionManager: 'Zaposleni za koje ste odgovorni',
  sectionHr: 'Kašnjenja u vašim jedinicama (prosleđeno kadrovskoj službi)',
  sectionEvents: 'Od poslednjeg pregleda',
  mandatory: 'obavezno',
  dueIn: (course, days, date) => `„${course}”: rok je za ${days} (${date}).`,
  dueToday: (course, date) => `„${course}”: rok je danas (${date}).`,
  overdue: (course, days, date) => `„${course}”: rok je istekao pre ${days} (${date}).`,
  escalation: (person, course, days, date) => `${person}: rok za „${course}” je istekao pre ${days} (${date}).`,
  certificateExpiring: (course, days, date) => `Vaš sertifikat za „${course}” ističe za ${days} (${date}). Ponovo završite kurs da biste ga obnovili.`,
  openCourse: 'Otvorite kurs',
  footer: 'Ovu poruku dobijate jer imate obaveze na platformi za učenje. Podešavanja e-pošte menjate u odeljku Obaveštenja.',
  assignedTitle: (course) => `Dodeljena vam je obuka: ${course}`,
  assignedBody: (course, date) => `Dodeljena vam je obavezna obuka „${course}”.${date ? ` Rok: ${date}` : ''}`,
  certificateIssuedTitle: (course) => `Izdat sertifikat: ${course}`,
  certificateIssuedBody: (course, serial) => `Čestitamo! Izdat vam je sertifikat za „${course}” (serijski broj ${serial}).`,
  certificateRevokedTitle: (course) => `Opozvan sertifikat: ${course}`,
  certificateRevokedBody: (course, serial, reason) =>
    `Vaš sertifikat za „${course}” (serijski broj ${serial}) je opozvan.${reason ? ` Razlog: ${reason}.` : ''}`,
  completedTitle: (course) => `Završen kurs: ${course}`,
  completedBody: (course) => `Odlično! Završili ste kurs „${course}”.`,
  remindTitle: (course) => `Podsetnik: ${course}`,
  remindBody: (course, date) => `Kadrovska služba vas podseća da završite obaveznu obuku „${course}”.${date ? ` Rok je bio ${date}.` : ''}`,
  nudgeBody: (course, date) => `Vaš rukovodilac vas podseća da završite obuku „${course}”.${date ? ` Rok: ${date}.` : ''}`,
  invitationSubject: 'Pozivnica za platformu za učenje',
  invitationBody: (date) =>
    `Za vas je otvoren nalog na platformi za učenje u državnoj upravi. Izaberite lozinku preko linka ispod; link važi jednom, do ${date}.`,
  invitationAction: 'Izaberite lozinku',
  resetSubject: 'Promena zaboravljene lozinke',
  resetBody: (minutes) => `Zatražena je nova lozinka za vaš nalog na platformi za učenje. Link ispod važi jednom, ${minutes} ${srPlural.select(minutes) === 'one' ? 'minut' : 'minuta'}.`,
  resetAction: 'Izaberite novu lozinku',
  accountIgnore: 'Ako ovu poruku niste očekivali, zanemarite je: ništa se ne menja dok se link ne upotrebi.',
  accountFooter: 'Ovu poruku dobijate zbog svog naloga na platformi za učenje. Ne prosleđujte je: link je ličan.',
};

const srCyrl: Messages = {
  upstreamTitle: (upstream) => `Нова верзија курса који сте прилагодили: ${upstream}`,
  upstreamBody: (upstream, version, adaptation, base) =>
    `Објављена је верзија ${version} курса „${upstream}“. Ваша прилагођена верзија „${adaptation}“ заснива се на верзији ${base}: прегледајте измене и преузмите их у свој нацрт.`,
  openAuthoring: 'Отворите своје курсеве',
  communityReplyTitle: (thread) => `Нови одговор: ${thread}`,
  openDiscussion: 'Отворите дискусију',
  communityReplyBody: (author, thread, space) => `${author} – нови одговор у дискусији „${thread}“ у заједници „${space}“.`,

  dateLocale: 'sr-Cyrl',
  days: (n) => `${n} ${srPlural.select(n) === 'one' ? 'дан' : 'дана'}`,
  digestSubject: (date) => `Подсетници за учење – ${date}`,
  digestTitle: (n) => `Подсетници за данас: ${n}`,
  greeting: (name) => `Добар дан, ${name},`,
  sectionOwn: 'Ваша обука',
  sectionCertificates: 'Ваши сертификати',
  sectionManager: 'Запослени за које сте одговорни',
  sectionHr: 'Кашњења у вашим јединицама (прослеђено кадровској служби)',
  sectionEvents: 'Од последњег прегледа',
  mandatory: 'обавезно',
  dueIn: (course, days, date) => `„${course}”: рок је за ${days} (${date}).`,
  dueToday: (course, date) => `„${course}”: рок је данас (${date}).`,
  overdue: (course, days, date) => `„${course}”: рок је истекао пре ${days} (${date}).`,
  escalation: (person, course, days, date) => `${person}: рок за „${course}” је истекао пре ${days} (${date}).`,
  certificateExpiring: (course, days, date) => `Ваш сертификат за „${course}” истиче за ${days} (${date}). Поново завршите курс да бисте га обновили.`,
  openCourse: 'Отворите курс',
  footer: 'Ову поруку добијате јер имате обавезе на платформи за учење. Подешавања е-поште мењате у одељку Обавештења.',
  assignedTitle: (course) => `Додељена вам је обука: ${course}`,
  assignedBody: (course, date) => `Додељена вам је обавезна обука „${course}”.${date ? ` Рок: ${date}` : ''}`,
  certificateIssuedTitle: (course) => `Издат сертификат: ${course}`,
  certificateIssuedBody: (course, serial) => `Честитамо! Издат вам је сертификат за „${course}” (серијски број ${serial}).`,
  certificateRevokedTitle: (course) => `Опозван сертификат: ${course}`,
  certificateRevokedBody: (course, serial, reason) =>
    `Ваш сертификат за „${course}” (серијски број ${serial}) је опозван.${reason ? ` Разлог: ${reason}.` : ''}`,
  completedTitle: (course) => `Завршен курс: ${course}`,
  completedBody: (course) => `Одлично! Завршили сте курс „${course}”.`,
  remindTitle: (course) => `Подсетник: ${course}`,
  remindBody: (course, date) => `Кадровска служба вас подсећа да завршите обавезну обуку „${course}”.${date ? ` Рок је био ${date}.` : ''}`,
  nudgeBody: (course, date) => `Ваш руководилац вас подсећа да завршите обуку „${course}”.${date ? ` Рок: ${date}.` : ''}`,
  invitationSubject: 'Позивница за платформу за учење',
  invitationBody: (date) =>
    `За вас је отворен налог на платформи за учење у државној управи. Изаберите лозинку преко линка испод; линк важи једном, до ${date}.`,
  invitationAction: 'Изаберите лозинку',
  resetSubject: 'Промена заборављене лозинке',
  resetBody: (minutes) => `Затражена је нова лозинка за ваш налог на платформи за учење. Линк испод важи једном, ${minutes} ${srPlural.select(minutes) === 'one' ? 'минут' : 'минута'}.`,
  resetAction: 'Изаберите нову лозинку',
  accountIgnore: 'Ако ову поруку нисте очекивали, занемарите је: ништа се не мења док се линк не употреби.',
  accountFooter: 'Ову поруку добијате због свог налога на платформи за учење. Не прослеђујте је: линк је личан.',
};

const mk: Messages = {
  upstreamTitle: (upstream) => `Нова верзија на курс што го прилагодивте: ${upstream}`,
  upstreamBody: (upstream, version, adaptation, base) =>
    `Објавена е верзијата ${version} на курсот „${upstream}“. Вашата прилагодена верзија „${adaptation}“ се заснова на верзијата ${base}: прегледајте ги промените и внесете ги во вашата работна верзија.`,
  openAuthoring: 'Отворете ги вашите курсеви',
  communityReplyTitle: (thread) => `Нов одговор: ${thread}`,
  openDiscussion: 'Отворете ја дискусијата',
  communityReplyBody: (author, thread, space) => `${author} одговори во дискусијата „${thread}“ во заедницата „${space}“.`,

  dateLocale: 'mk-MK',
  days: (n) => `${n} ${mkPlural.select(n) === 'one' ? 'ден' : 'дена'}`,
  digestSubject: (date) => `Потсетници за учење – ${date}`,
  digestTitle: (n) => `Потсетници за денес: ${n}`,
  greeting: (name) => `Почитувани ${name},`,
  sectionOwn: 'Вашата обука',
  sectionCertificates: 'Вашите сертификати',
  sectionManager: 'Вработени за кои сте одговорни',
  sectionHr: 'Задоцнувања во вашите единици (препратено до одделението за човечки ресурси)',
  sectionEvents: 'Од последниот преглед',
  mandatory: 'задолжително',
  dueIn: (course, days, date) => `„${course}“: рокот е за ${days} (${date}).`,
  dueToday: (course, date) => `„${course}“: рокот е денес (${date}).`,
  overdue: (course, days, date) => `„${course}“: рокот истече пред ${days} (${date}).`,
  escalation: (person, course, days, date) => `${person}: рокот за „${course}“ истече пред ${days} (${date}).`,
  certificateExpiring: (course, days, date) => `Вашиот сертификат за „${course}“ истекува за ${days} (${date}). Завршете го курсот повторно за да го обновите.`,
  openCourse: 'Отворете го курсот',
  footer: 'Ја добивате оваа порака затоа што имате обврски на платформата за учење. Поставките за е-пошта ги менувате во делот Известувања.',
  assignedTitle: (course) => `Ви е доделена обука: ${course}`,
  assignedBody: (course, date) => `Ви е доделена задолжителната обука „${course}“.${date ? ` Рок: ${date}` : ''}`,
  certificateIssuedTitle: (course) => `Издаден сертификат: ${course}`,
  certificateIssuedBody: (course, serial) => `Честитки! Ви е издаден сертификат за „${course}“ (сериски број ${serial}).`,
  certificateRevokedTitle: (course) => `Поништен сертификат: ${course}`,
  certificateRevokedBody: (course, serial, reason) =>
    `Вашиот сертификат за „${course}“ (сериски број ${serial}) е поништен.${reason ? ` Причина: ${reason}.` : ''}`,
  completedTitle: (course) => `Завршен курс: ${course}`,
  completedBody: (course) => `Одлично! Го завршивте курсот „${course}“.`,
  invitationSubject: 'Покана за платформата за учење',
  invitationBody: (date) =>
    `Ви е отворена сметка на платформата за учење за вработените во јавниот сектор. Изберете лозинка преку врската подолу; таа работи еднаш, до ${date}.`,
  invitationAction: 'Изберете лозинка',
  resetSubject: 'Промена на заборавена лозинка',
  resetBody: (minutes) => `Побарана е нова лозинка за вашата сметка на платформата за учење. Врската подолу работи еднаш, ${minutes} ${mkPlural.select(minutes) === 'one' ? 'минута' : 'минути'}.`,
  resetAction: 'Изберете нова лозинка',
  accountIgnore: 'Ако не ја очекувавте оваа порака, занемарете ја: ништо не се менува додека врската не се искористи.',
  accountFooter: 'Ја добивате оваа порака поради вашата сметка на платформата за учење. Не ја препраќајте: врската е лична.',
  remindTitle: (course) => `Потсетник: ${course}`,
  remindBody: (course, date) => `Службата за човечки ресурси ве потсетува да ја завршите задолжителната обука „${course}“.${date ? ` Рокот беше ${date}.` : ''}`,
  nudgeBody: (course, date) => `Вашиот раководител ве потсетува да ја завршите обуката „${course}“.${date ? ` Рок: ${date}.` : ''}`,
};

export const MESSAGES: Record<MessageLocale, Messages> = { en, 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl, mk };
