import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AuthSession } from './auth-session.entity.js';

/**
 * One opaque refresh token (256 random bits). Only its SHA-256 is stored. Each refresh marks the
 * token used and issues a new one in the same family; presenting a used token again is reuse.
 */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('idx_refresh_token_family')
  @Column('uuid')
  familyId!: string;

  @ManyToOne(() => AuthSession, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'family_id' })
  family?: AuthSession;

  /** Hex SHA-256 of the token. */
  @Index('uq_refresh_token_hash', { unique: true })
  @Column('text')
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;
}
