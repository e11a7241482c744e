import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope, AuditLog } from '@lms/identity';
import { AssignmentService } from '@lms/learning';
import { AppConfig, type Page, pageOf, type Principal, ValidationError } from '@lms/platform';
import { OrgUnitNotFoundError, UserNotFoundError } from './competency.errors.js';
import { EvidenceRepository } from './evidence.repository.js';
import type { LangMap } from './framework-file.js';
import { FrameworkRepository, pairKey } from './framework.repository.js';
import { GapRepository } from './gap.repository.js';
import type { ShortPersonRow } from './gap.repository.js';
import { GapGroup, RecommendedCourse, recommendCourses } from './gap-ranking.js';

export interface PersonGapItem {
  frameworkKey: string;
  code: string;
  title: LangMap | null;
  requiredLevel: number;
  /** Highest level with unexpired evidence (0: none). */
  heldLevel: number;
  /** Short of the required level now, or within the warning window. */
  short: boolean;
  /** Held today, but the evidence lapses within the warning window: plan the renewal. */
  expiring: boolean;
  expiresAt?: string;
  /** Published courses that close the gap, best first (empty when not short). */
  courses: RecommendedCourse[];
}

export interface PersonGapReport {
  userId: string;
  jobRoleCode: string | null;
  warnDays: number;
  /** Number of requirements the person is short of. */
  gaps: number;
  items: PersonGapItem[];
}

export interface UnitGapItem {
  frameworkKey: string;
  code: string;
  title: LangMap | null;
  requiredLevel: number;
  /** People whose job role requires this competency at this level. */
  peopleRequired: number;
  /** Of those, people short of it (now or within the warning window). */
  peopleShort: number;
  /** Of the people short, those who hold it today but whose evidence lapses within the window. */
  peopleExpiring: number;
  courses: RecommendedCourse[];
}

/** One person short of a competency, as the unit report lists them. */
export type ShortPerson = ShortPersonRow;

export interface UnitGapReport {
  orgUnitId: string;
  warnDays: number;
  /** Active people of the subtree, and those with a job role (whose requirements are analysed). */
  headcount: { people: number; withJobRole: number };
  items: UnitGapItem[];
  /** With ?competency=: the people short of it, a page at a time. */
  people?: Page<ShortPerson>;
}

export interface UnitGapQuery {
  warnDays?: number;
  competency?: string;
  framework?: string;
  page: number;
  limit: number;
}

export interface GapAssignResult {
  orgUnitId: string;
  warnDays: number;
  dueInDays: number;
  /** People with at least one gap. */
  people: number;
  gaps: number;
  /** Gaps skipped because the person is already enrolled in a course that closes them. */
  inProgress: number;
  /** Gaps no published course closes. */
  noCourse: number;
  /** Gaps whose closing courses the person already took (renewal: see the assignment's renewEveryMonths). */
  alreadyTaken: number;
  /** Assignments made (one per course and batch of people). */
  assignments: number;
  /** Enrolments created. */
  created: number;
  alreadyEnrolled: number;
  courses: Array<{ courseSlug: string; competencies: string[]; gaps: number; people: number; created: number; alreadyEnrolled: number; assignmentIds: string[] }>;
}

/** People per assignment call (the learning service lists at most 10,000 people per request). */
const ASSIGN_BATCH = 5_000;

/**
 * Gap analysis: what a person's or a unit's job roles require, what they hold, which published
 * courses close the difference, and one action that assigns them.
 */
@Injectable()
export class GapService {
  private readonly logger = new Logger(GapService.name);

  constructor(
    @Inject(GapRepository) private readonly gaps: GapRepository,
    @Inject(EvidenceRepository) private readonly evidence: EvidenceRepository,
    @Inject(FrameworkRepository) private readonly frameworks: FrameworkRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AssignmentService) private readonly assignments: AssignmentService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Self, HR in scope, admin. */
  async forUser(principal: Principal, userId: string, warnDays = this.config.competencyWarnDays): Promise<PersonGapReport> {
    const user = await this.evidence.findUser(userId);
    if (!user) throw new UserNotFoundError(userId);
    await this.scope.assertCanSeeUser(principal, userId);
    const rows = await this.gaps.personGaps(userId, warnDays);
    const shortOf = (r: { safeLevel: number; requiredLevel: number }): boolean => r.safeLevel < r.requiredLevel;
    const groups: GapGroup[] = rows.map((r) => ({ frameworkKey: r.frameworkKey, code: r.code, requiredLevel: r.requiredLevel, short: shortOf(r) ? 1 : 0 }));
    const [offers, titles] = await Promise.all([
      this.gaps.offersFor([...new Set(groups.filter((g) => g.short).map((g) => g.code))]),
      this.frameworks.titlesOf(rows.map((r) => ({ frameworkKey: r.frameworkKey, code: r.code }))),
    ]);
    const courses = recommendCourses(groups, offers);
    const items = rows.map((r, i): PersonGapItem => {
      const short = shortOf(r);
      const expiring = short && r.heldLevel >= r.requiredLevel;
      return {
        frameworkKey: r.frameworkKey,
        code: r.code,
        title: titles.get(pairKey(r.frameworkKey, r.code)) ?? null,
        requiredLevel: r.requiredLevel,
        heldLevel: r.heldLevel,
        short,
        expiring,
        ...(expiring && r.expiresAt ? { expiresAt: new Date(r.expiresAt).toISOString() } : {}),
        courses: courses[i],
      };
    });
    return { userId, jobRoleCode: user.jobRoleCode, warnDays, gaps: items.filter((i) => i.short).length, items };
  }

