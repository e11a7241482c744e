/**
 * The reminder policy and the pure rules that turn it into "what is due today". No I/O here: the
 * sweep's set-based SQL (reminder.repository.ts) implements exactly these rules, and the tests
 * check both against each other.
 *
 * Calendar arithmetic is on LOCAL dates ('YYYY-MM-DD' in the person's time zone): "due in 3 days"
 * means three local calendar days, whatever the hour of the due timestamp.
 */

export interface ReminderPolicy {
  /** Days before the due date on which a "due soon" reminder goes out (e.g. 14, 3, 1). */
  readonly dueSoonDays: readonly number[];
  /** Overdue reminders: on day `firstDay` after the due date, then every `everyDays`. */
  readonly overdue: { readonly firstDay: number; readonly everyDays: number };
  /**
   * Escalation, once per due date: to the person's manager (app_user.manager_id, else the HR grant
   * holders of their unit or nearest ancestor) after `managerAfterDays` overdue, to HR after
   * `hrAfterDays`. With `mandatoryOnly`, only assigned (mandatory) training escalates.
   */
  readonly escalation: { readonly managerAfterDays: number; readonly hrAfterDays: number; readonly mandatoryOnly: boolean };
  /** Days before a certificate expires on which its holder is reminded (e.g. 30). */
  readonly certificateExpiringDays: readonly number[];
  /**
   * The local time window [startHour, endHour) in which a person's daily digest is produced. The
   * sweep runs hourly, so the window must be at least one hour wide to catch every time zone.
   */
  readonly morningWindow: { readonly startHour: number; readonly endHour: number };
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  dueSoonDays: Object.freeze([14, 3, 1]),
  overdue: Object.freeze({ firstDay: 1, everyDays: 7 }),
  escalation: Object.freeze({ managerAfterDays: 7, hrAfterDays: 21, mandatoryOnly: true }),
  certificateExpiringDays: Object.freeze([30]),
  morningWindow: Object.freeze({ startHour: 8, endHour: 9 }),
});

export type PolicyOverrides = {
  dueSoonDays?: readonly number[];
  overdue?: Partial<ReminderPolicy['overdue']>;
  escalation?: Partial<ReminderPolicy['escalation']>;
  certificateExpiringDays?: readonly number[];
  morningWindow?: Partial<ReminderPolicy['morningWindow']>;
};

/** Defaults merged with overrides, validated; throws naming the bad field. */
export function resolvePolicy(overrides: PolicyOverrides = {}): ReminderPolicy {
  const d = DEFAULT_REMINDER_POLICY;
  const policy: ReminderPolicy = {
    dueSoonDays: [...new Set(overrides.dueSoonDays ?? d.dueSoonDays)].sort((a, b) => b - a),
    overdue: { ...d.overdue, ...overrides.overdue },
    escalation: { ...d.escalation, ...overrides.escalation },
    certificateExpiringDays: [...new Set(overrides.certificateExpiringDays ?? d.certificateExpiringDays)].sort((a, b) => b - a),
    morningWindow: { ...d.morningWindow, ...overrides.morningWindow },
  };
  const whole = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`Invalid reminder policy: ${name} must be a whole number from ${min} to ${max} (got ${v})`);
  };
  policy.dueSoonDays.forEach((v) => whole('dueSoonDays[]', v, 1, 366));
  policy.certificateExpiringDays.forEach((v) => whole('certificateExpiringDays[]', v, 1, 366));
  whole('overdue.firstDay', policy.overdue.firstDay, 1, 366);
  whole('overdue.everyDays', policy.overdue.everyDays, 1, 366);
  whole('escalation.managerAfterDays', policy.escalation.managerAfterDays, 1, 3650);
  whole('escalation.hrAfterDays', policy.escalation.hrAfterDays, 1, 3650);
  whole('morningWindow.startHour', policy.morningWindow.startHour, 0, 23);
  whole('morningWindow.endHour', policy.morningWindow.endHour, policy.morningWindow.startHour + 1, 24);
  return Object.freeze(policy);
}

// ---------------------------------------------------------------------------------------------
// Local dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a local date (YYYY-MM-DD): ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

