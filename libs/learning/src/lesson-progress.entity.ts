import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Lesson } from '@lms/catalog';
import { Enrolment } from './enrolment.entity.js';

/** A lesson done within one enrolment: one row per (enrolment, lesson), so completing twice is a no-op. */
@Entity('lesson_progress')
@Index('uq_lesson_progress', ['enrolmentId', 'lessonId'], { unique: true })
export class LessonProgress {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column('uuid')
  lessonId!: string;

  @ManyToOne(() => Lesson, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'lesson_id' })
  lesson?: Lesson;

  @Column('text')
  lessonSlug!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  completedAt!: Date;
}
