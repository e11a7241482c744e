import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * A person's TOTP authenticator (RFC 6238, SHA-1, 6 digits, 30 s). The shared secret is kept
 * encrypted (AES-256-GCM under a key derived from JWT_SECRET): unlike a password it must be read
 * back to check a code. `confirmedAt` is null while enrolment waits for the first good code.
 * `lastUsedStep` is the time step of the last accepted code: a code of that step or an earlier
 * one is refused, so an observed code cannot be replayed.
 */
@Entity('mfa_totp')
export class MfaTotp {
  @PrimaryColumn('uuid')
  userId!: string;

  @OneToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  secretEncrypted!: string;

  @Column('timestamptz', { nullable: true })
  confirmedAt!: Date | null;

  @Column('integer', { nullable: true })
  lastUsedStep!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One of the ten single-use recovery codes given at enrolment; only its SHA-256 is stored. */
@Entity('mfa_recovery_code')
@Index('uq_mfa_recovery_code', ['userId', 'codeHash'], { unique: true })
export class MfaRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  codeHash!: string;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
