import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * A sign-in session = one refresh-token family. Its id is the `sid` claim of every access token
 * issued in the session, so logging out (or reuse of a rotated refresh token, or disabling the
 * person) revokes the family and the guard then refuses its access tokens too.
 */
@Entity('auth_session')
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

  /** logout | reuse | disabled | password_changed */
  @Column('text', { nullable: true })
  revokedReason!: string | null;
}
