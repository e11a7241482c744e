import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { StatementService } from '../statement.service.js';
import { type CourseFacts, type LangMap, NativeStatementBuilder } from './native-statements.js';

interface CourseRow {
  enrolment_id: string;
  user_id: string;
  slug: string;
  version: number;
  title: LangMap;
}

const COURSE_OF_ENROLMENT = `SELECT e.id AS enrolment_id, e.user_id, c.slug, v.version, v.title
  FROM enrolment e JOIN course c ON c.id = e.course_id JOIN course_version v ON v.id = e.course_version_id`;

/**
 * Writes the xAPI statements of native learning to the built-in LRS (docs/xapi.md). Called by the
 * 'xapi.statement-*' jobs that the outbox events of learning, credentials and events start. Each
 * statement's id is a UUID v5 of the fact it reports, so a job that runs twice (or an event relayed
 * twice) stores it once: the LRS answers "same id, same content" as already stored. A fact that no
 * longer exists (erased person, deleted row) produces nothing.
 */
@Injectable()
export class NativeStatementService {
  private readonly build: NativeStatementBuilder;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(StatementService) private readonly statements: StatementService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.build = new NativeStatementBuilder(config.publicUrl);
  }

  async enrolmentRegistered(enrolmentId: string): Promise<void> {
    const [r] = (await this.ds.query(`${COURSE_OF_ENROLMENT.replace('SELECT', 'SELECT e.enrolled_at,')} WHERE e.id = $1`, [enrolmentId])) as Array<CourseRow & { enrolled_at: Date }>;
    if (r) await this.store([this.build.registered({ enrolmentId, userId: r.user_id, course: course(r), at: r.enrolled_at })]);
  }

  async lessonCompleted(enrolmentId: string, lessonId: string): Promise<void> {
    const [r] = (await this.ds.query(
      `${COURSE_OF_ENROLMENT.replace('SELECT', 'SELECT p.completed_at, p.lesson_slug, l.title AS lesson_title,')}
         JOIN lesson_progress p ON p.enrolment_id = e.id JOIN lesson l ON l.id = p.lesson_id
        WHERE e.id = $1 AND p.lesson_id = $2`,
      [enrolmentId, lessonId],
    )) as Array<CourseRow & { completed_at: Date; lesson_slug: string; lesson_title: LangMap }>;
    if (r) await this.store([this.build.lessonCompleted({ enrolmentId, userId: r.user_id, course: course(r), lessonId, lessonSlug: r.lesson_slug, lessonTitle: r.lesson_title, at: r.completed_at })]);
  }

  async lessonViewed(enrolmentId: string, lessonId: string, day: string): Promise<void> {
    const [r] = (await this.ds.query(
      `${COURSE_OF_ENROLMENT.replace('SELECT', 'SELECT w.viewed_at, l.slug AS lesson_slug, l.title AS lesson_title,')}
         JOIN lesson_view w ON w.enrolment_id = e.id JOIN lesson l ON l.id = w.lesson_id
        WHERE e.id = $1 AND w.lesson_id = $2 AND w.day = $3::date`,
      [enrolmentId, lessonId, day],
    )) as Array<CourseRow & { viewed_at: Date; lesson_slug: string; lesson_title: LangMap }>;
    if (r) await this.store([this.build.lessonViewed({ enrolmentId, userId: r.user_id, course: course(r), lessonId, lessonSlug: r.lesson_slug, lessonTitle: r.lesson_title, day, at: r.viewed_at })]);
  }

  async quizAttempted(attemptId: string): Promise<void> {
    const [r] = (await this.ds.query(
      `${COURSE_OF_ENROLMENT.replace('SELECT', 'SELECT a.attempt_no, a.score, a.passed, a.submitted_at,')} JOIN quiz_attempt a ON a.enrolment_id = e.id WHERE a.id = $1`,
      [attemptId],
    )) as Array<CourseRow & { attempt_no: number; score: number; passed: boolean; submitted_at: Date }>;
    if (r) {
      await this.store(
        this.build.quizAttempt({ attemptId, attemptNo: r.attempt_no, enrolmentId: r.enrolment_id, userId: r.user_id, course: course(r), score: r.score, passed: r.passed, at: r.submitted_at }),
      );
    }
  }

  async courseCompleted(enrolmentId: string): Promise<void> {
    const [r] = (await this.ds.query(`${COURSE_OF_ENROLMENT.replace('SELECT', 'SELECT e.completed_at,')} WHERE e.id = $1 AND e.completed_at IS NOT NULL`, [enrolmentId])) as Array<
      CourseRow & { completed_at: Date }
    >;
    if (r) await this.store([this.build.courseCompleted({ enrolmentId, userId: r.user_id, course: course(r), at: r.completed_at })]);
  }

  async certificateIssued(certificateId: string): Promise<void> {
    const [r] = (await this.ds.query(
      `SELECT c.enrolment_id, c.user_id, c.course_slug AS slug, c.course_version AS version, c.course_title AS title, c.issued_at
         FROM certificate c WHERE c.id = $1`,
      [certificateId],
    )) as Array<CourseRow & { issued_at: Date }>;
    if (r) {
      await this.store([
        this.build.certificateIssued({ certificateId, enrolmentId: r.enrolment_id, userId: r.user_id, course: course(r), at: r.issued_at }),
      ]);
    }
  }

  async eventAttended(registrationId: string): Promise<void> {
    const [r] = (await this.ds.query(
      `SELECT r.user_id, r.completed_at, ev.id AS event_id, ev.title, ev.language, c.slug, v.version, v.title AS course_title
         FROM event_registration r JOIN live_event ev ON ev.id = r.event_id
         LEFT JOIN course c ON c.id = ev.course_id
         LEFT JOIN LATERAL (SELECT version, title FROM course_version cv WHERE cv.course_id = c.id AND cv.status = 'published' ORDER BY cv.version DESC LIMIT 1) v ON true
        WHERE r.id = $1 AND r.completed_at IS NOT NULL`,
      [registrationId],
    )) as Array<{ user_id: string; completed_at: Date; event_id: string; title: string; language: string; slug: string | null; version: number | null; course_title: LangMap | null }>;
    if (!r) return;
    const courseFacts = r.slug && r.version !== null ? { slug: r.slug, version: r.version, title: r.course_title ?? {} } : null;
    await this.store([this.build.eventAttended({ registrationId, userId: r.user_id, eventId: r.event_id, eventTitle: r.title, language: r.language, course: courseFacts, at: r.completed_at })]);
  }

  private async store(list: Array<Record<string, unknown>>): Promise<void> {
    await this.statements.storeAsPlatform(list);
  }
}

function course(r: Pick<CourseRow, 'slug' | 'version' | 'title'>): CourseFacts {
  return { slug: r.slug, version: r.version, title: r.title };
}
