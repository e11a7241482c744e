import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@lms/platform';

/** Everything the module holds about one person, as plain JSON-able rows (the data export). */
export interface PersonalDataRecord {
  person: Record<string, unknown>;
  roles: unknown[];
  sessions: unknown[];
  enrolments: unknown[];
  lessonProgress: unknown[];
  quizAttempts: unknown[];
  certificates: unknown[];
  competencyEvidence: unknown[];
  notificationPreferences: unknown[];
  notifications: unknown[];
  emails: unknown[];
  signInAttempts: unknown[];
  identityProviderLinks: unknown[];
  auditEvents: unknown[];
  /** libs/events: registrations with attendance, commitments with updates, named evaluation answers. */
  eventRegistrations: unknown[];
  commitments: unknown[];
  /** Follow-up groups the person belongs to (or is invited to), with their own posts. */
  followupGroups: unknown[];
  evaluationAnswers: unknown[];
  credentialRecognitions: unknown[];
  /** libs/hub: the directory profile with its consent record, contact requests, community posts and reports. */
  directoryProfile: Record<string, unknown> | null;
  contactRequests: unknown[];
  communityPosts: unknown[];
  communityReports: unknown[];
  /** Links and files the person shared in community spaces. */
  communityResources: unknown[];
}

export interface ErasureCounts {
  sessions: number;
  notifications: number;
  emails: number;
  reminders: number;
  signInAttempts: number;
  certificates: number;
  auditEventsScrubbed: number;
}

/**
 * The one place that knows where personal data lives across the domains' tables (the record of
 * processing in privacy-register.ts lists the same columns, and a test keeps the two in step with the
 * schema). Reads for the export; one transaction for an erasure; batched deletes for retention.
 */
