import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '@lms/identity';
import { EnrolmentReader, ProgressService } from '@lms/learning';
import { DomainError, ForbiddenError, NotFoundError, type Principal } from '@lms/platform';
import { cmiOutcome, type CmiOutcome, storableCmi } from './cmi-outcome.js';
import { combineOutcomes, packageOutcomes } from './package-result.js';

export interface ScormCommit {
  sequence: number;
  cmi: Record<string, unknown>;
}

export interface ScormState {
  activityId: string;
  version: '1.2' | '2004';
  /** Where the player loads the SCO: /content/<package id>/<launch path>. */
  launchUrl: string;
  sequence: number;
  cmi: Record<string, unknown>;
  outcome: Omit<CmiOutcome, 'done'> | null;
  lessonCompleted: boolean;
}

/** A packaged lesson as the learner page needs it: the SCO to launch and its package's items (for navigation). */
export interface PackagedLesson {
  activityId: string;
  version: '1.2' | '2004';
  launchUrl: string;
  /** Every SCO of the package that is a lesson of the pinned version, in manifest order (item identifier and lesson). */
  items: Array<{ identifier: string; lessonSlug: string }>;
}

export class ScormActivityNotFoundError extends DomainError {
  constructor() {
    super('scorm_activity_not_found', 'This enrolment has no such SCORM activity', 404);
  }
}

interface ActivityRow {
  id: string;
  package_id: string;
  standard: 'scorm12' | 'scorm2004' | 'cmi5';
  launch: string;
  mastery_score: number | null;
  lesson_slug: string;
}

/**
 * SCORM run-time data on the server (docs/interop.md): the player commits CMI with a sequence
 * number; a commit is applied once (a retry with the same sequence, or an older one, changes
 * nothing), and when the CMI says the SCO is done the lesson is completed through the learning
 * domain's ProgressService (the same completion rules as native lessons).
 */
