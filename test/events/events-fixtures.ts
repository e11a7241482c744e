import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import type { DataSource } from 'typeorm';
import { Clock } from '@lms/notifications';
import type { TestApi } from '@lms/testing';

/** Test helpers for the events domain: calendar e-mails, parsed back with ical.js (not the library that wrote them). */

export interface CalendarMail {
  id: string;
  dedupeKey: string;
  subject: string;
  method: string;
  ics: string;
  state: string;
}

export async function calendarMails(ds: DataSource, userId: string): Promise<CalendarMail[]> {
  return (await ds.query(
    `SELECT id, dedupe_key AS "dedupeKey", subject, calendar_method AS method, calendar_ics AS ics, state
       FROM email_message WHERE user_id = $1 AND calendar_ics IS NOT NULL ORDER BY created_at, dedupe_key`,
    [userId],
  )) as CalendarMail[];
}

export interface ParsedEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  status: string | null;
  summary: string;
  location: string | null;
  attendee: string | null;
}

/** Parses an iCalendar text with ical.js: the METHOD and every VEVENT. */
export function parseIcs(text: string): { method: string | null; events: ParsedEvent[] } {
  const comp = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const method = comp.getFirstPropertyValue('method');
  const events = comp.getAllSubcomponents('vevent').map((v) => {
    const ev = new ICAL.Event(v);
    return {
      uid: ev.uid,
      sequence: ev.sequence,
      start: ev.startDate.toJSDate(),
      end: ev.endDate.toJSDate(),
      status: (v.getFirstPropertyValue('status') as string | null) ?? null,
      summary: ev.summary,
      location: ev.location ?? null,
      attendee: (v.getFirstPropertyValue('attendee') as string | null) ?? null,
    };
  });
  return { method: method === null ? null : String(method), events };
}

/** The .eml files the file transport wrote (the e-mails as they left). */
export function sentEml(api: TestApi, messageId: string): string {
  const dir = join(api.config.dataDir, 'mail');
  const file = readdirSync(dir).find((f) => f === `${messageId}.eml`);
  if (!file) throw new Error(`no .eml for ${messageId}`);
  return readFileSync(join(dir, file), 'utf8');
}

export function setClock(api: TestApi, at: Date | string): Date {
  const now = new Date(at);
  api.app.get(Clock).now = () => now;
  return now;
}

export function resetClock(api: TestApi): void {
  api.app.get(Clock).now = () => new Date();
}

export const DAY = 86_400_000;

/** Sessions of a three-session hybrid workshop starting `inDays` from `from`, in Belgrade. */
export function threeSessions(from: Date, inDays = 10): Array<Record<string, unknown>> {
  const day = (n: number, h: number): string => new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + inDays + n, h, 0, 0)).toISOString();
  return [
    { startsAt: day(0, 8), endsAt: day(0, 15), timeZone: 'Europe/Belgrade', venueName: 'Палата Србије, сала 2', venueAddress: 'Булевар Михајла Пупина 2, Београд', roomCapacity: 30 },
    { startsAt: day(1, 8), endsAt: day(1, 15), timeZone: 'Europe/Belgrade', venueName: 'Palata Srbije', venueAddress: 'Bulevar Mihajla Pupina 2, Beograd', onlineUrl: 'https://meet.example.org/ws-2' },
    { startsAt: day(2, 8), endsAt: day(2, 12), timeZone: 'Europe/Belgrade', onlineUrl: 'https://meet.example.org/ws-3' },
  ];
}
