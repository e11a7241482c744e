import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@lms/identity';

/**
 * A credential of a trusted peer instance that a person had recognised here (docs/hub.md,
 * federation): who, from which peer, which credential (its id, unique per peer, so one
 * credential is recognised once), what it was for, and until when it was valid. The competency
 * evidence recorded from it has source `recognition` and names the credential in its note.
 */
@Entity('credential_recognition')
@Index('uq_credential_recognition_credential', ['peerUrl', 'credentialId'], { unique: true })
@Index('idx_credential_recognition_user', ['userId'])
export class CredentialRecognition {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_credential_recognition' })
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_credential_recognition_user' })
  user?: User;

  /** The trusted peer's URL (FEDERATION_PEERS). */
  @Column('text')
  peerUrl!: string;

  /** The credential's id (`jti`, `urn:uuid:…`). */
  @Column('text')
  credentialId!: string;

  /** The issuer profile id (a URL at the peer) and its name. */
  @Column('text')
  issuerId!: string;

  @Column('text', { nullable: true })
  issuerName!: string | null;

  /** The achievement's name as the credential gives it. */
  @Column('text', { nullable: true })
  achievementName!: string | null;

  /** The signing key's kid. */
  @Column('text')
  kid!: string;

  @Column('timestamptz', { nullable: true })
  validUntil!: Date | null;

  /** Whether a revocation status list was checked (false: the credential named none). */
  @Column('boolean')
  statusChecked!: boolean;

  /**
   * Whether the credential named its holder by a salted e-mail hash that matched this person's
   * e-mail (docs/hub.md, holder binding). False only when FEDERATION_ACCEPT_UNBOUND let a credential
   * without one through, and for recognitions made before the check existed.
   */
  @Column('boolean', { default: false })
  holderVerified!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  recognisedAt!: Date;
}
