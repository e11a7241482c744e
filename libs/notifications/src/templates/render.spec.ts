import { MESSAGES } from './messages.js';
import { type DigestInput, formatDate, renderAccountLink, renderCommunityReply, renderDigest, renderEvent } from './render.js';

const base: DigestInput = {
  locale: 'en',
  recipientName: 'Ana Petrović',
  today: '2026-03-17',
  publicUrl: 'https://lms.example.gov',
  events: [],
  lines: [
    { kind: 'due_soon:3', courseSlug: 'ai-fundamentals', courseTitle: 'AI fundamentals', dueDate: '2026-03-20', daysLeft: 3, mandatory: true },
    { kind: 'overdue:8', courseSlug: 'data-governance', courseTitle: 'Data <governance>', dueDate: '2026-03-09', daysLeft: -8, mandatory: false },
    { kind: 'escalation_manager', courseSlug: 'ai-fundamentals', courseTitle: 'AI fundamentals', dueDate: '2026-03-10', daysLeft: -7, mandatory: true, learnerName: 'Marko Marković' },
  ],
};

describe('notification templates', () => {
  it('renders one digest with every line, grouped, with course links, in plain text and HTML', () => {
    const r = renderDigest(base);
    expect(r.subject).toBe('Your learning reminders – 17 March 2026');
    expect(r.title).toBe('3 learning reminders for today');
    expect(r.text).toContain('Hello Ana Petrović,');
    expect(r.text).toContain('[mandatory] “AI fundamentals” is due in 3 days (20 March 2026).');
    expect(r.text).toContain('“Data <governance>” is 8 days overdue (it was due 9 March 2026).');
    expect(r.text).toContain('People you are responsible for');
    expect(r.text).toContain('Marko Marković: “AI fundamentals” is 7 days overdue (it was due 10 March 2026).');
    expect(r.text).toContain('https://lms.example.gov/courses/ai-fundamentals');
    expect(r.html).toContain('<a href="https://lms.example.gov/courses/data-governance">');
    expect(r.html).toContain('Data &lt;governance&gt;');
    expect(r.html).not.toContain('Data <governance>');
    expect(r.link).toBeNull(); // two courses: no single link
    expect(r.body.split('\n')).toHaveLength(5); // two section titles and three lines
  });

  it('writes Serbian in Latin and Cyrillic script with the right plural and date forms', () => {
    const lat = renderDigest({ ...base, locale: 'sr-Latn', lines: [{ ...base.lines[0], daysLeft: 1, dueDate: '2026-03-18' }] });
    expect(lat.subject).toBe('Podsetnici za učenje – 17. mart 2026.');
    expect(lat.text).toContain('Dobar dan, Ana Petrović,');
    expect(lat.text).toContain('[obavezno] „AI fundamentals”: rok je za 1 dan (18. mart 2026.).');
    expect(lat.text).toContain('Otvorite kurs: https://lms.example.gov/courses/ai-fundamentals');
    const cyr = renderDigest({ ...base, locale: 'sr-Cyrl', lines: [{ ...base.lines[1], daysLeft: -22, dueDate: '2026-02-23' }] });
    expect(cyr.subject).toBe('Подсетници за учење – 17. март 2026.');
    expect(cyr.text).toContain('„Data <governance>”: рок је истекао пре 22 дана (23. фебруар 2026.).');
    expect(cyr.link).toBe('https://lms.example.gov/courses/data-governance');
    expect(MESSAGES['sr-Latn'].days(21)).toBe('21 dan');
    expect(MESSAGES['sr-Latn'].days(11)).toBe('11 dana');
    expect(MESSAGES.en.days(1)).toBe('1 day');
  });

  it('writes Macedonian, and reads a Croatian or Serbian-with-region profile along its fallback chain', () => {
    const mk = renderDigest({ ...base, locale: 'mk', lines: [{ ...base.lines[0], daysLeft: 2, dueDate: '2026-03-19' }] });
    expect(mk.subject).toMatch(/^Потсетници за учење – 17 март 2026/);
    expect(mk.text).toContain('„AI fundamentals“: рокот е за 2 дена');
    expect(MESSAGES.mk.days(1)).toBe('1 ден');
    expect(MESSAGES.mk.days(11)).toBe('11 дена');
    expect(MESSAGES.mk.days(21)).toBe('21 ден');
    expect(renderDigest({ ...base, locale: 'hr' }).text).toContain('Dobar dan, Ana Petrović,');
    expect(renderDigest({ ...base, locale: 'sr-Cyrl-RS' }).text).toContain('Добар дан, Ана Петровић,'.replace('Ана Петровић', 'Ana Petrović'));
  });

  it('falls back to English for an unknown locale and says "today" on the due date', () => {
    const r = renderDigest({ ...base, locale: 'de', lines: [{ ...base.lines[0], daysLeft: 0, dueDate: '2026-03-17' }] });
    expect(r.text).toContain('“AI fundamentals” is due today (17 March 2026).');
    expect(formatDate('en', '2026-12-01')).toBe('1 December 2026');
    const late = renderDigest({ ...base, lines: [{ ...base.lines[0], daysLeft: -1, dueDate: '2026-03-16' }] });
    expect(late.text).toContain('[mandatory] “AI fundamentals” is 1 day overdue (it was due 16 March 2026).');
  });

  it('adds event notifications waiting for the digest to the e-mail, not to the in-app body', () => {
    const r = renderDigest({ ...base, events: [{ title: 'Certificate issued: AI fundamentals', body: 'Congratulations!', link: 'https://lms.example.gov/courses/ai-fundamentals' }] });
    expect(r.text).toContain('Since your last digest');
    expect(r.html).toContain('<strong>Certificate issued: AI fundamentals</strong>');
    expect(r.body).not.toContain('Certificate issued');
  });

  it('renders event notifications per locale', () => {
    const assigned = renderEvent('sr-Cyrl', 'Ана', { type: 'assigned', courseSlug: 'ai-fundamentals', courseTitle: 'Основе ВИ', dueDate: '2026-04-01' }, 'https://lms.example.gov');
    expect(assigned.title).toBe('Додељена вам је обука: Основе ВИ');
    expect(assigned.body).toBe('Додељена вам је обавезна обука „Основе ВИ”. Рок: 1. април 2026.');
    expect(assigned.link).toBe('https://lms.example.gov/courses/ai-fundamentals');
    const revoked = renderEvent('en', 'Ana', { type: 'certificate_revoked', courseSlug: 'x', courseTitle: 'X', serial: 'LMS-2026-000001', reason: 'issued in error' }, 'https://lms.example.gov');
    expect(revoked.body).toBe('Your certificate for “X” (serial number LMS-2026-000001) has been revoked. Reason: issued in error.');
    expect(revoked.html).toContain('<html lang="en">');
    const issued = renderEvent('sr-Latn', 'Ana', { type: 'certificate_issued', courseSlug: 'x', courseTitle: 'X', serial: 'S-1' }, 'https://lms.example.gov');
    expect(issued.subject).toBe('Izdat sertifikat: X');
  });

  it('renders invitation and password-reset e-mails in the three languages, with the link and when it stops working', () => {
    const link = 'https://lms.example.gov/invitations/abc';
    const en = renderAccountLink('en', 'Ana <Petrović>', { kind: 'invitation', link, expiryDate: '2026-03-24' });
    expect(en.subject).toBe('You are invited to the learning platform');
    expect(en.text).toContain('until 24 March 2026');
    expect(en.text).toContain(`Choose your password: ${link}`);
    expect(en.html).toContain(`<a href="${link}">Choose your password</a>`);
    expect(en.html).toContain('Ana &lt;Petrović&gt;');
    const lat = renderAccountLink('sr-Latn', 'Ana', { kind: 'password_reset', link, minutes: 30 });
    expect(lat.subject).toBe('Promena zaboravljene lozinke');
    expect(lat.text).toContain('važi jednom, 30 minuta');
    const cyr = renderAccountLink('sr-Cyrl', 'Ана', { kind: 'password_reset', link, minutes: 21 });
    expect(cyr.text).toContain('важи једном, 21 минут.');
    expect(renderAccountLink('sr-Cyrl', 'Ана', { kind: 'invitation', link, expiryDate: '2026-03-24' }).subject).toBe('Позивница за платформу за учење');
  });
  it('renders a community reply notice per locale, escaping the thread title in the HTML', () => {
    const content = { author: 'Ana', thread: '<script>x</script> budgets', space: 'AI in local government' };
    const en = renderCommunityReply('en', 'Marko', content);
    expect(en.title).toBe('New reply: <script>x</script> budgets');
    expect(en.html).not.toContain('<script>');
    expect(en.html).toContain('&lt;script&gt;');
    expect(en.link).toBeNull();
    expect(en.text).not.toContain('Open the discussion');
    const linked = renderCommunityReply('mk', 'Marko', { ...content, link: 'https://lms.example.org/communities/ai/threads/t1' });
    expect(linked.link).toBe('https://lms.example.org/communities/ai/threads/t1');
    expect(linked.text).toContain('Отворете ја дискусијата: https://lms.example.org/communities/ai/threads/t1');
    expect(linked.html).toContain('<a href="https://lms.example.org/communities/ai/threads/t1">Отворете ја дискусијата</a>');
    expect(renderCommunityReply('sr-Latn', 'Marko', content).body).toContain('u zajednici „AI in local government“');
    expect(renderCommunityReply('sr-Cyrl', 'Marko', content).title).toMatch(/^Нови одговор/);
    expect(renderCommunityReply('mk', 'Marko', content).body).toContain('во заедницата');
  });
});
