import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Lesson } from '@lms/catalog';
import { Enrolment } from './enrolment.entity.js';

/**
 * A learner opened a lesson of their enrolment on a day (UTC): one row per (enrolment, lesson, day),
 * so the "viewed" xAPI statement is written once a day however often the lesson is read
 * (docs/xapi.md). Written by the catalog's lesson read; goes with the enrolment.
 */
@Entity('lesson_view')
export class LessonView {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_lesson_view' })
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'enrolment_id', foreignKeyConstraintName: 'FK_lesson_view_enrolment' })
  enrolment?: Enrolment;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_lesson_view' })
  lessonId!: string;

  @ManyToOne(() => Lesson, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'lesson_id', foreignKeyConstraintName: 'FK_lesson_view_lesson' })
  lesson?: Lesson;

  @PrimaryColumn('date', { primaryKeyConstraintName: 'PK_lesson_view' })
  day!: string;

  @Column('timestamptz', { default: () => 'now()' })
  viewedAt!: Date;
}
