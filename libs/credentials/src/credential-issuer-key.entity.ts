import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Institution } from '@lms/identity';

/** The public half of an Ed25519 key as a JWK (OKP, crv Ed25519). */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

/**
 * A credential-signing key (Ed25519). The private key is stored encrypted (AES-256-GCM, key
 * derived with HKDF-SHA256 from CREDENTIAL_KEY_SECRET and a per-key salt, the kid as associated
 * data). A key is the instance's (`institution_id` NULL) or one institution's (docs/hub.md: an
 * institution signs its own certificates). Exactly one key per owner is active (`retired_at IS
 * NULL`, a partial unique index); retired keys stay so credentials they signed still verify
 * through the JWKS.
 */
@Entity('credential_issuer_key')
@Index('uq_credential_issuer_key_kid', ['kid'], { unique: true })
@Index('uq_credential_issuer_key_active', { synchronize: false })
export class CredentialIssuerKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** RFC 7638 JWK thumbprint of the public key. */
  @Column('text')
  kid!: string;

  /** NULL: the instance's key. */
  @Column('uuid', { nullable: true })
  institutionId!: string | null;

  @ManyToOne(() => Institution, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'institution_id', foreignKeyConstraintName: 'fk_credential_issuer_key_institution' })
  institution?: Institution;

  @Column('text', { default: 'EdDSA' })
  algorithm!: string;

  @Column('jsonb')
  publicJwk!: PublicJwk;

  /** `v1.<salt>.<iv>.<tag>.<ciphertext>` (base64url) of the PKCS#8 private key. */
  @Column('text')
  privateKeyEncrypted!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  retiredAt!: Date | null;
}