@Injectable()
export class PersonalDataRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async personExists(userId: string): Promise<{ id: string; erasedAt: Date | null; email: string } | null> {
    const rows = (await this.dataSource.query(`SELECT id, erased_at AS "erasedAt", email FROM app_user WHERE id = $1`, [userId])) as Array<{ id: string; erasedAt: Date | null; email: string }>;
    return rows[0] ?? null;
  }

  async collect(userId: string): Promise<PersonalDataRecord> {
    const q = async (sql: string, params: unknown[] = [userId]): Promise<Array<Record<string, unknown>>> =>
      (await this.dataSource.query(sql, params)) as Array<Record<string, unknown>>;
    const [person] = await q(
      `SELECT u.id, u.email, u.display_name AS "displayName", o.code AS "orgUnitCode", o.name AS "orgUnitName", u.job_role_code AS "jobRoleCode",
              u.manager_id AS "managerId", m.display_name AS "managerName", u.locale, u.time_zone AS "timeZone", u.gender, u.locality,
              u.status, u.external_id AS "externalId", u.employee_number AS "employeeNumber", u.erased_at AS "erasedAt", u.created_at AS "createdAt", u.updated_at AS "updatedAt"
         FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id LEFT JOIN app_user m ON m.id = u.manager_id
        WHERE u.id = $1`,
    );
    const email = String(person?.email ?? '');
    const [roles, sessions, enrolments, lessonProgress, quizAttempts, certificates, competencyEvidence, notificationPreferences, notifications, emails, signInAttempts, identityProviderLinks, auditEvents] =
      await Promise.all([
        q(`SELECT g.role, o.code AS "scopeOrgUnitCode", g.created_at AS "createdAt" FROM role_grant g LEFT JOIN org_unit o ON o.id = g.scope_org_unit_id WHERE g.user_id = $1 ORDER BY g.created_at`),
        q(`SELECT kind, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_reason AS "revokedReason" FROM auth_session WHERE user_id = $1 ORDER BY created_at`),
        q(
          `SELECT e.id, c.slug AS "courseSlug", v.version, e.status, e.source, e.due_reason AS "dueReason", e.due_at AS "dueAt", e.progress, e.package_score AS "packageScore", e.package_passed AS "packagePassed", e.cycle,
                  e.enrolled_at AS "enrolledAt", e.started_at AS "startedAt", e.completed_at AS "completedAt", e.withdrawn_at AS "withdrawnAt"
             FROM enrolment e JOIN course c ON c.id = e.course_id JOIN course_version v ON v.id = e.course_version_id
            WHERE e.user_id = $1 ORDER BY e.enrolled_at`,
        ),
        q(`SELECT p.enrolment_id AS "enrolmentId", p.lesson_slug AS "lessonSlug", p.completed_at AS "completedAt" FROM lesson_progress p JOIN enrolment e ON e.id = p.enrolment_id WHERE e.user_id = $1 ORDER BY p.completed_at`),
        q(
          `SELECT a.enrolment_id AS "enrolmentId", a.attempt_no AS "attemptNo", a.answers, a.score, a.passed, a.submitted_at AS "submittedAt"
             FROM quiz_attempt a JOIN enrolment e ON e.id = a.enrolment_id WHERE e.user_id = $1 ORDER BY a.submitted_at`,
        ),
        q(
          `SELECT id, serial, course_slug AS "courseSlug", course_version AS "courseVersion", holder_name AS "holderName", school_name AS "school",
                  issued_at AS "issuedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", revocation_reason AS "revocationReason",
                  verification_code AS "verificationCode", credential_jwt AS "credentialJwt"
             FROM certificate WHERE user_id = $1 ORDER BY issued_at`,
        ),
        q(
          `SELECT framework_key AS "frameworkKey", competency_code AS "competencyCode", level, source, course_slug AS "courseSlug", note,
                  awarded_at AS "awardedAt", expires_at AS "expiresAt"
             FROM competency_evidence WHERE user_id = $1 ORDER BY awarded_at`,
        ),
        q(`SELECT email, digest, updated_at AS "updatedAt" FROM notification_preference WHERE user_id = $1`),
        q(`SELECT type, title, body, link, read_at AS "readAt", created_at AS "createdAt" FROM notification WHERE user_id = $1 ORDER BY created_at`),
        q(`SELECT to_address AS "to", subject, state, sent_at AS "sentAt", created_at AS "createdAt" FROM email_message WHERE user_id = $1 ORDER BY created_at`),
        q(`SELECT ip, at, outcome FROM login_attempt WHERE email = $1 ORDER BY at`, [email]),
        q(`SELECT protocol, provider_key AS "provider", issuer, subject, created_at AS "linkedAt", last_sign_in_at AS "lastSignInAt" FROM federated_identity WHERE user_id = $1 ORDER BY created_at`),
        q(
          `SELECT at, action, subject_type AS "subjectType", subject_id AS "subjectId", (actor_id = $1) AS "byThePerson"
             FROM audit_event WHERE actor_id = $1 OR (subject_type = 'user' AND subject_id = $1::text) ORDER BY at`,
        ),
      ]);
    const [eventRegistrations, commitments, evaluationAnswers, credentialRecognitions, followupGroups] = await Promise.all([
      q(
        `SELECT r.id, e.title AS "event", r.status, r.created_at AS "createdAt", r.waitlisted_at AS "waitlistedAt", r.offered_at AS "offeredAt",
                r.approval_requested_at AS "approvalRequestedAt", r.decided_at AS "decidedAt", r.decision_reason AS "decisionReason",
                r.cancelled_at AS "cancelledAt", r.cancel_reason AS "cancelReason", r.completed_at AS "completedAt",
                COALESCE((SELECT jsonb_agg(jsonb_build_object('sessionStartsAt', s.starts_at, 'status', a.status, 'via', a.via, 'markedAt', a.marked_at) ORDER BY s.starts_at)
                            FROM event_attendance a JOIN event_session s ON s.id = a.session_id WHERE a.registration_id = r.id), '[]') AS attendance
           FROM event_registration r JOIN live_event e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.created_at`,
      ),
      q(
        `SELECT c.id, e.title AS "event", c.action, c.due_on::text AS "dueOn", c.partners, c.competency_code AS "competencyCode", c.sdg, c.status, c.created_at AS "createdAt",
                COALESCE((SELECT jsonb_agg(jsonb_build_object('note', x.note, 'status', x.status, 'createdAt', x.created_at) ORDER BY x.created_at)
                            FROM event_commitment_update x WHERE x.commitment_id = c.id AND x.user_id = $1), '[]') AS updates
           FROM event_commitment c JOIN event_commitment_member m ON m.commitment_id = c.id JOIN live_event e ON e.id = c.event_id
          WHERE m.user_id = $1 ORDER BY c.created_at`,
      ),
      q(`SELECT e.title AS "event", r.answers, r.submitted_on::text AS "submittedOn" FROM event_evaluation_response r JOIN live_event e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.submitted_on`),
      q(
        `SELECT peer_url AS "peerUrl", credential_id AS "credentialId", issuer_id AS "issuerId", issuer_name AS "issuerName", achievement_name AS "achievementName",
                valid_until AS "validUntil", status_checked AS "statusChecked", holder_verified AS "holderVerified", recognised_at AS "recognisedAt"
           FROM credential_recognition WHERE user_id = $1 ORDER BY recognised_at`,
      ),
      q(
        `SELECT g.id, e.title AS "event", g.title, g.action, g.status, m.status AS "membership", m.invited_at AS "invitedAt", m.joined_at AS "joinedAt",
                COALESCE((SELECT jsonb_agg(jsonb_build_object('body', p.body, 'createdAt', p.created_at) ORDER BY p.created_at)
                            FROM event_followup_post p WHERE p.group_id = g.id AND p.user_id = $1), '[]') AS posts
           FROM event_followup_group g JOIN event_followup_member m ON m.group_id = g.id JOIN live_event e ON e.id = g.event_id
          WHERE m.user_id = $1 ORDER BY m.invited_at`,
      ),
    ]);
    const [directoryProfile, contactRequests, communityPosts, communityReports, communityResources] = await Promise.all([
      q(
        `SELECT display_name AS "displayName", languages, expertise, consent_version AS "consentVersion", consented_at AS "consentedAt", created_at AS "createdAt", updated_at AS "updatedAt"
           FROM directory_profile WHERE user_id = $1`,
      ),
      q(
        `SELECT r.id, CASE WHEN r.from_user_id = $1 THEN 'outgoing' ELSE 'incoming' END AS direction, p.display_name AS "otherPerson", r.message, r.status,
                r.created_at AS "createdAt", r.decided_at AS "decidedAt"
           FROM directory_contact_request r JOIN directory_profile p ON p.user_id = CASE WHEN r.from_user_id = $1 THEN r.to_user_id ELSE r.from_user_id END
          WHERE r.from_user_id = $1 OR r.to_user_id = $1 ORDER BY r.created_at`,
      ),
      q(
        `SELECT s.slug AS space, t.title AS thread, p.body, p.created_at AS "createdAt", p.hidden_at AS "hiddenAt"
           FROM community_post p JOIN community_thread t ON t.id = p.thread_id JOIN community_space s ON s.id = t.space_id
          WHERE p.author_id = $1 ORDER BY p.created_at`,
      ),
      q(`SELECT r.post_id AS "postId", r.reason, r.created_at AS "createdAt", r.resolved_at AS "resolvedAt" FROM community_report r WHERE r.reporter_id = $1 ORDER BY r.created_at`),
      q(
        `SELECT s.slug AS space, r.kind, r.title, r.note, r.url, r.file_name AS "fileName", r.created_at AS "createdAt", r.hidden_at AS "hiddenAt"
           FROM community_resource r JOIN community_space s ON s.id = r.space_id WHERE r.added_by = $1 ORDER BY r.created_at`,
      ),
    ]);
    return {
      directoryProfile: directoryProfile[0] ?? null,
      contactRequests,
      communityPosts,
      communityReports,
      communityResources,
      eventRegistrations,
      commitments,
      followupGroups,
      evaluationAnswers,
      credentialRecognitions,
      person: person ?? {},
      roles,
      sessions,
      enrolments,
      lessonProgress,
      quizAttempts,
      certificates,
      competencyEvidence,
      notificationPreferences,
      notifications,
      emails,
      signInAttempts,
      identityProviderLinks,
      auditEvents,
    };
  }

  /** Stored certificate PDFs of the person (serial, bytes). */
  async certificatePdfs(userId: string): Promise<Array<{ serial: string; pdf: Buffer }>> {
    return (await this.dataSource.query(
      `SELECT c.serial, d.pdf FROM certificate c JOIN certificate_document d ON d.certificate_id = c.id WHERE c.user_id = $1 ORDER BY c.issued_at`,
      [userId],
    )) as Array<{ serial: string; pdf: Buffer }>;
  }

  /**
   * Erases the person's personal data inside the caller's transaction: the person's row is
   * pseudonymised, sessions, preferences, notifications (also other people's notices that name them),
   * e-mails, reminders and sign-in attempts are deleted, free-text evidence notes cleared, the
   * certificates lose their holder's name, PDF and stored credential (status and verification stay),
   * and the audit events about the person lose their before/after values.
   */
  async erase(manager: EntityManager, userId: string): Promise<ErasureCounts> {
    const count = async (sql: string, params: unknown[] = [userId]): Promise<number> => {
      const r = (await manager.query(sql, params)) as [unknown[], number] | unknown[];
      return Array.isArray(r) && r.length === 2 && typeof r[1] === 'number' ? r[1] : 0;
    };
    const [{ email, name }] = (await manager.query(`SELECT email, display_name AS name FROM app_user WHERE id = $1 FOR UPDATE`, [userId])) as Array<{
      email: string;
      name: string;
    }>;
    const pseudonym = `Erased person ${userId.slice(0, 8)}`;
    const signInAttempts = await count(`DELETE FROM login_attempt WHERE email = $1`, [email]);
    await manager.query(
      `UPDATE app_user
          SET email = 'erased-' || id || '@erased.invalid', display_name = $2,
              password_hash = NULL, manager_id = NULL, gender = NULL, locality = NULL, external_id = NULL, employee_number = NULL, status = 'disabled',
              erased_at = now(), updated_at = now()
        WHERE id = $1`,
      [userId, pseudonym],
    );
    // Their direct reports keep their records; the erased person is no longer their manager.
    await manager.query(`UPDATE app_user SET manager_id = NULL WHERE manager_id = $1`, [userId]);
    await manager.query(`DELETE FROM role_grant WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM federated_identity WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM account_token WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM mfa_recovery_code WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM mfa_totp WHERE user_id = $1`, [userId]);
    const sessions = await count(`DELETE FROM auth_session WHERE user_id = $1`);
    await manager.query(`DELETE FROM notification_preference WHERE user_id = $1`, [userId]);
    // Reminders about the person's enrolments (also escalations sent to their manager or HR) and those
    // sent to them. The person is disabled, so the sweep will not record them again.
    const gone = (await manager.query(
      `DELETE FROM reminder WHERE enrolment_id IN (SELECT id FROM enrolment WHERE user_id = $1) OR recipient_id = $1
       RETURNING notification_id`,
      [userId],
    )) as [Array<{ notification_id: string | null }>, number];
    const reminders = gone[1];
    const touched = [...new Set(gone[0].map((r) => r.notification_id).filter((id): id is string => id !== null))];
    // Notices that now back no reminder are deleted with their e-mails; a digest that still lists other
    // people's reminders is kept, with the person's name replaced by the pseudonym.
    const shared = (await manager.query(`SELECT DISTINCT notification_id AS id FROM reminder WHERE notification_id = ANY($1::uuid[])`, [touched])) as Array<{ id: string }>;
    const keep = new Set(shared.map((r) => r.id));
    const drop = touched.filter((id) => !keep.has(id));
    if (keep.size && name) {
      const ids = [...keep];
      await manager.query(`UPDATE notification SET title = replace(title, $2, $3), body = replace(body, $2, $3) WHERE id = ANY($1::uuid[])`, [ids, name, pseudonym]);
      await manager.query(
        `UPDATE email_message SET subject = replace(subject, $2, $3), text_body = replace(text_body, $2, $3), html_body = replace(html_body, $2, $3)
          WHERE notification_id = ANY($1::uuid[])`,
        [ids, name, pseudonym],
      );
    }
    const emails = await count(`DELETE FROM email_message WHERE user_id = $1 OR notification_id = ANY($2::uuid[])`, [userId, drop]);
    const notifications = await count(`DELETE FROM notification WHERE user_id = $1 OR id = ANY($2::uuid[])`, [userId, drop]);
    // The built-in LRS knows people by their agent identifier: statements and documents that name the
    // person's e-mail (mbox or its SHA-1) are deleted.
    const mailto = `mailto:${email}`;
    const agentKeys = [`mbox:${mailto}`, `sha1:${createHash('sha1').update(mailto).digest('hex')}`];
    await manager.query(`DELETE FROM xapi_statement WHERE related_agent_keys && $1::text[]`, [agentKeys]);
    await manager.query(`DELETE FROM xapi_document WHERE agent_key = ANY($1::text[])`, [agentKeys]);
    await manager.query(`DELETE FROM scorm_runtime WHERE enrolment_id IN (SELECT id FROM enrolment WHERE user_id = $1)`, [userId]);
    // cmi5 launches name the person by an account (their id) in statements and documents; the sessions go too.
    const account = `account:${this.config.publicUrl}|${userId}`;
    await manager.query(`DELETE FROM xapi_statement WHERE related_agent_keys && $1::text[]`, [[account]]);
    await manager.query(`DELETE FROM xapi_document WHERE agent_key = $1`, [account]);
    await manager.query(`DELETE FROM cmi5_session WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE competency_evidence SET note = NULL WHERE user_id = $1 AND note IS NOT NULL`, [userId]);
    // Recognised peer credentials: the record of which credential (an id the peer links to the person) goes; the evidence stays, without its note.
    await manager.query(`DELETE FROM credential_recognition WHERE user_id = $1`, [userId]);
    // Events: registrations and attendance stay (pseudonymous training records); free-text reasons,
    // calendar entries and feed, reminders, trainer rows, named answers' link and commitments go.
    await manager.query(`UPDATE event_registration SET decision_reason = NULL, cancel_reason = NULL WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_calendar_entry WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM calendar_feed_token WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_reminder WHERE recipient_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_trainer WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE event_evaluation_response SET user_id = NULL WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_commitment WHERE created_by = $1`, [userId]);
    await manager.query(`DELETE FROM event_commitment_update WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_commitment_reminder WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_commitment_member WHERE user_id = $1`, [userId]);
    // Follow-up groups: membership and reminders go; the group, its milestones and the others' posts
    // stay, without the person's name on them; the person's own posts are emptied.
    await manager.query(`DELETE FROM event_followup_reminder WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM event_followup_member WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE event_followup_member SET invited_by = NULL WHERE invited_by = $1`, [userId]);
    await manager.query(`UPDATE event_followup_post SET body = '', user_id = NULL WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE event_followup_milestone SET done_by = CASE WHEN done_by = $1 THEN NULL ELSE done_by END, created_by = CASE WHEN created_by = $1 THEN NULL ELSE created_by END WHERE done_by = $1 OR created_by = $1`, [userId]);
    await manager.query(`UPDATE event_followup_group SET created_by = NULL WHERE created_by = $1`, [userId]);
    // Hub: the directory profile goes (and with it every contact request of the person); community
    // posts lose their text and author (the replies of others stay readable in their thread), reports,
    // bans and moderator rows go; a thread keeps its title without its author.
    await manager.query(`DELETE FROM directory_profile WHERE user_id = $1`, [userId]);
    await manager.query(`UPDATE community_post SET body = '', author_id = NULL WHERE author_id = $1`, [userId]);
    await manager.query(`UPDATE community_thread SET author_id = NULL WHERE author_id = $1`, [userId]);
    await manager.query(`UPDATE community_resource SET added_by = NULL WHERE added_by = $1`, [userId]);
    await manager.query(`DELETE FROM community_report WHERE reporter_id = $1`, [userId]);
    await manager.query(`DELETE FROM community_ban WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM community_moderator WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM certificate_document d USING certificate c WHERE c.id = d.certificate_id AND c.user_id = $1`, [userId]);
    const certificates = await count(
      `UPDATE certificate SET holder_name = '', credential_jwt = '', holder_erased_at = now() WHERE user_id = $1 AND holder_erased_at IS NULL`,
    );
    await manager.query(`SET LOCAL lms.audit_maintenance = 'on'`);
    const auditEventsScrubbed = await count(
      `UPDATE audit_event SET before = NULL, after = NULL
        WHERE subject_type = 'user' AND subject_id = $1::text AND (before IS NOT NULL OR after IS NOT NULL)`,
    );
    await manager.query(`SET LOCAL lms.audit_maintenance = 'off'`);
    return { sessions, notifications, emails, reminders, signInAttempts, certificates, auditEventsScrubbed };
  }

  /** Disabled, not yet erased accounts unchanged for `days` days. */
  async inactiveAccounts(days: number, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM app_user WHERE status = 'disabled' AND erased_at IS NULL AND updated_at < now() - make_interval(days => $1) ORDER BY updated_at LIMIT $2`,
      [days, limit],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Deletes up to `batch` rows of one kind older than `days` days; returns how many. Each call is
   * its own short transaction, so a sweep stopped half-way continues where it stopped.
   */
  async deleteExpired(kind: RetentionKind, days: number, batch: number): Promise<number> {
    const spec = RETENTION_SQL[kind];
    return this.dataSource.transaction(async (manager) => {
      if (kind === 'audit') await manager.query(`SET LOCAL lms.audit_maintenance = 'on'`);
      if (kind === 'notifications') {
        // A reminder row is what makes a reminder "sent once": while its enrolment is open the sweep
        // would record it again if it were deleted. So reminders (and their notices) go only once the
        // enrolment is closed; notices still backing an open enrolment's reminder wait for it.
        await manager.query(
          `DELETE FROM reminder r USING notification n, enrolment e
            WHERE n.id = r.notification_id AND e.id = r.enrolment_id
              AND n.created_at < now() - make_interval(days => $1) AND e.status NOT IN ('enrolled', 'in_progress')`,
          [days],
        );
      }
      const r = (await manager.query(
        `DELETE FROM ${spec.table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${spec.table} WHERE ${spec.where} ORDER BY ${spec.order} LIMIT $2))`,
        [days, batch],
      )) as [unknown[], number];
      return r[1];
    });
  }
}

export const RETENTION_KINDS = ['audit', 'notifications', 'emails', 'signInAttempts', 'failedJobs'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

const RETENTION_SQL: Record<RetentionKind, { table: string; where: string; order: string }> = {
  audit: { table: 'audit_event', where: `at < now() - make_interval(days => $1)`, order: 'at' },
  notifications: {
    table: 'notification',
    where: `created_at < now() - make_interval(days => $1) AND NOT EXISTS (SELECT 1 FROM reminder r WHERE r.notification_id = notification.id)`,
    order: 'created_at',
  },
  emails: { table: 'email_message', where: `created_at < now() - make_interval(days => $1) AND state IN ('sent', 'failed')`, order: 'created_at' },
  signInAttempts: { table: 'login_attempt', where: `at < now() - make_interval(days => $1)`, order: 'at' },
  failedJobs: { table: 'failed_job', where: `failed_at < now() - make_interval(days => $1)`, order: 'failed_at' },
};
