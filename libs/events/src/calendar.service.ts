import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import ical, { ICalCalendarMethod, ICalEventStatus, ICalAttendeeRole, ICalAttendeeStatus } from 'ical-generator';
import { AppConfig, NotFoundError, Principal } from '@lms/platform';
import { Clock, NotificationRepository } from '@lms/notifications';
import { EventRepository, EventRow, SessionView } from './event.repository.js';
import { eventTexts, renderNotice } from './event-texts.js';

type Method = 'REQUEST' | 'CANCEL' | 'PUBLISH';

interface Person {
  userId: string;
  email: string;
  displayName: string;
  locale: string;
}

interface Entry {
  session: SessionView;
  position: number;
  total: number;
  sequence: number;
  cancelled: boolean;
}

/** A concurrent or repeated run already sent this invitation: roll back the sequence bump. */
class AlreadySent extends Error {}

/**
 * iCalendar (RFC 5545 / iTIP RFC 5546) for events: one VEVENT per session, UID
 * `<sessionId>.<userId>@<host>` (stable per session and person), SEQUENCE taken from
 * event_calendar_entry and raised by one for every invitation or cancellation sent, times in UTC.
 * Invitations travel as e-mails of the notifications path (text/calendar part + invite.ics);
 * the subscribable feed answers the same UIDs with METHOD:PUBLISH.
 */
