import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnrolmentReader, ProgressService } from '@lms/learning';
import { AppConfig, DomainError, ForbiddenError, NotFoundError, type Principal } from '@lms/platform';
import { DocumentService } from '../document.service.js';
import type { LrsClientIdentity } from '../lrs-client.service.js';
import type { PreparedStatement } from '../statement-shape.js';
import { agentKey } from '../xapi-agent.js';
import { combineOutcomes, packageOutcomes, XAPI_FAILED } from './package-result.js';

/** How long a launch's fetch URL and its session credentials stay valid. */
export const CMI5_SESSION_HOURS = 8;
export const CMI5_COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
export const CMI5_PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const SESSION_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';

export class Cmi5AuNotFoundError extends DomainError {
  constructor() {
    super('cmi5_au_not_found', 'This enrolment has no such cmi5 AU', 404);
  }
}

/** A cmi5 session as the LRS sees it: the only actor and registration its credentials may write for. */
export interface Cmi5SessionScope {
  id: string;
  enrolmentId: string;
  userId: string;
  packageActivityId: string;
  auId: string;
  actorKey: string;
  registration: string;
  moveOn: string;
  lessonSlug: string;
}

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

/**
 * cmi5 launch (docs/interop.md): the launch URL (endpoint, fetch, registration, activityId, actor),
 * the one-time fetch URL that hands out session credentials for the built-in LRS, the
 * LMS.LaunchData state document, and moveOn: when the session's statements satisfy the AU's
 * moveOn, the lesson is completed through the learning domain.
 */
