import { createHash } from 'node:crypto';

/**
 * xAPI statements of native (non-packaged) learning, built from domain facts (docs/xapi.md,
 * "Statements from native courses"). Pure functions: the service loads the facts.
 */

/** The namespace of this module's statement ids (UUID v5): fixed, so an id never changes between releases. */
export const STATEMENT_NAMESPACE = '5b1f0c4e-8a63-5d2e-9c1a-3f6e2d7b8a90';

/** RFC 9562 UUID version 5 (SHA-1, name-based) of `name` in `namespace`. */
export function uuidV5(name: string, namespace = STATEMENT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const VERBS = {
  registered: { id: 'http://adlnet.gov/expapi/verbs/registered', display: { en: 'registered' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { en: 'completed' } },
  attempted: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { en: 'attempted' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { en: 'failed' } },
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { en: 'attended' } },
  /** Not in ADL's vocabulary (it has no verb for credentials): the xAPI registry's verb for a badge or certificate received. */
  earned: { id: 'http://id.tincanapi.com/verb/earned', display: { en: 'earned' } },
  /** The xAPI registry's verb for content a person opened and looked at (more specific than ADL's `experienced`). */
  viewed: { id: 'http://id.tincanapi.com/verb/viewed', display: { en: 'viewed' } },
} as const;

export const ACTIVITY_TYPES = {
  /** cmi5 profile: a course (as in a cmi5 course structure). */
  course: 'https://w3id.org/xapi/cmi5/activitytype/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  meeting: 'http://adlnet.gov/expapi/activities/meeting',
  certificate: 'http://id.tincanapi.com/activitytype/certificate',
} as const;

/** cmi5 context category: the statement reports that the course's moveOn (completion) criteria were met. */
export const CMI5_MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';

export type LangMap = Record<string, string>;

export interface CourseFacts {
  slug: string;
  version: number;
  title: LangMap;
}

/** Builds statements for one server (PUBLIC_URL): actor as an account, activity IRIs under the server. */
export class NativeStatementBuilder {
  private readonly base: string;

  constructor(publicUrl: string) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /** The person as an account of this server (never the e-mail). */
  actor(userId: string): Record<string, unknown> {
    return { objectType: 'Agent', account: { homePage: this.base, name: userId } };
  }

  courseId(slug: string): string {
    return `${this.base}/courses/${encodeURIComponent(slug)}`;
  }

  course(c: CourseFacts): Record<string, unknown> {
    return { objectType: 'Activity', id: this.courseId(c.slug), definition: { type: ACTIVITY_TYPES.course, name: langMap(c.title) } };
  }

  registered(f: { enrolmentId: string; userId: string; course: CourseFacts; at: Date }): Record<string, unknown> {
    return this.statement(`enrolment:${f.enrolmentId}:registered`, f.userId, VERBS.registered, this.course(f.course), f.at, f.enrolmentId, f.course);
  }

  lesson(courseSlug: string, lessonSlug: string, title: LangMap): Record<string, unknown> {
    return { objectType: 'Activity', id: `${this.courseId(courseSlug)}/lessons/${encodeURIComponent(lessonSlug)}`, definition: { type: ACTIVITY_TYPES.lesson, name: langMap(title) } };
  }

  /** A lesson opened by its learner: one statement per enrolment, lesson and UTC day (`day` YYYY-MM-DD), timed at the first opening. */
  lessonViewed(f: { enrolmentId: string; userId: string; course: CourseFacts; lessonId: string; lessonSlug: string; lessonTitle: LangMap; day: string; at: Date }): Record<string, unknown> {
    return this.statement(`lesson:${f.enrolmentId}:${f.lessonId}:viewed:${f.day}`, f.userId, VERBS.viewed, this.lesson(f.course.slug, f.lessonSlug, f.lessonTitle), f.at, f.enrolmentId, f.course, true);
  }

  lessonCompleted(f: { enrolmentId: string; userId: string; course: CourseFacts; lessonId: string; lessonSlug: string; lessonTitle: LangMap; at: Date }): Record<string, unknown> {
    const lesson = {
      objectType: 'Activity',
      id: `${this.courseId(f.course.slug)}/lessons/${encodeURIComponent(f.lessonSlug)}`,
      definition: { type: ACTIVITY_TYPES.lesson, name: langMap(f.lessonTitle) },
    };
    return {
      ...this.statement(`lesson:${f.enrolmentId}:${f.lessonId}:completed`, f.userId, VERBS.completed, lesson, f.at, f.enrolmentId, f.course, true),
      result: { completion: true },
    };
  }

  /** Two statements per graded attempt: `attempted`, and `passed` or `failed` with the score. */
  quizAttempt(f: { attemptId: string; attemptNo: number; enrolmentId: string; userId: string; course: CourseFacts; score: number; passed: boolean; at: Date }): Array<Record<string, unknown>> {
    const quiz = {
      objectType: 'Activity',
      id: `${this.courseId(f.course.slug)}/quiz`,
      definition: { type: ACTIVITY_TYPES.assessment, name: langMap(f.course.title) },
    };
    const attemptExt = { [`${this.base}/xapi/extensions/attempt`]: f.attemptNo };
    const attempted = this.statement(`quiz-attempt:${f.attemptId}:attempted`, f.userId, VERBS.attempted, quiz, f.at, f.enrolmentId, f.course, true);
    const graded = this.statement(`quiz-attempt:${f.attemptId}:result`, f.userId, f.passed ? VERBS.passed : VERBS.failed, quiz, f.at, f.enrolmentId, f.course, true);
    const score = Math.max(0, Math.min(100, Math.round(f.score)));
    for (const s of [attempted, graded]) (s.context as Record<string, unknown>).extensions = { ...((s.context as Record<string, unknown>).extensions as object), ...attemptExt };
    return [attempted, { ...graded, result: { score: { scaled: score / 100, raw: score, min: 0, max: 100 }, success: f.passed, completion: true } }];
  }

  courseCompleted(f: { enrolmentId: string; userId: string; course: CourseFacts; at: Date }): Record<string, unknown> {
    const s = this.statement(`enrolment:${f.enrolmentId}:completed`, f.userId, VERBS.completed, this.course(f.course), f.at, f.enrolmentId, f.course);
    const context = s.context as Record<string, unknown>;
    context.contextActivities = { category: [{ objectType: 'Activity', id: CMI5_MOVEON_CATEGORY }] };
    return { ...s, result: { completion: true } };
  }

  certificateIssued(f: { certificateId: string; enrolmentId: string; userId: string; course: CourseFacts; at: Date }): Record<string, unknown> {
    const certificate = {
      objectType: 'Activity',
      id: `${this.base}/certificates/${f.certificateId}`,
      definition: { type: ACTIVITY_TYPES.certificate, name: langMap(f.course.title) },
    };
    return this.statement(`certificate:${f.certificateId}:issued`, f.userId, VERBS.earned, certificate, f.at, f.enrolmentId, f.course, true);
  }

  eventAttended(f: { registrationId: string; userId: string; eventId: string; eventTitle: string; language: string; course: CourseFacts | null; at: Date }): Record<string, unknown> {
    const event = {
      objectType: 'Activity',
      id: `${this.base}/events/${f.eventId}`,
      definition: { type: ACTIVITY_TYPES.meeting, name: { [f.language || 'en']: f.eventTitle.slice(0, 500) || f.eventId } },
    };
    const s: Record<string, unknown> = {
      id: uuidV5(`registration:${f.registrationId}:attended`),
      actor: this.actor(f.userId),
      verb: VERBS.attended,
      object: event,
      timestamp: f.at.toISOString(),
      context: { platform: 'public-servant-lms', ...(f.course ? { contextActivities: { parent: [this.course(f.course)] } } : {}) },
      result: { completion: true },
    };
    return s;
  }

  /** The common shape: id from `key`, registration = the enrolment, the course as parent (for its parts). */
  private statement(key: string, userId: string, verb: { id: string; display: LangMap }, object: Record<string, unknown>, at: Date, enrolmentId: string, course: CourseFacts, withParent = false): Record<string, unknown> {
    return {
      id: uuidV5(key),
      actor: this.actor(userId),
      verb,
      object,
      timestamp: at.toISOString(),
      context: {
        registration: enrolmentId,
        platform: 'public-servant-lms',
        ...(withParent ? { contextActivities: { parent: [this.course(course)] } } : {}),
        extensions: { [`${this.base}/xapi/extensions/course-version`]: course.version },
      },
    };
  }
}

/** A language map with only valid tags and non-empty strings (xAPI requires RFC 5646 keys). */
function langMap(m: LangMap | null | undefined): LangMap {
  const out: LangMap = {};
  for (const [k, v] of Object.entries(m ?? {})) if (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(k) && typeof v === 'string' && v) out[k] = v.slice(0, 500);
  return Object.keys(out).length ? out : { en: 'untitled' };
}
