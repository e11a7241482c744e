import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The completion report's materialised aggregate: enrolment counts per org unit (the person's own
 * unit) and course as of the last 'reports.refresh' run (see report_refresh), for all sources and,
 * in the `assigned*` columns, for assignments only (self = all − assigned). One row per unit and
 * course, so the own-staff report reads rows without aggregating. A derived cache without foreign
 * keys: the refresh rewrites it from enrolment + app_user, and readers join org_unit and course,
 * so rows of deleted units or courses simply drop out.
 */
@Entity('report_completion_fact')
@Index('idx_report_completion_fact_course', ['courseId'])
export class ReportCompletionFact {
  @PrimaryColumn('uuid')
  orgUnitId!: string;

  @PrimaryColumn('uuid')
  courseId!: string;

  /** Enrolments that are not withdrawn (every cycle counts). */
  @Column('int')
  enrolled!: number;

  @Column('int')
  notStarted!: number;

  @Column('int')
  inProgress!: number;

  @Column('int')
  completed!: number;

  /** Not completed and past the due date at refresh time. */
  @Column('int')
  overdue!: number;

  @Column('int')
  assignedEnrolled!: number;

  @Column('int')
  assignedNotStarted!: number;

  @Column('int')
  assignedInProgress!: number;

  @Column('int')
  assignedCompleted!: number;

  @Column('int')
  assignedOverdue!: number;
}
