import { localInputToUtc, utcToLocalInput } from './zoned-time.js';

describe('wall-clock times of a time zone (datetime-local fields)', () => {
  it('reads a local time in the zone, in winter and in summer', () => {
    expect(localInputToUtc('2027-01-15T10:00', 'Europe/Belgrade')?.toISOString()).toBe('2027-01-15T09:00:00.000Z');
    expect(localInputToUtc('2027-07-15T10:00', 'Europe/Belgrade')?.toISOString()).toBe('2027-07-15T08:00:00.000Z');
    expect(localInputToUtc('2027-07-15T10:00', 'UTC')?.toISOString()).toBe('2027-07-15T10:00:00.000Z');
    expect(localInputToUtc('2027-07-15T10:00:30', 'Europe/London')?.toISOString()).toBe('2027-07-15T09:00:30.000Z');
  });

  it('around the changes of the clock: the hour that does not exist moves forward, the one that happens twice is the first', () => {
    // 28 March 2027: 02:00 → 03:00 in Belgrade; 31 October 2027: 03:00 → 02:00.
    expect(localInputToUtc('2027-03-28T01:30', 'Europe/Belgrade')?.toISOString()).toBe('2027-03-28T00:30:00.000Z');
    expect(localInputToUtc('2027-03-28T03:30', 'Europe/Belgrade')?.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(localInputToUtc('2027-03-28T02:30', 'Europe/Belgrade')).not.toBeNull();
    const twice = localInputToUtc('2027-10-31T02:30', 'Europe/Belgrade')!;
    expect(['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z']).toContain(twice.toISOString());
  });

  it('refuses what is not a real date and time', () => {
    for (const bad of ['', 'soon', '2027-02-30T10:00', '2027-13-01T10:00', '2027-01-01T24:00', '2027-01-01 10:00', '1999-12-31T10:00', '2027-01-01T10:60']) {
      expect({ bad, at: localInputToUtc(bad, 'Europe/Belgrade') }).toEqual({ bad, at: null });
    }
  });

  it('writes an instant back as the wall clock of the zone (round trip)', () => {
    expect(utcToLocalInput('2027-07-15T08:00:00.000Z', 'Europe/Belgrade')).toBe('2027-07-15T10:00');
    expect(utcToLocalInput(new Date('2027-01-15T09:00:00Z'), 'Europe/Skopje')).toBe('2027-01-15T10:00');
    expect(utcToLocalInput(null, 'UTC')).toBe('');
    for (const v of ['2027-03-28T01:30', '2027-06-01T00:00', '2027-12-31T23:59']) expect(utcToLocalInput(localInputToUtc(v, 'Europe/Belgrade'), 'Europe/Belgrade')).toBe(v);
  });
});
