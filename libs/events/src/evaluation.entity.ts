import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';
import { LiveEvent } from './event.entity.js';

export type QuestionType = 'scale' | 'choice' | 'text';
/** A question; texts per locale (en, sr-Latn, sr-Cyrl), the participant sees their language. */
export interface EvaluationQuestion {
  id: string;
  type: QuestionType;
  text: Record<string, string>;
  /** For `scale`: 1..max (default 5). */
  max?: number;
  /** For `choice`. */
  choices?: Array<{ id: string; text: Record<string, string> }>;
}

/** The evaluation questionnaire of an event (Kirkpatrick levels 1 and 2), anonymous or named. */
@Entity('event_questionnaire')
export class EventQuestionnaire {
  @PrimaryColumn('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('boolean', { default: true })
  anonymous!: boolean;

  @Column('jsonb')
  questions!: EvaluationQuestion[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Who has answered (so nobody answers twice); never linked to the answers of an anonymous questionnaire. */
@Entity('event_evaluation_submission')
export class EventEvaluationSubmission {
  @PrimaryColumn('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @PrimaryColumn('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}

/** The answers: `userId` only for a named questionnaire; only the day is kept, so time cannot re-identify anonymous answers. */
@Entity('event_evaluation_response')
@Index('idx_event_evaluation_response_event', ['eventId'])
export class EventEvaluationResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  eventId!: string;

  @ManyToOne(() => LiveEvent, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'event_id' })
  event?: LiveEvent;

  @Column('uuid', { nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('jsonb')
  answers!: Record<string, number | string>;

  @Column('date')
  submittedOn!: string;
}
