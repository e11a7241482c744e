import {
  addDays,
  certificateReminders,
  daysBetween,
  DEFAULT_REMINDER_POLICY,
  type EnrolmentFacts,
  enrolmentReminders,
  inMorningWindow,
  localTime,
  type ReminderPolicy,
  resolvePolicy,
} from './reminder-policy.js';

/**
 * Walks the calendar day by day like the daily sweep does, recording each reminder under its key
 * (as the unique index does) and returning what would be sent on which day.
 */
function simulate(policy: ReminderPolicy, facts: (day: string) => EnrolmentFacts, from: string, to: string, skip: string[] = []): string[] {
  const recorded = new Set<string>();
  const sent: string[] = [];
  for (let day = from; daysBetween(day, to) >= 0; day = addDays(day, 1)) {
    if (skip.includes(day)) continue;
    const f = facts(day);
    for (const r of enrolmentReminders(policy, f, day)) {
      const key = `${r.kind}|${f.dueDate}|${r.audience}`;
      if (recorded.has(key)) continue;
      recorded.add(key);
      sent.push(`${day} ${r.kind}`);
    }
  }
  return sent;
}

describe('reminder policy (pure schedule)', () => {
  const P = DEFAULT_REMINDER_POLICY;
  const mandatory = (dueDate: string, status = 'in_progress'): EnrolmentFacts => ({ status, dueDate, mandatory: true });

  it('has the documented defaults', () => {
    expect(P.dueSoonDays).toEqual([14, 3, 1]);
    expect(P.overdue).toEqual({ firstDay: 1, everyDays: 7 });
    expect(P.escalation).toEqual({ managerAfterDays: 7, hrAfterDays: 21, mandatoryOnly: true });
    expect(P.certificateExpiringDays).toEqual([30]);
    expect(P.morningWindow).toEqual({ startHour: 8, endHour: 9 });
  });

  it('sends the right reminders on the right days: 14, 3, 1 before; overdue day 1 then weekly; manager on day 7, HR on day 21', () => {
    const sent = simulate(P, () => mandatory('2026-03-20'), '2026-02-20', '2026-04-20');
    expect(sent).toEqual([
      '2026-03-06 due_soon:14',
      '2026-03-17 due_soon:3',
      '2026-03-19 due_soon:1',
      '2026-03-21 overdue:1',
      '2026-03-27 escalation_manager',
      '2026-03-28 overdue:8',
      '2026-04-04 overdue:15',
      '2026-04-10 escalation_hr',
      '2026-04-11 overdue:22',
      '2026-04-18 overdue:29',
    ]);
  });

  it('sends nothing on the due date itself, nor between milestones', () => {
    expect(enrolmentReminders(P, mandatory('2026-03-20'), '2026-03-20').map((r) => r.kind)).toEqual(['due_soon:1']); // only as a catch-up: already recorded the day before
    const sent = simulate(P, () => mandatory('2026-03-20'), '2026-03-07', '2026-03-16');
    expect(sent).toEqual(['2026-03-07 due_soon:14']); // catch-up of 14 when the walk starts late, then nothing until 3
  });

  it('sends none after completion or withdrawal, and none without a due date', () => {
    expect(enrolmentReminders(P, mandatory('2026-03-20', 'completed'), '2026-03-21')).toEqual([]);
    expect(enrolmentReminders(P, mandatory('2026-03-20', 'withdrawn'), '2026-03-19')).toEqual([]);
    expect(enrolmentReminders(P, { status: 'enrolled', dueDate: null, mandatory: true }, '2026-03-19')).toEqual([]);
    // completed on 2026-03-25 (overdue): the weekly reminder and the escalation of day 7 never come
    const sent = simulate(P, (day) => mandatory('2026-03-20', day >= '2026-03-25' ? 'completed' : 'in_progress'), '2026-03-01', '2026-04-30');
    expect(sent).toEqual(['2026-03-06 due_soon:14', '2026-03-17 due_soon:3', '2026-03-19 due_soon:1', '2026-03-21 overdue:1']);
  });

  it('escalates only mandatory training by default', () => {
    const voluntary = simulate(P, () => ({ status: 'enrolled', dueDate: '2026-03-20', mandatory: false }), '2026-03-19', '2026-04-15');
    expect(voluntary.some((s) => s.includes('escalation'))).toBe(false);
    expect(voluntary).toContain('2026-03-21 overdue:1');
    const all = resolvePolicy({ escalation: { mandatoryOnly: false } });
    expect(simulate(all, () => ({ status: 'enrolled', dueDate: '2026-03-20', mandatory: false }), '2026-03-19', '2026-03-27')).toContain('2026-03-27 escalation_manager');
  });

  it('makes up a missed day with the latest milestone only (never an older one once a newer applies)', () => {
    // the sweep did not run on the day of "3 days before": the reminder comes the next day
    const sent = simulate(P, () => mandatory('2026-03-20'), '2026-03-15', '2026-03-19', ['2026-03-17']);
    expect(sent).toEqual(['2026-03-15 due_soon:14', '2026-03-18 due_soon:3', '2026-03-19 due_soon:1']);
    // assigned with 2 days left: one "due soon" (3) and then the 1-day one
    expect(simulate(P, () => mandatory('2026-03-20'), '2026-03-18', '2026-03-20')).toEqual(['2026-03-18 due_soon:3', '2026-03-19 due_soon:1']);
    // first seen 30 days overdue (e.g. the module was just switched on): one overdue, one of each escalation
    expect(enrolmentReminders(P, mandatory('2026-03-20'), '2026-04-19').map((r) => r.kind)).toEqual(['overdue:29', 'escalation_manager', 'escalation_hr']);
  });

  it('starts a new series when the due date moves', () => {
    const sent = simulate(P, (day) => mandatory(day < '2026-03-18' ? '2026-03-20' : '2026-04-03'), '2026-03-16', '2026-04-02');
    expect(sent).toEqual(['2026-03-16 due_soon:14', '2026-03-17 due_soon:3', '2026-03-20 due_soon:14', '2026-03-31 due_soon:3', '2026-04-02 due_soon:1']);
  });

  it('reminds a certificate holder 30 days before expiry, unless revoked or renewed', () => {
    expect(certificateReminders(P, { expiresOn: '2026-04-30', revoked: false, superseded: false }, '2026-03-31')).toEqual([{ kind: 'certificate_expiring:30', audience: 'learner' }]);
    expect(certificateReminders(P, { expiresOn: '2026-04-30', revoked: false, superseded: false }, '2026-03-30')).toEqual([]);
    expect(certificateReminders(P, { expiresOn: '2026-04-30', revoked: true, superseded: false }, '2026-03-31')).toEqual([]);
    expect(certificateReminders(P, { expiresOn: '2026-04-30', revoked: false, superseded: true }, '2026-03-31')).toEqual([]);
    expect(certificateReminders(P, { expiresOn: null, revoked: false, superseded: false }, '2026-03-31')).toEqual([]);
  });

  it('finds the morning window in each time zone, across daylight-saving changes', () => {
    const at = (iso: string): Date => new Date(iso);
    expect(inMorningWindow(P, at('2026-03-10T07:30:00Z'), 'Europe/Belgrade')).toBe(true); // 08:30 CET
    expect(inMorningWindow(P, at('2026-03-10T07:30:00Z'), 'UTC')).toBe(false); // 07:30
    expect(inMorningWindow(P, at('2026-03-10T08:00:00Z'), 'UTC')).toBe(true);
    expect(inMorningWindow(P, at('2026-03-10T08:59:59Z'), 'UTC')).toBe(true);
    expect(inMorningWindow(P, at('2026-03-10T09:00:00Z'), 'UTC')).toBe(false);
    expect(inMorningWindow(P, at('2026-03-10T13:00:00Z'), 'America/New_York')).toBe(false); // 09:00 EDT (summer time since 8 March)
    expect(localTime(at('2026-03-10T13:00:00Z'), 'America/New_York').hour).toBe(9);
    expect(inMorningWindow(P, at('2026-03-10T12:00:00Z'), 'America/New_York')).toBe(true); // 08:00 EDT
    expect(inMorningWindow(P, at('2026-03-30T06:30:00Z'), 'Europe/Belgrade')).toBe(true); // 08:30 CEST (summer time since 29 March)
    expect(inMorningWindow(P, at('2026-03-10T02:30:00Z'), 'Asia/Kolkata')).toBe(true); // 08:00 IST (+05:30)
    // the local date, not the UTC date: 23:30 UTC on the 9th is the 10th in Belgrade
    expect(localTime(at('2026-03-09T23:30:00Z'), 'Europe/Belgrade').date).toBe('2026-03-10');
    expect(localTime(at('2026-03-09T23:30:00Z'), 'No/Such_Zone')).toEqual({ date: '2026-03-09', hour: 23, minute: 30 });
  });

  it('validates a custom policy and names the bad field', () => {
    expect(resolvePolicy({ dueSoonDays: [1, 7, 7] }).dueSoonDays).toEqual([7, 1]);
    expect(() => resolvePolicy({ overdue: { everyDays: 0 } })).toThrow(/overdue\.everyDays/);
    expect(() => resolvePolicy({ morningWindow: { startHour: 8, endHour: 8 } })).toThrow(/morningWindow\.endHour/);
    expect(() => resolvePolicy({ dueSoonDays: [2.5] })).toThrow(/dueSoonDays/);
  });
});