  /** HR whose scope covers the unit, or admin; the unit and everything below it. */
  async forUnit(principal: Principal, orgUnitId: string, query: UnitGapQuery): Promise<UnitGapReport> {
    const path = await this.unitPath(principal, orgUnitId);
    const warnDays = query.warnDays ?? this.config.competencyWarnDays;
    if (query.competency && (await this.frameworks.currentCompetencies([query.competency], query.framework)).length === 0) {
      throw new ValidationError([{ field: 'competency', message: `${query.competency} is not a competency of ${query.framework ? `framework ${query.framework}` : 'any imported framework'}` }]);
    }
    const [rows, headcount] = await Promise.all([this.gaps.unitGaps(path, warnDays), this.gaps.headcount(path)]);
    const groups: GapGroup[] = rows.map((r) => ({ frameworkKey: r.frameworkKey, code: r.code, requiredLevel: r.requiredLevel, short: r.peopleShort }));
    const [offers, titles] = await Promise.all([
      this.gaps.offersFor([...new Set(groups.filter((g) => g.short > 0).map((g) => g.code))]),
      this.frameworks.titlesOf(rows.map((r) => ({ frameworkKey: r.frameworkKey, code: r.code }))),
    ]);
    const courses = recommendCourses(groups, offers);
    let items: UnitGapItem[] = rows.map((r, i) => ({
      frameworkKey: r.frameworkKey,
      code: r.code,
      title: titles.get(pairKey(r.frameworkKey, r.code)) ?? null,
      requiredLevel: r.requiredLevel,
      peopleRequired: r.peopleRequired,
      peopleShort: r.peopleShort,
      peopleExpiring: r.peopleExpiring,
      courses: courses[i],
    }));
    const report: UnitGapReport = {
      orgUnitId,
      warnDays,
      headcount,
      items,
    };
    if (query.competency) {
      items = items.filter((i) => i.code === query.competency && (!query.framework || i.frameworkKey === query.framework));
      const { rows: people, total: count } = await this.gaps.shortPeople(
        path,
        warnDays,
        query.competency,
        query.framework ?? null,
        (query.page - 1) * query.limit,
        query.limit,
      );
      report.items = items;
      report.people = pageOf<ShortPerson>(people, count, query);
    }
    return report;
  }

  /**
   * Assigns, per person, the top recommended course for each of their open gaps through the
   * learning domain's assignments. One unit of work: the plan, every assignment (one per course and
   * batch of people), their enrolments, outbox events and the audit entry commit together or not at
   * all, so a failure half-way leaves nothing to clean up and a retry does the whole job once. Gaps
   * already being closed (the person is enrolled in a course that closes them) are skipped, and the
   * plan is made under a lock after any earlier request committed, so a repeated or concurrent call
   * assigns nothing.
   */
  async assignForUnit(principal: Principal, orgUnitId: string, input: { dueInDays: number; warnDays?: number }, requestId: string | null = null): Promise<GapAssignResult> {
    const path = await this.unitPath(principal, orgUnitId);
    const warnDays = input.warnDays ?? this.config.competencyWarnDays;
    const result = await this.dataSource.transaction(async (manager) => {
      const plan = await this.gaps.lockAndPlanAssign(manager, path, warnDays);
      const result: GapAssignResult = {
        orgUnitId,
        warnDays,
        dueInDays: input.dueInDays,
        people: plan.people,
        gaps: plan.gaps,
        inProgress: plan.inProgress,
        noCourse: plan.noCourse,
        alreadyTaken: plan.alreadyTaken,
        assignments: 0,
        created: 0,
        alreadyEnrolled: 0,
        courses: [],
      };
      const batches = plan.plan.flatMap((course) => {
        const slices: Array<{ courseSlug: string; userIds: string[] }> = [];
        for (let i = 0; i < course.userIds.length; i += ASSIGN_BATCH) slices.push({ courseSlug: course.courseSlug, userIds: course.userIds.slice(i, i + ASSIGN_BATCH) });
        return slices;
      });
      const assigned = await this.assignments.assignAll(
        manager,
        principal,
        batches.map((b) => ({ courseSlug: b.courseSlug, target: { userIds: b.userIds }, dueInDays: input.dueInDays })),
      );
      for (const course of plan.plan) {
        const line = { courseSlug: course.courseSlug, competencies: course.competencies, gaps: course.gaps, people: course.userIds.length, created: 0, alreadyEnrolled: 0, assignmentIds: [] as string[] };
        assigned.forEach((r, i) => {
          if (batches[i].courseSlug !== course.courseSlug) return;
          line.assignmentIds.push(r.id);
          line.created += r.created;
          line.alreadyEnrolled += r.alreadyEnrolled;
          result.assignments++;
        });
        result.created += line.created;
        result.alreadyEnrolled += line.alreadyEnrolled;
        result.courses.push(line);
      }
      if (result.assignments) {
        await this.audit.record(
          {
            actor: principal,
            action: 'competency_gaps.assigned',
            subjectType: 'org_unit',
            subjectId: orgUnitId,
            after: { ...result, courses: result.courses.map(({ courseSlug, people, created, assignmentIds }) => ({ courseSlug, people, created, assignmentIds })) },
            requestId,
          },
          manager,
        );
      }
      return result;
    });
    if (result.assignments) this.logger.log(`gaps of unit ${orgUnitId}: ${result.assignments} assignment(s), ${result.created} enrolment(s) created`);
    return result;
  }

  private async unitPath(principal: Principal, orgUnitId: string): Promise<string> {
    const path = await this.gaps.findUnitPath(orgUnitId);
    if (!path) throw new OrgUnitNotFoundError(orgUnitId);
    await this.scope.assertCanManageUnit(principal, orgUnitId);
    return path;
  }
}
