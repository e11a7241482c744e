import { escapeHtml, messageLocale, MESSAGES, type MessageLocale } from '@lms/notifications';

/**
 * Every string of the events domain a person reads (notices, e-mails, invitation texts), per
 * locale: en, sr-Latn, sr-Cyrl, mk. Dates and times are formatted by `when()` in the reader's locale
 * and time zone and passed in. Serbian sentences avoid prepositions before dates, as in the
 * notifications templates, so the nominative date Intl produces stays grammatical.
 */
export interface EventTexts {
  registeredTitle(e: string): string;
  registeredBody(e: string): string;
  waitlistedTitle(e: string): string;
  waitlistedBody(e: string, position: number): string;
  pendingTitle(e: string): string;
  pendingBody(e: string): string;
  approvalRequestTitle(person: string, e: string): string;
  approvalRequestBody(person: string, e: string): string;
  approvalEscalatedBody(person: string, e: string, days: number): string;
  offeredTitle(e: string): string;
  offeredBody(e: string, deadline: string): string;
  cancelledTitle(e: string): string;
  cancelledBody(e: string, reason: string | null): string;
  declinedTitle(e: string): string;
  declinedBody(e: string, reason: string | null): string;
  expiredTitle(e: string): string;
  expiredBody(e: string): string;
  updatedTitle(e: string): string;
  updatedBody(e: string): string;
  sessionReminderTitle(e: string, when: string): string;
  sessionReminderBody(e: string, when: string, place: string): string;
  trainerListTitle(e: string, when: string): string;
  trainerListBody(e: string, when: string, count: number): string;
  evaluationTitle(e: string): string;
  evaluationBody(e: string): string;
  commitmentReminderTitle(e: string): string;
  commitmentReminderBody(action: string, due: string, months: number): string;
  milestoneReminderTitle(milestone: string, due: string): string;
  milestoneReminderBody(milestone: string, group: string, due: string): string;
  attendanceCertificateTitle: string;
  attendanceCertificateBody(name: string, e: string, dates: string, share: number): string;
  attendanceCertificateNote: string;
  platformName: string;
  online: string;
  sessionLabel(n: number, total: number): string;
  open: string;
}

const en: EventTexts = {
  registeredTitle: (e) => `Registered: ${e}`,
  registeredBody: (e) => `Your place at “${e}” is confirmed. The attached invitation adds every session to your calendar.`,
  waitlistedTitle: (e) => `On the waiting list: ${e}`,
  waitlistedBody: (e, p) => `“${e}” is full. You are number ${p} on the waiting list; we will tell you when a place becomes free.`,
  pendingTitle: (e) => `Waiting for your manager's approval: ${e}`,
  pendingBody: (e) => `Your request to attend “${e}” has been sent to your manager. You will hear from us when it is decided.`,
  approvalRequestTitle: (p, e) => `${p} asks to attend “${e}”`,
  approvalRequestBody: (p, e) => `${p} would like to attend “${e}”. Please approve or decline the request under My team.`,
  approvalEscalatedBody: (p, e, d) => `${p} asked to attend “${e}” and the request has had no decision for ${d} ${d === 1 ? 'day' : 'days'}. As HR you may approve or decline it.`,
  offeredTitle: (e) => `A place is free for you: ${e}`,
  offeredBody: (e, d) => `A place at “${e}” has become free. Confirm it by ${d}; after that it goes to the next person on the waiting list.`,
  cancelledTitle: (e) => `Registration cancelled: ${e}`,
  cancelledBody: (e, r) => `Your registration for “${e}” has been cancelled.${r ? ` Reason: ${r}` : ''}`,
  declinedTitle: (e) => `Request declined: ${e}`,
  declinedBody: (e, r) => `Your request to attend “${e}” was declined.${r ? ` Reason: ${r}` : ''}`,
  expiredTitle: (e) => `Offer expired: ${e}`,
  expiredBody: (e) => `The place offered to you at “${e}” was not confirmed in time and has gone to the next person on the waiting list.`,
  updatedTitle: (e) => `Updated: ${e}`,
  updatedBody: (e) => `The sessions of “${e}” have changed. The attached invitation updates your calendar.`,
  sessionReminderTitle: (e, w) => `Reminder: ${e} – ${w}`,
  sessionReminderBody: (e, w, p) => `“${e}” starts ${w}. ${p}`,
  trainerListTitle: (e, w) => `Participants of ${e} – ${w}`,
  trainerListBody: (e, w, n) => `${n} ${n === 1 ? 'person is' : 'people are'} booked for “${e}” (${w}). The list follows.`,
  evaluationTitle: (e) => `How was “${e}”?`,
  evaluationBody: (e) => `Thank you for taking part in “${e}”. Please answer a few short questions: it helps us improve the next one.`,
  commitmentReminderTitle: (e) => `Your commitment from ${e}`,
  milestoneReminderTitle: (m, d) => `Milestone due ${d}: ${m}`,
  milestoneReminderBody: (m, g, d) => `The milestone “${m}” of your follow-up group “${g}” is due ${d}. Mark it done in the group's space, or post a short note on how it is going.`,
  commitmentReminderBody: (a, d, m) => `${m} ${m === 1 ? 'month' : 'months'} ago you committed to: “${a}” (due ${d}). How is it going? Please send a short progress update.`,
  attendanceCertificateTitle: 'Certificate of attendance',
  attendanceCertificateBody: (n, e, d, p) => `${n} attended “${e}” (${d}), ${p} % of the sessions.`,
  attendanceCertificateNote: 'Issued by the learning platform from the attendance recorded by the trainers.',
  platformName: 'Learning platform',
  online: 'Online',
  sessionLabel: (n, t) => `Session ${n} of ${t}`,
  open: 'Open',
};

