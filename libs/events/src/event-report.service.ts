import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { pdfLibraries } from '@lms/credentials';
import { attendanceShare } from './attendance-rules.js';
import type { AttendanceStatus } from './registration.entity.js';
import { CSV_BOM, csvRecord, localisedHeaders } from '@lms/reporting';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import { EventRepository } from './event.repository.js';
import { eventTexts, when } from './event-texts.js';
import { EVENT_MESSAGES as M } from './events.errors.js';

export interface UnitAttendanceRow {
  orgUnitId: string;
  unit: string;
  booked: number;
  completed: number;
  /** Booked people not marked present or partial at any session that has ended. */
  noShows: number;
  /** noShows / booked, 0–100, one decimal. */
  noShowRate: number;
}

let fontFiles: { regular: Buffer; bold: Buffer } | null = null;
function fonts(): { regular: Buffer; bold: Buffer } {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    fontFiles = {
      regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    };
  }
  return fontFiles;
}

/** Organisers' reports: the paper sign-up sheet (PDF, DejaVu for Cyrillic and Serbian Latin) and attendance by unit (JSON or CSV). */
@Injectable()
export class EventReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AccessScope) private readonly scope: AccessScope,
  ) {}

  /**
   * The attendance certificate of a stand-alone event (a course-linked event earns the course's
   * certificate instead): a PDF in the person's language, once the attendance rule was met. The
   * person, HR in scope, organisers and trainers may fetch it.
   */
  async attendanceCertificate(principal: Principal, registrationId: string): Promise<Buffer> {
    const rows = (await this.dataSource.query(
      `SELECT r.event_id AS "eventId", r.user_id AS "userId", r.completed_at AS "completedAt", e.title, e.course_id AS "courseId",
              u.display_name AS name, u.locale, u.time_zone AS "timeZone"
         FROM event_registration r JOIN live_event e ON e.id = r.event_id JOIN app_user u ON u.id = r.user_id WHERE r.id = $1`,
      [registrationId],
    )) as Array<{ eventId: string; userId: string; completedAt: Date | null; title: string; courseId: string | null; name: string; locale: string; timeZone: string }>;
    const r = rows[0];
    if (!r) throw new NotFoundError('Registration', registrationId);
    if (r.userId !== principal.userId && !(await this.scope.canManageUser(principal, r.userId))) await this.access.run(principal, r.eventId);
    if (r.courseId) throw new ConflictError('course_linked_event', M.courseLinkedCertificate());
    if (!r.completedAt) throw new ConflictError('attendance_rule_not_met', M.attendanceNotMet());
    const sessions = (await this.events.sessions(r.eventId)).filter((s) => s.status === 'scheduled');
    const marks = (await this.dataSource.query(`SELECT status FROM event_attendance WHERE registration_id = $1 AND session_id = ANY($2::uuid[])`, [
      registrationId,
      sessions.map((s) => s.id),
    ])) as Array<{ status: AttendanceStatus }>;
    const { t } = eventTexts(r.locale);
    const fmt = new Intl.DateTimeFormat(r.locale === 'en' ? 'en-GB' : r.locale, { dateStyle: 'long', timeZone: sessions[0]?.timeZone ?? 'UTC' });
    const dates = sessions.length ? `${fmt.format(new Date(sessions[0].startsAt))} – ${fmt.format(new Date(sessions[sessions.length - 1].endsAt))}` : '';
    const { PDFDocument } = await pdfLibraries(); // loaded on the first PDF, not at start
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 60, info: { Title: t.attendanceCertificateTitle, Producer: 'lms' } });
    const f = fonts();
    doc.registerFont('sans', f.regular);
    doc.registerFont('bold', f.bold);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      doc.on('end', () => resolve());
      doc.on('error', reject);
    });
    doc.rect(30, 30, 841.89 - 60, 595.28 - 60).lineWidth(2).stroke('#1f3a5f');
    doc.font('bold').fontSize(30).fillColor('#1f3a5f').text(t.attendanceCertificateTitle, 60, 120, { align: 'center', width: 841.89 - 120 });
    doc.font('bold').fontSize(24).fillColor('#222222').text(r.name, 60, 210, { align: 'center', width: 841.89 - 120 });
    doc.font('sans').fontSize(14).text(t.attendanceCertificateBody(r.name, r.title, dates, attendanceShare(marks.map((m) => m.status), sessions.length)), 100, 270, { align: 'center', width: 841.89 - 200 });
    doc.font('sans').fontSize(10).fillColor('#5a6472').text(t.attendanceCertificateNote, 60, 480, { align: 'center', width: 841.89 - 120 });
    doc.end();
    await done;
    return Buffer.concat(chunks);
  }

  async attendanceByUnit(principal: Principal, eventId: string): Promise<UnitAttendanceRow[]> {
    await this.access.run(principal, eventId);
    const rows = (await this.dataSource.query(
      `WITH ended AS (SELECT id FROM event_session WHERE event_id = $1 AND status = 'scheduled' AND ends_at <= $2::timestamptz),
       people AS (
         SELECT r.id, u.org_unit_id, r.completed_at IS NOT NULL AS completed,
                EXISTS (SELECT 1 FROM ended) AND NOT EXISTS (SELECT 1 FROM event_attendance a WHERE a.registration_id = r.id AND a.session_id IN (SELECT id FROM ended)
                                                                                                AND a.status IN ('present', 'partial')) AS no_show
           FROM event_registration r JOIN app_user u ON u.id = r.user_id
          WHERE r.event_id = $1 AND r.status = 'booked'
       )
       SELECT o.id AS "orgUnitId", o.name AS unit, count(*)::int AS booked, count(*) FILTER (WHERE completed)::int AS completed,
              count(*) FILTER (WHERE no_show)::int AS "noShows"
         FROM people p JOIN org_unit o ON o.id = p.org_unit_id
        GROUP BY o.id, o.name ORDER BY o.name`,
      [eventId, this.clock.now().toISOString()],
    )) as Array<Omit<UnitAttendanceRow, 'noShowRate'>>;
    return rows.map((r) => ({ ...r, noShowRate: r.booked ? Math.round((r.noShows / r.booked) * 1000) / 10 : 0 }));
  }

  /** Headers in the caller's language (Accept-Language, else the person's locale; English: the keys). */
  async attendanceCsv(principal: Principal, eventId: string, acceptLanguage?: string): Promise<string> {
    const rows = await this.attendanceByUnit(principal, eventId);
    return (
      CSV_BOM +
      csvRecord(localisedHeaders(['org_unit_id', 'unit', 'booked', 'completed', 'no_shows', 'no_show_rate'], acceptLanguage, principal.locale)) +
      rows.map((r) => csvRecord([r.orgUnitId, r.unit, r.booked, r.completed, r.noShows, r.noShowRate])).join('')
    );
  }

  /** One page per 25 participants: name, unit and a signature box for every session. */
  async signUpSheet(principal: Principal, eventId: string): Promise<Buffer> {
    const event = await this.access.run(principal, eventId);
    const sessions = (await this.events.sessions(eventId)).filter((s) => s.status === 'scheduled');
    const people = (await this.dataSource.query(
      `SELECT u.display_name AS name, o.name AS unit FROM event_registration r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = u.org_unit_id
        WHERE r.event_id = $1 AND r.status = 'booked' ORDER BY u.display_name`,
      [eventId],
    )) as Array<{ name: string; unit: string }>;
    const { PDFDocument } = await pdfLibraries();
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: `${event.title} – sign-up sheet`, Producer: 'lms' } });
    const f = fonts();
    doc.registerFont('sans', f.regular);
    doc.registerFont('bold', f.bold);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      doc.on('end', () => resolve());
      doc.on('error', reject);
    });
    const perPage = 25;
    const pages = Math.max(1, Math.ceil(people.length / perPage));
    const nameW = 220;
    const unitW = 180;
    const cols = Math.max(1, sessions.length);
    const boxW = (841.89 - 72 - nameW - unitW - 24) / cols;
    for (let p = 0; p < pages; p++) {
      if (p > 0) doc.addPage();
      doc.font('bold').fontSize(14).text(event.title, 36, 36);
      doc.font('sans').fontSize(9).text(sessions.map((s, i) => `${i + 1}: ${when(event.language, new Date(s.startsAt), s.timeZone)} ${[s.venueName, s.venueAddress].filter(Boolean).join(', ')}`).join('   '));
      let y = 90;
      doc.font('bold').fontSize(9);
      doc.text('#', 36, y, { width: 24 });
      doc.text('Name / Ime / Име', 60, y, { width: nameW });
      doc.text('Unit / Jedinica / Јединица', 60 + nameW, y, { width: unitW });
      sessions.forEach((_, i) => doc.text(String(i + 1), 60 + nameW + unitW + i * boxW, y, { width: boxW, align: 'center' }));
      y += 16;
      doc.font('sans').fontSize(9);
      for (const [i, person] of people.slice(p * perPage, (p + 1) * perPage).entries()) {
        doc.text(String(p * perPage + i + 1), 36, y + 4, { width: 24 });
        doc.text(person.name, 60, y + 4, { width: nameW - 6, height: 14, ellipsis: true });
        doc.text(person.unit, 60 + nameW, y + 4, { width: unitW - 6, height: 14, ellipsis: true });
        for (let c = 0; c < cols; c++) doc.rect(60 + nameW + unitW + c * boxW, y, boxW, 18).stroke('#888888');
        y += 18;
      }
    }
    doc.end();
    await done;
    return Buffer.concat(chunks);
  }
}
