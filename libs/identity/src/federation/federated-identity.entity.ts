import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../user.entity.js';

/**
 * A person's account at an identity provider: (issuer, subject) is the provider's stable name for
 * them (OIDC `iss` + `sub`, SAML IdP entity id + NameID). Once recorded, later sign-ins find the
 * person by it alone, whatever the e-mail or HR id say then.
 */
@Entity('federated_identity')
@Index('uq_federated_identity_issuer_subject', ['issuer', 'subject'], { unique: true })
@Check('ck_federated_identity_protocol', `"protocol" IN ('oidc', 'saml')`)
export class FederatedIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('idx_federated_identity_user')
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  protocol!: 'oidc' | 'saml';

  /** The configured provider key that first linked it (informational: the link is issuer + subject). */
  @Column('text')
  providerKey!: string;

  @Column('text')
  issuer!: string;

  @Column('text')
  subject!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  lastSignInAt!: Date | null;
}
