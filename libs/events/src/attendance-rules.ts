import type { AttendanceStatus } from './registration.entity.js';

/** Weight of a mark: present counts whole, partial half, absent (or unmarked) nothing. */
export const ATTENDANCE_WEIGHT: Record<AttendanceStatus, number> = { present: 1, partial: 0.5, absent: 0 };

/**
 * The attendance rule: the weighted share of the event's (not cancelled) sessions attended reaches
 * `rulePercent`. With three sessions and 80 %: three present, or two present and one partial (83 %).
 */
export function attendanceShare(marks: AttendanceStatus[], sessionCount: number): number {
  if (sessionCount <= 0) return 0;
  const sum = marks.reduce((acc, m) => acc + ATTENDANCE_WEIGHT[m], 0);
  return Math.round((sum / sessionCount) * 1000) / 10;
}

export function attendanceRuleMet(marks: AttendanceStatus[], sessionCount: number, rulePercent: number): boolean {
  return sessionCount > 0 && attendanceShare(marks, sessionCount) >= rulePercent;
}