export function addDays(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The local calendar date and hour of an instant in a time zone (unknown zones count as UTC). */
export function localTime(now: Date, timeZone: string): { date: string; hour: number; minute: number } {
  let f: Intl.DateTimeFormat;
  try {
    f = formatterFor(timeZone);
  } catch {
    f = formatterFor('UTC');
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** True when it is the person's morning (digest time) at `now`. */
export function inMorningWindow(policy: ReminderPolicy, now: Date, timeZone: string): boolean {
  const { hour } = localTime(now, timeZone);
  return hour >= policy.morningWindow.startHour && hour < policy.morningWindow.endHour;
}

// ---------------------------------------------------------------------------------------------
// The schedule

export type ReminderAudience = 'learner' | 'manager' | 'hr';

/**
 * Reminder kinds. With the due date they form the reminder's identity (one reminder per
 * enrolment, kind, due date and recipient), so re-running a day changes nothing.
 */
export type ReminderKind = `due_soon:${number}` | `overdue:${number}` | 'escalation_manager' | 'escalation_hr' | `certificate_expiring:${number}`;

export interface DueReminder {
  kind: ReminderKind;
  audience: ReminderAudience;
}

export const ACTIVE_ENROLMENT_STATUSES = ['enrolled', 'in_progress'] as const;

export interface EnrolmentFacts {
  status: string;
  /** Local due date in the learner's time zone, or null (no due date: no reminders). */
  dueDate: string | null;
  /** Assigned (source 'assignment'): mandatory training. */
  mandatory: boolean;
}

/**
 * The milestone of a countdown series that applies `daysLeft` days before the date: the most
 * recent milestone reached (the smallest milestone ≥ daysLeft), or null outside the series.
 * Catch-up is built in: a day the sweep missed is made good on the next run, and a series never
 * sends an older milestone once a newer one is due (14 is not sent once 3 applies).
 */
export function countdownMilestone(milestones: readonly number[], daysLeft: number): number | null {
  let best: number | null = null;
  for (const m of milestones) if (m >= daysLeft && daysLeft >= 0 && (best === null || m < best)) best = m;
  return best;
}

/** The overdue milestone reached after `daysOverdue` days: firstDay, firstDay + every, … */
export function overdueMilestone(policy: ReminderPolicy, daysOverdue: number): number | null {
  const { firstDay, everyDays } = policy.overdue;
  if (daysOverdue < firstDay) return null;
  return firstDay + everyDays * Math.floor((daysOverdue - firstDay) / everyDays);
}

/**
 * The reminders that apply to an enrolment on the local date `today`. The caller records each
 * one under its unique key; a reminder already recorded is not sent again. Completed and
 * withdrawn enrolments, and enrolments without a due date, get none.
 */
export function enrolmentReminders(policy: ReminderPolicy, e: EnrolmentFacts, today: string): DueReminder[] {
  if (!e.dueDate || !(ACTIVE_ENROLMENT_STATUSES as readonly string[]).includes(e.status)) return [];
  const daysLeft = daysBetween(today, e.dueDate);
  const out: DueReminder[] = [];
  const soon = countdownMilestone(policy.dueSoonDays, daysLeft);
  if (soon !== null) out.push({ kind: `due_soon:${soon}`, audience: 'learner' });
  const daysOverdue = -daysLeft;
  const overdue = overdueMilestone(policy, daysOverdue);
  if (overdue !== null) out.push({ kind: `overdue:${overdue}`, audience: 'learner' });
  if (e.mandatory || !policy.escalation.mandatoryOnly) {
    if (daysOverdue >= policy.escalation.managerAfterDays) out.push({ kind: 'escalation_manager', audience: 'manager' });
    if (daysOverdue >= policy.escalation.hrAfterDays) out.push({ kind: 'escalation_hr', audience: 'hr' });
  }
  return out;
}

export interface CertificateFacts {
  /** Local expiry date in the holder's time zone, or null (does not expire). */
  expiresOn: string | null;
  revoked: boolean;
  /** A newer valid certificate for the same course exists (renewed): no reminder. */
  superseded: boolean;
}

export function certificateReminders(policy: ReminderPolicy, c: CertificateFacts, today: string): DueReminder[] {
  if (!c.expiresOn || c.revoked || c.superseded) return [];
  const m = countdownMilestone(policy.certificateExpiringDays, daysBetween(today, c.expiresOn));
  return m === null ? [] : [{ kind: `certificate_expiring:${m}`, audience: 'learner' }];
}

/** Parses a kind back into its family and day number (for templates). */
export function parseKind(kind: string): { family: 'due_soon' | 'overdue' | 'escalation_manager' | 'escalation_hr' | 'certificate_expiring'; days: number | null } {
  const [family, days] = kind.split(':');
  if (family === 'due_soon' || family === 'overdue' || family === 'certificate_expiring') return { family, days: Number(days) };
  if (family === 'escalation_manager' || family === 'escalation_hr') return { family, days: null };
  throw new Error(`unknown reminder kind ${kind}`);
}
