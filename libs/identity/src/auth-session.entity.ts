import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * A sign-in session = one refresh-token family. Its id is the `sid` claim of every access token
 * issued in the session, so logging out (or reuse of a rotated refresh token, or disabling the
 * person) revokes the family and the guard then refuses its access tokens too.
 *
 * A browser session (`kind = 'web'`) is the same record without refresh tokens: the HttpOnly
 * cookie carries `<id>.<secret>`, of which only the SHA-256 is stored, and it ends at `expiresAt`
 * or when revoked by the same paths (sign-out, disabling, password change).
 */
@Entity('auth_session')
@Check('ck_auth_session_kind', `kind IN ('api', 'web')`)
@Check('ck_auth_session_web_secret', `kind = 'api' OR (secret_hash IS NOT NULL AND expires_at IS NOT NULL)`)
export class AuthSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('idx_auth_session_user')
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('text', { default: 'api' })
  kind!: 'api' | 'web';

  /** Web sessions: SHA-256 (hex) of the cookie's secret part. */
  @Column('text', { nullable: true })
  secretHash!: string | null;

  /** Web sessions: absolute end of the session. */
  @Column('timestamptz', { nullable: true })
  expiresAt!: Date | null;

  /** logout | reuse | disabled | password_changed */
  @Column('text', { nullable: true })
  revokedReason!: string | null;
}
