import { attendanceRuleMet, attendanceShare } from './attendance-rules.js';

describe('attendance rule', () => {
  it('weights present 1, partial 0.5, absent 0 over the sessions', () => {
    expect(attendanceShare(['present', 'present', 'present'], 3)).toBe(100);
    expect(attendanceShare(['present', 'present', 'partial'], 3)).toBe(83.3);
    expect(attendanceShare(['present', 'present'], 3)).toBe(66.7);
    expect(attendanceShare(['absent', 'partial'], 2)).toBe(25);
  });

  it('is met at or above the percentage, never without sessions', () => {
    expect(attendanceRuleMet(['present', 'present', 'partial'], 3, 80)).toBe(true);
    expect(attendanceRuleMet(['present', 'present', 'absent'], 3, 80)).toBe(false);
    expect(attendanceRuleMet(['present', 'present', 'absent'], 3, 66)).toBe(true);
    expect(attendanceRuleMet([], 0, 1)).toBe(false);
  });
});
