import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity.js';

export const ACCOUNT_TOKEN_KINDS = ['invitation', 'password_reset'] as const;
export type AccountTokenKind = (typeof ACCOUNT_TOKEN_KINDS)[number];

/**
 * A single-use link that lets a person set a password without knowing the old one: an invitation
 * (a new person sets their first password) or a password reset. The link's secret is derived from
 * the row id and a server key (see account-links.ts), so only its SHA-256 is stored here and the
 * e-mail job can rebuild the link at send time without it ever being written down. Issuing a new
 * link of the same kind revokes the person's earlier unused ones.
 */
@Entity('account_token')
@Check('ck_account_token_kind', `kind IN ('invitation', 'password_reset')`)
@Index('idx_account_token_user', ['userId', 'kind'])
export class AccountToken {
  /** Chosen by the service (the secret is derived from it before the row is written). */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  kind!: AccountTokenKind;

  /** Hex SHA-256 of the link's secret. */
  @Index('uq_account_token_hash', { unique: true })
  @Column('text')
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  /** Replaced by a newer link of the same kind (resend, second reset request) or cancelled. */
  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  /** Who asked for it: HR or an admin for invitations; null for a self-service reset. */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;
}
