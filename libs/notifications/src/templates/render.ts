import { parseKind } from '../reminder-policy.js';
import { MESSAGES, type Messages, messageLocale, type MessageLocale } from './messages.js';

/**
 * Renders notifications: the in-app title and plain-text body, and the e-mail (subject, plain
 * text, HTML). Pure functions of their input: a retried e-mail is the same e-mail. Everything
 * interpolated into HTML is escaped.
 */

export interface RenderedNotification {
  title: string;
  body: string;
  link: string | null;
  subject: string;
  text: string;
  html: string;
}

/** One reminder line of a digest. */
export interface DigestLine {
  kind: string;
  courseSlug: string;
  /** Already in the recipient's language. */
  courseTitle: string;
  /** Local due (or expiry) date, YYYY-MM-DD. */
  dueDate: string;
  /** Due date minus the recipient's local today (negative when overdue). */
  daysLeft: number;
  mandatory: boolean;
  /** For escalations: the person who is late. */
  learnerName?: string;
}

/** An event notification folded into a daily digest e-mail. */
export interface DigestEvent {
  title: string;
  body: string;
  link: string | null;
}

export interface DigestInput {
  locale: string;
  recipientName: string;
  /** The recipient's local date of the digest, YYYY-MM-DD. */
  today: string;
  lines: DigestLine[];
  events: DigestEvent[];
  publicUrl: string;
}

