import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnrolmentReader } from '@lms/learning';
import type { Principal } from '@lms/platform';
import { uuidV5 } from '../native/native-statements.js';
import { StatementService } from '../statement.service.js';
import { Cmi5Service } from './cmi5.service.js';

export const CMI5_ABANDONED = 'https://w3id.org/xapi/adl/verbs/abandoned';
export const CMI5_TERMINATED = 'http://adlnet.gov/expapi/verbs/terminated';
const SESSION_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';

/** A cmi5 AU behind a lesson of the enrolment's pinned version, as the learner page needs it. */
export interface Cmi5Lesson {
  activityId: string;
  /** Sessions launched before (the page offers "Resume" instead of "Start"). */
  launches: number;
}

/**
 * cmi5 launches from the learner pages (docs/interop.md): before a new session starts, every
 * earlier session of the same AU and registration that the AU started (fetched its credentials)
 * but never terminated gets the LMS's `abandoned` statement (cmi5 section 9.3.8), once (its id is
 * derived from the session id). Then Cmi5Service.launch starts the new session.
 */
@Injectable()
export class Cmi5LaunchService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(EnrolmentReader) private readonly enrolments: EnrolmentReader,
    @Inject(Cmi5Service) private readonly cmi5: Cmi5Service,
    @Inject(StatementService) private readonly statements: StatementService,
  ) {}

  /** The cmi5 AU of a lesson of the caller's enrolment, or null (native or SCORM lesson). */
  async lesson(principal: Principal, enrolmentId: string, lessonSlug: string): Promise<Cmi5Lesson | null> {
    const enrolment = await this.enrolments.findById(enrolmentId);
    if (!enrolment || enrolment.userId !== principal.userId) return null;
    const [row] = (await this.ds.query(
      `SELECT a.id, (SELECT count(*)::int FROM cmi5_session s WHERE s.enrolment_id = $4 AND s.activity_id = a.id) AS launches
         FROM package_activity a JOIN content_package p ON p.id = a.package_id
         JOIN lesson l ON l.course_version_id = $3 AND l.slug = a.lesson_slug
        WHERE a.course_id = $1 AND a.lesson_slug = $2 AND p.standard = 'cmi5'`,
      [enrolment.courseId, lessonSlug, enrolment.courseVersionId, enrolmentId],
    )) as Array<{ id: string; launches: number }>;
    return row ? { activityId: row.id, launches: row.launches } : null;
  }

  async launch(principal: Principal, enrolmentId: string, packageActivityId: string, returnUrl?: string): Promise<{ url: string; sessionId: string; registration: string; abandoned: string[] }> {
    // The launch checks ownership and the AU first; only then are earlier sessions closed.
    const launched = await this.cmi5.launch(principal, enrolmentId, packageActivityId, returnUrl);
    const abandoned = await this.abandonOpen(enrolmentId, packageActivityId, launched.sessionId);
    return { ...launched, abandoned };
  }

  private async abandonOpen(enrolmentId: string, packageActivityId: string, currentSessionId: string): Promise<string[]> {
    const open = (await this.ds.query(
      // The session's last sign of life (its last statement, else the fetch) dates the statement and
      // ends its duration: the same content however often, and by whichever launch, it is written.
      `SELECT s.id, s.user_id, a.identifier AS au_id, p.identifier AS course_iri,
              to_char(last.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_at,
              GREATEST(0, EXTRACT(EPOCH FROM (last.at - s.fetched_at)))::int AS seconds
         FROM cmi5_session s JOIN package_activity a ON a.id = s.activity_id JOIN content_package p ON p.id = a.package_id
         CROSS JOIN LATERAL (
           SELECT GREATEST(s.fetched_at, (SELECT max(x.stored) FROM xapi_statement x
                                            WHERE x.registration = s.enrolment_id AND x.activity_id = a.identifier
                                              AND x.statement->'context'->'extensions'->>'${SESSION_EXTENSION}' = s.id::text)) AS at
         ) last
        WHERE s.enrolment_id = $1 AND s.activity_id = $2 AND s.id <> $3 AND s.fetched_at IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM xapi_statement x
             WHERE x.registration = s.enrolment_id AND x.activity_id = a.identifier AND NOT x.voided
               AND x.verb_id = ANY($4::text[])
               AND x.statement->'context'->'extensions'->>'${SESSION_EXTENSION}' = s.id::text)
        ORDER BY s.fetched_at`,
      [enrolmentId, packageActivityId, currentSessionId, [CMI5_TERMINATED, CMI5_ABANDONED]],
    )) as Array<{ id: string; user_id: string; au_id: string; course_iri: string; last_at: string; seconds: number }>;
    if (!open.length) return [];
    await this.statements.storeAsPlatform(
      open.map((s) => ({
        id: uuidV5(`cmi5-abandoned:${s.id}`),
        actor: this.cmi5.actorOf(s.user_id),
        verb: { id: CMI5_ABANDONED, display: { 'en-US': 'abandoned' } },
        object: { objectType: 'Activity', id: s.au_id },
        result: { duration: `PT${s.seconds}S` },
        context: {
          registration: enrolmentId,
          contextActivities: { grouping: [{ objectType: 'Activity', id: s.course_iri }], category: [{ id: CMI5_CATEGORY }] },
          extensions: { [SESSION_EXTENSION]: s.id },
        },
        timestamp: s.last_at,
      })),
    );
    return open.map((s) => s.id);
  }
}
