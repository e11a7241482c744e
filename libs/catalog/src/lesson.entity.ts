import { Column, JoinColumn, ManyToOne, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LangMap } from './course-version.entity.js';
import { CourseVersion } from './course-version.entity.js';

/** A lesson of one course version, in every language of the course. */
@Entity('lesson')
@Index('uq_lesson_slug', ['courseVersionId', 'slug'], { unique: true })
export class Lesson {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  courseVersionId!: string;

  @ManyToOne(() => CourseVersion, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'course_version_id' })
  courseVersion?: CourseVersion;

  @Column('text')
  slug!: string;

  @Column('int')
  position!: number;

  @Column('boolean', { default: true })
  required!: boolean;

  @Column('int')
  minutes!: number;

  @Column('jsonb')
  title!: LangMap;

  /** Markdown per language. */
  @Column('jsonb')
  body!: LangMap;
}
