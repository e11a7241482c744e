import { randomUUID } from 'node:crypto';
import { uniq } from '@lms/testing';
import { FileStorage } from '@lms/storage';
import { aCoursePackage, Caller, MATRIX_QUESTIONNAIRE, OwnedObjects, World, WORLD_PASSWORD } from './world.js';

/**
 * THE ACCESS MATRIX: every route the app serves (Nest's route walk and the OpenAPI document) ×
 * caller × ownership → the expected HTTP status. `access-matrix.e2e-spec.ts` fails when a route
 * is missing here, when a row names a route that no longer exists, and when any cell differs.
 *
 * Adding a route: add a row keyed `'<METHOD> <full path with :params>'` (the test's failure
 * message prints the missing keys). A row says how to call the route for a caller:
 *  - `params`, `query`, `body` are functions of the cell (`c.w` is the seeded world, `c.owner`
 *    the objects of the person the call is about, `c.caller` who calls); `type` is the body kind.
 *  - `owned: true` runs every caller twice: on their OWN object (`c.owner` = the caller's) and on
 *    ANOTHER person's (`c.owner` = `peer`, a learner of unit A who reports to `manager` and is
 *    in `hrIn`'s scope). The expectation is then `[own, other]`, or one number for both.
 *  - `fresh: true` signs the caller in afresh for each cell (routes that end the session).
 *  - `showsPeer: true` exempts a row from the leak check (public data by design).
 *  - `check` looks past the status (a 200 that must not contain another unit, a redirect that
 *    must not have changed another person's data).
 * Callers: anon (no token), learner (unit A, reports to manager), author (school A, which owns
 * the world's course), authorOther (school B), hrIn (HR of institution A), hrOut (HR of
 * institution B), manager (no role; two direct reports), admin. Anonymous callers act on peer.
 * Pages are called with the bearer token (no CSRF for bearer callers) and accept text/html.
 * Run with MATRIX_DISCOVER=1 to print what the app answers today (review before you paste!).
 */
export type Status = number | [own: number, other: number];
export type Expectation = Partial<Record<Caller, Status>>;

export interface Cell {
  w: World;
  caller: Caller;
  /** The objects the call is about (the caller's own, or peer's). */
  owner: OwnedObjects;
  own: boolean;
  /** The path parameters once `params` has run (for `body`, `query` and `check`). */
  params: Record<string, string>;
}

/** What a cell answered, for a row's own `check`. */
export interface Answer {
  status: number;
  text: string;
  body: unknown;
}

export interface MatrixRow {
  params?: (c: Cell) => Record<string, string> | Promise<Record<string, string>>;
  query?: (c: Cell) => Record<string, string>;
  body?: (c: Cell) => unknown;
  type?: 'json' | 'form' | 'csv';
  owned?: boolean;
  fresh?: boolean;
  showsPeer?: boolean;
  /** Beyond the status: a finding when the answer is wrong in substance (e.g. data out of scope), else null. */
  check?: (c: Cell, answer: Answer) => string | null | Promise<string | null>;
  expect: Expectation;
}

const NO_SUCH = '00000000-0000-4000-8000-000000000000';
/** Every signed-in caller answers `status`, anon answers `anon`. */
const signedIn = (status: number, anon = 401): Expectation => ({
  anon,
  learner: status,
  author: status,
  authorOther: status,
  hrIn: status,
  hrOut: status,
  manager: status,
  admin: status,
});
/** Everybody, anon included, answers `status` (public routes). */
const everybody = (status: number): Expectation => signedIn(status, status);
/** Only admin gets past the guard (and answers `status`). */
const adminOnly = (status: Status): Expectation => ({ ...signedIn(403), admin: status });
/** A route of organisers (@Access('admin', 'hr', 'author')): learner and manager stop at the guard. */
const organisers = (status: number): Expectation => ({ ...signedIn(status), learner: 403, manager: 403 });
/** A follow-up group of w.event with peer (its only participant) as active member and one milestone; fresh per cell. */
async function peerGroup(c: Cell): Promise<{ id: string; milestoneId: string }> {
  const ds = c.w.api.dataSource;
  const peer = c.w.people.peer.user.id;
  const [g] = (await ds.query(`INSERT INTO event_followup_group (event_id, created_by, title, action) VALUES ($1, $2, 'Matrix group', 'Matrix joint action') RETURNING id`, [c.w.event, peer])) as Array<{ id: string }>;
  await ds.query(`INSERT INTO event_followup_member (group_id, user_id, status, joined_at) VALUES ($1, $2, 'active', now())`, [g.id, peer]);
  const [m] = (await ds.query(`INSERT INTO event_followup_milestone (group_id, title, due_on, created_by) VALUES ($1, 'Matrix milestone', current_date + 30, $2) RETURNING id`, [g.id, peer])) as Array<{ id: string }>;
  return { id: g.id, milestoneId: m.id };
}
/** Routes of a follow-up group: only its members (peer) and the event's organisers (hrIn, admin) see it; everybody else 404. */
const groupSeen = (organiser: number): Expectation => ({ ...signedIn(404), hrIn: organiser, admin: organiser });
const inOneHour = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString();
const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const wrongAnswers = {
  answers: [
    { questionId: 'q1', choiceIds: ['a'] },
    { questionId: 'q2', choiceIds: ['b'] },
  ],
};

