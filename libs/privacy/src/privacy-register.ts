/**
 * The record of processing, in code: every column of every table, classified. A table is either
 * free of personal data (listed in NON_PERSONAL_TABLES with the reason) or each of its columns is
 * listed in PERSONAL_DATA_REGISTER with what it is, why it is kept, who sees it, how long it is kept
 * and what an erasure does to it. A test compares this register with the migrated schema and fails
 * when a column is missing (so a new column cannot arrive unclassified), and checks that
 * docs/privacy.md names every personal column.
 */

/** What an erasure does to the column. */
export type ErasureAction =
  /** Replaced by a value that names nobody (e-mail → erased-<id>@erased.invalid). */
  | 'pseudonymise'
  /** Set to NULL / emptied. */
  | 'clear'
  /** The row is deleted. */
  | 'delete-row'
  /** Kept: needed for truthful aggregates or verification, and names nobody once the person's row is pseudonymised. */
  | 'keep';

export type DataCategory =
  | 'identifier'
  | 'contact'
  | 'profile'
  | 'demographic'
  | 'organisational'
  | 'learning-record'
  | 'credential'
  | 'security'
  | 'communication'
  | 'audit';

export interface RegisterEntry {
  table: string;
  column: string;
  category: DataCategory;
  /** True when the value, alone or with the person's row, identifies or describes a person. */
  personal: boolean;
  purpose: string;
  visibleTo: string;
  retention: string;
  onErasure: ErasureAction;
}

/** Tables without personal data, with the reason. */
export const NON_PERSONAL_TABLES: Record<string, string> = {
  org_unit: 'organisation structure (units, not people)',
  institution: 'institutions of the hub (country, names, logo, certificate issuer name; no people)',
  job_role: 'job role catalogue',
  job_role_requirement: 'competency requirements of job roles',
  course: 'course identity',
  course_version: 'course content and metadata (created_by names an author account by id only)',
  lesson: 'lesson content',
  competency: 'competency framework',
  competency_framework: 'competency framework',
  credential_issuer_key: 'issuer signing keys (secret, not personal)',
  credential_verification_hit: 'verification throttle counters keyed by a hash of the client address, kept one window',
  outbox_event: 'event ids only (payloads hold ids, deleted after OUTBOX_RETENTION_DAYS)',
  job_probe: 'pipeline diagnostics',
  job_probe_effect: 'pipeline diagnostics',
  job_run: 'when each scheduled job ran, how long it took and its outcome (the last 50 per job; no payload, no error text)',
  open_data_table: 'published aggregates with small cells suppressed',
  report_completion_fact: 'per-unit aggregates',
  report_refresh: 'report refresh bookkeeping',
  schema_migrations: 'schema history',
  live_event: 'events (title, dates, rules); created_by names an organiser account by id only',
  event_session: 'session times and venues',
  event_questionnaire: 'evaluation questions',
  scim_client: 'provisioning clients (a system, its hashed token and scope; created_by names an admin account by id only)',
  saml_consumed_assertion: 'replay protection: ids of SAML assertions already used (issuer, random id, expiry), kept until they expire',
  content_package: 'imported SCORM/cmi5 packages of courses (created_by names an author account by id only)',
  package_activity: 'the SCOs and AUs of imported packages',
  lrs_client: 'credentials of LRS client systems (hashed secrets; created_by names an admin account by id only)',
  lrs_endpoint: 'external LRSs statements are forwarded to (URL, user name, encrypted password, statement filter; created_by names an admin account by id only)',
  community_space: 'communities of practice: topic spaces, the institutions they are open to, and the course whose discussion a space is (created_by names an admin account, or for a course discussion its first visitor, by id only)',
  lrs_delivery: 'forwarding bookkeeping: statement ids, states and the last HTTP error per external LRS (no statement content); rows go with their statement when an erasure deletes it',
};

const person = 'the person, HR whose scope covers the person, admins';
const life = 'as long as the account exists; pseudonymised by an erasure';

