import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Fixed-window counter for the public verification endpoint, one row per client and minute. In
 * the database (not process memory) so every API replica counts the same client together.
 * `client_key` is an HMAC of the client's IP address, never the address itself.
 */
@Entity('credential_verification_hit')
@Index('idx_credential_verification_hit_window', ['windowStart'])
export class VerificationHit {
  @PrimaryColumn('text')
  clientKey!: string;

  @PrimaryColumn('timestamptz')
  windowStart!: Date;

  @Column('int', { default: 1 })
  hits!: number;
}