export function courseUrl(publicUrl: string, slug: string): string {
  return `${publicUrl}/courses/${encodeURIComponent(slug)}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A local date (YYYY-MM-DD) written out in the locale, e.g. "10 March 2026", "10. mart 2026.". */
export function formatDate(locale: MessageLocale, date: string): string {
  const m = MESSAGES[locale];
  let f = dateFormats.get(m.dateLocale);
  if (!f) {
    f = new Intl.DateTimeFormat(m.dateLocale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(m.dateLocale, f);
  }
  return f.format(new Date(`${date}T00:00:00Z`));
}

type Section = 'own' | 'certificates' | 'manager' | 'hr';

function sectionOf(kind: string): Section {
  const { family } = parseKind(kind);
  switch (family) {
    case 'due_soon':
    case 'overdue':
      return 'own';
    case 'certificate_expiring':
      return 'certificates';
    case 'escalation_manager':
      return 'manager';
    case 'escalation_hr':
      return 'hr';
  }
}

function lineText(m: Messages, locale: MessageLocale, line: DigestLine): string {
  const { family } = parseKind(line.kind);
  const date = formatDate(locale, line.dueDate);
  const tag = line.mandatory ? `[${m.mandatory}] ` : '';
  switch (family) {
    case 'due_soon':
      // A line can reach a digest a day late (a recipient whose digest for the day was already made).
      if (line.daysLeft < 0) return tag + m.overdue(line.courseTitle, m.days(-line.daysLeft), date);
      return tag + (line.daysLeft === 0 ? m.dueToday(line.courseTitle, date) : m.dueIn(line.courseTitle, m.days(line.daysLeft), date));
    case 'overdue':
      return tag + m.overdue(line.courseTitle, m.days(Math.max(1, -line.daysLeft)), date);
    case 'escalation_manager':
    case 'escalation_hr':
      return m.escalation(line.learnerName ?? '?', line.courseTitle, m.days(Math.max(1, -line.daysLeft)), date);
    case 'certificate_expiring':
      return m.certificateExpiring(line.courseTitle, m.days(Math.max(0, line.daysLeft)), date);
  }
}

const SECTION_ORDER: Section[] = ['own', 'certificates', 'manager', 'hr'];

function sectionTitle(m: Messages, s: Section): string {
  switch (s) {
    case 'own':
      return m.sectionOwn;
    case 'certificates':
      return m.sectionCertificates;
    case 'manager':
      return m.sectionManager;
    case 'hr':
      return m.sectionHr;
  }
}

const HTML_HEAD = (lang: string, title: string): string =>
  `<!doctype html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1b1b1b;max-width:640px;margin:0 auto;padding:16px">`;
const HTML_FOOT = (footer: string): string => `<hr style="border:0;border-top:1px solid #ddd"><p style="color:#555;font-size:12px">${escapeHtml(footer)}</p></body></html>\n`;

/** The daily digest: every reminder line due for the recipient today (and, in the e-mail, events since the last digest). */
export function renderDigest(input: DigestInput): RenderedNotification {
  const locale = messageLocale(input.locale);
  const m = MESSAGES[locale];
  const todayText = formatDate(locale, input.today);
  const subject = m.digestSubject(todayText);
  const grouped = new Map<Section, Array<{ text: string; url: string }>>();
  for (const line of input.lines) {
    const s = sectionOf(line.kind);
    const list = grouped.get(s) ?? [];
    list.push({ text: lineText(m, locale, line), url: courseUrl(input.publicUrl, line.courseSlug) });
    grouped.set(s, list);
  }
  const sections = SECTION_ORDER.filter((s) => grouped.has(s)).map((s) => ({ title: sectionTitle(m, s), items: grouped.get(s)! }));

  const bodyLines: string[] = [];
  for (const s of sections) {
    bodyLines.push(s.title);
    for (const item of s.items) bodyLines.push(`• ${item.text}`);
  }
  const slugs = new Set(input.lines.map((l) => l.courseSlug));
  const link = slugs.size === 1 ? courseUrl(input.publicUrl, [...slugs][0]) : null;

  const text: string[] = [m.greeting(input.recipientName), ''];
  const html: string[] = [HTML_HEAD(locale, subject), `<p>${escapeHtml(m.greeting(input.recipientName))}</p>`];
  for (const s of sections) {
    text.push(s.title, '');
    html.push(`<h2 style="font-size:16px;margin:20px 0 8px">${escapeHtml(s.title)}</h2><ul style="padding-left:20px">`);
    for (const item of s.items) {
      text.push(`• ${item.text}`, `  ${m.openCourse}: ${item.url}`, '');
      html.push(`<li style="margin-bottom:8px">${escapeHtml(item.text)}<br><a href="${escapeHtml(item.url)}">${escapeHtml(m.openCourse)}</a></li>`);
    }
    html.push('</ul>');
  }
  if (input.events.length) {
    text.push(m.sectionEvents, '');
    html.push(`<h2 style="font-size:16px;margin:20px 0 8px">${escapeHtml(m.sectionEvents)}</h2><ul style="padding-left:20px">`);
    for (const e of input.events) {
      text.push(`• ${e.title}`, `  ${e.body}`, ...(e.link ? [`  ${e.link}`] : []), '');
      html.push(
        `<li style="margin-bottom:8px"><strong>${escapeHtml(e.title)}</strong><br>${escapeHtml(e.body)}` +
          (e.link ? `<br><a href="${escapeHtml(e.link)}">${escapeHtml(e.link)}</a>` : '') +
          '</li>',
      );
    }
    html.push('</ul>');
  }
  text.push('--', m.footer, '');
  html.push(HTML_FOOT(m.footer));
  return {
    title: m.digestTitle(input.lines.length),
    body: bodyLines.join('\n'),
    link,
    subject,
    text: text.join('\n'),
    html: html.join('\n'),
  };
}

export type EventContent =
  | { type: 'assigned'; courseSlug: string; courseTitle: string; dueDate: string | null }
  | { type: 'certificate_issued'; courseSlug: string; courseTitle: string; serial: string }
  | { type: 'certificate_revoked'; courseSlug: string; courseTitle: string; serial: string; reason: string | null }
  | { type: 'enrolment_completed'; courseSlug: string; courseTitle: string }
  | { type: 'reminder_now'; courseSlug: string; courseTitle: string; dueDate: string | null; from?: 'hr' | 'manager' }
  /** To the authors of an adaptation (courseSlug): its upstream published a new version. */
  | { type: 'upstream_published'; courseSlug: string; courseTitle: string; upstreamTitle: string; version: number; baseVersion: number };

/** An event notification (assigned, certificate issued or revoked, course completed). */
export function renderEvent(localeRaw: string, recipientName: string, content: EventContent, publicUrl: string): RenderedNotification {
  const locale = messageLocale(localeRaw);
  const m = MESSAGES[locale];
  let title: string;
  let body: string;
  switch (content.type) {
    case 'assigned':
      title = m.assignedTitle(content.courseTitle);
      body = m.assignedBody(content.courseTitle, content.dueDate ? formatDate(locale, content.dueDate) : null);
      break;
    case 'certificate_issued':
      title = m.certificateIssuedTitle(content.courseTitle);
      body = m.certificateIssuedBody(content.courseTitle, content.serial);
      break;
    case 'certificate_revoked':
      title = m.certificateRevokedTitle(content.courseTitle);
      body = m.certificateRevokedBody(content.courseTitle, content.serial, content.reason);
      break;
    case 'enrolment_completed':
      title = m.completedTitle(content.courseTitle);
      body = m.completedBody(content.courseTitle);
      break;
    case 'reminder_now':
      title = m.remindTitle(content.courseTitle);
      body = (content.from === 'manager' ? m.nudgeBody : m.remindBody)(content.courseTitle, content.dueDate ? formatDate(locale, content.dueDate) : null);
      break;
    case 'upstream_published':
      title = m.upstreamTitle(content.upstreamTitle);
      body = m.upstreamBody(content.upstreamTitle, content.version, content.courseTitle, content.baseVersion);
      break;
  }
  // An adaptation is a draft its authors work on: the notice leads to their courses, not the learner page.
  const link = content.type === 'upstream_published' ? `${publicUrl}/console/author` : courseUrl(publicUrl, content.courseSlug);
  const action = content.type === 'upstream_published' ? m.openAuthoring : m.openCourse;
  const text = [m.greeting(recipientName), '', body, '', `${action}: ${link}`, '', '--', m.footer, ''].join('\n');
  const html = [
    HTML_HEAD(locale, title),
    `<p>${escapeHtml(m.greeting(recipientName))}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    HTML_FOOT(m.footer),
  ].join('\n');
  return { title, body, link, subject: title, text, html };
}

/** A reply in a community thread (docs/hub.md): in-app, and by e-mail or in the digest per the person's preferences; `link` leads to the discussion page. */
export function renderCommunityReply(
  localeRaw: string,
  recipientName: string,
  content: { author: string; thread: string; space: string; link?: string | null },
): RenderedNotification {
  const locale = messageLocale(localeRaw);
  const m = MESSAGES[locale];
  const title = m.communityReplyTitle(content.thread);
  const body = m.communityReplyBody(content.author, content.thread, content.space);
  const link = content.link ?? null;
  const text = [m.greeting(recipientName), '', body, '', ...(link ? [`${m.openDiscussion}: ${link}`, ''] : []), '--', m.footer, ''].join('\n');
  const html = [
    HTML_HEAD(locale, title),
    `<p>${escapeHtml(m.greeting(recipientName))}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(m.openDiscussion)}</a></p>`] : []),
    HTML_FOOT(m.footer),
  ].join('\n');
  return { title, body, link, subject: title, text, html };
}

/** An invitation or password-reset e-mail. `link` is usually the placeholder the sender fills in at delivery. */
export interface AccountLinkContent {
  kind: 'invitation' | 'password_reset';
  link: string;
  /** Invitations: the last local day the link works (YYYY-MM-DD). */
  expiryDate?: string;
  /** Resets: how many minutes the link works. */
  minutes?: number;
}

export function renderAccountLink(localeRaw: string, recipientName: string, content: AccountLinkContent): Omit<RenderedNotification, 'title' | 'body'> {
  const locale = messageLocale(localeRaw);
  const m = MESSAGES[locale];
  const invitation = content.kind === 'invitation';
  const subject = invitation ? m.invitationSubject : m.resetSubject;
  const body = invitation ? m.invitationBody(formatDate(locale, content.expiryDate ?? '1970-01-01')) : m.resetBody(content.minutes ?? 30);
  const action = invitation ? m.invitationAction : m.resetAction;
  const text = [m.greeting(recipientName), '', body, '', `${action}: ${content.link}`, '', m.accountIgnore, '', '--', m.accountFooter, ''].join('\n');
  const html = [
    HTML_HEAD(locale, subject),
    `<p>${escapeHtml(m.greeting(recipientName))}</p>`,
    `<p>${escapeHtml(body)}</p>`,
    `<p><a href="${escapeHtml(content.link)}">${escapeHtml(action)}</a></p>`,
    `<p>${escapeHtml(m.accountIgnore)}</p>`,
    HTML_FOOT(m.accountFooter),
  ].join('\n');
  return { subject, text, html, link: content.link };
}
