import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import PDFDocument from 'pdfkit';
import { Principal } from '@lms/platform';
import { CSV_BOM, csvRecord } from '@lms/reporting';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import { EventRepository } from './event.repository.js';
import { when } from './event-texts.js';

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
  ) {}

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

  async attendanceCsv(principal: Principal, eventId: string): Promise<string> {
    const rows = await this.attendanceByUnit(principal, eventId);
    return (
      CSV_BOM +
      csvRecord(['org_unit_id', 'unit', 'booked', 'completed', 'no_shows', 'no_show_rate']) +
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
