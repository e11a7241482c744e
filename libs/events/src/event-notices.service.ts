import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { Clock, type NewNotification, NotificationRepository, type NotificationType } from '@lms/notifications';
import { day, eventTexts, renderNotice, when } from './event-texts.js';
import { MILESTONE_REMINDER_DAYS } from './followup-group.entity.js';

interface Recipient {
  userId: string;
  displayName: string;
  locale: string;
  timeZone: string;
}

interface Notice {
  to: Recipient;
  type: NotificationType;
  dedupeKey: string;
  title: string;
  body: string;
  lines?: string[];
  email: boolean;
  data: Record<string, unknown>;
  link?: string | null;
}

const DAY = 86_400_000;

/**
 * Notices of the events domain through the notifications path (in-app, and e-mail now or in the
 * daily digest per the person's preferences; each once per dedupe key): registration outcomes,
 * approval requests to the manager and escalations to HR, waitlist offers, session reminders
 * (participants; trainers with the list), evaluation invitations, commitment reminders. Texts are
 * in the recipient's language, times in their time zone. Sweeps use the Clock, never SQL now().
 */
@Injectable()
export class EventNotices {
  private readonly logger = new Logger('EventNotices');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private link(eventId: string): string {
    return `${this.config.publicUrl}/events/${eventId}`;
  }

