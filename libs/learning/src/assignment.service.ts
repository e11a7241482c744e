import { Inject, Injectable } from '@nestjs/common';
import { LEARNING_MESSAGES as M } from './learning.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, fieldError, ForbiddenError, isAdmin, NotFoundError, Principal, ValidationError } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { CatalogReader } from '@lms/catalog';
import { Outbox } from '@lms/jobs';
import type { AssignmentTarget } from './assignment.entity.js';
import { AssignmentCounts, AssignmentRepository, AssignmentTrendPoint, AssignmentView } from './assignment.repository.js';
import { describeTarget, planDue } from './learning-rules.js';

/** What a caller (HR over HTTP, or the competency domain closing gaps) asks for. */
export interface AssignInput {
  courseSlug: string;
  target: AssignmentTarget;
  /** A fixed due date (ISO string or Date); exclusive with dueInDays. */
  dueAt?: Date | string | null;
  /** Days after the person is assigned (or joins the target later). */
  dueInDays?: number | null;
  /** Completing creates the next cycle, due this many months after the completion. */
  renewEveryMonths?: number | null;
}

export interface AssignResult {
  id: string;
  /** People the target matched (active accounts). */
  matched: number;
  /** Enrolments created by this request. */
  created: number;
  /** Matched people who already had an active or completed enrolment in the course (kept as is). */
  alreadyEnrolled: number;
}

/** A dry run of an assignment: what it would do, with nothing written. */
export interface AssignPreview {
  dryRun: true;
  /** People the target matches (active accounts). */
  matched: number;
  /** Of those, people who already hold the course (active or completed enrolment): kept as they are. */
  alreadyEnrolled: number;
  /** Enrolments the assignment would create. */
  wouldCreate: number;
}

export interface AssignmentDetails extends AssignmentView {
  /** The target in words. */
  targetDescription: string;
  counts: AssignmentCounts;
}