export const PERSONAL_DATA_REGISTER: RegisterEntry[] = [
  // app_user: the person.
  { table: 'app_user', column: 'id', category: 'identifier', personal: true, purpose: 'links a person’s records', visibleTo: person, retention: 'kept after erasure as a pseudonym (names nobody once the row is pseudonymised)', onErasure: 'keep' },
  { table: 'app_user', column: 'email', category: 'contact', personal: true, purpose: 'sign-in and e-mail reminders', visibleTo: person, retention: life, onErasure: 'pseudonymise' },
  { table: 'app_user', column: 'display_name', category: 'profile', personal: true, purpose: 'shown on pages, reports and certificates', visibleTo: `${person}; the public on a certificate’s verification page`, retention: life, onErasure: 'pseudonymise' },
  { table: 'app_user', column: 'password_hash', category: 'security', personal: true, purpose: 'password sign-in (argon2id; never returned or logged)', visibleTo: 'nobody (the server compares it)', retention: life, onErasure: 'clear' },
  { table: 'app_user', column: 'org_unit_id', category: 'organisational', personal: true, purpose: 'HR scope, assignments and aggregate reports', visibleTo: person, retention: 'kept after erasure so aggregates stay truthful', onErasure: 'keep' },
  { table: 'app_user', column: 'job_role_code', category: 'organisational', personal: true, purpose: 'competency requirements and assignments by job role', visibleTo: person, retention: 'kept after erasure so aggregates stay truthful', onErasure: 'keep' },
  { table: 'app_user', column: 'manager_id', category: 'organisational', personal: true, purpose: 'escalation of overdue training to the line manager', visibleTo: person, retention: life, onErasure: 'clear' },
  { table: 'app_user', column: 'locale', category: 'profile', personal: true, purpose: 'language of pages, e-mails and certificates', visibleTo: person, retention: life, onErasure: 'keep' },
  { table: 'app_user', column: 'time_zone', category: 'profile', personal: true, purpose: 'due dates and reminder times in local time', visibleTo: person, retention: life, onErasure: 'keep' },
  { table: 'app_user', column: 'gender', category: 'demographic', personal: true, purpose: 'optional; only for aggregate open data and equality reports', visibleTo: 'the person and admins; everyone else only in aggregates with cells under 5 suppressed', retention: life, onErasure: 'clear' },
  { table: 'app_user', column: 'locality', category: 'demographic', personal: true, purpose: 'optional (urban/rural); only for aggregate inclusion figures', visibleTo: 'the person and admins; everyone else only in aggregates with cells under 5 suppressed', retention: life, onErasure: 'clear' },
  { table: 'app_user', column: 'status', category: 'security', personal: true, purpose: 'active or disabled (leavers)', visibleTo: person, retention: life, onErasure: 'pseudonymise' },
  { table: 'app_user', column: 'erased_at', category: 'audit', personal: true, purpose: 'when the person’s data was erased', visibleTo: 'admins', retention: 'kept', onErasure: 'pseudonymise' },
  { table: 'app_user', column: 'created_at', category: 'audit', personal: true, purpose: 'account history', visibleTo: person, retention: life, onErasure: 'keep' },
  { table: 'app_user', column: 'updated_at', category: 'audit', personal: true, purpose: 'account history; inactive-account retention', visibleTo: person, retention: life, onErasure: 'keep' },
  { table: 'app_user', column: 'external_id', category: 'identifier', personal: true, purpose: 'the person’s id in the HR system (federated sign-in and provisioning match on it)', visibleTo: person, retention: life, onErasure: 'clear' },
  { table: 'app_user', column: 'employee_number', category: 'identifier', personal: true, purpose: 'the HR system’s employee number (SCIM enterprise extension; informational)', visibleTo: person, retention: life, onErasure: 'clear' },
  // federated sign-in links
  ...['id', 'user_id', 'protocol', 'provider_key', 'issuer', 'subject', 'created_at', 'last_sign_in_at'].map(
    (column): RegisterEntry => ({ table: 'federated_identity', column, category: 'security', personal: column === 'user_id' || column === 'subject' || column === 'last_sign_in_at', purpose: 'links the person to their account at an identity provider (OIDC subject / SAML NameID)', visibleTo: 'nobody (sign-in only); the person in the data export', retention: 'as long as the account exists', onErasure: 'delete-row' }),
  ),
  // account links (invitations, password resets) and the second factor
  ...['id', 'user_id', 'kind', 'token_hash', 'created_at', 'expires_at', 'used_at', 'revoked_at', 'created_by'].map(
    (column): RegisterEntry => ({ table: 'account_token', column, category: 'security', personal: column === 'user_id' || column === 'token_hash' || column === 'created_by', purpose: 'single-use invitation and password-reset links (only a hash of the secret)', visibleTo: 'nobody', retention: 'until used, replaced or expired (7 days / 30 minutes by default)', onErasure: 'delete-row' }),
  ),
  ...['user_id', 'secret_encrypted', 'confirmed_at', 'last_used_step', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'mfa_totp', column, category: 'security', personal: true, purpose: 'the second sign-in factor (TOTP secret, encrypted; the last step used, against replays)', visibleTo: 'nobody (the person sees whether it is on)', retention: 'until the person or an administrator turns it off', onErasure: 'delete-row' }),
  ),
  ...['id', 'user_id', 'code_hash', 'used_at', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'mfa_recovery_code', column, category: 'security', personal: column !== 'id', purpose: 'one-time recovery codes for the second factor (hashes only)', visibleTo: 'nobody', retention: 'until used or the second factor is reset', onErasure: 'delete-row' }),
  ),
  // role_grant
  { table: 'role_grant', column: 'id', category: 'identifier', personal: false, purpose: 'row id', visibleTo: 'admins', retention: life, onErasure: 'delete-row' },
  { table: 'role_grant', column: 'user_id', category: 'identifier', personal: true, purpose: 'who holds the role', visibleTo: 'the person, admins', retention: 'until the grant is removed', onErasure: 'delete-row' },
  { table: 'role_grant', column: 'role', category: 'organisational', personal: true, purpose: 'access control', visibleTo: 'the person, admins', retention: 'until the grant is removed', onErasure: 'delete-row' },
  { table: 'role_grant', column: 'scope_org_unit_id', category: 'organisational', personal: true, purpose: 'access control', visibleTo: 'the person, admins', retention: 'until the grant is removed', onErasure: 'delete-row' },
  { table: 'role_grant', column: 'created_at', category: 'audit', personal: false, purpose: 'grant history', visibleTo: 'admins', retention: 'until the grant is removed', onErasure: 'delete-row' },
  // sessions and tokens
  { table: 'auth_session', column: 'id', category: 'security', personal: false, purpose: 'session id', visibleTo: 'nobody', retention: 'until it expires or ends', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'user_id', category: 'identifier', personal: true, purpose: 'whose session', visibleTo: 'nobody', retention: 'until it expires or ends', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'created_at', category: 'security', personal: true, purpose: 'session age', visibleTo: 'the person (data export)', retention: 'until it expires or ends', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'revoked_at', category: 'security', personal: true, purpose: 'sign-out, token reuse', visibleTo: 'the person (data export)', retention: 'until it expires', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'revoked_reason', category: 'security', personal: true, purpose: 'why a session ended', visibleTo: 'the person (data export)', retention: 'until it expires', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'kind', category: 'security', personal: false, purpose: 'api or web', visibleTo: 'the person (data export)', retention: 'until it expires', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'secret_hash', category: 'security', personal: true, purpose: 'web session check (SHA-256 of the cookie secret)', visibleTo: 'nobody', retention: 'until it expires', onErasure: 'delete-row' },
  { table: 'auth_session', column: 'expires_at', category: 'security', personal: false, purpose: 'session lifetime', visibleTo: 'the person (data export)', retention: 'until it expires', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'id', category: 'security', personal: false, purpose: 'token id', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'family_id', category: 'security', personal: true, purpose: 'rotation family (a session)', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'token_hash', category: 'security', personal: true, purpose: 'refresh check (hash only)', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'created_at', category: 'security', personal: false, purpose: 'rotation', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'expires_at', category: 'security', personal: false, purpose: 'rotation', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'refresh_token', column: 'used_at', category: 'security', personal: false, purpose: 'reuse detection', visibleTo: 'nobody', retention: 'until the session ends', onErasure: 'delete-row' },
  { table: 'login_attempt', column: 'id', category: 'security', personal: false, purpose: 'row id', visibleTo: 'nobody', retention: 'LOGIN_ATTEMPT_RETENTION_DAYS (30)', onErasure: 'delete-row' },
  { table: 'login_attempt', column: 'email', category: 'contact', personal: true, purpose: 'throttling guessing per account', visibleTo: 'nobody', retention: 'LOGIN_ATTEMPT_RETENTION_DAYS (30)', onErasure: 'delete-row' },
  { table: 'login_attempt', column: 'ip', category: 'security', personal: true, purpose: 'throttling guessing per address', visibleTo: 'nobody', retention: 'LOGIN_ATTEMPT_RETENTION_DAYS (30)', onErasure: 'delete-row' },
  { table: 'login_attempt', column: 'at', category: 'security', personal: false, purpose: 'throttle window', visibleTo: 'nobody', retention: 'LOGIN_ATTEMPT_RETENTION_DAYS (30)', onErasure: 'delete-row' },
  { table: 'login_attempt', column: 'outcome', category: 'security', personal: false, purpose: 'throttle', visibleTo: 'nobody', retention: 'LOGIN_ATTEMPT_RETENTION_DAYS (30)', onErasure: 'delete-row' },
  // audit log
  { table: 'audit_event', column: 'id', category: 'audit', personal: false, purpose: 'row id', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'at', category: 'audit', personal: false, purpose: 'when', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'actor_id', category: 'identifier', personal: true, purpose: 'who made a change (accountability)', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'action', category: 'audit', personal: false, purpose: 'what was done', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'subject_type', category: 'audit', personal: false, purpose: 'what was changed', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'subject_id', category: 'identifier', personal: true, purpose: 'which object (may be a person)', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  { table: 'audit_event', column: 'before', category: 'audit', personal: true, purpose: 'the values before a change (may hold a name or e-mail)', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'clear' },
  { table: 'audit_event', column: 'after', category: 'audit', personal: true, purpose: 'the values after a change (may hold a name or e-mail)', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'clear' },
  { table: 'audit_event', column: 'request_id', category: 'audit', personal: false, purpose: 'correlation with logs', visibleTo: 'admins', retention: 'AUDIT_RETENTION_DAYS (5 years)', onErasure: 'keep' },
  // learning records
  ...['id', 'course_id', 'course_version_id', 'status', 'source', 'assignment_id', 'due_reason', 'due_at', 'progress', 'package_score', 'package_passed', 'cycle', 'enrolled_at', 'started_at', 'completed_at', 'withdrawn_at', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'enrolment', column, category: 'learning-record', personal: true, purpose: 'training record: what the person must take, took and completed', visibleTo: person, retention: 'kept after erasure, linked only to the pseudonymised id, so completion figures stay truthful', onErasure: 'keep' }),
  ),
  { table: 'enrolment', column: 'user_id', category: 'identifier', personal: true, purpose: 'whose enrolment', visibleTo: person, retention: 'kept (pseudonymous after erasure)', onErasure: 'keep' },
  ...['id', 'enrolment_id', 'lesson_id', 'lesson_slug', 'completed_at'].map(
    (column): RegisterEntry => ({ table: 'lesson_progress', column, category: 'learning-record', personal: true, purpose: 'which lessons the person finished', visibleTo: person, retention: 'with the enrolment', onErasure: 'keep' }),
  ),
  ...['enrolment_id', 'lesson_id', 'day', 'viewed_at'].map(
    (column): RegisterEntry => ({ table: 'lesson_view', column, category: 'learning-record', personal: true, purpose: 'the day a person first opened a lesson (one xAPI "viewed" statement a day)', visibleTo: 'admins and LRS clients (as xAPI statements)', retention: 'with the enrolment', onErasure: 'keep' }),
  ),
  ...['id', 'enrolment_id', 'attempt_no', 'attempts_allowed', 'answers', 'score', 'passed', 'submitted_at', 'client_key'].map(
    (column): RegisterEntry => ({ table: 'quiz_attempt', column, category: 'learning-record', personal: true, purpose: 'quiz grading, attempt limits, item analysis', visibleTo: person, retention: 'with the enrolment', onErasure: 'keep' }),
  ),
  ...['id', 'course_id', 'target_org_unit_id', 'include_sub_units', 'target_job_role_code', 'due_at', 'due_in_days', 'renew_every_months', 'standing', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'assignment', column, category: 'organisational', personal: false, purpose: 'what HR assigned to whom', visibleTo: 'HR in scope, admins', retention: 'kept', onErasure: 'keep' }),
  ),
  { table: 'assignment', column: 'target_user_ids', category: 'identifier', personal: true, purpose: 'the people named in an assignment', visibleTo: 'HR in scope, admins', retention: 'kept (pseudonymous ids after erasure)', onErasure: 'keep' },
  { table: 'assignment', column: 'created_by', category: 'identifier', personal: true, purpose: 'who assigned (accountability)', visibleTo: 'HR in scope, admins', retention: 'kept', onErasure: 'keep' },
  // competencies
  ...['id', 'competency_code', 'framework_key', 'framework_version', 'level', 'source', 'enrolment_id', 'course_slug', 'awarded_at', 'expires_at', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'competency_evidence', column, category: 'learning-record', personal: true, purpose: 'competencies the person holds, gap analysis', visibleTo: person, retention: 'kept (pseudonymous after erasure) for unit gap figures', onErasure: 'keep' }),
  ),
  { table: 'competency_evidence', column: 'user_id', category: 'identifier', personal: true, purpose: 'whose evidence', visibleTo: person, retention: 'kept (pseudonymous after erasure)', onErasure: 'keep' },
  { table: 'competency_evidence', column: 'note', category: 'learning-record', personal: true, purpose: 'free-text justification of manual evidence (may name people)', visibleTo: person, retention: 'with the evidence', onErasure: 'clear' },
  { table: 'competency_evidence', column: 'recorded_by', category: 'identifier', personal: true, purpose: 'who recorded manual evidence (accountability)', visibleTo: person, retention: 'with the evidence', onErasure: 'keep' },
  // federation: peer credentials recognised here (docs/hub.md)
  ...['id', 'user_id', 'peer_url', 'credential_id', 'issuer_id', 'issuer_name', 'achievement_name', 'kid', 'valid_until', 'status_checked', 'holder_verified', 'recognised_at'].map(
    (column): RegisterEntry => ({ table: 'credential_recognition', column, category: 'credential', personal: true, purpose: "a trusted peer's credential the person had recognised as competency evidence (once per credential)", visibleTo: person, retention: 'as long as the account exists', onErasure: 'delete-row' }),
  ),
  // certificates
  ...['id', 'enrolment_id', 'course_id', 'course_version_id', 'serial', 'verification_code', 'status_list', 'status_index', 'issued_at', 'completed_at', 'expires_at', 'revoked_at', 'revocation_reason', 'revoked_by', 'expiry_notified_at', 'course_slug', 'course_version', 'course_title', 'course_summary', 'default_language', 'framework_key', 'competencies', 'school_org_unit_id', 'school_name', 'issuer_kid', 'created_at', 'holder_locale', 'holder_erased_at'].map(
    (column): RegisterEntry => ({ table: 'certificate', column, category: 'credential', personal: true, purpose: 'the certificate and its public verification', visibleTo: `${person}; status, course and dates to anyone holding the verification code`, retention: 'kept: verification must stay truthful (without a name after erasure)', onErasure: 'keep' }),
  ),
  ...['result_score', 'result_passed', 'result_source'].map(
    (column): RegisterEntry => ({ table: 'certificate', column, category: 'credential', personal: true, purpose: 'the course result (score, passed) printed on the certificate and in its credential', visibleTo: `${person}; anyone holding the verification code`, retention: 'kept with the certificate', onErasure: 'keep' }),
  ),
  { table: 'certificate', column: 'user_id', category: 'identifier', personal: true, purpose: 'whose certificate', visibleTo: person, retention: 'kept (pseudonymous after erasure)', onErasure: 'keep' },
  { table: 'certificate', column: 'holder_name', category: 'profile', personal: true, purpose: 'the name printed on the certificate and shown on verification', visibleTo: `${person}; the public with the verification code`, retention: 'with the certificate; emptied by an erasure', onErasure: 'clear' },
  { table: 'certificate', column: 'credential_jwt', category: 'credential', personal: true, purpose: 'the signed Open Badges credential (names the holder)', visibleTo: person, retention: 'with the certificate; deleted by an erasure (the person keeps their copy)', onErasure: 'clear' },
  { table: 'certificate_document', column: 'certificate_id', category: 'credential', personal: true, purpose: 'the stored PDF', visibleTo: person, retention: 'with the certificate', onErasure: 'delete-row' },
  { table: 'certificate_document', column: 'pdf', category: 'credential', personal: true, purpose: 'the PDF printed with the holder’s name', visibleTo: person, retention: 'with the certificate', onErasure: 'delete-row' },
  { table: 'certificate_document', column: 'sha256', category: 'credential', personal: false, purpose: 'integrity', visibleTo: person, retention: 'with the certificate', onErasure: 'delete-row' },
  { table: 'certificate_document', column: 'created_at', category: 'credential', personal: false, purpose: 'history', visibleTo: person, retention: 'with the certificate', onErasure: 'delete-row' },
  // notifications and e-mail
  ...['id', 'type', 'dedupe_key', 'locale', 'title', 'body', 'link', 'data', 'email_pending', 'read_at', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'notification', column, category: 'communication', personal: true, purpose: 'in-app notices and reminders (may name the learner in a manager’s digest)', visibleTo: 'the recipient', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' }),
  ),
  { table: 'notification', column: 'user_id', category: 'identifier', personal: true, purpose: 'the recipient', visibleTo: 'the recipient', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' },
  ...['id', 'dedupe_key', 'notification_id', 'locale', 'subject', 'text_body', 'html_body', 'state', 'attempts', 'last_error', 'last_attempt_at', 'sent_at', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'email_message', column, category: 'communication', personal: true, purpose: 'e-mail delivery with retries (one row per message)', visibleTo: 'admins (failed deliveries), the recipient (data export)', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' }),
  ),
  { table: 'email_message', column: 'user_id', category: 'identifier', personal: true, purpose: 'the recipient', visibleTo: 'admins', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' },
  { table: 'email_message', column: 'to_address', category: 'contact', personal: true, purpose: 'where the e-mail went', visibleTo: 'admins', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' },
  ...['user_id', 'email', 'digest', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'notification_preference', column, category: 'profile', personal: true, purpose: 'how the person wants to be reminded', visibleTo: 'the person', retention: life, onErasure: 'delete-row' }),
  ),
  ...['id', 'enrolment_id', 'certificate_id', 'kind', 'due_date', 'recipient_id', 'created_at', 'notification_id'].map(
    (column): RegisterEntry => ({ table: 'reminder', column, category: 'communication', personal: true, purpose: 'one reminder per enrolment, kind and date (never twice)', visibleTo: 'nobody directly', retention: 'with the enrolment; deleted by an erasure', onErasure: 'delete-row' }),
  ),
  // the built-in xAPI LRS (docs/xapi.md): statements and documents about agents, matched by their identifier (mbox, account)
  ...['id', 'seq', 'statement', 'content_hash', 'verb_id', 'activity_id', 'related_activity_ids', 'agent_keys', 'related_agent_keys', 'registration', 'stored', 'timestamp', 'voided', 'voids_statement_id', 'client_id'].map(
    (column): RegisterEntry => ({ table: 'xapi_statement', column, category: 'learning-record', personal: ['statement', 'agent_keys', 'related_agent_keys', 'registration', 'timestamp'].includes(column), purpose: 'learning records in the built-in LRS (xAPI statements sent by clients and written by the platform for native courses: who did what, when, with which result; forwarded to the external LRSs admins configure)', visibleTo: 'LRS clients holding the statements/read scope; admins; the external LRSs statements are forwarded to', retention: 'as long as the LRS keeps them; deleted by an erasure (statements naming the person’s e-mail or their account on this server); copies already forwarded to an external LRS are that LRS’s to erase', onErasure: 'delete-row' }),
  ),
  ...['id', 'kind', 'activity_id', 'agent_key', 'registration', 'document_id', 'content_type', 'content', 'etag', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'xapi_document', column, category: 'learning-record', personal: ['agent_key', 'registration', 'content'].includes(column), purpose: 'xAPI state and profile documents (e.g. where a learner left a packaged course)', visibleTo: 'LRS clients holding the state or profile scope; admins', retention: 'until the client deletes it; deleted by an erasure (documents of the person’s e-mail)', onErasure: 'delete-row' }),
  ),
  ...['enrolment_id', 'activity_id', 'sequence', 'cmi', 'completion_status', 'success_status', 'score_scaled', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'scorm_runtime', column, category: 'learning-record', personal: ['enrolment_id', 'cmi', 'completion_status', 'success_status', 'score_scaled', 'updated_at'].includes(column), purpose: 'where the learner is in a packaged (SCORM) lesson: resume data, status and score (the learner’s name is never stored)', visibleTo: 'the person', retention: 'with the enrolment; deleted by an erasure', onErasure: 'delete-row' }),
  ),
  ...['id', 'enrolment_id', 'activity_id', 'user_id', 'actor_key', 'fetch_token_hash', 'secret_hash', 'fetched_at', 'created_at', 'expires_at'].map(
    (column): RegisterEntry => ({ table: 'cmi5_session', column, category: column.endsWith('_hash') ? 'security' : 'learning-record', personal: ['enrolment_id', 'user_id', 'actor_key', 'fetched_at', 'created_at'].includes(column), purpose: 'cmi5 launches: which learner launched which AU, and the hashed one-time fetch token and session secret', visibleTo: 'nobody directly (the LRS checks the session)', retention: 'with the enrolment; deleted by an erasure', onErasure: 'delete-row' }),
  ),
  // jobs
  ...['id', 'job_id', 'name', 'queue', 'payload', 'error', 'attempts', 'failed_at'].map(
    (column): RegisterEntry => ({ table: 'failed_job', column, category: 'audit', personal: column === 'payload' || column === 'error', purpose: 'failed background jobs for operators (payloads hold ids only)', visibleTo: 'admins', retention: 'FAILED_JOB_RETENTION_DAYS (90)', onErasure: 'keep' }),
  ),

  // events (libs/events)
  { table: 'email_message', column: 'calendar_method', category: 'communication', personal: true, purpose: 'the iCalendar method of an invitation carried by the e-mail', visibleTo: 'the recipient (data export)', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' },
  { table: 'email_message', column: 'calendar_ics', category: 'communication', personal: true, purpose: 'the iCalendar invitation (names the attendee and their e-mail)', visibleTo: 'the recipient (data export)', retention: 'NOTIFICATION_RETENTION_DAYS (1 year)', onErasure: 'delete-row' },
  { table: 'event_trainer', column: 'id', category: 'organisational', personal: false, purpose: 'row id', visibleTo: 'everyone signed in (the event page)', retention: 'with the event', onErasure: 'delete-row' },
  { table: 'event_trainer', column: 'event_id', category: 'organisational', personal: false, purpose: 'the event', visibleTo: 'everyone signed in (the event page)', retention: 'with the event', onErasure: 'delete-row' },
  { table: 'event_trainer', column: 'user_id', category: 'organisational', personal: true, purpose: 'a trainer with an account (sees the list, marks attendance)', visibleTo: 'everyone signed in (the event page)', retention: 'with the event', onErasure: 'delete-row' },
  { table: 'event_trainer', column: 'external_name', category: 'profile', personal: true, purpose: 'an external trainer’s name', visibleTo: 'everyone signed in (the event page)', retention: 'with the event', onErasure: 'keep' },
  ...['id', 'event_id', 'user_id', 'status', 'registered_by', 'waitlisted_at', 'offered_at', 'offer_expires_at', 'approver_id', 'approval_requested_at', 'escalated_at', 'decided_by', 'decided_at', 'cancelled_by', 'cancelled_at', 'completed_at', 'created_at', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'event_registration', column, category: 'learning-record', personal: true, purpose: 'registration, waitlist, approval and completion of a live event', visibleTo: 'the person, their manager (requests), HR whose scope covers the person, the event’s organisers and trainers', retention: 'a training record: kept while the account exists; pseudonymous after an erasure', onErasure: 'keep' }),
  ),
  ...['decision_reason', 'cancel_reason'].map(
    (column): RegisterEntry => ({ table: 'event_registration', column, category: 'learning-record', personal: true, purpose: 'why a request was declined or a registration cancelled (free text)', visibleTo: 'the person, HR whose scope covers the person, the event’s organisers', retention: 'a training record: kept while the account exists', onErasure: 'clear' }),
  ),
  ...['session_id', 'registration_id', 'status', 'via', 'marked_by', 'marked_at'].map(
    (column): RegisterEntry => ({ table: 'event_attendance', column, category: 'learning-record', personal: true, purpose: 'attendance per session (present, partial, absent), the basis of completion', visibleTo: 'the event’s organisers and trainers, HR whose scope covers the person (reports)', retention: 'a training record: kept while the account exists; pseudonymous after an erasure', onErasure: 'keep' }),
  ),
  ...['session_id', 'user_id', 'sequence', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'event_calendar_entry', column, category: 'communication', personal: true, purpose: 'the SEQUENCE of a session in a person’s calendar (updates replace the same entry)', visibleTo: 'nobody directly', retention: 'with the session', onErasure: 'delete-row' }),
  ),
  ...['user_id', 'token_hash', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'calendar_feed_token', column, category: 'security', personal: true, purpose: 'the person’s calendar feed (only a SHA-256 of the secret token)', visibleTo: 'nobody (the server compares it)', retention: 'until rotated or turned off', onErasure: 'delete-row' }),
  ),
  ...['id', 'session_id', 'recipient_id', 'kind', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_reminder', column, category: 'communication', personal: true, purpose: 'one session reminder, trainer list or evaluation invitation per person (never twice)', visibleTo: 'nobody directly', retention: 'with the session', onErasure: 'delete-row' }),
  ),
  ...['event_id', 'user_id'].map(
    (column): RegisterEntry => ({ table: 'event_evaluation_submission', column, category: 'learning-record', personal: true, purpose: 'who has answered an evaluation (never linked to anonymous answers)', visibleTo: 'nobody directly', retention: 'with the event', onErasure: 'keep' }),
  ),
  ...['id', 'event_id', 'answers', 'submitted_on'].map(
    (column): RegisterEntry => ({ table: 'event_evaluation_response', column, category: 'learning-record', personal: false, purpose: 'evaluation answers (only the day is kept)', visibleTo: 'the event’s organisers, in aggregates with groups under 5 suppressed', retention: 'with the event', onErasure: 'keep' }),
  ),
  { table: 'event_evaluation_response', column: 'user_id', category: 'identifier', personal: true, purpose: 'the respondent of a named questionnaire (NULL when anonymous)', visibleTo: 'nobody directly (results are aggregated)', retention: 'with the event', onErasure: 'clear' },
  ...['id', 'event_id', 'created_by', 'action', 'due_on', 'partners', 'competency_code', 'sdg', 'reminder_months', 'status', 'created_at', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'event_commitment', column, category: 'learning-record', personal: true, purpose: 'a follow-up commitment made at a workshop (free text may name partners)', visibleTo: 'its members; the event’s organisers (and in aggregates by country and institution, cells under 5 suppressed)', retention: 'with the event', onErasure: 'delete-row' }),
  ),
  ...['commitment_id', 'user_id'].map(
    (column): RegisterEntry => ({ table: 'event_commitment_member', column, category: 'learning-record', personal: true, purpose: 'who shares a commitment', visibleTo: 'its members; the event’s organisers', retention: 'with the commitment', onErasure: 'delete-row' }),
  ),
  ...['id', 'commitment_id', 'user_id', 'note', 'status', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_commitment_update', column, category: 'learning-record', personal: true, purpose: 'progress updates on a commitment', visibleTo: 'its members; the event’s organisers', retention: 'with the commitment', onErasure: 'delete-row' }),
  ),
  ...['commitment_id', 'user_id', 'months', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_commitment_reminder', column, category: 'communication', personal: true, purpose: 'one commitment reminder per member and interval (never twice)', visibleTo: 'nobody directly', retention: 'with the commitment', onErasure: 'delete-row' }),
  ),
  // cross-country follow-up groups (docs/hub.md, item 6)
  ...['id', 'event_id', 'commitment_id', 'title', 'action', 'status', 'kept_at', 'created_at', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'event_followup_group', column, category: 'learning-record', personal: false, purpose: 'a follow-up group of an event’s participants and its joint commitment (free text may name partners)', visibleTo: 'its members; the event’s organisers; kept counts in the public hub aggregate (cells under 5 suppressed)', retention: 'with the event', onErasure: 'keep' }),
  ),
  { table: 'event_followup_group', column: 'created_by', category: 'identifier', personal: true, purpose: 'who started the group', visibleTo: 'its members; the event’s organisers', retention: 'with the group', onErasure: 'clear' },
  ...['group_id', 'user_id', 'status', 'invited_by', 'invited_at', 'joined_at'].map(
    (column): RegisterEntry => ({ table: 'event_followup_member', column, category: 'learning-record', personal: true, purpose: 'who belongs to (or is invited to) a follow-up group, and who invited them; the member’s institution and country are derived when shown', visibleTo: 'its members; the event’s organisers', retention: 'with the group', onErasure: 'delete-row' }),
  ),
  ...['id', 'group_id', 'title', 'due_on', 'done_at', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_followup_milestone', column, category: 'learning-record', personal: false, purpose: 'a milestone of a joint commitment', visibleTo: 'its members; the event’s organisers', retention: 'with the group', onErasure: 'keep' }),
  ),
  ...['done_by', 'created_by'].map(
    (column): RegisterEntry => ({ table: 'event_followup_milestone', column, category: 'identifier', personal: true, purpose: 'who added a milestone and who marked it done', visibleTo: 'its members; the event’s organisers', retention: 'with the group', onErasure: 'clear' }),
  ),
  ...['id', 'group_id', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_followup_post', column, category: 'communication', personal: false, purpose: 'a short progress post in a group’s space', visibleTo: 'its active members; the event’s organisers', retention: 'with the group', onErasure: 'keep' }),
  ),
  { table: 'event_followup_post', column: 'user_id', category: 'identifier', personal: true, purpose: 'who wrote the post', visibleTo: 'its active members; the event’s organisers', retention: 'with the group', onErasure: 'clear' },
  { table: 'event_followup_post', column: 'body', category: 'communication', personal: true, purpose: 'what the person wrote', visibleTo: 'its active members; the event’s organisers', retention: 'with the group', onErasure: 'clear' },
  ...['milestone_id', 'user_id', 'days_before', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'event_followup_reminder', column, category: 'communication', personal: true, purpose: 'one milestone reminder per member and day offset (never twice)', visibleTo: 'nobody directly', retention: 'with the milestone', onErasure: 'delete-row' }),
  ),
  // the hub (docs/hub.md): people directory with consent, communities of practice
  ...['user_id', 'display_name', 'languages', 'expertise', 'created_at', 'updated_at'].map(
    (column): RegisterEntry => ({ table: 'directory_profile', column, category: 'profile', personal: true, purpose: 'the hub directory profile the person opted in to (with institution, country and workshops derived, not stored)', visibleTo: 'other people who have opted in to the directory; the person', retention: 'until the person withdraws consent (deleted at once)', onErasure: 'delete-row' }),
  ),
  ...['consent_version', 'consented_at'].map(
    (column): RegisterEntry => ({ table: 'directory_profile', column, category: 'profile', personal: true, purpose: 'the record of the consent to be listed (text version and moment); withdrawals and consents are also in the audit log', visibleTo: 'the person', retention: 'with the profile', onErasure: 'delete-row' }),
  ),
  ...['id', 'from_user_id', 'to_user_id', 'message', 'status', 'created_at', 'decided_at'].map(
    (column): RegisterEntry => ({ table: 'directory_contact_request', column, category: 'communication', personal: true, purpose: 'a contact request between two directory members; e-mail addresses are shown to both only once accepted', visibleTo: 'the two people (a declined request shows as pending to its sender)', retention: 'until either person withdraws from the directory', onErasure: 'delete-row' }),
  ),
  ...['space_id', 'user_id', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'community_moderator', column, category: 'organisational', personal: true, purpose: 'who moderates a community space', visibleTo: 'admins', retention: 'until removed', onErasure: 'delete-row' }),
  ),
  ...['space_id', 'user_id', 'reason', 'banned_by', 'created_at'].map(
    (column): RegisterEntry => ({ table: 'community_ban', column, category: 'audit', personal: true, purpose: 'a person banned from posting in a space, with the reason', visibleTo: 'the space’s moderators and admins; the person (as “banned”)', retention: 'until lifted', onErasure: 'delete-row' }),
  ),
  ...['id', 'space_id', 'title', 'accepted_post_id', 'created_at', 'last_post_at'].map(
    (column): RegisterEntry => ({ table: 'community_thread', column, category: 'communication', personal: false, purpose: 'a discussion thread of a space', visibleTo: 'the space’s audience', retention: 'with the space', onErasure: 'keep' }),
  ),
  { table: 'community_thread', column: 'author_id', category: 'identifier', personal: true, purpose: 'who started the thread (marks the accepted answer)', visibleTo: 'the space’s audience', retention: 'with the space', onErasure: 'clear' },
  ...['id', 'thread_id', 'created_at', 'hidden_at', 'hidden_by', 'hidden_reason'].map(
    (column): RegisterEntry => ({ table: 'community_post', column, category: 'communication', personal: false, purpose: 'a post of a thread and its moderation (hidden_by names a moderator account by id only)', visibleTo: 'the space’s audience (hidden posts: moderators only)', retention: 'with the space', onErasure: 'keep' }),
  ),
  { table: 'community_post', column: 'author_id', category: 'identifier', personal: true, purpose: 'who wrote the post', visibleTo: 'the space’s audience', retention: 'with the space', onErasure: 'clear' },
  { table: 'community_post', column: 'body', category: 'communication', personal: true, purpose: 'what the person wrote (Markdown)', visibleTo: 'the space’s audience (hidden posts: moderators only)', retention: 'with the space', onErasure: 'clear' },
  ...['id', 'space_id', 'kind', 'title', 'note', 'url', 'file_key', 'file_name', 'content_type', 'size_bytes', 'created_at', 'hidden_at', 'hidden_by', 'hidden_reason'].map(
    (column): RegisterEntry => ({ table: 'community_resource', column, category: 'communication', personal: false, purpose: 'a link or small file shared in a space and its moderation (hidden_by names a moderator account by id only)', visibleTo: 'the space’s audience (hidden resources: moderators only)', retention: 'with the space, until a moderator removes it', onErasure: 'keep' }),
  ),
  { table: 'community_resource', column: 'added_by', category: 'identifier', personal: true, purpose: 'who shared the resource', visibleTo: 'the space’s audience', retention: 'with the resource', onErasure: 'clear' },
  ...['id', 'post_id', 'reporter_id', 'reason', 'created_at', 'resolved_at'].map(
    (column): RegisterEntry => ({ table: 'community_report', column, category: 'communication', personal: true, purpose: 'a report of a post to the space’s moderators', visibleTo: 'the space’s moderators and admins', retention: 'with the post', onErasure: 'delete-row' }),
  ),
];

/** The register keyed `table.column`. */
export function registerIndex(): Map<string, RegisterEntry> {
  return new Map(PERSONAL_DATA_REGISTER.map((e) => [`${e.table}.${e.column}`, e]));
}

/**
 * Columns of `schema` (table → columns) that neither the register nor NON_PERSONAL_TABLES classify,
 * and register entries for columns that no longer exist.
 */
export function registerDrift(schema: Map<string, string[]>): { unclassified: string[]; stale: string[] } {
  const index = registerIndex();
  const unclassified: string[] = [];
  for (const [table, columns] of schema) {
    if (table in NON_PERSONAL_TABLES) continue;
    for (const c of columns) if (!index.has(`${table}.${c}`)) unclassified.push(`${table}.${c}`);
  }
  const stale = [...index.keys()].filter((k) => {
    const [t, c] = k.split('.');
    return !(schema.get(t) ?? []).includes(c);
  });
  return { unclassified: unclassified.sort(), stale: stale.sort() };
}
