/**
 * The one catalogue of events, jobs and queues. Services write EVENTS to the outbox; the relay
 * turns each event into one JOB per subscribed handler (job id = `<outboxId>.<jobName>`, see
 * eventJobId), so relaying twice enqueues once. Payloads carry ids only: handlers reload state.
 */
/** `xapi`: deliveries to external LRSs (slow remote HTTP kept apart from the domain queues). */
export const QUEUES = ['certificates', 'notifications', 'competency', 'reports', 'learning', 'jobs', 'xapi'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Events a domain writes in the same transaction as its state change. */
export interface EventPayloads {
  /** A person was created, moved to another unit or given another job role: standing assignments apply. */
  'user.placed': { userId: string };
  /** HR assigned a course; enrolments were created for `assignmentId`. */
  'assignment.created': { assignmentId: string };
  /** The completion rule was met. */
  'enrolment.completed': { enrolmentId: string };
  'certificate.issued': { certificateId: string };
  'certificate.revoked': { certificateId: string };
  /** An e-mail (email_message row) was created and waits to be sent (notifications). */
  'notification.email-queued': { messageId: string };
  /** The daily expiry sweep found a certificate expiring within 30 days (written once per certificate). */
  'certificate.expiring': { certificateId: string };
  /** A registration was created or changed status (booked, waitlisted, offered, cancelled, approved, declined…): invitations and notices follow. */
  'event.registration-changed': { registrationId: string };
  /** An event's sessions were changed or cancelled: every booked person gets an updated invitation. */
  'event.sessions-changed': { eventId: string };
  /** A registration met the event's attendance rule (written once per registration). */
  'event.attendance-completed': { registrationId: string };
  /** Identity issued an invitation or password-reset link (account_token row); notifications e-mails it. */
  'account.link-issued': { tokenId: string };
  /** A course version was published (catalog): adaptations of the course are told (docs/hub.md). */
  'course.published': { courseId: string; version: number };
  /** A reply was posted in a community thread (docs/hub.md): the thread's other participants are told. */
  'community.reply-posted': { postId: string };
  /** A person was enrolled in a course (self, assignment, standing assignment, renewal, live attendance). */
  'enrolment.created': { enrolmentId: string };
  /** A lesson was recorded as done within an enrolment (one lesson_progress row, written once). */
  'lesson.completed': { enrolmentId: string; lessonId: string };
  /** A learner opened a lesson of their enrolment, first time that UTC day (one lesson_view row; `day` YYYY-MM-DD). */
  'lesson.viewed': { enrolmentId: string; lessonId: string; day: string };
  /** A quiz attempt was graded (one quiz_attempt row). */
  'quiz.attempted': { attemptId: string };
  /** Statements were stored in the built-in LRS and queued for an external LRS (the lrs_delivery rows of `batchId`). */
  'xapi.forward-queued': { batchId: string };
  /**
   * DIAGNOSTIC, not a domain event: a probe of the job pipeline itself (outbox → relay → queue →
   * worker → database). Written by POST /api/v1/admin/jobs/probes and by the jobs backbone's tests.
   */
  'jobs.probe': { probeId: string };
}
export type EventName = keyof EventPayloads;

/** Scheduled (recurring) jobs have no payload beyond the run date. */
export interface ScheduledPayload {
  runAt?: string;
}

/** Jobs: what a handler receives. */
export interface JobPayloads {
  'learning.apply-standing-assignments': EventPayloads['user.placed'];
  'certificates.issue': EventPayloads['enrolment.completed'];
  'competency.record-evidence': EventPayloads['enrolment.completed'];
  'notifications.enrolment-completed': EventPayloads['enrolment.completed'];
  'notifications.assignment-created': EventPayloads['assignment.created'];
  'notifications.certificate-issued': EventPayloads['certificate.issued'];
  'notifications.certificate-revoked': EventPayloads['certificate.revoked'];
  'notifications.reminder-sweep': ScheduledPayload;
  'notifications.send-email': EventPayloads['notification.email-queued'];
  'notifications.certificate-expiring': EventPayloads['certificate.expiring'];
  'notifications.account-link': EventPayloads['account.link-issued'];
  /** The authors of each adaptation of the published course get a notice with the link to the upstream diff. */
  'notifications.upstream-published': EventPayloads['course.published'];
  /** The other participants of the thread get a notice of the reply (in-app; e-mail per preferences, so also the digest). */
  'notifications.community-reply': EventPayloads['community.reply-posted'];
  'certificates.expiry-sweep': ScheduledPayload;
  'reports.refresh': ScheduledPayload;
  'jobs.outbox-relay': ScheduledPayload;
  /** Deletes relayed outbox rows older than OUTBOX_RETENTION_DAYS, in batches. */
  'jobs.outbox-prune': ScheduledPayload;
  /** Deletes personal data past its retention period and erases long-inactive accounts (libs/privacy). */
  'privacy.retention-sweep': ScheduledPayload;
  /** DIAGNOSTIC (see the 'jobs.probe' event): handled by libs/jobs itself. */
  'jobs.probe': EventPayloads['jobs.probe'];
  /** libs/events: the iCalendar invitation (REQUEST or CANCEL) of a changed registration. */
  'events.registration-invitation': EventPayloads['event.registration-changed'];
  /** libs/events: the notice of a changed registration (approval request to the manager, waitlist offer, decision). */
  'events.registration-notice': EventPayloads['event.registration-changed'];
  /** libs/events: updated invitations to everyone booked when sessions change. */
  'events.sessions-invitation': EventPayloads['event.sessions-changed'];
  /** libs/events: a course-linked event's attendance completes the live lesson (and so, through learning, the course). */
  'events.complete-activity': EventPayloads['event.attendance-completed'];
  /** libs/events: expired waitlist offers → next in line. */
  'events.offer-expiry-sweep': ScheduledPayload;
  /** libs/events: approval requests without a decision after N days → escalated to HR. */
  'events.approval-escalation': ScheduledPayload;
  /** libs/events: session reminders (participants, trainers with the list) and evaluation invitations. */
  'events.session-reminder-sweep': ScheduledPayload;
  /** libs/events: follow-up commitment reminders (1, 3, 6 months…). */
  'events.commitment-reminder-sweep': ScheduledPayload;
  /** libs/interop: the xAPI statements of native learning, written to the built-in LRS (docs/xapi.md). */
  'xapi.statement-enrolment-registered': EventPayloads['enrolment.created'];
  'xapi.statement-lesson-completed': EventPayloads['lesson.completed'];
  'xapi.statement-lesson-viewed': EventPayloads['lesson.viewed'];
  'xapi.statement-quiz-attempted': EventPayloads['quiz.attempted'];
  'xapi.statement-course-completed': EventPayloads['enrolment.completed'];
  'xapi.statement-certificate-issued': EventPayloads['certificate.issued'];
  'xapi.statement-event-attended': EventPayloads['event.attendance-completed'];
  /** libs/interop: one batch of statements POSTed to one external LRS (retries, then the dead-letter list). */
  'xapi.forward': EventPayloads['xapi.forward-queued'];
}
export type JobName = keyof JobPayloads;

export interface JobPolicy {
  queue: QueueName;
  attempts: number;
  /** Exponential backoff base delay. */
  backoffMs: number;
  removeOnComplete: number;
  removeOnFail: number;
}

const standard = { attempts: 5, backoffMs: 2_000, removeOnComplete: 1_000, removeOnFail: 5_000 } as const;

/** Retry and retention per job, as named constants. */
export const JOB_POLICIES: Record<JobName, JobPolicy> = {
  'learning.apply-standing-assignments': { queue: 'learning', ...standard },
  'certificates.issue': { queue: 'certificates', ...standard, attempts: 8 },
  'competency.record-evidence': { queue: 'competency', ...standard },
  'notifications.enrolment-completed': { queue: 'notifications', ...standard },
  'notifications.assignment-created': { queue: 'notifications', ...standard },
  'notifications.certificate-issued': { queue: 'notifications', ...standard },
  'notifications.certificate-revoked': { queue: 'notifications', ...standard },
  'notifications.reminder-sweep': { queue: 'notifications', ...standard, attempts: 3 },
  /** SMTP outages: 10 attempts, 5 s doubling (≈ 42 min in all); then the message is 'failed' (GET /admin/notifications/failed). */
  'notifications.send-email': { queue: 'notifications', ...standard, attempts: 10, backoffMs: 5_000 },
  'notifications.certificate-expiring': { queue: 'notifications', ...standard },
  'notifications.account-link': { queue: 'notifications', ...standard },
  'notifications.upstream-published': { queue: 'notifications', ...standard },
  'notifications.community-reply': { queue: 'notifications', ...standard },
  'certificates.expiry-sweep': { queue: 'certificates', ...standard, attempts: 3 },
  'reports.refresh': { queue: 'reports', ...standard, attempts: 3 },
  'jobs.outbox-relay': { queue: 'jobs', ...standard, attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  /** Each batch commits on its own, so a retry continues where the failed run stopped. */
  'jobs.outbox-prune': { queue: 'jobs', ...standard, attempts: 3, removeOnComplete: 100, removeOnFail: 100 },
  /** Each batch commits on its own, so a retry continues where the failed run stopped. */
  'privacy.retention-sweep': { queue: 'jobs', ...standard, attempts: 3, removeOnComplete: 100, removeOnFail: 100 },
  'events.registration-invitation': { queue: 'notifications', ...standard },
  'events.registration-notice': { queue: 'notifications', ...standard },
  'events.sessions-invitation': { queue: 'notifications', ...standard },
  'events.complete-activity': { queue: 'learning', ...standard },
  'events.offer-expiry-sweep': { queue: 'learning', ...standard, attempts: 3 },
  'events.approval-escalation': { queue: 'notifications', ...standard, attempts: 3 },
  'events.session-reminder-sweep': { queue: 'notifications', ...standard, attempts: 3 },
  'events.commitment-reminder-sweep': { queue: 'notifications', ...standard, attempts: 3 },
  'xapi.statement-enrolment-registered': { queue: 'learning', ...standard },
  'xapi.statement-lesson-completed': { queue: 'learning', ...standard },
  'xapi.statement-lesson-viewed': { queue: 'learning', ...standard },
  'xapi.statement-quiz-attempted': { queue: 'learning', ...standard },
  'xapi.statement-course-completed': { queue: 'learning', ...standard },
  'xapi.statement-certificate-issued': { queue: 'learning', ...standard },
  'xapi.statement-event-attended': { queue: 'learning', ...standard },
  /**
   * An external LRS that is down: 10 attempts, 5 s doubling (≈ 42 min in all), then the batch's
   * statements go to the dead-letter list (GET /admin/lrs-endpoints/dead-letters). Operators may
   * change both with XAPI_FORWARD_ATTEMPTS / XAPI_FORWARD_BACKOFF_MS (AppConfig.jobPolicyOverrides).
   */
  'xapi.forward': { queue: 'xapi', ...standard, attempts: 10, backoffMs: 5_000 },
  /** DIAGNOSTIC: short backoff so a probe that is told to fail every attempt ends in the failed list within a second. */
  'jobs.probe': { queue: 'jobs', attempts: 3, backoffMs: 200, removeOnComplete: 100, removeOnFail: 100 },
};

/**
 * The policy of a job with the operator's overrides (AppConfig.jobPolicyOverrides: attempts and
 * backoff of named jobs, e.g. XAPI_FORWARD_ATTEMPTS) applied.
 */
export function jobPolicy(name: JobName, overrides?: Readonly<Record<string, { attempts?: number; backoffMs?: number } | undefined>>): JobPolicy {
  const o = overrides?.[name];
  return o ? { ...JOB_POLICIES[name], ...o } : JOB_POLICIES[name];
}

/** Which jobs each event starts. */
export const EVENT_SUBSCRIPTIONS: { [E in EventName]: Array<{ [J in JobName]: JobPayloads[J] extends EventPayloads[E] ? J : never }[JobName]> } = {
  'user.placed': ['learning.apply-standing-assignments'],
  'assignment.created': ['notifications.assignment-created'],
  'enrolment.completed': ['certificates.issue', 'competency.record-evidence', 'notifications.enrolment-completed', 'xapi.statement-course-completed'],
  'certificate.issued': ['notifications.certificate-issued', 'xapi.statement-certificate-issued'],
  'certificate.revoked': ['notifications.certificate-revoked'],
  'notification.email-queued': ['notifications.send-email'],
  'certificate.expiring': ['notifications.certificate-expiring'],
  'event.registration-changed': ['events.registration-invitation', 'events.registration-notice'],
  'event.sessions-changed': ['events.sessions-invitation'],
  'event.attendance-completed': ['events.complete-activity', 'xapi.statement-event-attended'],
  'account.link-issued': ['notifications.account-link'],
  'course.published': ['notifications.upstream-published'],
  'community.reply-posted': ['notifications.community-reply'],
  'enrolment.created': ['xapi.statement-enrolment-registered'],
  'lesson.completed': ['xapi.statement-lesson-completed'],
  'lesson.viewed': ['xapi.statement-lesson-viewed'],
  'quiz.attempted': ['xapi.statement-quiz-attempted'],
  'xapi.forward-queued': ['xapi.forward'],
  'jobs.probe': ['jobs.probe'],
};

/**
 * The id of the job an outbox event starts: `<outboxId>.<jobName>`. BullMQ ignores an add whose id
 * exists, so relaying the same row twice enqueues once. (Not `:` as a separator: BullMQ 6 refuses
 * custom ids containing a colon.)
 */
export function eventJobId(outboxId: string, job: JobName): string {
  return `${outboxId}.${job}`;
}

/** Recurring jobs, registered as BullMQ job schedulers (idempotent upsert) or timers in embedded mode. */
export const SCHEDULES: Array<{ job: JobName; every?: number; pattern?: string }> = [
  { job: 'notifications.reminder-sweep', pattern: '0 * * * *' },
  { job: 'certificates.expiry-sweep', pattern: '30 2 * * *' },
  { job: 'reports.refresh', pattern: '*/15 * * * *' },
  { job: 'jobs.outbox-relay', every: 30_000 },
  { job: 'jobs.outbox-prune', pattern: '45 3 * * *' },
  { job: 'privacy.retention-sweep', pattern: '15 4 * * *' },
  { job: 'events.offer-expiry-sweep', pattern: '*/10 * * * *' },
  { job: 'events.approval-escalation', pattern: '5 * * * *' },
  { job: 'events.session-reminder-sweep', pattern: '25 * * * *' },
  { job: 'events.commitment-reminder-sweep', pattern: '35 6 * * *' },
];

/** Every job name, in catalogue order. */
export const JOB_NAMES = Object.keys(JOB_POLICIES) as JobName[];