export const MATRIX: Record<string, MatrixRow> = {
  // ── auth ────────────────────────────────────────────────────────────────────────────────────
  'POST /api/v1/auth/login': {
    body: (c) =>
      c.caller === 'anon'
        ? { email: `${uniq('nobody')}@x.test`, password: 'not-the-password-1' }
        : { email: c.owner.user.email, password: WORLD_PASSWORD },
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /api/v1/auth/refresh': {
    body: () => ({ refreshToken: 'not-a-refresh-token-at-all-0123456789' }),
    expect: { anon: 401, learner: 401, author: 401, authorOther: 401, hrIn: 401, hrOut: 401, manager: 401, admin: 401 },
  },
  'POST /api/v1/auth/logout': {
    fresh: true,
    expect: { anon: 401, learner: 204, author: 204, authorOther: 204, hrIn: 204, hrOut: 204, manager: 204, admin: 204 },
  },
  // ── me ──────────────────────────────────────────────────────────────────────────────────────
  'GET /api/v1/me': { expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'PATCH /api/v1/me': {
    body: () => ({ timeZone: 'Europe/Belgrade' }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /api/v1/me/password': {
    fresh: true,
    body: () => ({ currentPassword: 'wrong-password-for-the-matrix', newPassword: 'another-long-pass-phrase-42' }),
    expect: { anon: 401, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 },
  },
  'POST /api/v1/me/sync': {
    owned: true,
    body: (c) => ({
      actions: [{ key: randomUUID(), type: 'lesson.complete', enrolmentId: c.owner.enrolment, version: 1, lessonSlug: 'l1' }],
    }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/me/enrolments': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/me/certificates': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/me/competencies': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/me/notifications': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /api/v1/me/notifications/read-all': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /api/v1/me/notifications/:id/read': {
    owned: true,
    params: (c) => ({ id: c.owner.notification }),
    expect: {
      anon: 401,
      learner: [200, 404],
      author: [200, 404],
      authorOther: [200, 404],
      hrIn: [200, 404],
      hrOut: [200, 404],
      manager: [200, 404],
      admin: [200, 404],
    },
  },
  'GET /api/v1/me/notification-preferences': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'PUT /api/v1/me/notification-preferences': {
    body: () => ({ email: true, digest: 'immediate' }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  // ── org units and people ────────────────────────────────────────────────────────────────────
  'POST /api/v1/org-units': {
    body: (c) => ({ code: uniq('MX').toUpperCase(), name: 'Matrix unit', kind: 'department', parentId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 201, hrOut: 403, manager: 403, admin: 201 },
  },
  'GET /api/v1/org-units': {
    query: () => ({ q: 'Department' }),
    check: (c, a) => (c.caller === 'hrOut' && a.text.includes(c.w.unitA.id) ? 'lists unit A' : null),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 },
  },
  'GET /api/v1/org-units/:id': {
    params: (c) => ({ id: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'PATCH /api/v1/org-units/:id': {
    params: (c) => ({ id: c.w.unitA.id }),
    body: () => ({ name: 'Department A' }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/users': {
    body: (c) => ({ email: `${uniq('new')}@test.lms`, displayName: 'New Person', orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 201, hrOut: 403, manager: 403, admin: 201 },
  },
  'POST /api/v1/users/import': {
    type: 'csv',
    body: (c) => `email,displayName,orgUnitCode\n${uniq('csv')}@test.lms,Csv Person,${c.w.unitA.code}\n`,
    check: (c, a) => {
      const r = a.body as { created?: number; errors?: unknown[] };
      return c.caller === 'hrOut' && (r.created !== 0 || r.errors?.length !== 1) ? `created a person in unit A: ${a.text}` : null;
    },
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 },
  },
  'GET /api/v1/users': {
    query: (c) => ({ orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/users/:id': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'PATCH /api/v1/users/:id': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    body: (c) => ({ displayName: c.owner.user.displayName }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: [200, 403], manager: 403, admin: 200 },
  },
  'GET /api/v1/audit': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // ── catalog and authoring ───────────────────────────────────────────────────────────────────
  'GET /api/v1/courses': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /api/v1/courses': {
    body: (c) => aCoursePackage(uniq('pkg').toLowerCase(), c.w.schoolA.code),
    expect: { anon: 401, learner: 403, author: 201, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 201 },
  },
  'GET /api/v1/courses/:slug': {
    params: (c) => ({ slug: c.w.course.slug }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/courses/:slug/lessons/:lessonSlug': {
    params: (c) => ({ slug: c.w.course.slug, lessonSlug: 'l1' }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/courses/:slug/draft': {
    params: async (c) => ({ slug: await c.w.newDraftCourse(c.w.schoolA) }),
    expect: { anon: 401, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  'PUT /api/v1/courses/:slug/draft': {
    params: async (c) => ({ slug: await c.w.newDraftCourse(c.w.schoolA) }),
    body: (c) => aCoursePackage(c.params.slug, c.w.schoolA.code),
    expect: { anon: 401, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // A zip of a courses/<slug>/ folder; with no zip body every author gets the problem list (422). School ownership: test/web/course-upload.
  'POST /api/v1/courses/upload': { body: () => ({}), expect: { anon: 401, learner: 403, author: 422, authorOther: 422, hrIn: 403, hrOut: 403, manager: 403, admin: 422 } },
  'POST /api/v1/courses/:slug/publish': {
    params: async (c) => ({ slug: await c.w.newDraftCourse(c.w.schoolA) }),
    expect: { anon: 401, learner: 403, author: 201, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 201 },
  },
  // ── learning ────────────────────────────────────────────────────────────────────────────────
  'POST /api/v1/enrolments': {
    body: (c) => ({ courseSlug: c.w.courseB.slug }),
    expect: { anon: 401, learner: 201, author: 201, authorOther: 201, hrIn: 201, hrOut: 201, manager: 201, admin: 201 },
  },
  'GET /api/v1/enrolments/:id': {
    owned: true,
    params: (c) => ({ id: c.owner.enrolment }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'POST /api/v1/enrolments/:id/lessons/:lessonSlug/complete': {
    owned: true,
    params: (c) => ({ id: c.owner.enrolment, lessonSlug: 'l1' }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: [200, 403],
      hrOut: [200, 403],
      manager: [200, 403],
      admin: [200, 403],
    },
  },
  'GET /api/v1/enrolments/:id/quiz': {
    owned: true,
    params: (c) => ({ id: c.owner.enrolment }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: [200, 403],
      hrOut: [200, 403],
      manager: [200, 403],
      admin: [200, 403],
    },
  },
  'POST /api/v1/enrolments/:id/quiz-attempts': {
    owned: true,
    params: (c) => ({ id: c.owner.enrolment }),
    body: () => wrongAnswers,
    expect: {
      anon: 401,
      learner: [201, 403],
      author: [201, 403],
      authorOther: [201, 403],
      hrIn: [201, 403],
      hrOut: [201, 403],
      manager: [201, 403],
      admin: [201, 403],
    },
  },
  'POST /api/v1/enrolments/:id/withdraw': {
    owned: true,
    params: async (c) => ({ id: await c.w.newEnrolment(c.own && c.caller !== 'anon' ? c.caller : 'peer') }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: [200, 403], manager: 403, admin: 200 },
  },
  'POST /api/v1/assignments': {
    body: (c) => ({ courseSlug: c.w.course.slug, target: { userIds: [c.w.people.peer.user.id] }, dueInDays: 30 }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 201, hrOut: 403, manager: 403, admin: 201 },
  },
  'GET /api/v1/assignments/:id': {
    params: (c) => ({ id: c.w.assignment }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  // ── competencies ────────────────────────────────────────────────────────────────────────────
  'GET /api/v1/competency-frameworks': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/competency-frameworks/:key': {
    params: () => ({ key: 'dacps' }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/users/:id/competencies': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'POST /api/v1/users/:id/competencies/evidence': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    body: () => ({ competencyCode: 'DAT.2', level: 1, note: 'Observed at work (matrix)' }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: [403, 201], hrOut: 403, manager: 403, admin: [403, 201] },
  },
  'GET /api/v1/users/:id/gaps': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'GET /api/v1/org-units/:id/gaps': {
    params: (c) => ({ id: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/org-units/:id/gaps/assign': {
    params: (c) => ({ id: c.w.unitA.id }),
    body: () => ({ dueInDays: 30 }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/job-roles': {
    body: () => ({ code: uniq('JR').toUpperCase(), title: 'Matrix role', requirements: [{ competencyCode: 'DAT.2', level: 1 }] }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 201 },
  },
  'GET /api/v1/job-roles': {
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/job-roles/:code': {
    params: (c) => ({ code: c.w.jobRole }),
    expect: { anon: 401, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'PUT /api/v1/job-roles/:code': {
    params: (c) => ({ code: c.w.jobRole }),
    body: () => ({ title: 'Analyst', requirements: [{ competencyCode: 'DAT.2', level: 2 }] }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // ── certificates ────────────────────────────────────────────────────────────────────────────
  'GET /api/v1/certificates/:id': {
    owned: true,
    params: (c) => ({ id: c.owner.certificate }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'GET /api/v1/certificates/:id/pdf': {
    owned: true,
    params: (c) => ({ id: c.owner.certificate }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'GET /api/v1/certificates/:id/credential': {
    owned: true,
    params: (c) => ({ id: c.owner.certificate }),
    expect: {
      anon: 401,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'POST /api/v1/certificates/:id/revoke': {
    owned: true,
    params: async (c) => ({ id: c.caller === 'admin' ? await c.w.newCertificate(c.own ? 'admin' : 'peer') : c.owner.certificate }),
    body: () => ({ reason: 'Issued in error (matrix)' }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/verify/:code': {
    showsPeer: true,
    params: (c) => ({ code: c.w.people.learner.verificationCode }),
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/credentials/status/:list': {
    params: () => ({ list: '1' }),
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/credentials/issuers/:id': {
    params: (c) => ({ id: c.w.schoolA.id }),
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /.well-known/jwks.json': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  // ── federation between instances (docs/hub.md) ────────────────────────────────────────────
  // The feed and packages are public by design: public courses and public keys, no people.
  'GET /federation/catalog': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /federation/courses/:slug/versions/:version/package': {
    params: (c) => ({ slug: c.w.course.slug, version: '1' }),
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /api/v1/federation/peers': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // No peers are configured in the matrix world: authors and admins get 404 untrusted_peer.
  'GET /api/v1/federation/peers/catalog': {
    query: () => ({ url: 'https://peer.example' }),
    expect: { anon: 401, learner: 403, author: 404, authorOther: 404, hrIn: 403, hrOut: 403, manager: 403, admin: 404 },
  },
  // No peers are configured in the matrix world: authors and admins get 404 untrusted_peer.
  'POST /api/v1/federation/imports': {
    body: (c) => ({ peer: 'https://peer.example', slug: c.w.course.slug, school: 'X' }),
    expect: { anon: 401, learner: 403, author: 404, authorOther: 404, hrIn: 403, hrOut: 403, manager: 403, admin: 404 },
  },
  // Every signed-in person may submit a credential; a malformed one is a 400 for all.
  'POST /api/v1/me/recognitions': {
    body: () => ({ credential: 'a.b.c' }),
    expect: { anon: 401, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 },
  },
  'GET /api/v1/admin/credential-keys': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/admin/credential-keys/rotate': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // ── notifications and jobs (admin) ──────────────────────────────────────────────────────────
  'GET /api/v1/admin/notifications/failed': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/admin/notifications/failed/:id/retry': {
    owned: true,
    params: (c) => ({ id: c.owner.failedEmail }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 202 },
  },
  'GET /api/v1/admin/jobs/failed': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  'POST /api/v1/admin/jobs/probes': {
    body: () => ({ holdMs: 0 }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 202 },
  },
  'GET /api/v1/admin/jobs/probes/:id': {
    params: () => ({ id: NO_SUCH }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 },
  },
  'POST /api/v1/admin/jobs/dashboard-session': {
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 204 },
  },
  'POST /api/v1/admin/jobs/:name/run': {
    params: () => ({ name: 'reminder-sweep' }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 202 },
  },
  // ── reports and open data ───────────────────────────────────────────────────────────────────
  'GET /api/v1/reports/completion': {
    query: (c) => ({ orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/reports/overdue': {
    query: (c) => ({ orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/reports/results': {
    query: (c) => ({ orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/reports/competency-coverage': {
    query: (c) => ({ orgUnitId: c.w.unitA.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 },
  },
  'GET /api/v1/open-data/completion': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  // ── federated sign-in (OIDC, SAML): no identity provider is configured in the test app, so
  //    these rows can only call an unknown provider key (404 for everybody; the routes are public) ──
  'GET /auth/oidc/:provider/login': { params: () => ({ provider: 'no-such-idp' }), expect: everybody(404) },
  'GET /auth/oidc/:provider/callback': {
    params: () => ({ provider: 'no-such-idp' }),
    query: () => ({ state: 'not-a-state-0123456789', code: 'not-a-code' }),
    expect: everybody(404),
  },
  'GET /auth/saml/:provider/metadata': { params: () => ({ provider: 'no-such-idp' }), expect: everybody(404) },
  'GET /auth/saml/:provider/login': { params: () => ({ provider: 'no-such-idp' }), expect: everybody(404) },
  'POST /auth/saml/:provider/acs': {
    // The IdP posts here cross-site: no CSRF token; an unknown provider is 404.
    type: 'form',
    params: () => ({ provider: 'no-such-idp' }),
    body: () => ({ SAMLResponse: Buffer.from('<samlp:Response/>').toString('base64'), RelayState: 'x' }),
    expect: everybody(404),
  },
  // ── invitations, password reset, MFA (public API steps: a made-up link or MFA token) ────────
  'POST /api/v1/auth/password-reset': {
    // The same 202 for a known and an unknown address (no account enumeration).
    body: () => ({ email: `${uniq('nobody')}@x.test` }),
    expect: everybody(202),
  },
  'POST /api/v1/auth/password-reset/confirm': {
    body: () => ({ token: 'not-a-reset-link-0123456789abcdef', password: 'another-long-pass-phrase-42' }),
    expect: everybody(400),
  },
  'POST /api/v1/auth/invitations/accept': {
    body: () => ({ token: 'not-an-invitation-0123456789abcdef', password: 'another-long-pass-phrase-42' }),
    expect: everybody(400),
  },
  'POST /api/v1/auth/mfa': {
    body: () => ({ mfaToken: 'not-an-mfa-token-0123456789abcdef', code: '123456' }),
    expect: everybody(401),
  },
  'POST /api/v1/auth/mfa/enrol': {
    body: () => ({ mfaToken: 'not-an-mfa-token-0123456789abcdef' }),
    expect: everybody(401),
  },
  'POST /api/v1/auth/mfa/enrol/verify': {
    body: () => ({ mfaToken: 'not-an-mfa-token-0123456789abcdef', code: '123456' }),
    expect: everybody(401),
  },
  'GET /api/v1/me/mfa': { expect: signedIn(200) },
  'POST /api/v1/me/mfa/totp': { expect: signedIn(201) },
  'POST /api/v1/me/mfa/totp/verify': { body: () => ({ code: '000000' }), expect: signedIn(400) },
  'DELETE /api/v1/me/mfa/totp': {
    // Nobody in the world has a second factor: 409 (not enrolled) once past the guard.
    body: () => ({ code: '000000' }),
    expect: signedIn(409),
  },
  'POST /api/v1/users/:id/invitations': {
    // Everybody in the world has a password: in scope (HR includes themselves) the answer is 409
    // (no invitation needed); out of scope 403.
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 409, hrOut: [409, 403], manager: 403, admin: 409 },
  },
  'DELETE /api/v1/users/:id/mfa': {
    // Nobody has MFA: 409 (not enrolled) for peer once in scope; one's own factor never goes by
    // this route (409 mfa_reset_self); out of scope 403.
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 409, hrOut: [409, 403], manager: 403, admin: 409 },
  },
  // account pages: public; every POST is a form and needs the page's CSRF token (403 without)
  // A made-up link: the page saying the link does not work, with 400.
  'GET /invitations/:token': { params: () => ({ token: 'not-an-invitation-0123456789abcdef' }), expect: everybody(400) },
  'POST /invitations/:token': {
    type: 'form',
    params: () => ({ token: 'not-an-invitation-0123456789abcdef' }),
    body: () => ({ password: 'another-long-pass-phrase-42', _csrf: 'x' }),
    expect: everybody(403),
  },
  'GET /password-reset': { expect: everybody(200) },
  'POST /password-reset': {
    type: 'form',
    body: () => ({ email: `${uniq('nobody')}@x.test`, _csrf: 'x' }),
    expect: everybody(403),
  },
  'GET /password-reset/:token': { params: () => ({ token: 'not-a-reset-link-0123456789abcdef' }), expect: everybody(400) },
  'POST /password-reset/:token': {
    type: 'form',
    params: () => ({ token: 'not-a-reset-link-0123456789abcdef' }),
    body: () => ({ password: 'another-long-pass-phrase-42', _csrf: 'x' }),
    expect: everybody(403),
  },
  'POST /sign-in/mfa': {
    type: 'form',
    body: () => ({ mfaToken: 'not-an-mfa-token-0123456789abcdef', code: '123456', _csrf: 'x' }),
    expect: everybody(403),
  },
  'POST /sign-in/mfa/enrol': {
    type: 'form',
    body: () => ({ mfaToken: 'not-an-mfa-token-0123456789abcdef', code: '123456', _csrf: 'x' }),
    expect: everybody(403),
  },
  // ── SCIM: clients (admin) and the protocol (a SCIM client token, never a person's JWT) ───────
  'POST /api/v1/admin/scim-clients': {
    body: (c) => ({ name: uniq('Matrix HR system'), scopeOrgUnitId: c.w.instA.id }),
    expect: adminOnly(201),
  },
  'GET /api/v1/admin/scim-clients': { expect: adminOnly(200) },
  // unknown id: 404 for admin
  'DELETE /api/v1/admin/scim-clients/:id': { params: () => ({ id: NO_SUCH }), expect: adminOnly(404) },
  'GET /scim/v2/ServiceProviderConfig': { expect: everybody(200) },
  'GET /scim/v2/Schemas': { expect: everybody(200) },
  'GET /scim/v2/Schemas/:id': { params: () => ({ id: SCIM_USER_SCHEMA }), expect: everybody(200) },
  'GET /scim/v2/ResourceTypes': { expect: everybody(200) },
  'GET /scim/v2/ResourceTypes/:id': { params: () => ({ id: 'User' }), expect: everybody(200) },
  // The resource routes take only a SCIM client's token: a person's bearer JWT is no credential there (401).
  'GET /scim/v2/Users': { expect: everybody(401) },
  'POST /scim/v2/Users': {
    body: () => ({ schemas: [SCIM_USER_SCHEMA], userName: `${uniq('scim')}@test.lms`, name: { formatted: 'Scim Person' } }),
    expect: everybody(401),
  },
  'GET /scim/v2/Users/:id': { params: (c) => ({ id: c.owner.user.id }), expect: everybody(401) },
  'PUT /scim/v2/Users/:id': {
    params: (c) => ({ id: c.owner.user.id }),
    body: (c) => ({ schemas: [SCIM_USER_SCHEMA], userName: c.owner.user.email, active: false }),
    expect: everybody(401),
  },
  'PATCH /scim/v2/Users/:id': {
    params: (c) => ({ id: c.owner.user.id }),
    body: () => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    }),
    expect: everybody(401),
  },
  'DELETE /scim/v2/Users/:id': { params: (c) => ({ id: c.owner.user.id }), expect: everybody(401) },
  'GET /scim/v2/Groups': { expect: everybody(401) },
  'POST /scim/v2/Groups': {
    body: () => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Matrix group' }),
    expect: everybody(401),
  },
  'GET /scim/v2/Groups/:id': { params: (c) => ({ id: c.w.unitA.id }), expect: everybody(401) },
  'PUT /scim/v2/Groups/:id': {
    params: (c) => ({ id: c.w.unitA.id }),
    body: () => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Renamed' }),
    expect: everybody(401),
  },
  'PATCH /scim/v2/Groups/:id': {
    params: (c) => ({ id: c.w.unitA.id }),
    body: () => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }],
    }),
    expect: everybody(401),
  },
  'DELETE /scim/v2/Groups/:id': { params: (c) => ({ id: c.w.unitA.id }), expect: everybody(401) },
  // ── privacy ─────────────────────────────────────────────────────────────────────────────────
  'GET /api/v1/me/data-export': { expect: signedIn(200) },
  'GET /api/v1/users/:id/data-export': {
    owned: true,
    params: (c) => ({ id: c.owner.user.id }),
    expect: adminOnly(200),
  },
  'POST /api/v1/users/:id/erasure': {
    // Admin erases a new person (never peer, whom the other cells need); nobody erases themselves (403).
    owned: true,
    params: async (c) => ({ id: c.caller === 'admin' && !c.own ? (await c.w.newPerson()).id : c.owner.user.id }),
    body: () => ({ reason: 'Request of the person (matrix)' }),
    expect: adminOnly([403, 200]),
  },
  // ── XLIFF and languages (authors of the course's school, admin) ─────────────────────────────
  'GET /api/v1/courses/:slug/versions/:version/xliff': {
    params: (c) => ({ slug: c.w.course.slug, version: '1' }),
    query: () => ({ target: 'sr-Latn' }),
    expect: { ...signedIn(403), author: 200, admin: 200 },
  },
  'POST /api/v1/courses/:slug/xliff': {
    // No XLIFF file: an owner of the course gets the 400 of the import, anybody else stops at 403.
    params: (c) => ({ slug: c.w.course.slug }),
    body: () => ({}),
    expect: { ...signedIn(403), author: 400, admin: 400 },
  },
  'GET /api/v1/courses/:slug/languages': {
    params: (c) => ({ slug: c.w.course.slug }),
    expect: { ...signedIn(403), author: 200, admin: 200 },
  },
  // ── events: `w.event` is a workshop of unit A (organisers: hrIn, admin; no trainers); `w.registration` is
  //    peer's booking for it. Rows that would change it for the other cells (cancel) or need a registration
  //    or a session id call unknown ids: 404 past the guard, 403 before it ─────
  'POST /api/v1/events': {
    // Organising for unit A: HR of institution A and admin; author's scope is school A only.
    body: (c) => ({
      title: 'Matrix workshop',
      capacity: 10,
      ownerOrgUnitId: c.w.unitA.id,
      sessions: [
        { startsAt: inOneHour(24 * 30), endsAt: inOneHour(24 * 30 + 2), timeZone: 'Europe/Belgrade', venueAddress: 'Matrix hall 1' },
      ],
    }),
    expect: { ...signedIn(403), hrIn: 201, admin: 201 },
  },
  'GET /api/v1/events': { expect: signedIn(200) },
  'GET /api/v1/events/:id': { params: (c) => ({ id: c.w.event }), expect: signedIn(200) },
  'PATCH /api/v1/events/:id': {
    params: (c) => ({ id: c.w.event }),
    body: () => ({ title: 'Matrix workshop' }),
    expect: { ...signedIn(403), hrIn: 200, admin: 200 },
  },
  'POST /api/v1/events/:id/cancel': {
    params: () => ({ id: NO_SUCH }),
    body: () => ({ reason: 'Trainer ill (matrix)' }),
    expect: organisers(404),
  },
  'POST /api/v1/events/:id/sessions': {
    params: (c) => ({ id: c.w.event }),
    body: () => ({
      startsAt: inOneHour(24 * 31),
      endsAt: inOneHour(24 * 31 + 2),
      timeZone: 'Europe/Belgrade',
      venueAddress: 'Matrix hall 1',
    }),
    expect: { ...signedIn(403), hrIn: 201, admin: 201 },
  },
  'PATCH /api/v1/events/:id/sessions/:sessionId': {
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({ venueName: 'Hall 3' }),
    expect: { ...signedIn(403), hrIn: 404, admin: 404 },
  },
  'POST /api/v1/events/:id/sessions/:sessionId/cancel': {
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    expect: { ...signedIn(403), hrIn: 404, admin: 404 },
  },
  'POST /api/v1/events/:id/registrations': {
    // Booking peer is for organisers and HR in scope; peer is booked already, so they get the
    // existing booking back (200). Callers never book themselves here: a booking would make them
    // participants and change the commitment and evaluation cells below.
    params: (c) => ({ id: c.w.event }),
    body: (c) => ({ userId: c.w.people.peer.user.id }),
    expect: { ...signedIn(403), hrIn: 200, admin: 200 },
  },
  'GET /api/v1/events/:id/registrations': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  'GET /api/v1/events/:id/sessions/:sessionId/attendance': {
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    expect: { ...signedIn(403), hrIn: 404, admin: 404 },
  },
  'PUT /api/v1/events/:id/sessions/:sessionId/attendance': {
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({ marks: [{ registrationId: NO_SUCH, status: 'present' }] }),
    expect: { ...signedIn(403), hrIn: 404, admin: 404 },
  },
  'POST /api/v1/events/:id/sessions/:sessionId/check-in': {
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({ token: 'not-a-check-in-token-0123456789' }),
    expect: { ...signedIn(403), hrIn: 404, admin: 404 },
  },
  'GET /api/v1/events/:id/attendance': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  'PUT /api/v1/events/:id/questionnaire': {
    params: (c) => ({ id: c.w.event }),
    body: () => MATRIX_QUESTIONNAIRE,
    expect: { ...signedIn(403), hrIn: 200, admin: 200 },
  },
  'GET /api/v1/events/:id/questionnaire': { params: (c) => ({ id: c.w.event }), expect: signedIn(200) },
  // Only participants answer: nobody took part in w.event (403 for everybody).
  'POST /api/v1/events/:id/evaluations': {
    params: (c) => ({ id: c.w.event }),
    body: () => ({ answers: { q1: 4 } }),
    expect: signedIn(403),
  },
  'GET /api/v1/events/:id/evaluation-results': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  // Only participants record commitments: nobody took part in w.event (403 for everybody).
  'POST /api/v1/events/:id/commitments': {
    params: (c) => ({ id: c.w.event }),
    body: () => ({ action: 'Apply the checklist in my unit', dueOn: inOneHour(24 * 90).slice(0, 10) }),
    expect: signedIn(403),
  },
  'GET /api/v1/events/:id/commitments/summary': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  'GET /api/v1/events/:id/reports/attendance': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  'GET /api/v1/events/:id/sign-up-sheet': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  // peer's registration: the person, HR in scope and the organisers (admin, hrIn) see it
  'GET /api/v1/event-registrations/:id': {
    params: (c) => ({ id: c.w.registration }),
    expect: { ...signedIn(403), hrIn: 200, admin: 200 },
  },
  'GET /api/v1/event-registrations/:id/attendance-certificate': {
    // Allowed callers reach the attendance rule, which peer has not met (409).
    params: (c) => ({ id: c.w.registration }),
    expect: { ...signedIn(403), hrIn: 409, admin: 409 },
  },
  // The check-in code is the person's own, never anybody else's.
  'GET /api/v1/event-registrations/:id/check-in': { params: (c) => ({ id: c.w.registration }), expect: signedIn(403) },
  // changing a registration, approvals (none pending in the world), commitments (none): unknown ids
  'POST /api/v1/event-registrations/:id/cancel': { params: () => ({ id: NO_SUCH }), body: () => ({}), expect: signedIn(404) },
  'POST /api/v1/event-registrations/:id/confirm': { params: () => ({ id: NO_SUCH }), expect: signedIn(404) },
  'POST /api/v1/approvals/:id/approve': { params: () => ({ id: NO_SUCH }), body: () => ({}), expect: signedIn(404) },
  'POST /api/v1/approvals/:id/decline': { params: () => ({ id: NO_SUCH }), body: () => ({}), expect: signedIn(404) },
  'GET /api/v1/commitments/:id': { params: () => ({ id: NO_SUCH }), expect: signedIn(404) },
  'POST /api/v1/commitments/:id/updates': {
    params: () => ({ id: NO_SUCH }),
    body: () => ({ note: 'Half done (matrix)', status: 'open' }),
    expect: signedIn(404),
  },
  // Follow-up groups (docs/hub.md, item 6). Only participants (peer) and organisers (hrIn, admin) start one.
  'POST /api/v1/events/:id/follow-up-groups': {
    params: (c) => ({ id: c.w.event }),
    body: () => ({ title: 'Matrix follow-up', action: 'Apply the checklist together' }),
    expect: { ...signedIn(403), hrIn: 201, admin: 201 },
  },
  'GET /api/v1/events/:id/follow-up-groups': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403), hrIn: 200, admin: 200 } },
  'GET /api/v1/me/follow-up-groups': { expect: signedIn(200) },
  // peer's group: organisers read it and invite, only members act; nobody else learns it exists (404)
  'GET /api/v1/follow-up-groups/:id': { params: async (c) => ({ id: (await peerGroup(c)).id }), expect: groupSeen(200) },
  'POST /api/v1/follow-up-groups/:id/invitations': {
    params: async (c) => ({ id: (await peerGroup(c)).id }),
    body: (c) => ({ userIds: [c.w.people.peer.user.id] }),
    expect: groupSeen(200),
  },
  'POST /api/v1/follow-up-groups/:id/accept': { params: async (c) => ({ id: (await peerGroup(c)).id }), expect: groupSeen(409) },
  'POST /api/v1/follow-up-groups/:id/decline': { params: async (c) => ({ id: (await peerGroup(c)).id }), expect: groupSeen(409) },
  'POST /api/v1/follow-up-groups/:id/milestones': {
    params: async (c) => ({ id: (await peerGroup(c)).id }),
    body: () => ({ title: 'Matrix step', dueOn: inOneHour(24 * 60).slice(0, 10) }),
    expect: groupSeen(201),
  },
  'PUT /api/v1/follow-up-groups/:id/milestones/:milestoneId': {
    params: async (c) => {
      const g = await peerGroup(c);
      return { id: g.id, milestoneId: g.milestoneId };
    },
    body: () => ({ done: true }),
    expect: groupSeen(403),
  },
  'PUT /api/v1/follow-up-groups/:id/status': { params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({ status: 'kept' }), expect: groupSeen(403) },
  'GET /api/v1/follow-up-groups/:id/posts': { params: async (c) => ({ id: (await peerGroup(c)).id }), expect: groupSeen(200) },
  'POST /api/v1/follow-up-groups/:id/posts': { params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({ body: 'Matrix update' }), expect: groupSeen(403) },
  // The hub's aggregate of kept joint commitments: public, no person in it.
  'GET /api/v1/open-data/joint-commitments': { expect: everybody(200) },
  // one's own lists and calendar feed
  'GET /api/v1/me/event-registrations': { expect: signedIn(200) },
  'GET /api/v1/me/approvals': { expect: signedIn(200) },
  'GET /api/v1/me/commitments': { expect: signedIn(200) },
  'POST /api/v1/me/calendar-feed': { expect: signedIn(201) },
  'DELETE /api/v1/me/calendar-feed': { expect: signedIn(204) },
  // The feed is public by its secret file name: an unknown one is 404.
  'GET /calendar/:file': { params: () => ({ file: 'not-a-feed-0123456789abcdef.ics' }), expect: everybody(404) },
  // ── operations (no prefix) ──────────────────────────────────────────────────────────────────
  'GET /health/live': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /health/ready': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /metrics': { expect: { anon: 401, learner: 401, author: 401, authorOther: 401, hrIn: 401, hrOut: 401, manager: 401, admin: 401 } },
  // ── web pages (no prefix) ───────────────────────────────────────────────────────────────────
  'GET /': { expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 } },
  'GET /sign-in': { expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'POST /sign-in': {
    type: 'form',
    body: (c) => ({ email: c.owner.user.email, password: 'wrong-password-for-the-matrix', _csrf: 'x' }),
    expect: { anon: 403, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 403 },
  },
  'GET /sign-out': { expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 } },
  'POST /sign-out': {
    fresh: true,
    type: 'form',
    body: () => ({}),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'POST /language': {
    type: 'form',
    body: () => ({ locale: 'sr-Latn', returnTo: '/' }),
    expect: { anon: 403, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 403 },
  },
  'GET /courses': { expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /courses/:slug': {
    params: (c) => ({ slug: c.w.course.slug }),
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /courses/:slug/enrol': {
    type: 'form',
    params: (c) => ({ slug: c.w.courseB.slug }),
    body: () => ({}),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'GET /courses/:slug/lessons/:lessonSlug': {
    params: (c) => ({ slug: c.w.course.slug, lessonSlug: 'l1' }),
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /courses/:slug/lessons/:lessonSlug/complete': {
    type: 'form',
    params: (c) => ({ slug: c.w.course.slug, lessonSlug: 'l2' }),
    body: () => ({}),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  // Launches the cmi5 AU of a lesson of the caller's own enrolment; a native lesson (l1) or no enrolment sends back to a page.
  'POST /courses/:slug/lessons/:lessonSlug/launch': {
    type: 'form',
    params: (c) => ({ slug: c.w.course.slug, lessonSlug: 'l1' }),
    body: () => ({}),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'GET /courses/:slug/quiz': {
    params: (c) => ({ slug: c.w.course.slug }),
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /courses/:slug/quiz': {
    type: 'form',
    params: (c) => ({ slug: c.w.courseB.slug }),
    body: () => ({ q1: 'a' }),
    expect: { anon: 303, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 },
  },
  'GET /certificates': {
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /certificates/:id/pdf': {
    owned: true,
    params: (c) => ({ id: c.owner.certificate }),
    expect: {
      anon: 303,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'GET /certificates/:id/credential': {
    owned: true,
    params: (c) => ({ id: c.owner.certificate }),
    expect: {
      anon: 303,
      learner: [200, 403],
      author: [200, 403],
      authorOther: [200, 403],
      hrIn: 200,
      hrOut: [200, 403],
      manager: [200, 403],
      admin: 200,
    },
  },
  'GET /competencies': {
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /notifications': {
    expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'POST /notifications/read-all': {
    type: 'form',
    body: () => ({}),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'POST /notifications/:id/read': {
    owned: true,
    type: 'form',
    params: (c) => ({ id: c.owner.notification }),
    body: () => ({}),
    check: async (c) => (!c.own && (await c.w.isRead(c.owner.notification)) ? "marked peer's notification read" : null),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'GET /settings': { expect: { anon: 303, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'POST /settings': {
    type: 'form',
    body: () => ({ locale: 'en', timeZone: 'UTC', email: 'on', digest: 'immediate' }),
    expect: { anon: 303, learner: 303, author: 303, authorOther: 303, hrIn: 303, hrOut: 303, manager: 303, admin: 303 },
  },
  'GET /verify/:code': {
    showsPeer: true,
    params: (c) => ({ code: c.w.people.learner.verificationCode }),
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /verify': { expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /open-data': { expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /offline': { expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /manifest.webmanifest': {
    expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 },
  },
  'GET /sw.js': { expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /assets/:name': {
    params: () => ({ name: 'no-such-asset.css' }),
    expect: { anon: 404, learner: 404, author: 404, authorOther: 404, hrIn: 404, hrOut: 404, manager: 404, admin: 404 },
  },

  // ── console pages (#15): role-gated pages; bearer callers need no CSRF token ─────────────────
  'GET /console': { expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /console/hr': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/assign': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/assignments/:id': { params: (c) => ({ id: c.w.assignment }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 } },
  'GET /console/hr/overdue': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/gaps': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/people': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/people/import': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/people/:id': { params: (c) => ({ id: c.w.people.peer.user.id }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 403, manager: 403, admin: 200 } },
  'GET /console/hr/reports': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/hr/reports/results': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'POST /console/hr/assign': { type: 'form', body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 400, hrOut: 400, manager: 403, admin: 400 } },
  'POST /console/hr/overdue/remind': { type: 'form', body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 303, hrOut: 303, manager: 403, admin: 303 } },
  'POST /console/hr/gaps/assign': { type: 'form', body: (c) => ({ orgUnitId: c.w.unitA.id }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 400, hrOut: 400, manager: 403, admin: 400 } },
  'POST /console/hr/people/import': { type: 'form', body: () => ({ csv: '' }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 400, hrOut: 400, manager: 403, admin: 400 } },
  'GET /console/team': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 200, admin: 403 } },
  'POST /console/team/nudge': { type: 'form', body: (c) => ({ userId: c.w.people.peer.user.id }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 303, admin: 403 } },
  'GET /console/author': { expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'GET /console/author/courses/:slug/preview': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 404, authorOther: 404, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'GET /console/author/courses/:slug/analytics': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'GET /console/author/courses/:slug/diff': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 404, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  // The upload form (multipart); a form without the file re-shows the page with the error (400).
  'POST /console/author/upload': { type: 'form', body: () => ({}), expect: { anon: 303, learner: 403, author: 400, authorOther: 400, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  'POST /console/author/courses/:slug/publish': {
    type: 'form',
    params: async (c) => ({ slug: await c.w.newDraftCourse(c.w.schoolA) }),
    body: () => ({ summary: 'matrix' }),
    expect: { anon: 303, learner: 403, author: 303, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 },
  },
  'GET /console/admin/certificates/:id': { params: (c) => ({ id: c.w.people.peer.certificate }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/certificates/:id/revoke': {
    type: 'form',
    params: async (c) => ({ id: await c.w.newCertificate('peer') }),
    body: () => ({ reason: 'matrix check' }),
    expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 },
  },
  'GET /console/admin/audit': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/people/:id/roles': { type: 'form', params: async (c) => ({ id: (await c.w.newPerson()).id }), body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 } },
  'GET /console/admin/jobs': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/jobs/:name/run': { type: 'form', params: () => ({ name: 'outbox-prune' }), body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 } },
  'GET /console/admin/lrs': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/lrs/:id/retry': { type: 'form', params: () => ({ id: NO_SUCH }), body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'GET /console/admin/units': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/units': { type: 'form', body: (c) => ({ code: uniq('MX').toUpperCase(), name: 'Matrix unit', kind: 'department', parentId: c.w.unitB.id }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 } },
  'GET /console/admin/units/:id': { params: (c) => ({ id: c.w.unitA.id }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/units/:id': { type: 'form', params: (c) => ({ id: c.w.unitB.id }), body: (c) => ({ name: c.w.unitB.name }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  // ── regional hub (#20) console pages: institutions and federation peers (instance-wide admin), sharing and adaptations (authors of the course) ──
  'GET /console/admin/institutions': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/admin/institutions': {
    type: 'form',
    body: () => ({ code: uniq('MXP').toUpperCase(), country: 'MK', 'name-en': 'Matrix page institution', 'name-mk': 'Матрична институција' }),
    expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 },
  },
  'GET /console/admin/institutions/:id': { params: async (c) => ({ id: await anInstitutionId(c) }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  // No country: the form comes back with the field's message (400), nothing changes.
  'POST /console/admin/institutions/:id': { type: 'form', params: async (c) => ({ id: await anInstitutionId(c) }), body: () => ({ 'name-en': 'Root' }), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  'GET /console/admin/federation': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  // No peer named (the world trusts none): the page says so (400); an import naming no peer comes back with the form's message.
  'GET /console/admin/federation/catalog': { expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  'POST /console/admin/federation/imports': { type: 'form', body: () => ({}), expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  'GET /console/author/shared': { expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'GET /console/author/courses/:slug/sharing': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/author/courses/:slug/sharing': {
    type: 'form',
    params: (c) => ({ slug: c.w.course.slug }),
    body: () => ({ visibility: 'public' }),
    expect: { anon: 303, learner: 403, author: 303, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 303 },
  },
  // The world's course is public: every author sees the form; another institution meets its licence (none stated: 409).
  'GET /console/author/courses/:slug/adapt': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /console/author/courses/:slug/adapt': {
    type: 'form',
    params: (c) => ({ slug: c.w.course.slug }),
    body: (c) => ({ slug: uniq('adapted-page').toLowerCase(), school: (c.caller === 'authorOther' ? c.w.schoolB : c.w.schoolA).code }),
    expect: { anon: 303, learner: 403, author: 303, authorOther: 409, hrIn: 403, hrOut: 403, manager: 403, admin: 303 },
  },
  'GET /console/author/courses/:slug/upstream': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 303, learner: 403, author: 409, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 409 } },
  'POST /console/author/courses/:slug/upstream-merge': {
    type: 'form',
    params: (c) => ({ slug: c.w.course.slug }),
    body: () => ({}),
    expect: { anon: 303, learner: 403, author: 409, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 409 },
  },

  // ── workshop pages (#17): the learner's /events, the console's /console/events, the manager's decision.
  //    Callers never book themselves (that would change the evaluation and commitment cells): register
  //    calls an unknown event; cancel/confirm act on the caller's own registration for w.event (none: 404).
  'GET /events': { expect: signedIn(200, 303) },
  'POST /events/calendar-feed': { type: 'form', body: () => ({}), expect: signedIn(200, 303) },
  'GET /events/:id': { params: (c) => ({ id: c.w.event }), expect: signedIn(200, 303) },
  'POST /events/:id/register': { type: 'form', params: () => ({ id: NO_SUCH }), body: () => ({}), expect: signedIn(404, 303) },
  'POST /events/:id/cancel': { type: 'form', params: (c) => ({ id: c.w.event }), body: () => ({ reason: 'matrix' }), expect: signedIn(404, 303) },
  'POST /events/:id/confirm': { type: 'form', params: (c) => ({ id: c.w.event }), body: () => ({}), expect: signedIn(404, 303) },
  // Only participants answer and commit: nobody but peer took part in w.event.
  'POST /events/:id/evaluation': { type: 'form', params: (c) => ({ id: c.w.event }), body: () => ({ 'a:q1': '4' }), expect: signedIn(403, 303) },
  'POST /events/:id/commitments': {
    type: 'form',
    params: (c) => ({ id: c.w.event }),
    body: () => ({ action: 'Apply the checklist in my unit', dueOn: inOneHour(24 * 90).slice(0, 10) }),
    expect: signedIn(403, 303),
  },
  'POST /events/:id/commitments/:commitmentId/updates': {
    type: 'form',
    params: (c) => ({ id: c.w.event, commitmentId: NO_SUCH }),
    body: () => ({ note: 'Half done (matrix)', status: 'open' }),
    expect: signedIn(404, 303),
  },
  // The follow-up group space (docs/hub.md, item 6): peer's group, as in the API rows above.
  'GET /follow-up/:id': { params: async (c) => ({ id: (await peerGroup(c)).id }), expect: { ...groupSeen(200), anon: 303 } },
  'POST /follow-up': { type: 'form', body: (c) => ({ eventId: c.w.event, title: 'Matrix follow-up' }), expect: { ...signedIn(403, 303), hrIn: 303, admin: 303 } },
  'POST /follow-up/:id/accept': { type: 'form', params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({}), expect: { ...groupSeen(409), anon: 303 } },
  'POST /follow-up/:id/decline': { type: 'form', params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({}), expect: { ...groupSeen(409), anon: 303 } },
  'POST /follow-up/:id/invitations': {
    type: 'form',
    params: async (c) => ({ id: (await peerGroup(c)).id }),
    body: (c) => ({ userIds: c.w.people.peer.user.id }),
    expect: { ...groupSeen(303), anon: 303 },
  },
  'POST /follow-up/:id/milestones': {
    type: 'form',
    params: async (c) => ({ id: (await peerGroup(c)).id }),
    body: () => ({ title: 'Matrix step', dueOn: inOneHour(24 * 60).slice(0, 10) }),
    expect: { ...groupSeen(303), anon: 303 },
  },
  'POST /follow-up/:id/milestones/:milestoneId': {
    type: 'form',
    params: async (c) => {
      const g = await peerGroup(c);
      return { id: g.id, milestoneId: g.milestoneId };
    },
    body: () => ({ done: 'yes' }),
    expect: { ...groupSeen(403), anon: 303 },
  },
  'POST /follow-up/:id/status': { type: 'form', params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({ status: 'kept' }), expect: { ...groupSeen(403), anon: 303 } },
  'POST /follow-up/:id/posts': { type: 'form', params: async (c) => ({ id: (await peerGroup(c)).id }), body: () => ({ body: 'Matrix update' }), expect: { ...groupSeen(403), anon: 303 } },
  // Organisers (admin, HR, authors with a scope) and trainers; w.event is organised by hrIn and admin.
  'GET /console/events': { expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'GET /console/events/:id': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403, 303), hrIn: 200, admin: 200 } },
  'GET /console/events/:id/sessions/:sessionId': { params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }), expect: { ...signedIn(403, 303), hrIn: 404, admin: 404 } },
  'POST /console/events/:id/sessions/:sessionId': {
    type: 'form',
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({ [`m:${NO_SUCH}`]: 'present' }),
    expect: { ...signedIn(403, 303), hrIn: 404, admin: 404 },
  },
  // Creating and editing: organisers only (learner and manager 403 first); the bodies are invalid, so nothing changes (400 with the form).
  'GET /console/events/new': { expect: { anon: 303, learner: 403, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 403, admin: 200 } },
  'POST /console/events/new': {
    type: 'form',
    body: () => ({ title: '', capacity: 'many' }),
    expect: { anon: 303, learner: 403, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 403, admin: 400 },
  },
  'GET /console/events/:id/edit': { params: (c) => ({ id: c.w.event }), expect: { ...signedIn(403, 303), hrIn: 200, admin: 200 } },
  'POST /console/events/:id/edit': {
    type: 'form',
    params: (c) => ({ id: c.w.event }),
    body: () => ({ title: '', capacity: '0' }),
    expect: { ...signedIn(403, 303), hrIn: 400, admin: 400 },
  },
  'POST /console/events/:id/sessions': {
    type: 'form',
    params: (c) => ({ id: c.w.event }),
    body: () => ({ startsAt: 'soon', timeZone: 'Mars/Olympus' }),
    expect: { ...signedIn(403, 303), hrIn: 400, admin: 400 },
  },
  'POST /console/events/:id/sessions/:sessionId/edit': {
    type: 'form',
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({ venueAddress: 'Matrix hall 2' }),
    expect: { ...signedIn(403, 303), hrIn: 404, admin: 404 },
  },
  'POST /console/events/:id/sessions/:sessionId/cancel': {
    type: 'form',
    params: (c) => ({ id: c.w.event, sessionId: NO_SUCH }),
    body: () => ({}),
    expect: { ...signedIn(403, 303), hrIn: 404, admin: 404 },
  },
  // Registering others from the event page: organisers of w.event (hrIn, admin); a search registers nobody.
  'POST /console/events/:id/registrations': {
    type: 'form',
    params: (c) => ({ id: c.w.event }),
    body: () => ({ action: 'search', q: 'nobody-by-this-name' }),
    expect: { ...signedIn(403, 303), hrIn: 200, admin: 200 },
  },
  // QR check-in: those who run w.event; a forged code is a 400 page, whoever else asks gets 403.
  'GET /console/events/:id/check-in': {
    params: (c) => ({ id: c.w.event }),
    query: () => ({ code: `${NO_SUCH}.forged` }),
    expect: { ...signedIn(403, 303), hrIn: 400, admin: 400 },
  },
  'POST /console/events/:id/check-in': {
    type: 'form',
    params: (c) => ({ id: c.w.event }),
    body: () => ({ code: `${NO_SUCH}.forged`, sessionId: NO_SUCH }),
    expect: { ...signedIn(403, 303), hrIn: 400, admin: 400 },
  },
  // Deciders are line managers, HR and admins (others: 403 first); no request is pending in the world: 404.
  'POST /console/team/approvals/:id': {
    type: 'form',
    params: () => ({ id: NO_SUCH }),
    body: () => ({ decision: 'approve' }),
    expect: { anon: 303, learner: 403, author: 403, authorOther: 403, hrIn: 404, hrOut: 404, manager: 404, admin: 404 },
  },

  // ── interop (#18): LRS clients, packages, SCORM runtime, cmi5, packaged content ──────────────
  'GET /api/v1/admin/lrs-clients': { expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /api/v1/admin/lrs-clients': { body: () => ({ name: uniq('matrix-lrs'), scopes: ['statements/read'] }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 201 } },
  'DELETE /api/v1/admin/lrs-clients/:id': { params: () => ({ id: NO_SUCH }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  // Forwarding to external LRSs (#18 item 6): admins only. The create body points at a closed port; nothing is sent until a statement is stored.
  'GET /api/v1/admin/lrs-endpoints': { expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'POST /api/v1/admin/lrs-endpoints': { body: () => ({ name: uniq('matrix-lrs'), url: 'http://127.0.0.1:9/xapi', username: 'matrix', password: 'matrix-secret' }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 201 } },
  'GET /api/v1/admin/lrs-endpoints/dead-letters': { expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'GET /api/v1/admin/lrs-endpoints/:id': { params: () => ({ id: NO_SUCH }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'PATCH /api/v1/admin/lrs-endpoints/:id': { params: () => ({ id: NO_SUCH }), body: () => ({ name: 'renamed' }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'DELETE /api/v1/admin/lrs-endpoints/:id': { params: () => ({ id: NO_SUCH }), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'POST /api/v1/admin/lrs-endpoints/:id/dead-letters/retry': { params: () => ({ id: NO_SUCH }), body: () => ({}), expect: { anon: 401, learner: 403, author: 403, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 404 } },
  'POST /api/v1/courses/:slug/packages': { params: (c) => ({ slug: c.w.course.slug }), body: () => ({}), expect: { anon: 401, learner: 403, author: 400, authorOther: 400, hrIn: 403, hrOut: 403, manager: 403, admin: 400 } },
  // SCO ids are checked first (400 for a malformed one); ownership of the runtime is tested in test/interop.
  'GET /api/v1/enrolments/:id/scorm/:scoId': { owned: true, params: (c) => ({ id: c.owner.enrolment, scoId: 'sco-1' }), expect: { anon: 401, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 } },
  'POST /api/v1/enrolments/:id/scorm/:scoId/commit': { owned: true, params: (c) => ({ id: c.owner.enrolment, scoId: 'sco-1' }), body: () => ({ sequence: 1, cmi: {} }), expect: { anon: 401, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 } },
  'POST /api/v1/enrolments/:id/cmi5/:auId/launch': { owned: true, params: (c) => ({ id: c.owner.enrolment, auId: 'au-1' }), body: () => ({}), expect: { anon: 401, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 } },
  // cmi5 §8.2: the fetch URL answers 200 with an error-code body for an unknown or used token.
  'POST /api/v1/cmi5/fetch/:token': { params: () => ({ token: 'not-a-fetch-token-0123456789abcdef' }), body: () => ({}), expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },
  'GET /content/:packageId/*': { params: () => ({ packageId: NO_SUCH }), expect: { anon: 401, learner: 404, author: 404, authorOther: 404, hrIn: 404, hrOut: 404, manager: 404, admin: 404 } },
  // The LRS authenticates LRS clients (Basic), not people; without X-Experience-API-Version every call is
  // refused with 400 before authentication, as xAPI 1.0.3 requires (its own tests: test/interop/xapi-lrs).
  ...Object.fromEntries(
    [
      'GET /xapi/statements', 'POST /xapi/statements', 'PUT /xapi/statements',
      ...['GET', 'PUT', 'POST', 'DELETE'].flatMap((m) => [`${m} /xapi/activities/state`, `${m} /xapi/activities/profile`, `${m} /xapi/agents/profile`]),
      'GET /xapi/activities', 'GET /xapi/agents',
    ].map((k): [string, MatrixRow] => [k, { body: () => ({}), expect: { anon: 400, learner: 400, author: 400, authorOther: 400, hrIn: 400, hrOut: 400, manager: 400, admin: 400 } }]),
  ),
  'GET /xapi/about': { showsPeer: true, expect: { anon: 200, learner: 200, author: 200, authorOther: 200, hrIn: 200, hrOut: 200, manager: 200, admin: 200 } },

  // ── regional hub (#20): institutions (read by anyone signed in, managed by an instance-wide admin) ──
  'GET /api/v1/institutions': { expect: signedIn(200) },
  'GET /api/v1/institutions/:id': { params: async (c) => ({ id: await anInstitutionId(c) }), expect: signedIn(200) },
  'POST /api/v1/institutions': {
    body: () => ({ code: uniq('MXI').toUpperCase(), country: 'ME', names: { en: 'Matrix institution', 'sr-Latn': 'Matrična institucija' } }),
    expect: adminOnly(201),
  },
  'PATCH /api/v1/institutions/:id': { params: async (c) => ({ id: await anInstitutionId(c) }), body: () => ({ logoUrl: null }), expect: adminOnly(200) },
  'DELETE /api/v1/institutions/:id': { params: () => ({ id: NO_SUCH }), expect: adminOnly(404) },
  // Course sharing and adaptations: authors of the course's school (and admins). The world's courses stay public.
  'GET /api/v1/courses/:slug/sharing': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 401, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 } },
  'PUT /api/v1/courses/:slug/sharing': {
    params: (c) => ({ slug: c.w.course.slug }),
    body: () => ({ visibility: 'public' }),
    expect: { anon: 401, learner: 403, author: 200, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 200 },
  },
  // Into the caller's own school: the same institution adapts freely; another one meets the licence (none stated: 409).
  'POST /api/v1/courses/:slug/adaptations': {
    params: (c) => ({ slug: c.w.course.slug }),
    body: (c) => ({ slug: uniq('adapted').toLowerCase(), school: (c.caller === 'authorOther' ? c.w.schoolB : c.w.schoolA).code }),
    expect: { anon: 401, learner: 403, author: 201, authorOther: 409, hrIn: 403, hrOut: 403, manager: 403, admin: 201 },
  },
  'GET /api/v1/courses/:slug/upstream-diff': { params: (c) => ({ slug: c.w.course.slug }), expect: { anon: 401, learner: 403, author: 409, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 409 } },
  'POST /api/v1/courses/:slug/upstream-merge': {
    params: (c) => ({ slug: c.w.course.slug }),
    body: () => ({}),
    expect: { anon: 401, learner: 403, author: 409, authorOther: 403, hrIn: 403, hrOut: 403, manager: 403, admin: 409 },
  },

  // ── regional hub (#20): people directory with consent. Everyone signed in manages their own
  // profile; the directory and contact requests are for people who have opted in (the rows opt the
  // caller in first). A request is decided by its recipient only (other: 404). ──
  'GET /api/v1/directory/consent': { expect: signedIn(200) },
  // The directory page (anyone signed in: their own profile; the people list only once they have joined).
  'GET /directory': { params: (c) => optedInParams(c), showsPeer: true, expect: signedIn(200, 303) },
  'POST /directory/profile': { type: 'form', body: () => ({ consent: 'yes', expertise: 'matrix' }), expect: signedIn(303, 303) },
  'POST /directory/withdraw': { type: 'form', body: () => ({}), expect: signedIn(303, 303) },
  'POST /directory/people/:userId/contact': {
    params: async (c) => {
      await optedIn(c, c.owner.user.id);
      const other = await c.w.newPerson();
      await optedIn(c, other.id);
      return { userId: other.id };
    },
    type: 'form',
    body: () => ({}),
    expect: signedIn(303, 303),
  },
  // Only the recipient answers a request (another's: 404).
  'POST /directory/contact-requests/:id/accept': { owned: true, params: async (c) => ({ id: await aContactRequestTo(c) }), type: 'form', body: () => ({}), expect: { ...ownOnly(303, 404), anon: 303 } },
  'POST /directory/contact-requests/:id/decline': { owned: true, params: async (c) => ({ id: await aContactRequestTo(c) }), type: 'form', body: () => ({}), expect: { ...ownOnly(303, 404), anon: 303 } },
  'GET /api/v1/directory/me': { params: (c) => optedInParams(c), expect: signedIn(200) },
  'PUT /api/v1/directory/me': { body: () => ({ consent: true, consentVersion: DIRECTORY_VERSION, expertise: ['matrix'] }), expect: signedIn(200) },
  'DELETE /api/v1/directory/me': { params: (c) => optedInParams(c), expect: signedIn(204) },
  // Opted-in members see each other across institutions by design (the consent says so).
  'GET /api/v1/directory/people': { params: (c) => optedInParams(c), showsPeer: true, expect: signedIn(200) },
  'GET /api/v1/directory/people/:userId': {
    params: async (c) => {
      await optedIn(c, c.owner.user.id);
      const other = await c.w.newPerson();
      await optedIn(c, other.id);
      return { userId: other.id };
    },
    expect: signedIn(200),
  },
  'POST /api/v1/directory/people/:userId/contact-requests': {
    params: async (c) => {
      await optedIn(c, c.owner.user.id);
      const other = await c.w.newPerson();
      await optedIn(c, other.id);
      return { userId: other.id };
    },
    body: () => ({ message: 'Matrix hello' }),
    expect: signedIn(201),
  },
  'GET /api/v1/directory/contact-requests': { params: (c) => optedInParams(c), expect: signedIn(200) },
  'POST /api/v1/directory/contact-requests/:id/accept': { owned: true, params: async (c) => ({ id: await aContactRequestTo(c) }), expect: ownOnly(200, 404) },
  'POST /api/v1/directory/contact-requests/:id/decline': { owned: true, params: async (c) => ({ id: await aContactRequestTo(c) }), expect: ownOnly(200, 404) },

  // ── communities of practice: a hub-wide space (everyone signed in takes part) and one open only to
  // the default institution (no world caller belongs to it: 404 but for the admin). Spaces and
  // moderators: admin; moderation: the space's moderators (here only the admin). ──
  'GET /api/v1/communities': { expect: signedIn(200) },
  'POST /api/v1/communities': { body: () => ({ slug: uniq('mx-space').toLowerCase(), title: 'Matrix space', audience: 'hub' }), expect: adminOnly(201) },
  'GET /api/v1/communities/:slug': { params: async (c) => ({ slug: await aSpace(c, 'closed') }), expect: { ...signedIn(404), admin: 200 } },
  'PUT /api/v1/communities/:slug/moderators/:userId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), userId: (await c.w.newPerson()).id }), expect: adminOnly(204) },
  'DELETE /api/v1/communities/:slug/moderators/:userId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), userId: (await c.w.newPerson()).id }), expect: adminOnly(204) },
  'GET /api/v1/communities/:slug/threads': { params: async (c) => ({ slug: await aSpace(c, 'closed') }), expect: { ...signedIn(404), admin: 200 } },
  'POST /api/v1/communities/:slug/threads': { params: async (c) => ({ slug: await aSpace(c, 'hub') }), body: () => ({ title: 'Matrix thread', body: 'A *question*' }), expect: signedIn(201) },
  'GET /api/v1/communities/:slug/threads/:threadId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), threadId: (await aThread(c, null)).threadId }), expect: signedIn(200) },
  'POST /api/v1/communities/:slug/threads/:threadId/posts': { params: async (c) => ({ slug: await aSpace(c, 'hub'), threadId: (await aThread(c, null)).threadId }), body: () => ({ body: 'A reply' }), expect: signedIn(201) },
  // Only the thread's author marks the accepted answer (other: 403).
  'PUT /api/v1/communities/:slug/threads/:threadId/accepted-answer': {
    owned: true,
    params: async (c) => {
      const t = await aThread(c, c.owner.user.id);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId, replyId: t.replyId };
    },
    body: (c) => ({ postId: c.params.replyId }),
    expect: ownOnly(200, 403),
  },
  'POST /api/v1/communities/:slug/posts/:postId/reports': { params: async (c) => ({ slug: await aSpace(c, 'hub'), postId: (await aThread(c, null)).replyId }), body: () => ({ reason: 'Off topic' }), expect: signedIn(201) },
  'GET /api/v1/communities/:slug/reports': { params: async (c) => ({ slug: await aSpace(c, 'hub') }), expect: { ...signedIn(403), admin: 200 } },
  'POST /api/v1/communities/:slug/posts/:postId/hide': { params: async (c) => ({ slug: await aSpace(c, 'hub'), postId: (await aThread(c, null)).replyId }), body: () => ({ reason: 'Off topic' }), expect: { ...signedIn(403), admin: 204 } },
  'POST /api/v1/communities/:slug/posts/:postId/unhide': { params: async (c) => ({ slug: await aSpace(c, 'hub'), postId: (await aThread(c, null)).replyId }), body: () => ({}), expect: { ...signedIn(403), admin: 204 } },
  'PUT /api/v1/communities/:slug/bans/:userId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), userId: (await c.w.newPerson()).id }), body: () => ({ reason: 'Spam' }), expect: { ...signedIn(403), admin: 204 } },
  'DELETE /api/v1/communities/:slug/bans/:userId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), userId: (await c.w.newPerson()).id }), expect: { ...signedIn(403), admin: 204 } },
  // Resources of a space: a closed space is 404 outside its audience; only moderators hide or remove.
  'GET /api/v1/communities/:slug/resources': { params: async (c) => ({ slug: await aSpace(c, 'closed') }), expect: { ...signedIn(404), admin: 200 } },
  'POST /api/v1/communities/:slug/resources': { params: async (c) => ({ slug: await aSpace(c, 'hub') }), body: () => ({ title: 'Matrix link', url: 'https://example.org/guide' }), expect: signedIn(201) },
  // A JSON body is no file (400 naming it); the file route's own types are tested in test/hub/communities.
  'POST /api/v1/communities/:slug/resources/files': { params: async (c) => ({ slug: await aSpace(c, 'hub') }), query: () => ({ title: 'Matrix file' }), body: () => ({}), expect: signedIn(400) },
  'GET /api/v1/communities/:slug/resources/:resourceId/file': { params: async (c) => ({ slug: await aSpace(c, 'closed'), resourceId: await aResource(c, 'closed') }), expect: { ...signedIn(404), admin: 200 } },
  'POST /api/v1/communities/:slug/resources/:resourceId/hide': { params: async (c) => ({ slug: await aSpace(c, 'hub'), resourceId: await aResource(c, 'hub') }), body: () => ({ reason: 'Off topic' }), expect: { ...signedIn(403), admin: 204 } },
  'POST /api/v1/communities/:slug/resources/:resourceId/unhide': { params: async (c) => ({ slug: await aSpace(c, 'hub'), resourceId: await aResource(c, 'hub') }), body: () => ({}), expect: { ...signedIn(403), admin: 204 } },
  'DELETE /api/v1/communities/:slug/resources/:resourceId': { params: async (c) => ({ slug: await aSpace(c, 'hub'), resourceId: await aResource(c, 'hub') }), expect: { ...signedIn(403), admin: 204 } },
  // Every caller of the world is enrolled in `course` (the discussion is theirs); others: test/hub/communities.
  'GET /api/v1/courses/:slug/discussion': { params: (c) => ({ slug: c.w.course.slug }), expect: signedIn(200) },
  // The communities pages (same service, same rules; anonymous callers are sent to sign-in).
  'GET /communities': { expect: signedIn(200, 303) },
  'GET /communities/:slug': { params: async (c) => ({ slug: await aSpace(c, 'closed') }), expect: { ...signedIn(404, 303), admin: 200 } },
  'POST /communities/:slug/threads': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub') }), body: () => ({ title: 'Matrix page thread', body: 'A *question*' }), expect: signedIn(303, 303) },
  // A hidden reply is in the thread: only the admin (a moderator) may see it.
  'POST /communities/:slug/resources': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub') }), body: () => ({ title: 'Matrix page link', url: 'https://example.org/page' }), expect: signedIn(303, 303) },
  // A form without a file is refused at its field (400); files themselves: test/web/communities-browser.
  'POST /communities/:slug/resources/upload': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub') }), body: () => ({ title: 'Matrix page file' }), expect: signedIn(400, 303) },
  'GET /communities/:slug/resources/:resourceId/file': { params: async (c) => ({ slug: await aSpace(c, 'closed'), resourceId: await aResource(c, 'closed') }), expect: { ...signedIn(404, 303), admin: 200 } },
  'POST /communities/:slug/resources/:resourceId/hide': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub'), resourceId: await aResource(c, 'hub') }), body: () => ({ reason: 'Off topic' }), expect: { ...signedIn(403, 303), admin: 303 } },
  'POST /communities/:slug/resources/:resourceId/unhide': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub'), resourceId: await aResource(c, 'hub') }), body: () => ({}), expect: { ...signedIn(403, 303), admin: 303 } },
  // Every caller of the world is enrolled in `course`: the page sends them on to the discussion space.
  'GET /courses/:slug/discussion': { params: (c) => ({ slug: c.w.course.slug }), expect: signedIn(303, 303) },
  'GET /communities/:slug/threads/:threadId': {
    params: async (c) => {
      const t = await aThread(c, null);
      await c.w.api.dataSource.query(`INSERT INTO community_post (thread_id, author_id, body, hidden_at) VALUES ($1, $2, 'Hidden matrix remark', now())`, [t.threadId, (await c.w.newPerson()).id]);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId };
    },
    check: (c, a) => (a.status === 200 && c.caller !== 'admin' && a.text.includes('Hidden matrix remark') ? 'a hidden post is shown to someone who does not moderate the space' : null),
    expect: signedIn(200, 303),
  },
  'POST /communities/:slug/threads/:threadId/posts': { type: 'form', params: async (c) => ({ slug: await aSpace(c, 'hub'), threadId: (await aThread(c, null)).threadId }), body: () => ({ body: 'A reply' }), expect: signedIn(303, 303) },
  'POST /communities/:slug/threads/:threadId/accepted-answer': {
    owned: true,
    type: 'form',
    params: async (c) => {
      const t = await aThread(c, c.owner.user.id);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId, replyId: t.replyId };
    },
    body: (c) => ({ postId: c.params.replyId }),
    expect: { ...ownOnly(303, 403), anon: 303 },
  },
  'POST /communities/:slug/threads/:threadId/posts/:postId/report': {
    type: 'form',
    params: async (c) => {
      const t = await aThread(c, null);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId, postId: t.replyId };
    },
    body: () => ({ reason: 'Off topic' }),
    expect: signedIn(303, 303),
  },
  'POST /communities/:slug/threads/:threadId/posts/:postId/hide': {
    type: 'form',
    params: async (c) => {
      const t = await aThread(c, null);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId, postId: t.replyId };
    },
    body: () => ({ reason: 'Off topic' }),
    expect: { ...signedIn(403, 303), admin: 303 },
  },
  'POST /communities/:slug/threads/:threadId/posts/:postId/unhide': {
    type: 'form',
    params: async (c) => {
      const t = await aThread(c, null);
      return { slug: await aSpace(c, 'hub'), threadId: t.threadId, postId: t.replyId };
    },
    body: () => ({}),
    expect: { ...signedIn(403, 303), admin: 303 },
  },
  'POST /communities/:slug/threads/:threadId/bans/:userId': {
    type: 'form',
    params: async (c) => ({ slug: await aSpace(c, 'hub'), threadId: (await aThread(c, null)).threadId, userId: (await c.w.newPerson()).id }),
    body: () => ({ reason: 'Spam' }),
    expect: { ...signedIn(403, 303), admin: 303 },
  },
  'POST /communities/:slug/threads/:threadId/bans/:userId/lift': {
    type: 'form',
    params: async (c) => ({ slug: await aSpace(c, 'hub'), threadId: (await aThread(c, null)).threadId, userId: (await c.w.newPerson()).id }),
    body: () => ({}),
    expect: { ...signedIn(403, 303), admin: 303 },
  },
};

/** The default institution (the root tree's, made at first start). */
async function anInstitutionId(c: Cell): Promise<string> {
  const [row] = (await c.w.api.dataSource.query(`SELECT i.id FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id WHERE o.code = 'ROOT'`)) as Array<{ id: string }>;
  return row.id;
}

/** The directory consent text version (libs/hub DIRECTORY_CONSENT_VERSION). */
const DIRECTORY_VERSION = '2026-12-1';

/** Signed-in callers: `own` on their own object, `other` on peer's; anon 401. */
function ownOnly(own: number, other: number): Expectation {
  return { anon: 401, learner: [own, other], author: [own, other], authorOther: [own, other], hrIn: [own, other], hrOut: [own, other], manager: [own, other], admin: [own, other] };
}

/** The caller (or, for anon, peer) opted in; no path parameters. */
async function optedInParams(c: Cell): Promise<Record<string, string>> {
  await optedIn(c, c.owner.user.id);
  return {};
}

/** Puts `userId` in the directory (as if they had opted in). */
async function optedIn(c: Cell, userId: string): Promise<void> {
  await c.w.api.dataSource.query(
    `INSERT INTO directory_profile (user_id, display_name, consent_version, consented_at) SELECT id, display_name, $2, now() FROM app_user WHERE id = $1 ON CONFLICT (user_id) DO NOTHING`,
    [userId, DIRECTORY_VERSION],
  );
}

/** A pending contact request from a new person to the owner (both in the directory); the caller is opted in too. */
async function aContactRequestTo(c: Cell): Promise<string> {
  const from = await c.w.newPerson();
  await optedIn(c, from.id);
  await optedIn(c, c.owner.user.id);
  if (c.caller !== 'anon') await optedIn(c, c.w.people[c.caller].user.id);
  const [row] = (await c.w.api.dataSource.query(`INSERT INTO directory_contact_request (from_user_id, to_user_id) VALUES ($1, $2) RETURNING id`, [from.id, c.owner.user.id])) as Array<{ id: string }>;
  return row.id;
}

/** `hub`: open to the whole hub; `closed`: open only to the default institution (none of the world's callers). */
async function aSpace(c: Cell, kind: 'hub' | 'closed'): Promise<string> {
  const slug = `matrix-${kind}`;
  await c.w.api.dataSource.query(
    `INSERT INTO community_space (slug, title, audience, institution_ids)
     SELECT $1, $1, $2, CASE WHEN $2 = 'hub' THEN '{}'::uuid[] ELSE ARRAY(SELECT i.id FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id WHERE o.code = 'ROOT') END
     ON CONFLICT (slug) DO NOTHING`,
    [slug, kind === 'hub' ? 'hub' : 'institutions'],
  );
  return slug;
}

/** A new PDF resource of the space (its bytes in the file storage), added by a new person. */
async function aResource(c: Cell, kind: 'hub' | 'closed'): Promise<string> {
  const slug = await aSpace(c, kind);
  const id = randomUUID();
  const [{ space_id: spaceId }] = (await c.w.api.dataSource.query(`SELECT id AS space_id FROM community_space WHERE slug = $1`, [slug])) as Array<{ space_id: string }>;
  const key = `community/${spaceId}/${id}`;
  await c.w.api.app.get(FileStorage).put(key, Buffer.from('%PDF-1.4 matrix'), 'application/pdf');
  await c.w.api.dataSource.query(
    `INSERT INTO community_resource (id, space_id, kind, title, file_key, file_name, content_type, size_bytes, added_by) VALUES ($1, $2, 'file', 'Matrix file', $3, 'matrix.pdf', 'application/pdf', 15, $4)`,
    [id, spaceId, key, (await c.w.newPerson()).id],
  );
  return id;
}

/** A new thread of the hub-wide space, by `authorId` (null: a new person, not peer), with a reply by another new person. */
async function aThread(c: Cell, authorId: string | null): Promise<{ threadId: string; replyId: string }> {
  const slug = await aSpace(c, 'hub');
  const ds = c.w.api.dataSource;
  const author = authorId ?? (await c.w.newPerson()).id;
  const replier = (await c.w.newPerson()).id;
  const [t] = (await ds.query(`INSERT INTO community_thread (space_id, author_id, title) SELECT id, $2, 'Matrix question' FROM community_space WHERE slug = $1 RETURNING id`, [slug, author])) as Array<{ id: string }>;
  await ds.query(`INSERT INTO community_post (thread_id, author_id, body, created_at) VALUES ($1, $2, 'Question?', now() - interval '1 minute')`, [t.id, author]);
  const [r] = (await ds.query(`INSERT INTO community_post (thread_id, author_id, body) VALUES ($1, $2, 'Answer.') RETURNING id`, [t.id, replier])) as Array<{ id: string }>;
  return { threadId: t.id, replyId: r.id };
}
