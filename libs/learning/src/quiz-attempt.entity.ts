import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Enrolment } from './enrolment.entity.js';

export interface QuizAnswer {
  questionId: string;
  choiceIds: string[];
}

/**
 * One graded quiz submission. `attempt_no` is unique per enrolment and bounded by the limit copied
 * from the pinned course version, so racing submissions cannot exceed the limit.
 */
@Entity('quiz_attempt')
@Index('uq_quiz_attempt', ['enrolmentId', 'attemptNo'], { unique: true })
@Index('uq_quiz_attempt_client_key', ['enrolmentId', 'clientKey'], { unique: true })
@Check('ck_quiz_attempt_no', `attempt_no BETWEEN 1 AND attempts_allowed`)
@Check('ck_quiz_attempt_score', `score BETWEEN 0 AND 100`)
export class QuizAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  enrolmentId!: string;

  @ManyToOne(() => Enrolment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'enrolment_id' })
  enrolment?: Enrolment;

  @Column('int')
  attemptNo!: number;

  @Column('int')
  attemptsAllowed!: number;

  @Column('jsonb')
  answers!: QuizAnswer[];

  @Column('int')
  score!: number;

  @Column('boolean')
  passed!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt!: Date;

  /**
   * The idempotency key of a submission made offline and replayed by the device: the same key
   * twice is the same attempt (unique per enrolment), so a replayed sync grades once.
   */
  @Column('text', { nullable: true })
  clientKey!: string | null;
}
