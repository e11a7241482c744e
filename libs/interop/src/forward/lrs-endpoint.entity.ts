import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { XapiStatement } from '../xapi-statement.entity.js';

/**
 * An external LRS the built-in one forwards statements to (docs/xapi.md, "Forwarding"). The Basic
 * password is stored encrypted (AES-256-GCM, key derived from CREDENTIAL_KEY_SECRET) and never
 * returned. A statement goes to the endpoint when its verb is in `verbs` (empty: any verb) and one of
 * its activities (object, context activities) is, or lies under, one of `activity_prefixes` (empty: any).
 */
@Entity('lrs_endpoint')
@Check('ck_lrs_endpoint_url', `"url" ~ '^https?://'`)
export class LrsEndpoint {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** The LRS's xAPI endpoint (the statements resource is `<url>/statements`). */
  @Column('text')
  url!: string;

  @Column('text')
  username!: string;

  /** `v1.<salt>.<iv>.<tag>.<ciphertext>` (forward/endpoint-secret.ts). */
  @Column('text')
  passwordEncrypted!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  verbs!: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  activityPrefixes!: string[];

  /** The admin who created it (an account id). */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One statement on its way to one external LRS: one row per (endpoint, statement), so a statement is
 * queued for an endpoint once. `batch_id` groups the rows one 'xapi.forward' job sends; after the
 * last attempt the rows still pending become `dead` (the dead-letter list) with the last error.
 */
@Entity('lrs_delivery')
@Check('ck_lrs_delivery_state', `"state" IN ('pending', 'delivered', 'dead')`)
@Index('idx_lrs_delivery_batch', ['batchId'])
@Index('idx_lrs_delivery_dead', { synchronize: false })
export class LrsDelivery {
  @PrimaryColumn('uuid')
  endpointId!: string;

  @ManyToOne(() => LrsEndpoint, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: LrsEndpoint;

  @PrimaryColumn('uuid')
  statementId!: string;

  @ManyToOne(() => XapiStatement, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'statement_id' })
  statement?: XapiStatement;

  @Column('uuid')
  batchId!: string;

  @Column('text', { default: 'pending' })
  state!: DeliveryState;

  @Column('int', { default: 0 })
  attempts!: number;

  /** The last failure (HTTP status or network error; never a credential or a response body). */
  @Column('text', { nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  deliveredAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  deadAt!: Date | null;
}
