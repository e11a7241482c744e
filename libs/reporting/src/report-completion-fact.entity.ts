import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The completion report's materialised aggregate: enrolment counts per org unit and course as of
 * the last 'reports.refresh' run (see report_refresh), for all sources and, in the `assigned*`
 * columns, for assignments only (self = all − assigned). Two rows per unit and course: the unit's
 * own people (`subtree` false) and the unit with everything below it (`subtree` true), so both
 * report variants read rows without aggregating. A derived cache without foreign keys: the refresh
 * rewrites it from enrolment + app_user + org_unit, and readers join org_unit and course, so rows of
 * deleted units or courses simply drop out.
 */
@Entity('report_completion_fact')
@Index('idx_report_completion_fact_course', ['courseId'])
export class ReportCompletionFact {
  @PrimaryColumn('uuid')
  orgUnitId!: string;

  @PrimaryColumn('uuid')
  courseId!: string;

  /** false: the people placed in the unit itself; true: the unit and every unit below it. */
  @PrimaryColumn('boolean')
  subtree!: boolean;

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
