import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an LRS client may do (docs/xapi.md). `all` includes every other scope. */
export const LRS_SCOPES = ['statements/read', 'statements/write', 'state', 'profile', 'all'] as const;
export type LrsScope = (typeof LRS_SCOPES)[number];

/**
 * A client of the built-in LRS (an authoring tool, a cmi5 AU host, a reporting system): HTTP
 * Basic credentials. The key is public; the secret is shown once at creation and kept only as a
 * SHA-256 hash (it is 32 random bytes, so a slow hash adds nothing but latency on every request).
 */
@Entity('lrs_client')
@Check('ck_lrs_client_scopes', `"scopes" <@ ARRAY['statements/read', 'statements/write', 'state', 'profile', 'all']::text[]`)
export class LrsClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Index('uq_lrs_client_key', { unique: true })
  @Column('text')
  key!: string;

  @Column('text')
  secretHash!: string;

  @Column('text', { array: true })
  scopes!: LrsScope[];

  /** The admin who created it (an account id). */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
