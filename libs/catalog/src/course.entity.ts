import { Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '@lms/identity';

/** A course: a stable slug owned by a school (org unit). Its content lives in versions. */
@Entity('course')
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