@Injectable()
export class ScormRuntimeService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(EnrolmentReader) private readonly enrolments: EnrolmentReader,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(AccessScope) private readonly access: AccessScope,
  ) {}

  private async activity(principal: Principal, enrolmentId: string, activityId: string): Promise<{ row: ActivityRow; version: '1.2' | '2004' }> {
    const enrolment = await this.enrolments.findById(enrolmentId);
    if (!enrolment) throw new NotFoundError('Enrolment', enrolmentId);
    if (enrolment.userId !== principal.userId) throw new ForbiddenError('This is not your enrolment');
    // The SCO must be a lesson of the version the enrolment is pinned to.
    const rows = (await this.ds.query(
      `SELECT a.id, a.package_id, p.standard, a.launch, a.mastery_score, a.lesson_slug
         FROM package_activity a
         JOIN content_package p ON p.id = a.package_id
         JOIN lesson l ON l.course_version_id = $3 AND l.slug = a.lesson_slug
        WHERE a.id = $1 AND a.course_id = $2 AND p.standard IN ('scorm12', 'scorm2004')`,
      [activityId, enrolment.courseId, enrolment.courseVersionId],
    )) as ActivityRow[];
    if (!rows.length) throw new ScormActivityNotFoundError();
    return { row: rows[0], version: rows[0].standard === 'scorm12' ? '1.2' : '2004' };
  }

  async state(principal: Principal, enrolmentId: string, activityId: string): Promise<ScormState> {
    const { row, version } = await this.activity(principal, enrolmentId, activityId);
    const [stored] = (await this.ds.query(`SELECT sequence, cmi, completion_status, success_status, score_scaled FROM scorm_runtime WHERE enrolment_id = $1 AND activity_id = $2`, [
      enrolmentId,
      activityId,
    ])) as Array<{ sequence: number; cmi: Record<string, unknown>; completion_status: string | null; success_status: string | null; score_scaled: number | null }>;
    const completed = (await this.ds.query(`SELECT 1 FROM lesson_progress WHERE enrolment_id = $1 AND lesson_slug = $2`, [enrolmentId, row.lesson_slug])) as unknown[];
    return {
      activityId,
      version,
      launchUrl: `/content/${row.package_id}/${row.launch}`,
      sequence: stored?.sequence ?? 0,
      cmi: stored?.cmi ?? {},
      outcome: stored ? { completionStatus: stored.completion_status as CmiOutcome['completionStatus'], successStatus: stored.success_status as CmiOutcome['successStatus'], scoreScaled: stored.score_scaled } : null,
      lessonCompleted: completed.length > 0,
    };
  }

  /** Applies a commit once; returns the state after it and whether this call applied it. */
  async commit(principal: Principal, enrolmentId: string, activityId: string, commit: ScormCommit): Promise<ScormState & { applied: boolean }> {
    const { row, version } = await this.activity(principal, enrolmentId, activityId);
    const outcome = cmiOutcome(version, commit.cmi, row.mastery_score);
    const cmi = storableCmi(commit.cmi);
    const applied = (await this.ds.query(
      `INSERT INTO scorm_runtime (enrolment_id, activity_id, sequence, cmi, completion_status, success_status, score_scaled, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (enrolment_id, activity_id) DO UPDATE
          SET sequence = EXCLUDED.sequence, cmi = EXCLUDED.cmi, completion_status = EXCLUDED.completion_status,
              success_status = EXCLUDED.success_status, score_scaled = EXCLUDED.score_scaled, updated_at = now()
        WHERE scorm_runtime.sequence < EXCLUDED.sequence
       RETURNING sequence`,
      [enrolmentId, activityId, commit.sequence, JSON.stringify(cmi), outcome.completionStatus, outcome.successStatus, outcome.scoreScaled],
    )) as unknown[];
    if (applied.length) {
      // The package's result on the enrolment first (so completion, the certificate and the reports
      // see it), recomputed from what is stored: a retry writes the same values. docs/interop.md.
      const enrolment = (await this.enrolments.findById(enrolmentId))!;
      await this.progress.recordPackageResult(principal, enrolmentId, combineOutcomes(await packageOutcomes(this.ds, enrolmentId, enrolment.courseId)));
      // Completing is idempotent in the learning domain, so a lost answer followed by a retry is harmless.
      if (outcome.done) await this.progress.completeLesson(principal, enrolmentId, row.lesson_slug);
    }
    return { ...(await this.state(principal, enrolmentId, activityId)), applied: applied.length > 0 };
  }

  /** The SCORM SCO behind a lesson of the enrolment's pinned version, or null for a native lesson (the learner pages ask). */
  async packagedLesson(principal: Principal, enrolmentId: string, lessonSlug: string): Promise<PackagedLesson | null> {
    const enrolment = await this.enrolments.findById(enrolmentId);
    if (!enrolment || enrolment.userId !== principal.userId) return null;
    const rows = (await this.ds.query(
      `SELECT a.id, a.package_id, p.standard, a.launch FROM package_activity a
         JOIN content_package p ON p.id = a.package_id
         JOIN lesson l ON l.course_version_id = $3 AND l.slug = a.lesson_slug
        WHERE a.course_id = $1 AND a.lesson_slug = $2 AND p.standard IN ('scorm12', 'scorm2004')`,
      [enrolment.courseId, lessonSlug, enrolment.courseVersionId],
    )) as Array<{ id: string; package_id: string; standard: string; launch: string }>;
    if (!rows.length) return null;
    // The package's SCOs in the pinned version, in manifest order: the table of contents (choice)
    // and the targets of the SCO's navigation requests (docs/interop.md, sequencing).
    const items = (await this.ds.query(
      `SELECT a.identifier, a.lesson_slug AS "lessonSlug" FROM package_activity a
         JOIN lesson l ON l.course_version_id = $2 AND l.slug = a.lesson_slug
        WHERE a.package_id = $1 ORDER BY a.position`,
      [rows[0].package_id, enrolment.courseVersionId],
    )) as Array<{ identifier: string; lessonSlug: string }>;
    return { activityId: rows[0].id, version: rows[0].standard === 'scorm12' ? '1.2' : '2004', launchUrl: `/content/${rows[0].package_id}/${rows[0].launch}`, items };
  }

  /**
   * Who may load a package's files: an author of the owning school or an admin, or a person
   * enrolled in the course. Returns nothing; throws 404 (unknown package) or 403.
   */
  async assertCanView(principal: Principal, packageId: string): Promise<void> {
    const rows = (await this.ds.query(
      `SELECT p.course_id, c.school_org_unit_id FROM content_package p JOIN course c ON c.id = p.course_id WHERE p.id = $1`,
      [packageId],
    )) as Array<{ course_id: string; school_org_unit_id: string }>;
    if (!rows.length) throw new NotFoundError('Package', packageId);
    const enrolled = (await this.ds.query(`SELECT 1 FROM enrolment WHERE user_id = $1 AND course_id = $2 AND status <> 'withdrawn' LIMIT 1`, [principal.userId, rows[0].course_id])) as unknown[];
    if (enrolled.length) return;
    if (await this.access.canAuthorFor(principal, rows[0].school_org_unit_id)) return;
    throw new ForbiddenError('You are not enrolled in the course of this package');
  }
}