/** An assignment checked and resolved, ready to write. */
interface PreparedAssignment {
  target: AssignmentTarget;
  dueAt: Date | null;
  dueInDays: number | null;
  renewEveryMonths: number | null;
  courseId: string;
  courseVersionId: string;
  unit: { id: string; code: string; name: string; path: string } | null;
  targetText: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_LISTED_USERS = 10_000;

/**
 * Assigns a course to people: listed people, an org unit (optionally with everything below it), a
 * job role, or a unit and a role together. HR only inside its subtree; admins anywhere. One
 * transaction: the assignment row, one set-based insert of the enrolments, the outbox event.
 */
@Injectable()
export class AssignmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AssignmentRepository) private readonly assignments: AssignmentRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(CatalogReader) private readonly catalog: CatalogReader,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async assign(principal: Principal, input: AssignInput): Promise<AssignResult> {
    const prepared = await this.prepare(principal, input);
    return this.dataSource.transaction((manager) => this.write(manager, principal, prepared));
  }

  /** The same checks as assign (validation, course, scope), then counts only: writes nothing. */
  async preview(principal: Principal, input: AssignInput): Promise<AssignPreview> {
    const p = await this.prepare(principal, input);
    const r = await this.assignments.previewTargets({ courseId: p.courseId, target: p.target, unitPath: p.unit?.path ?? null });
    return { dryRun: true, matched: r.matched, alreadyEnrolled: r.alreadyEnrolled, wouldCreate: r.matched - r.alreadyEnrolled };
  }

  /**
   * Several assignments in the caller's transaction (the competency domain closing a unit's gaps):
   * every input is validated and checked first, then all are written, so they commit together or
   * not at all. Results in input order.
   */
  async assignAll(manager: EntityManager, principal: Principal, inputs: AssignInput[]): Promise<AssignResult[]> {
    const prepared: PreparedAssignment[] = [];
    for (const input of inputs) prepared.push(await this.prepare(principal, input));
    const results: AssignResult[] = [];
    for (const p of prepared) results.push(await this.write(manager, principal, p));
    return results;
  }

  /** Validation, the published course, and the caller's scope over the target: reads only. */
  private async prepare(principal: Principal, input: AssignInput): Promise<PreparedAssignment> {
    const { target, dueAt, dueInDays, renewEveryMonths } = this.validate(input);
    const found = await this.catalog.findPublishedBySlug(input.courseSlug);
    if (!found) throw new NotFoundError('Published course', input.courseSlug);
    // HR assigns what its institution may see (docs/hub.md); an instance-wide admin assigns any course.
    if (!isAdmin(principal) && !(await this.catalog.isVisibleToOrgUnit(found.course.id, principal.orgUnitId))) throw new NotFoundError('Published course', input.courseSlug);

    let unit: { id: string; code: string; name: string; path: string } | null = null;
    if (target.orgUnitId) {
      const rows = (await this.dataSource.query(`SELECT id, code, name, path FROM org_unit WHERE id = $1`, [target.orgUnitId])) as Array<{
        id: string;
        code: string;
        name: string;
        path: string;
      }>;
      unit = rows[0] ?? null;
      if (!unit) throw new NotFoundError('Org unit', target.orgUnitId);
      await this.scope.assertCanManageUnit(principal, unit.id);
    }
    if (target.userIds) await this.checkListedPeople(principal, target.userIds);
    if (target.jobRoleCode && !target.orgUnitId && !isAdmin(principal)) {
      throw new ForbiddenError(M.jobRoleAcrossOrganisation());
    }
    const targetText = describeTarget({ userCount: target.userIds?.length, unit, includeSubUnits: target.includeSubUnits, jobRoleCode: target.jobRoleCode });
    return { target, dueAt, dueInDays, renewEveryMonths, courseId: found.course.id, courseVersionId: found.version.id, unit, targetText };
  }

  /** The assignment row, its enrolments (one set-based insert) and its outbox event, in `manager`'s transaction. */
  private async write(manager: EntityManager, principal: Principal, a: PreparedAssignment): Promise<AssignResult> {
    const created = await this.assignments.insert(manager, {
      courseId: a.courseId,
      target: a.target,
      dueAt: a.dueAt,
      dueInDays: a.dueInDays,
      renewEveryMonths: a.renewEveryMonths,
      createdBy: principal.userId,
    });
    const due = planDue({ id: created.id, dueAt: a.dueAt, dueInDays: a.dueInDays }, a.targetText, 'assignment', created.createdAt);
    const counts = await this.assignments.enrolTargets(manager, {
      assignmentId: created.id,
      courseId: a.courseId,
      courseVersionId: a.courseVersionId,
      target: a.target,
      unitPath: a.unit?.path ?? null,
      dueAt: due.dueAt,
      dueReason: due.dueReason,
    });
    await this.outbox.add(manager, 'assignment.created', { assignmentId: created.id });
    // One 'enrolment.created' per enrolment this transaction inserted (their enrolled_at is this
    // transaction's now(); adopted enrolments keep their older enrolled_at), in one statement.
    if (counts.created > 0) {
      await this.outbox.addFromQuery(
        manager,
        'enrolment.created',
        `SELECT jsonb_build_object('enrolmentId', id) AS payload FROM enrolment WHERE assignment_id = $1 AND enrolled_at = now()`,
        [created.id],
      );
    }
    return { id: created.id, matched: counts.matched, created: counts.created, alreadyEnrolled: counts.matched - counts.created };
  }

  /** Admin, the HR person who created it, or HR whose scope covers the target (unit or every listed person). */
  async get(principal: Principal, id: string): Promise<AssignmentDetails> {
    const a = await this.assignments.findView(id);
    if (!a) throw new NotFoundError('Assignment', id);
    if (!(await this.canSee(principal, a))) throw new ForbiddenError(M.assignmentOutOfScope());
    return {
      ...a,
      targetDescription: describeTarget({
        userCount: a.target.userIds?.length,
        unit: a.targetUnit,
        includeSubUnits: a.target.includeSubUnits,
        jobRoleCode: a.target.jobRoleCode,
      }),
      counts: await this.assignments.counts(id),
    };
  }

  /** Weekly counts since the assignment was made (newest first), for whoever may see the assignment. */
  async trend(principal: Principal, id: string, weeks = 12): Promise<AssignmentTrendPoint[]> {
    const a = await this.assignments.findView(id);
    if (!a) throw new NotFoundError('Assignment', id);
    if (!(await this.canSee(principal, a))) throw new ForbiddenError(M.assignmentOutOfScope());
    return this.assignments.trend(id, weeks);
  }

  /** The assignment as the learner's "why am I enrolled" shows it (no access check: the caller checked the enrolment). */
  async describe(id: string): Promise<(AssignmentView & { targetDescription: string }) | null> {
    const a = await this.assignments.findView(id);
    if (!a) return null;
    return {
      ...a,
      targetDescription: describeTarget({ userCount: a.target.userIds?.length, unit: a.targetUnit, includeSubUnits: a.target.includeSubUnits, jobRoleCode: a.target.jobRoleCode }),
    };
  }

  private async canSee(principal: Principal, a: AssignmentView): Promise<boolean> {
    if (isAdmin(principal) || a.createdBy === principal.userId) return true;
    if (a.target.orgUnitId) return this.scope.canManageUnit(principal, a.target.orgUnitId);
    if (a.target.userIds) return this.allInScope(principal, a.target.userIds);
    return false;
  }

  private async checkListedPeople(principal: Principal, userIds: string[]): Promise<void> {
    const unknown = (await this.dataSource.query(
      `SELECT x::text AS id FROM unnest($1::uuid[]) x WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = x) LIMIT 20`,
      [userIds],
    )) as Array<{ id: string }>;
    if (unknown.length) {
      throw new ValidationError([fieldError('target.userIds', M.unknownUsers({ ids: unknown.map((u) => u.id).join(', ') }))]);
    }
    if (!isAdmin(principal) && !(await this.allInScope(principal, userIds))) throw new ForbiddenError(M.someOutOfScope());
  }

  private async allInScope(principal: Principal, userIds: string[]): Promise<boolean> {
    const prefixes = await this.scope.scopePaths(principal, 'hr');
    if (prefixes.length === 0) return false;
    const [r] = (await this.dataSource.query(
      `SELECT count(*)::int AS outside FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%')`,
      [userIds, prefixes],
    )) as Array<{ outside: number }>;
    return r.outside === 0;
  }

  /** The rules HTTP validation also states, repeated here for callers inside the process. */
  private validate(input: AssignInput): { target: AssignmentTarget; dueAt: Date | null; dueInDays: number | null; renewEveryMonths: number | null } {
    const errors: FieldError[] = [];
    const t = input.target ?? {};
    if (typeof input.courseSlug !== 'string' || !input.courseSlug) errors.push({ field: 'courseSlug', message: 'courseSlug is required', rule: 'isDefined' });
    const target: AssignmentTarget = {};
    if (t.userIds !== undefined) {
      const ids = [...new Set(t.userIds)];
      if (ids.length === 0) errors.push({ field: 'target.userIds', message: 'target.userIds must list at least one person', rule: 'arrayMinSize', params: { min: 1 } });
      if (ids.length > MAX_LISTED_USERS) errors.push(fieldError('target.userIds', M.tooManyUsers({ max: MAX_LISTED_USERS })));
      if (ids.some((id) => typeof id !== 'string' || !UUID.test(id))) errors.push({ field: 'target.userIds', message: 'each of target.userIds must be a UUID', rule: 'isUUID' });
      if (t.orgUnitId !== undefined || t.jobRoleCode !== undefined) {
        errors.push(fieldError('target', M.targetCombined()));
      }
      target.userIds = ids;
    }
    if (t.orgUnitId !== undefined) {
      if (typeof t.orgUnitId !== 'string' || !UUID.test(t.orgUnitId)) errors.push({ field: 'target.orgUnitId', message: 'target.orgUnitId must be a UUID', rule: 'isUUID' });
      target.orgUnitId = t.orgUnitId;
      target.includeSubUnits = t.includeSubUnits ?? false;
    } else if (t.includeSubUnits !== undefined) {
      errors.push(fieldError('target.includeSubUnits', M.subUnitsNeedUnit()));
    }
    if (t.jobRoleCode !== undefined) {
      if (typeof t.jobRoleCode !== 'string' || !t.jobRoleCode.trim()) errors.push({ field: 'target.jobRoleCode', message: 'target.jobRoleCode must be a non-empty string', rule: 'isNotEmpty' });
      target.jobRoleCode = t.jobRoleCode;
    }
    if (t.userIds === undefined && t.orgUnitId === undefined && t.jobRoleCode === undefined) {
      errors.push(fieldError('target', M.noTarget()));
    }

    let dueAt: Date | null = null;
    if (input.dueAt !== undefined && input.dueAt !== null) {
      dueAt = input.dueAt instanceof Date ? input.dueAt : new Date(input.dueAt);
      if (Number.isNaN(dueAt.getTime())) errors.push({ field: 'dueAt', message: 'dueAt must be a date-time', rule: 'isISO8601' });
      else if (dueAt.getTime() <= Date.now()) errors.push(fieldError('dueAt', M.dueAtPast()));
    }
    const dueInDays = input.dueInDays ?? null;
    if (dueInDays !== null && (!Number.isInteger(dueInDays) || dueInDays < 1 || dueInDays > 3650)) {
      errors.push(fieldError('dueInDays', M.wholeNumberRange({ field: 'dueInDays', min: 1, max: 3650 })));
    }
    if (dueAt && dueInDays !== null) errors.push(fieldError('dueAt', M.dueBoth()));
    const renewEveryMonths = input.renewEveryMonths ?? null;
    if (renewEveryMonths !== null && (!Number.isInteger(renewEveryMonths) || renewEveryMonths < 1 || renewEveryMonths > 120)) {
      errors.push(fieldError('renewEveryMonths', M.wholeNumberRange({ field: 'renewEveryMonths', min: 1, max: 120 })));
    }
    if (errors.length) throw new ValidationError(errors);
    return { target, dueAt, dueInDays, renewEveryMonths };
  }
}
