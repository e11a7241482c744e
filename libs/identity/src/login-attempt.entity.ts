import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One login attempt, for throttling across replicas (no per-process memory). An attempt is
 * written as `pending` before the password is hashed, then marked `failure` or `success`;
 * attempts refused by the throttle are `throttled` and do not extend the lock-out.
 */
@Entity('login_attempt')
@Index('idx_login_attempt_email', ['email', 'at'])
@Index('idx_login_attempt_ip', ['ip', 'at'])
@Index('idx_login_attempt_at', ['at'])
@Check('ck_login_attempt_outcome', `"outcome" IN ('pending', 'failure', 'success', 'throttled', 'cleared')`)
export class LoginAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The e-mail as typed, lower-cased (whether or not such a person exists). */
  @Column('text')
  email!: string;

  @Column('text')
  ip!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column('text', { default: 'pending' })
  outcome!: 'pending' | 'failure' | 'success' | 'throttled' | 'cleared';
}