@Injectable()
export class Cmi5Service {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(EnrolmentReader) private readonly enrolments: EnrolmentReader,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(DocumentService) private readonly documents: DocumentService,
  ) {}

  /** The actor the LMS names the learner by: an account on this server (no e-mail address leaves it). */
  actorOf(userId: string): { objectType: 'Agent'; account: { homePage: string; name: string } } {
    return { objectType: 'Agent', account: { homePage: this.config.publicUrl, name: userId } };
  }

  async launch(principal: Principal, enrolmentId: string, packageActivityId: string, returnUrl?: string): Promise<{ url: string; sessionId: string; registration: string }> {
    const enrolment = await this.enrolments.findById(enrolmentId);
    if (!enrolment) throw new NotFoundError('Enrolment', enrolmentId);
    if (enrolment.userId !== principal.userId) throw new ForbiddenError('This is not your enrolment');
    const [au] = (await this.ds.query(
      `SELECT a.id, a.package_id, a.identifier, a.launch, a.move_on, a.mastery_score, p.identifier AS course_iri
         FROM package_activity a JOIN content_package p ON p.id = a.package_id
         JOIN lesson l ON l.course_version_id = $3 AND l.slug = a.lesson_slug
        WHERE a.id = $1 AND a.course_id = $2 AND p.standard = 'cmi5'`,
      [packageActivityId, enrolment.courseId, enrolment.courseVersionId],
    )) as Array<{ id: string; package_id: string; identifier: string; launch: string; move_on: string | null; mastery_score: number | null; course_iri: string }>;
    if (!au) throw new Cmi5AuNotFoundError();
    const actor = this.actorOf(principal.userId);
    const actorKey = agentKey(actor)!;
    // The enrolment is the cmi5 registration: one per learner and course attempt.
    const registration = enrolmentId;
    const token = randomBytes(32).toString('base64url');
    const [session] = (await this.ds.query(
      `INSERT INTO cmi5_session (enrolment_id, activity_id, user_id, actor_key, fetch_token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) RETURNING id`,
      [enrolmentId, au.id, principal.userId, actorKey, sha256(token), CMI5_SESSION_HOURS],
    )) as Array<{ id: string }>;
    const launchData = {
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: au.course_iri }], category: [{ id: CMI5_CATEGORY }] },
        extensions: { [SESSION_EXTENSION]: session.id },
      },
      launchMode: 'Normal',
      moveOn: au.move_on ?? 'NotApplicable',
      ...(au.mastery_score !== null ? { masteryScore: au.mastery_score } : {}),
      ...(returnUrl ? { returnURL: returnUrl } : {}),
    };
    await this.documents.write({ kind: 'state', activityId: au.identifier, agentKey: actorKey, registration }, 'LMS.LaunchData', { body: launchData, contentType: 'application/json' }, 'put', {});
    const base = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(au.launch) ? au.launch : `${this.config.publicUrl}/content/${au.package_id}/${au.launch}`;
    const params = new URLSearchParams({
      endpoint: `${this.config.publicUrl}/xapi/`,
      fetch: `${this.config.publicUrl}/api/v1/cmi5/fetch/${token}`,
      registration,
      activityId: au.identifier,
      actor: JSON.stringify(actor),
    });
    return { url: `${base}${base.includes('?') ? '&' : '?'}${params.toString()}`, sessionId: session.id, registration };
  }

  /** The fetch URL: once, the session's LRS credentials as `auth-token`; afterwards a cmi5 error document. */
  async fetch(token: string): Promise<{ 'auth-token': string } | { 'error-code': string; 'error-text': string }> {
    const secret = randomBytes(32).toString('base64url');
    const [row] = (await this.ds.query(
      `UPDATE cmi5_session SET fetched_at = now(), secret_hash = $2 WHERE fetch_token_hash = $1 AND fetched_at IS NULL AND expires_at > now() RETURNING id`,
      [sha256(token), sha256(secret)],
    )) as [Array<{ id: string }>, number];
    if (row.length) return { 'auth-token': Buffer.from(`cmi5-${row[0].id}:${secret}`).toString('base64') };
    const used = (await this.ds.query(`SELECT 1 FROM cmi5_session WHERE fetch_token_hash = $1 AND fetched_at IS NOT NULL`, [sha256(token)])) as unknown[];
    return used.length ? { 'error-code': '1', 'error-text': 'This fetch URL has already been used' } : { 'error-code': '2', 'error-text': 'This fetch URL is not valid or has expired' };
  }

  /** Session credentials (`cmi5-<session id>` : secret) as an LRS client limited to the session's actor. */
  async authenticate(key: string, secret: string): Promise<LrsClientIdentity | null> {
    const id = key.slice('cmi5-'.length);
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row] = (await this.ds.query(
      `SELECT s.id, s.enrolment_id, s.user_id, s.activity_id, s.actor_key, s.secret_hash, a.identifier AS au_id, a.move_on, a.lesson_slug
         FROM cmi5_session s JOIN package_activity a ON a.id = s.activity_id
        WHERE s.id = $1 AND s.secret_hash IS NOT NULL AND s.expires_at > now()`,
      [id],
    )) as Array<{ id: string; enrolment_id: string; user_id: string; activity_id: string; actor_key: string; secret_hash: string; au_id: string; move_on: string | null; lesson_slug: string }>;
    if (!row || !timingSafeEqual(Buffer.from(sha256(secret), 'hex'), Buffer.from(row.secret_hash, 'hex'))) return null;
    return {
      id: row.id,
      key,
      name: 'cmi5 session',
      scopes: ['statements/read', 'statements/write', 'state'],
      session: {
        id: row.id,
        enrolmentId: row.enrolment_id,
        userId: row.user_id,
        packageActivityId: row.activity_id,
        auId: row.au_id,
        actorKey: row.actor_key,
        registration: row.enrolment_id,
        moveOn: row.move_on ?? 'NotApplicable',
        lessonSlug: row.lesson_slug,
      },
    };
  }

  /** After a session stored statements: when its AU's moveOn is satisfied, the lesson is completed. */
  async afterStatements(session: Cmi5SessionScope, stored: PreparedStatement[]): Promise<void> {
    const owner = { userId: session.userId, email: '', orgUnitId: '', grants: [] };
    if (stored.some((s) => s.verbId === CMI5_PASSED || s.verbId === XAPI_FAILED)) {
      // The package's result on the enrolment (docs/interop.md), recomputed from the stored
      // statements, before completion so the certificate and reports see it; a resent statement changes nothing.
      const [row] = (await this.ds.query(`SELECT course_id FROM enrolment WHERE id = $1`, [session.enrolmentId])) as Array<{ course_id: string }>;
      if (row) await this.progress.recordPackageResult(owner, session.enrolmentId, combineOutcomes(await packageOutcomes(this.ds, session.enrolmentId, row.course_id)));
    }
    if (!stored.some((s) => s.verbId === CMI5_COMPLETED || s.verbId === CMI5_PASSED)) return;
    const verbs = new Set(
      ((await this.ds.query(
        `SELECT DISTINCT verb_id FROM xapi_statement
          WHERE registration = $1 AND activity_id = $2 AND agent_keys @> ARRAY[$3]::text[] AND NOT voided AND verb_id = ANY($4::text[])`,
        [session.registration, session.auId, session.actorKey, [CMI5_COMPLETED, CMI5_PASSED]],
      )) as Array<{ verb_id: string }>).map((r) => r.verb_id),
    );
    if (!moveOnSatisfied(session.moveOn, verbs.has(CMI5_COMPLETED), verbs.has(CMI5_PASSED))) return;
    // The session authenticated as the enrolment's owner; completion is the learning domain's, idempotent.
    await this.progress.completeLesson(owner, session.enrolmentId, session.lessonSlug);
  }
}

/** cmi5 moveOn (section 13.1.4): which of completed / passed satisfy the AU. */
export function moveOnSatisfied(moveOn: string, completed: boolean, passed: boolean): boolean {
  switch (moveOn) {
    case 'Completed':
      return completed;
    case 'Passed':
      return passed;
    case 'CompletedAndPassed':
      return completed && passed;
    case 'CompletedOrPassed':
      return completed || passed;
    default:
      return true;
  }
}