const srPlural = new Intl.PluralRules('sr');
const srDays = (n: number, one: string, few: string, many: string): string => {
  const c = srPlural.select(n);
  return c === 'one' ? one : c === 'few' ? few : many;
};

const srLatn: EventTexts = {
  registeredTitle: (e) => `Prijava potvrđena: ${e}`,
  registeredBody: (e) => `Vaše mesto na „${e}” je potvrđeno. Priloženi poziv dodaje sve termine u vaš kalendar.`,
  waitlistedTitle: (e) => `Na listi čekanja: ${e}`,
  waitlistedBody: (e, p) => `„${e}” je popunjen. Na listi čekanja ste pod brojem ${p}; javićemo vam kada se mesto oslobodi.`,
  pendingTitle: (e) => `Čeka se odobrenje rukovodioca: ${e}`,
  pendingBody: (e) => `Vaš zahtev za učešće na „${e}” poslat je vašem rukovodiocu. Javićemo vam odluku.`,
  approvalRequestTitle: (p, e) => `${p} traži učešće na „${e}”`,
  approvalRequestBody: (p, e) => `${p} želi da učestvuje na „${e}”. Odobrite ili odbijte zahtev u odeljku Moj tim.`,
  approvalEscalatedBody: (p, e, d) => `${p} traži učešće na „${e}”, a o zahtevu nije odlučeno ${d} ${srDays(d, 'dan', 'dana', 'dana')}. Kao kadrovska služba možete ga odobriti ili odbiti.`,
  offeredTitle: (e) => `Oslobodilo se mesto za vas: ${e}`,
  offeredBody: (e, d) => `Oslobodilo se mesto na „${e}”. Potvrdite ga najkasnije: ${d}; posle toga mesto dobija sledeća osoba sa liste čekanja.`,
  cancelledTitle: (e) => `Prijava otkazana: ${e}`,
  cancelledBody: (e, r) => `Vaša prijava za „${e}” je otkazana.${r ? ` Razlog: ${r}` : ''}`,
  declinedTitle: (e) => `Zahtev odbijen: ${e}`,
  declinedBody: (e, r) => `Vaš zahtev za učešće na „${e}” je odbijen.${r ? ` Razlog: ${r}` : ''}`,
  expiredTitle: (e) => `Ponuda je istekla: ${e}`,
  expiredBody: (e) => `Mesto ponuđeno na „${e}” nije potvrđeno na vreme i pripalo je sledećoj osobi sa liste čekanja.`,
  updatedTitle: (e) => `Izmena: ${e}`,
  updatedBody: (e) => `Termini za „${e}” su izmenjeni. Priloženi poziv ažurira vaš kalendar.`,
  sessionReminderTitle: (e, w) => `Podsetnik: ${e} – ${w}`,
  sessionReminderBody: (e, w, p) => `„${e}” počinje: ${w}. ${p}`,
  trainerListTitle: (e, w) => `Učesnici: ${e} – ${w}`,
  trainerListBody: (e, w, n) => `Broj prijavljenih za „${e}” (${w}): ${n}. Spisak je u nastavku.`,
  evaluationTitle: (e) => `Kako vam je bilo na „${e}”?`,
  evaluationBody: (e) => `Hvala što ste učestvovali na „${e}”. Odgovorite na nekoliko kratkih pitanja: pomoći ćete nam da sledeći bude bolji.`,
  commitmentReminderTitle: (e) => `Vaša obaveza sa „${e}”`,
  milestoneReminderTitle: (m, d) => `Rok ${d}: ${m}`,
  milestoneReminderBody: (m, g, d) => `Rok za korak „${m}” vaše grupe za praćenje „${g}” ističe: ${d}. Označite ga kao završen u prostoru grupe ili napišite kratku belešku o napretku.`,
  commitmentReminderBody: (a, d, m) => `Pre ${m} ${srDays(m, 'mesec', 'meseca', 'meseci')} obavezali ste se: „${a}” (rok: ${d}). Kako napredujete? Pošaljite kratak izveštaj o napretku.`,
  attendanceCertificateTitle: 'Potvrda o učešću',
  attendanceCertificateBody: (n, e, d, p) => `${n} je učestvovao/la na „${e}” (${d}): ${p} % termina.`,
  attendanceCertificateNote: 'Izdaje platforma za učenje na osnovu prisustva koje su evidentirali predavači.',
  platformName: 'Platforma za učenje',
  online: 'Onlajn',
  sessionLabel: (n, t) => `Termin ${n} od ${t}`,
  open: 'Otvorite',
};

