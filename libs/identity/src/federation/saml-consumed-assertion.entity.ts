import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * SAML assertions already used to sign in, kept until they expire: a second POST of the same
 * assertion (replay) is refused on every replica because the check is this table's primary key.
 */
@Entity('saml_consumed_assertion')
@Index('idx_saml_consumed_assertion_expires', ['expiresAt'])
export class SamlConsumedAssertion {
  @PrimaryColumn('text')
  issuer!: string;

  @PrimaryColumn('text')
  assertionId!: string;

  @Column('timestamptz')
  expiresAt!: Date;
}