@Injectable()
export class CalendarService {
  private readonly host: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.host = new URL(config.publicUrl).hostname || 'lms.local';
  }

  uid(sessionId: string, userId: string): string {
    return `${sessionId}.${userId}@${this.host}`;
  }

  /** The invitation that follows a registration change: REQUEST when booked, CANCEL when it ended after an invitation. */
  async registrationChanged(registrationId: string, jobId: string): Promise<number> {
    const rows = (await this.dataSource.query(`SELECT event_id AS "eventId", user_id AS "userId", status FROM event_registration WHERE id = $1`, [registrationId])) as Array<{
      eventId: string;
      userId: string;
      status: string;
    }>;
    if (!rows.length) return 0;
    const { eventId, userId, status } = rows[0];
    if (status === 'booked') return this.send(eventId, userId, 'update', `calendar:${jobId}`);
    if (['cancelled', 'expired', 'declined'].includes(status)) return this.send(eventId, userId, 'cancel-all', `calendar:${jobId}`);
    return 0;
  }

  /** Sessions changed: everyone booked gets the updated invitation (and a CANCEL for sessions called off). */
  async sessionsChanged(eventId: string, jobId: string): Promise<number> {
    const people = (await this.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked'`, [eventId])) as Array<{
      userId: string;
    }>;
    let sent = 0;
    for (const p of people) sent += await this.send(eventId, p.userId, 'update', `calendar:${jobId}:${p.userId}`);
    return sent;
  }

  /**
   * 'update': REQUEST for the scheduled sessions, CANCEL for cancelled sessions the person had been invited to.
   * 'cancel-all': CANCEL for every session the person had been invited to.
   */
  private async send(eventId: string, userId: string, mode: 'update' | 'cancel-all', dedupeKey: string): Promise<number> {
    const event = await this.events.row(eventId);
    const person = await this.person(userId);
    if (!event || !person) return 0;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const sessions = await this.events.sessions(eventId, manager);
        const current = await this.lockEntries(manager, sessions, userId);
        const requests: SessionView[] = [];
        const cancels: SessionView[] = [];
        for (const s of sessions) {
          const invited = (current.get(s.id) ?? 0) > 0;
          if (mode === 'update' && s.status === 'scheduled') requests.push(s);
          else if (invited) cancels.push(s);
        }
        let sent = 0;
        const { t } = eventTexts(person.locale);
        if (requests.length) {
          const entries = await this.bump(manager, sessions, requests, userId);
          const firstTime = requests.every((s) => (current.get(s.id) ?? 0) === 0);
          const title = firstTime ? t.registeredTitle(event.title) : t.updatedTitle(event.title);
          const body = firstTime ? t.registeredBody(event.title) : t.updatedBody(event.title);
          sent += await this.mail(manager, person, `${dedupeKey}:request`, title, body, event, entries, 'REQUEST');
        }
        if (cancels.length) {
          const entries = await this.bump(manager, sessions, cancels, userId, true);
          const reason = await this.cancelReason(manager, eventId, userId);
          sent += await this.mail(manager, person, `${dedupeKey}:cancel`, t.cancelledTitle(event.title), t.cancelledBody(event.title, reason), event, entries, 'CANCEL');
        }
        return sent;
      });
    } catch (e) {
      if (e instanceof AlreadySent) return 0;
      throw e;
    }
  }

  private async lockEntries(manager: EntityManager, sessions: SessionView[], userId: string): Promise<Map<string, number>> {
    const rows = (await manager.query(
      `SELECT session_id AS "sessionId", sequence FROM event_calendar_entry WHERE user_id = $1 AND session_id = ANY($2::uuid[]) FOR UPDATE`,
      [userId, sessions.map((s) => s.id)],
    )) as Array<{ sessionId: string; sequence: number }>;
    return new Map(rows.map((r) => [r.sessionId, r.sequence]));
  }

  private async bump(manager: EntityManager, all: SessionView[], chosen: SessionView[], userId: string, cancelled = false): Promise<Entry[]> {
    const rows = (await manager.query(
      `INSERT INTO event_calendar_entry (session_id, user_id, sequence) SELECT s, $2, 1 FROM unnest($1::uuid[]) s
       ON CONFLICT (session_id, user_id) DO UPDATE SET sequence = event_calendar_entry.sequence + 1, updated_at = now()
       RETURNING session_id AS "sessionId", sequence`,
      [chosen.map((s) => s.id), userId],
    )) as Array<{ sessionId: string; sequence: number }>;
    const seq = new Map(rows.map((r) => [r.sessionId, r.sequence]));
    const scheduled = all.filter((s) => s.status === 'scheduled' || chosen.includes(s));
    return chosen.map((s) => ({ session: s, position: scheduled.indexOf(s) + 1, total: scheduled.length, sequence: seq.get(s.id) ?? 1, cancelled }));
  }

  private async mail(manager: EntityManager, person: Person, dedupeKey: string, title: string, body: string, event: EventRow, entries: Entry[], method: Method): Promise<number> {
    const ics = this.render(event, person, entries, method);
    const link = `${this.config.publicUrl}/events/${event.id}`;
    const r = renderNotice(person.locale, person.displayName, title, body, link);
    const created = await this.notifications.insertEmails(
      manager,
      [{ userId: person.userId, dedupeKey, notificationId: null, locale: person.locale, subject: r.subject, text: r.text, html: r.html, calendar: { method, ics } }],
      this.clock.now(),
    );
    if (!created.length) throw new AlreadySent();
    return 1;
  }

  /** The iCalendar text (also used by the feed with METHOD:PUBLISH). */
  render(event: EventRow, person: Person, entries: Entry[], method: Method): string {
    const cal = ical({ prodId: { company: 'lms', product: 'events', language: 'EN' }, name: event.title, method: ICalCalendarMethod[method] });
    this.addEvents(cal, event, person, entries);
    return cal.toString();
  }

  private addEvents(cal: ReturnType<typeof ical>, event: EventRow, person: Person, entries: Entry[]): void {
    const { t } = eventTexts(person.locale);
    const organizerEmail = /<([^>]+)>/.exec(this.config.mailFrom)?.[1] ?? this.config.mailFrom;
    for (const e of entries) {
      const s = e.session;
      const location = [s.venueName, s.venueAddress].filter(Boolean).join(', ') || t.online;
      cal.createEvent({
        id: this.uid(s.id, person.userId),
        sequence: e.sequence,
        stamp: this.clock.now(),
        start: new Date(s.startsAt),
        end: new Date(s.endsAt),
        summary: e.total > 1 ? `${event.title} (${t.sessionLabel(e.position, e.total)})` : event.title,
        description: [event.description, s.onlineUrl].filter(Boolean).join('\n\n') || null,
        location,
        url: s.onlineUrl,
        status: e.cancelled || s.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        organizer: { name: t.platformName, email: organizerEmail },
        attendees: [{ email: person.email, name: person.displayName, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false }],
      });
    }
  }

  // --- the subscribable feed -------------------------------------------------------------

  /** Creates or replaces the caller's feed token; the token is shown once, only its hash is kept. */
  async rotateFeed(principal: Principal): Promise<{ url: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO calendar_feed_token (user_id, token_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
      [principal.userId, sha256(token)],
    );
    return { url: `${this.config.publicUrl}/calendar/${token}.ics`, token };
  }

  async revokeFeed(principal: Principal): Promise<void> {
    await this.dataSource.query(`DELETE FROM calendar_feed_token WHERE user_id = $1`, [principal.userId]);
  }

  /** The feed for a token: every session of the person's booked registrations (cancelled ones marked so). 404 for an unknown token. */
  async feed(token: string): Promise<string> {
    const rows = (await this.dataSource.query(`SELECT user_id AS "userId" FROM calendar_feed_token WHERE token_hash = $1`, [sha256(token)])) as Array<{ userId: string }>;
    if (!rows.length) throw new NotFoundError('Calendar feed');
    const person = await this.person(rows[0].userId);
    if (!person) throw new NotFoundError('Calendar feed');
    const regs = (await this.dataSource.query(`SELECT event_id AS "eventId" FROM event_registration WHERE user_id = $1 AND status = 'booked'`, [person.userId])) as Array<{
      eventId: string;
    }>;
    const cal = ical({ prodId: { company: 'lms', product: 'events', language: 'EN' }, name: 'Learning events', method: ICalCalendarMethod.PUBLISH });
    for (const r of regs) {
      const event = await this.events.row(r.eventId);
      if (!event) continue;
      const sessions = await this.events.sessions(r.eventId);
      const seqRows = (await this.dataSource.query(
        `SELECT session_id AS "sessionId", sequence FROM event_calendar_entry WHERE user_id = $1 AND session_id = ANY($2::uuid[])`,
        [person.userId, sessions.map((s) => s.id)],
      )) as Array<{ sessionId: string; sequence: number }>;
      const seq = new Map(seqRows.map((x) => [x.sessionId, x.sequence]));
      const entries = sessions.map((s, i) => ({ session: s, position: i + 1, total: sessions.length, sequence: seq.get(s.id) ?? 0, cancelled: s.status === 'cancelled' }));
      this.addEvents(cal, event, person, entries);
    }
    return cal.toString();
  }

  private async person(userId: string): Promise<Person | null> {
    const rows = (await this.dataSource.query(`SELECT id AS "userId", email, display_name AS "displayName", locale FROM app_user WHERE id = $1 AND status = 'active'`, [
      userId,
    ])) as Person[];
    return rows[0] ?? null;
  }

  /** Inside the caller's transaction (embedded mode has one connection: never a second one while a transaction is open). */
  private async cancelReason(manager: EntityManager, eventId: string, userId: string): Promise<string | null> {
    const rows = (await manager.query(
      `SELECT COALESCE(cancel_reason, decision_reason) AS reason FROM event_registration WHERE event_id = $1 AND user_id = $2 ORDER BY updated_at DESC LIMIT 1`,
      [eventId, userId],
    )) as Array<{ reason: string | null }>;
    return rows[0]?.reason ?? null;
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