const srCyrl: EventTexts = {
  registeredTitle: (e) => `Пријава потврђена: ${e}`,
  registeredBody: (e) => `Ваше место на „${e}” је потврђено. Приложени позив додаје све термине у ваш календар.`,
  waitlistedTitle: (e) => `На листи чекања: ${e}`,
  waitlistedBody: (e, p) => `„${e}” је попуњен. На листи чекања сте под бројем ${p}; јавићемо вам када се место ослободи.`,
  pendingTitle: (e) => `Чека се одобрење руководиоца: ${e}`,
  pendingBody: (e) => `Ваш захтев за учешће на „${e}” послат је вашем руководиоцу. Јавићемо вам одлуку.`,
  approvalRequestTitle: (p, e) => `${p} тражи учешће на „${e}”`,
  approvalRequestBody: (p, e) => `${p} жели да учествује на „${e}”. Одобрите или одбијте захтев у одељку Мој тим.`,
  approvalEscalatedBody: (p, e, d) => `${p} тражи учешће на „${e}”, а о захтеву није одлучено ${d} ${srDays(d, 'дан', 'дана', 'дана')}. Као кадровска служба можете га одобрити или одбити.`,
  offeredTitle: (e) => `Ослободило се место за вас: ${e}`,
  offeredBody: (e, d) => `Ослободило се место на „${e}”. Потврдите га најкасније: ${d}; после тога место добија следећа особа са листе чекања.`,
  cancelledTitle: (e) => `Пријава отказана: ${e}`,
  cancelledBody: (e, r) => `Ваша пријава за „${e}” је отказана.${r ? ` Разлог: ${r}` : ''}`,
  declinedTitle: (e) => `Захтев одбијен: ${e}`,
  declinedBody: (e, r) => `Ваш захтев за учешће на „${e}” је одбијен.${r ? ` Разлог: ${r}` : ''}`,
  expiredTitle: (e) => `Понуда је истекла: ${e}`,
  expiredBody: (e) => `Место понуђено на „${e}” није потврђено на време и припало је следећој особи са листе чекања.`,
  updatedTitle: (e) => `Измена: ${e}`,
  updatedBody: (e) => `Термини за „${e}” су измењени. Приложени позив ажурира ваш календар.`,
  sessionReminderTitle: (e, w) => `Подсетник: ${e} – ${w}`,
  sessionReminderBody: (e, w, p) => `„${e}” почиње: ${w}. ${p}`,
  trainerListTitle: (e, w) => `Учесници: ${e} – ${w}`,
  trainerListBody: (e, w, n) => `Број пријављених за „${e}” (${w}): ${n}. Списак је у наставку.`,
  evaluationTitle: (e) => `Како вам је било на „${e}”?`,
  evaluationBody: (e) => `Хвала што сте учествовали на „${e}”. Одговорите на неколико кратких питања: помоћи ћете нам да следећи буде бољи.`,
  commitmentReminderTitle: (e) => `Ваша обавеза са „${e}”`,
  milestoneReminderTitle: (m, d) => `Рок ${d}: ${m}`,
  milestoneReminderBody: (m, g, d) => `Рок за корак „${m}” ваше групе за праћење „${g}” истиче: ${d}. Означите га као завршен у простору групе или напишите кратку белешку о напретку.`,
  commitmentReminderBody: (a, d, m) => `Пре ${m} ${srDays(m, 'месец', 'месеца', 'месеци')} обавезали сте се: „${a}” (рок: ${d}). Како напредујете? Пошаљите кратак извештај о напретку.`,
  attendanceCertificateTitle: 'Потврда о учешћу',
  attendanceCertificateBody: (n, e, d, p) => `${n} је учествовао/ла на „${e}” (${d}): ${p} % термина.`,
  attendanceCertificateNote: 'Издаје платформа за учење на основу присуства које су евидентирали предавачи.',
  platformName: 'Платформа за учење',
  online: 'Онлајн',
  sessionLabel: (n, t) => `Термин ${n} од ${t}`,
  open: 'Отворите',
};


