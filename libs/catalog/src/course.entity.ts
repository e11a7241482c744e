import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '@lms/identity';

export const COURSE_VISIBILITIES = ['private', 'shared', 'public'] as const;
export type CourseVisibility = (typeof COURSE_VISIBILITIES)[number];

/**
 * A course: a stable slug owned by a school (org unit). Its content lives in versions. The school's
 * tree is the owning institution; visibility and licence say who else may see and adapt it, and an
 * adaptation records its upstream (docs/hub.md).
 */
@Entity('course')
@Check('ck_course_visibility', `"visibility" IN ('private', 'shared', 'public')`)
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('uq_course_slug', { unique: true })
  @Column('text')
  slug!: string;

  @Index('idx_course_school')
  @Column('uuid')
  schoolOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'school_org_unit_id' })
  school?: OrgUnit;

  /** private: its own institution only; shared: also the chosen institutions and countries; public: the whole hub. */
  @Column('text', { default: 'public' })
  visibility!: CourseVisibility;

  /** With `shared`: institution ids that may see it. */
  @Column('uuid', { array: true, default: () => "'{}'" })
  sharedInstitutionIds!: string[];

  /** With `shared`: ISO 3166-1 alpha-2 codes whose institutions may see it. */
  @Column('text', { array: true, default: () => "'{}'" })
  sharedCountries!: string[];

  /** An SPDX id from the allow-list (libs/catalog/src/licences.ts); null: not stated (all rights reserved). */
  @Column('text', { nullable: true })
  licence!: string | null;

  @Column('text', { nullable: true })
  attribution!: string | null;

  /** An adaptation: the course it was forked from, and the upstream version it is based on (or last merged). */
  @Index('idx_course_upstream')
  @Column('uuid', { nullable: true })
  upstreamCourseId!: string | null;

  @ManyToOne(() => Course, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'upstream_course_id', foreignKeyConstraintName: 'fk_course_upstream' })
  upstream?: Course;

  @Column('int', { nullable: true })
  upstreamVersion!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