  async registrationChanged(registrationId: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.event_id AS "eventId", r.status, r.offer_expires_at AS "offerExpiresAt", r.escalated_at AS "escalatedAt", r.approver_id AS "approverId",
              r.decision_reason AS "decisionReason", r.cancel_reason AS "cancelReason", e.title, e.approval_escalate_after_days AS "escalateDays",
              u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone", o.path AS "unitPath",
              (SELECT count(*)::int FROM event_registration w WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (r.waitlisted_at, r.id)) AS position,
              EXISTS (SELECT 1 FROM event_calendar_entry c JOIN event_session s ON s.id = c.session_id WHERE s.event_id = r.event_id AND c.user_id = r.user_id) AS invited
         FROM event_registration r JOIN live_event e ON e.id = r.event_id JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = u.org_unit_id
        WHERE r.id = $1`,
      [registrationId],
    )) as Array<
      Recipient & {
        id: string;
        eventId: string;
        status: string;
        offerExpiresAt: Date | null;
        escalatedAt: Date | null;
        approverId: string | null;
        decisionReason: string | null;
        cancelReason: string | null;
        title: string;
        escalateDays: number;
        unitPath: string;
        position: number;
        invited: boolean;
      }
    >;
    const r = rows[0];
    if (!r) return 0;
    const { t } = eventTexts(r.locale);
    const data = { eventId: r.eventId, registrationId };
    const notices: Notice[] = [];
    const own = (title: string, body: string, email: boolean): void => {
      notices.push({ to: r, type: 'event_registration', dedupeKey: `event:${registrationId}:${r.status}`, title, body, email, data });
    };
    switch (r.status) {
      case 'booked':
        // The invitation e-mail (with the calendar file) is the message; in-app only here.
        own(t.registeredTitle(r.title), t.registeredBody(r.title), false);
        break;
      case 'waitlisted':
        own(t.waitlistedTitle(r.title), t.waitlistedBody(r.title, r.position), true);
        break;
      case 'offered':
        notices.push({
          to: r,
          type: 'event_waitlist_offer',
          dedupeKey: `event:${registrationId}:offered`,
          title: t.offeredTitle(r.title),
          body: t.offeredBody(r.title, when(r.locale, new Date(r.offerExpiresAt ?? this.clock.now()), r.timeZone)),
          email: true,
          data,
        });
        break;
      case 'declined':
        own(t.declinedTitle(r.title), t.declinedBody(r.title, r.decisionReason), true);
        break;
      case 'expired':
        own(t.expiredTitle(r.title), t.expiredBody(r.title), true);
        break;
      case 'cancelled':
        // Invited people get the cancellation with its calendar file; others an e-mail here.
        own(t.cancelledTitle(r.title), t.cancelledBody(r.title, r.cancelReason), !r.invited);
        break;
      case 'pending_approval': {
        own(t.pendingTitle(r.title), t.pendingBody(r.title), false);
        const approvers: Recipient[] = [];
        if (r.approverId) approvers.push(...(await this.users([r.approverId])));
        for (const a of approvers) {
          const at = eventTexts(a.locale).t;
          notices.push({
            to: a,
            type: 'event_approval_request',
            dedupeKey: `event_approval:${registrationId}`,
            title: at.approvalRequestTitle(r.displayName, r.title),
            body: at.approvalRequestBody(r.displayName, r.title),
            email: true,
            data,
            link: `${this.config.publicUrl}/console/team`,
          });
        }
        if (r.escalatedAt) {
          for (const hr of await this.hrFor(r.unitPath)) {
            const ht = eventTexts(hr.locale).t;
            notices.push({
              to: hr,
              type: 'event_approval_request',
              dedupeKey: `event_escalated:${registrationId}`,
              title: ht.approvalRequestTitle(r.displayName, r.title),
              body: ht.approvalEscalatedBody(r.displayName, r.title, r.escalateDays),
              email: true,
              data,
              link: `${this.config.publicUrl}/console/team`,
            });
          }
        }
        break;
      }
    }
    return this.send(notices);
  }

  /**
   * Session reminders: for each scheduled session and each booked person, the smallest offset (days
   * before the start) that has been reached — `before:7`, later `before:1` — once (event_reminder is
   * unique per session, recipient and kind); trainers get the list. After the last session: the
   * evaluation invitation, once.
   */
  async sweep(): Promise<{ reminders: number; evaluations: number }> {
    const now = this.clock.now();
    const sessions = (await this.dataSource.query(
      `SELECT s.id, s.event_id AS "eventId", s.starts_at AS "startsAt", s.time_zone AS "timeZone", s.venue_name AS "venueName", s.venue_address AS "venueAddress",
              s.online_url AS "onlineUrl", e.title, e.reminder_offsets_days AS offsets
         FROM event_session s JOIN live_event e ON e.id = s.event_id
        WHERE s.status = 'scheduled' AND e.status = 'scheduled' AND s.starts_at > $1::timestamptz
          AND s.starts_at <= $1::timestamptz + make_interval(days => (SELECT COALESCE(max(x), 0) FROM unnest(e.reminder_offsets_days) x))`,
      [now.toISOString()],
    )) as Array<{ id: string; eventId: string; startsAt: Date; timeZone: string; venueName: string | null; venueAddress: string | null; onlineUrl: string | null; title: string; offsets: number[] }>;
    let reminders = 0;
    for (const s of sessions) {
      const reached = s.offsets.filter((d) => new Date(s.startsAt).getTime() - d * DAY <= now.getTime());
      if (!reached.length) continue;
      const offset = Math.min(...reached);
      const participants = await this.recordReminders(
        s.id,
        `before:${offset}`,
        `SELECT r.user_id FROM event_registration r WHERE r.event_id = $3 AND r.status = 'booked'`,
        s.eventId,
      );
      const notices: Notice[] = participants.map((p) => {
        const { t } = eventTexts(p.locale);
        const w = when(p.locale, new Date(s.startsAt), p.timeZone);
        const place = [s.venueName, s.venueAddress, s.onlineUrl].filter(Boolean).join(', ') || t.online;
        return {
          to: p,
          type: 'event_session_reminder',
          dedupeKey: `event_reminder:${s.id}:before:${offset}`,
          title: t.sessionReminderTitle(s.title, w),
          body: t.sessionReminderBody(s.title, w, place),
          email: true,
          data: { eventId: s.eventId, sessionId: s.id },
        };
      });
      const trainers = await this.recordReminders(s.id, `trainer:${offset}`, `SELECT t.user_id FROM event_trainer t WHERE t.event_id = $3 AND t.user_id IS NOT NULL`, s.eventId);
      if (trainers.length) {
        const names = (await this.dataSource.query(
          `SELECT u.display_name AS name FROM event_registration r JOIN app_user u ON u.id = r.user_id WHERE r.event_id = $1 AND r.status = 'booked' ORDER BY u.display_name`,
          [s.eventId],
        )) as Array<{ name: string }>;
        for (const tr of trainers) {
          const { t } = eventTexts(tr.locale);
          const w = when(tr.locale, new Date(s.startsAt), tr.timeZone);
          notices.push({
            to: tr,
            type: 'event_trainer_list',
            dedupeKey: `event_reminder:${s.id}:trainer:${offset}`,
            title: t.trainerListTitle(s.title, w),
            body: t.trainerListBody(s.title, w, names.length),
            lines: names.map((n) => n.name),
            email: true,
            data: { eventId: s.eventId, sessionId: s.id },
          });
        }
      }
      reminders += await this.send(notices);
    }
    // Evaluation invitations once the last session has ended.
    const ended = (await this.dataSource.query(
      `SELECT e.id AS "eventId", e.title, last.id AS "sessionId"
         FROM live_event e JOIN event_questionnaire q ON q.event_id = e.id
         JOIN LATERAL (SELECT id, ends_at FROM event_session WHERE event_id = e.id AND status = 'scheduled' ORDER BY ends_at DESC LIMIT 1) last ON true
        WHERE e.status = 'scheduled' AND last.ends_at <= $1::timestamptz AND last.ends_at > $1::timestamptz - interval '30 days'`,
      [now.toISOString()],
    )) as Array<{ eventId: string; title: string; sessionId: string }>;
    let evaluations = 0;
    for (const e of ended) {
      const people = await this.recordReminders(e.sessionId, 'evaluation', `SELECT r.user_id FROM event_registration r WHERE r.event_id = $3 AND r.status = 'booked'`, e.eventId);
      evaluations += await this.send(
        people.map((p) => {
          const { t } = eventTexts(p.locale);
          return {
            to: p,
            type: 'event_evaluation',
            dedupeKey: `event_evaluation:${e.eventId}`,
            title: t.evaluationTitle(e.title),
            body: t.evaluationBody(e.title),
            email: true,
            data: { eventId: e.eventId },
          };
        }),
      );
    }
    return { reminders, evaluations };
  }

  /**
   * Commitment reminders: for each open commitment and each member, the largest of its reminder
   * months that has passed since it was made, once (event_commitment_reminder is the record).
   */
  async commitmentSweep(): Promise<number> {
    const now = this.clock.now();
    const rows = (await this.dataSource.query(
      `WITH due AS (
         SELECT c.id AS commitment_id, m.user_id,
                (SELECT max(x) FROM unnest(c.reminder_months) x WHERE c.created_at + make_interval(months => x) <= $1::timestamptz) AS months
           FROM event_commitment c JOIN event_commitment_member m ON m.commitment_id = c.id
          WHERE c.status = 'open'
       ),
       ins AS (
         INSERT INTO event_commitment_reminder (commitment_id, user_id, months)
         SELECT commitment_id, user_id, months FROM due WHERE months IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING commitment_id, user_id, months
       )
       SELECT ins.commitment_id AS "commitmentId", ins.months, c.action, c.due_on::text AS "dueOn", c.event_id AS "eventId", e.title,
              u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone"
         FROM ins JOIN event_commitment c ON c.id = ins.commitment_id JOIN live_event e ON e.id = c.event_id JOIN app_user u ON u.id = ins.user_id AND u.status = 'active'`,
      [now.toISOString()],
    )) as Array<Recipient & { commitmentId: string; months: number; action: string; dueOn: string; eventId: string; title: string }>;
    return this.send(
      rows.map((r) => {
        const { t } = eventTexts(r.locale);
        return {
          to: r,
          type: 'event_commitment_reminder',
          dedupeKey: `event_commitment:${r.commitmentId}:${r.months}`,
          title: t.commitmentReminderTitle(r.title),
          body: t.commitmentReminderBody(r.action, r.dueOn, r.months),
          email: true,
          data: { eventId: r.eventId, commitmentId: r.commitmentId, months: r.months },
          link: `${this.config.publicUrl}/events/${r.eventId}/commitments/${r.commitmentId}`,
        };
      }),
    );
  }

  /**
   * Follow-up group milestones: every active member of an open group is reminded before each open
   * milestone's due date, at the smallest of MILESTONE_REMINDER_DAYS reached (days before the start
   * of the due day in the member's time zone; a zone name PostgreSQL does not know counts as UTC),
   * once (event_followup_reminder is the record); a milestone past its due day is not reminded.
   */
  async milestoneSweep(): Promise<number> {
    const now = this.clock.now();
    const rows = (await this.dataSource.query(
      `WITH known AS MATERIALIZED (SELECT name FROM pg_timezone_names),
       due AS (
         SELECT ms.id AS milestone_id, fm.user_id,
                (SELECT min(d) FROM unnest($2::int[]) d WHERE $1::timestamptz >= (ms.due_on::timestamp AT TIME ZONE z.zone) - make_interval(days => d)) AS days
           FROM event_followup_milestone ms JOIN event_followup_group g ON g.id = ms.group_id AND g.status = 'open'
           JOIN event_followup_member fm ON fm.group_id = g.id AND fm.status = 'active'
           JOIN app_user u ON u.id = fm.user_id AND u.status = 'active'
           CROSS JOIN LATERAL (SELECT COALESCE((SELECT k.name FROM known k WHERE k.name = u.time_zone), 'UTC') AS zone) z
          WHERE ms.done_at IS NULL AND $1::timestamptz < ((ms.due_on + 1)::timestamp AT TIME ZONE z.zone)
       ),
       ins AS (
         INSERT INTO event_followup_reminder (milestone_id, user_id, days_before)
         SELECT milestone_id, user_id, days FROM due WHERE days IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING milestone_id, user_id, days_before
       )
       SELECT ins.milestone_id AS "milestoneId", ins.days_before AS "daysBefore", ms.title, ms.due_on::text AS "dueOn", g.id AS "groupId", g.title AS "groupTitle", g.event_id AS "eventId",
              u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone"
         FROM ins JOIN event_followup_milestone ms ON ms.id = ins.milestone_id JOIN event_followup_group g ON g.id = ms.group_id JOIN app_user u ON u.id = ins.user_id`,
      [now.toISOString(), [...MILESTONE_REMINDER_DAYS]],
    )) as Array<Recipient & { milestoneId: string; daysBefore: number; title: string; dueOn: string; groupId: string; groupTitle: string; eventId: string }>;
    return this.send(
      rows.map((r) => {
        const { t } = eventTexts(r.locale);
        const due = day(r.locale, r.dueOn);
        return {
          to: r,
          type: 'event_followup_milestone',
          dedupeKey: `event_followup_milestone:${r.milestoneId}:${r.daysBefore}`,
          title: t.milestoneReminderTitle(r.title, due),
          body: t.milestoneReminderBody(r.title, r.groupTitle, due),
          email: true,
          data: { eventId: r.eventId, groupId: r.groupId, milestoneId: r.milestoneId, daysBefore: r.daysBefore },
          link: `${this.config.publicUrl}/follow-up/${r.groupId}`,
        };
      }),
    );
  }

  /** Records one reminder per recipient (`recipients` selects user ids with $3 = event id); returns those newly recorded. */
  private async recordReminders(sessionId: string, kind: string, recipients: string, eventId: string): Promise<Recipient[]> {
    return (await this.dataSource.query(
      `WITH ins AS (
         INSERT INTO event_reminder (session_id, recipient_id, kind)
         SELECT $1, x.user_id, $2 FROM (${recipients}) x
         ON CONFLICT (session_id, recipient_id, kind) DO NOTHING RETURNING recipient_id
       )
       SELECT u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone" FROM ins JOIN app_user u ON u.id = ins.recipient_id AND u.status = 'active'`,
      [sessionId, kind, eventId],
    )) as Recipient[];
  }

  private async users(ids: string[]): Promise<Recipient[]> {
    return (await this.dataSource.query(
      `SELECT id AS "userId", display_name AS "displayName", locale, time_zone AS "timeZone" FROM app_user WHERE id = ANY($1::uuid[]) AND status = 'active'`,
      [ids],
    )) as Recipient[];
  }

  /** HR officers whose scope covers a unit path. */
  private async hrFor(unitPath: string): Promise<Recipient[]> {
    return (await this.dataSource.query(
      `SELECT DISTINCT u.id AS "userId", u.display_name AS "displayName", u.locale, u.time_zone AS "timeZone"
         FROM role_grant g JOIN org_unit o ON o.id = g.scope_org_unit_id JOIN app_user u ON u.id = g.user_id AND u.status = 'active'
        WHERE g.role = 'hr' AND $1 LIKE o.path || '%'`,
      [unitPath],
    )) as Recipient[];
  }

  private async send(notices: Notice[]): Promise<number> {
    if (!notices.length) return 0;
    const now = this.clock.now();
    const rows: NewNotification[] = notices.map((n) => {
      const link = n.link === undefined ? this.link(String(n.data.eventId)) : n.link;
      const r = renderNotice(n.to.locale, n.to.displayName, n.title, n.body, link, n.lines ?? []);
      return {
        userId: n.to.userId,
        type: n.type,
        dedupeKey: n.dedupeKey,
        locale: n.to.locale,
        title: r.title,
        body: r.body,
        link: r.link,
        data: n.data,
        email: n.email ? { subject: r.subject, text: r.text, html: r.html } : null,
      };
    });
    const result = await this.dataSource.transaction((manager) => this.notifications.insertEvents(manager, rows, now));
    if (result.created) this.logger.log(`${notices[0].type}: ${result.created} notice(s), ${result.emailed} e-mail(s) now`);
    return result.created;
  }
}