const mkPlural = new Intl.PluralRules('mk');
const mkForm = (n: number, one: string, other: string): string => (mkPlural.select(n) === 'one' ? one : other);

const mk: EventTexts = {
  registeredTitle: (e) => `Потврдена пријава: ${e}`,
  registeredBody: (e) => `Вашето место на „${e}“ е потврдено. Приложената покана ги додава сите термини во вашиот календар.`,
  waitlistedTitle: (e) => `На листата на чекање: ${e}`,
  waitlistedBody: (e, p) => `„${e}“ е пополнет. На листата на чекање сте под број ${p}; ќе ве известиме кога ќе се ослободи место.`,
  pendingTitle: (e) => `Се чека одобрение од раководителот: ${e}`,
  pendingBody: (e) => `Вашето барање за учество на „${e}“ е испратено до вашиот раководител. Ќе ве известиме за одлуката.`,
  approvalRequestTitle: (p, e) => `${p} бара учество на „${e}“`,
  approvalRequestBody: (p, e) => `${p} сака да учествува на „${e}“. Одобрете го или одбијте го барањето во делот Мојот тим.`,
  approvalEscalatedBody: (p, e, d) => `${p} бара учество на „${e}“, а за барањето не е одлучено ${d} ${mkForm(d, 'ден', 'дена')}. Како служба за човечки ресурси можете да го одобрите или одбиете.`,
  offeredTitle: (e) => `Се ослободи место за вас: ${e}`,
  offeredBody: (e, d) => `Се ослободи место на „${e}“. Потврдете го најдоцна до: ${d}; потоа местото го добива следното лице од листата на чекање.`,
  cancelledTitle: (e) => `Откажана пријава: ${e}`,
  cancelledBody: (e, r) => `Вашата пријава за „${e}“ е откажана.${r ? ` Причина: ${r}` : ''}`,
  declinedTitle: (e) => `Одбиено барање: ${e}`,
  declinedBody: (e, r) => `Вашето барање за учество на „${e}“ е одбиено.${r ? ` Причина: ${r}` : ''}`,
  expiredTitle: (e) => `Понудата истече: ${e}`,
  expiredBody: (e) => `Местото понудено на „${e}“ не беше потврдено навреме и го доби следното лице од листата на чекање.`,
  updatedTitle: (e) => `Измена: ${e}`,
  updatedBody: (e) => `Термините за „${e}“ се изменети. Приложената покана го ажурира вашиот календар.`,
  sessionReminderTitle: (e, w) => `Потсетник: ${e} – ${w}`,
  sessionReminderBody: (e, w, p) => `„${e}“ почнува: ${w}. ${p}`,
  trainerListTitle: (e, w) => `Учесници: ${e} – ${w}`,
  trainerListBody: (e, w, n) => `Број на пријавени за „${e}“ (${w}): ${n}. Списокот е подолу.`,
  evaluationTitle: (e) => `Како ви беше на „${e}“?`,
  evaluationBody: (e) => `Ви благодариме што учествувавте на „${e}“. Одговорете на неколку кратки прашања: ќе ни помогнете следниот да биде подобар.`,
  commitmentReminderTitle: (e) => `Вашата заложба од „${e}“`,
  milestoneReminderTitle: (m, d) => `Рок ${d}: ${m}`,
  milestoneReminderBody: (m, g, d) => `Рокот за чекорот „${m}“ на вашата група за следење „${g}“ истекува: ${d}. Означете го како завршен во просторот на групата или напишете кратка белешка за напредокот.`,
  commitmentReminderBody: (a, d, m) => `Пред ${m} ${mkForm(m, 'месец', 'месеци')} се обврзавте: „${a}“ (рок: ${d}). Како напредувате? Испратете кратко известување за напредокот.`,
  attendanceCertificateTitle: 'Потврда за учество',
  attendanceCertificateBody: (n, e, d, p) => `${n} учествуваше на „${e}“ (${d}): ${p} % од термините.`,
  attendanceCertificateNote: 'Ја издава платформата за учење врз основа на присуството што го евидентирале предавачите.',
  platformName: 'Платформа за учење',
  online: 'Онлајн',
  sessionLabel: (n, t) => `Термин ${n} од ${t}`,
  open: 'Отворете',
};

