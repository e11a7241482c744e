import { loadStatementValidator, statementProblems } from '../statement-validation.js';
import { NativeStatementBuilder, uuidV5, VERBS } from './native-statements.js';

const build = new NativeStatementBuilder('https://lms.example.gov/');
const course = { slug: 'ai-basics', version: 2, title: { en: 'AI basics', 'sr-Latn': 'Osnove VI' } };
const at = new Date('2026-03-01T10:00:00Z');
const enrolmentId = '7d1f3c2a-4b5e-4f60-8a71-92b3c4d5e6f7';
const userId = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

describe('native xAPI statements', () => {
  beforeAll(() => loadStatementValidator());

  it('computes RFC 9562 UUID v5 (the DNS namespace example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives a fact the same id every time and different facts different ids', () => {
    const a = build.registered({ enrolmentId, userId, course, at });
    const b = build.registered({ enrolmentId, userId, course, at: new Date() });
    expect(a.id).toBe(b.id);
    expect(build.courseCompleted({ enrolmentId, userId, course, at }).id).not.toBe(a.id);
  });

  it('a lesson view has one id per enrolment, lesson and day, whatever the time of the view', () => {
    const view = (day: string, when: Date) => build.lessonViewed({ enrolmentId, userId, course, lessonId: 'x', lessonSlug: 'intro', lessonTitle: { en: 'Intro' }, day, at: when });
    const first = view('2026-03-01', at);
    expect(view('2026-03-01', new Date('2026-03-01T18:00:00Z')).id).toBe(first.id);
    expect(view('2026-03-02', at).id).not.toBe(first.id);
    expect(first.verb).toEqual(VERBS.viewed);
    expect((first.object as { id: string }).id).toBe('https://lms.example.gov/courses/ai-basics/lessons/intro');
  });

  it('names the person as an account of this server, never by e-mail', () => {
    const s = build.registered({ enrolmentId, userId, course, at });
    expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://lms.example.gov', name: userId } });
    expect(JSON.stringify(s)).not.toMatch(/mbox|mailto/);
  });

  it('writes valid xAPI 1.0.3 for every kind of fact', () => {
    const all = [
      build.registered({ enrolmentId, userId, course, at }),
      build.lessonCompleted({ enrolmentId, userId, course, lessonId: 'x', lessonSlug: 'intro', lessonTitle: { en: 'Intro' }, at }),
      build.lessonViewed({ enrolmentId, userId, course, lessonId: 'x', lessonSlug: 'intro', lessonTitle: { en: 'Intro' }, day: '2026-03-01', at }),
      ...build.quizAttempt({ attemptId: 'a1', attemptNo: 1, enrolmentId, userId, course, score: 67, passed: false, at }),
      build.courseCompleted({ enrolmentId, userId, course, at }),
      build.certificateIssued({ certificateId: 'c5b1e0a2-1111-4222-8333-944455556666', enrolmentId, userId, course, at }),
      build.eventAttended({ registrationId: 'r1', userId, eventId: 'e2c1d0b9-1111-4222-8333-944455556666', eventTitle: 'Workshop', language: 'sr-Latn', course, at }),
      build.eventAttended({ registrationId: 'r2', userId, eventId: 'e2c1d0b9-1111-4222-8333-944455556666', eventTitle: '', language: '', course: null, at }),
    ];
    for (const s of all) expect(statementProblems(s, 'statement')).toEqual([]);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
  });

  it('reports a quiz attempt as attempted, then passed or failed with the score', () => {
    const [attempted, failed] = build.quizAttempt({ attemptId: 'a1', attemptNo: 2, enrolmentId, userId, course, score: 67, passed: false, at });
    expect(attempted.verb).toEqual(VERBS.attempted);
    expect(failed.verb).toEqual(VERBS.failed);
    expect(failed.result).toEqual({ score: { scaled: 0.67, raw: 67, min: 0, max: 100 }, success: false, completion: true });
    const [, passed] = build.quizAttempt({ attemptId: 'a2', attemptNo: 3, enrolmentId, userId, course, score: 100, passed: true, at });
    expect(passed.verb).toEqual(VERBS.passed);
  });

  it('uses the cmi5 course activity type and moveOn category for a course completion, the enrolment as registration', () => {
    const s = build.courseCompleted({ enrolmentId, userId, course, at });
    expect((s.object as { definition: { type: string } }).definition.type).toBe('https://w3id.org/xapi/cmi5/activitytype/course');
    expect((s.context as { registration: string }).registration).toBe(enrolmentId);
    expect(JSON.stringify(s.context)).toContain('https://w3id.org/xapi/cmi5/context/categories/moveon');
  });
});