export const EVENT_TEXTS: Record<MessageLocale, EventTexts> = { en, 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl, mk };

export function eventTexts(locale: string | null | undefined): { locale: MessageLocale; t: EventTexts } {
  const l = messageLocale(locale);
  return { locale: l, t: EVENT_TEXTS[l] };
}

/** An instant as the reader sees it: date and time in their locale and time zone, with the zone named. */
export function when(locale: string, at: Date, timeZone: string): string {
  const l = messageLocale(locale);
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const f = new Intl.DateTimeFormat(MESSAGES[l].dateLocale, { dateStyle: 'long', timeStyle: 'short', timeZone: zone });
  return `${f.format(at)} (${zone})`;
}

/** A calendar day (YYYY-MM-DD) as the reader writes it, in their locale. */
export function day(locale: string, isoDay: string): string {
  const l = messageLocale(locale);
  return new Intl.DateTimeFormat(MESSAGES[l].dateLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDay}T12:00:00Z`));
}

export interface RenderedNotice {
  title: string;
  body: string;
  link: string | null;
  subject: string;
  text: string;
  html: string;
}

/** A notice as in-app text and as an e-mail (plain and HTML, everything escaped), with the notifications' greeting and footer. */
export function renderNotice(locale: string, recipientName: string, title: string, body: string, link: string | null, lines: string[] = []): RenderedNotice {
  const l = messageLocale(locale);
  const m = MESSAGES[l];
  const t = EVENT_TEXTS[l];
  const fullBody = lines.length ? `${body}\n${lines.map((x) => `• ${x}`).join('\n')}` : body;
  const text = [m.greeting(recipientName), '', fullBody, '', ...(link ? [`${t.open}: ${link}`, ''] : []), '--', m.footer, ''].join('\n');
  const html = [
    `<!doctype html>\n<html lang="${escapeHtml(l)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;max-width:640px;margin:0 auto;padding:16px">`,
    `<p>${escapeHtml(m.greeting(recipientName))}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    ...(lines.length ? [`<ul>${lines.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`] : []),
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a></p>`] : []),
    `<hr><p style="color:#555;font-size:12px">${escapeHtml(m.footer)}</p></body></html>\n`,
  ].join('\n');
  return { title, body: fullBody, link, subject: title, text, html };
}
