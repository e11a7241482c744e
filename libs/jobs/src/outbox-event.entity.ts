import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event written in the same transaction as the state change that causes it. The relay
 * moves unrelayed rows to the queue (job id = outbox id) and stamps `relayedAt`; the daily
 * 'jobs.outbox-prune' job deletes relayed rows older than OUTBOX_RETENTION_DAYS.
 */
@Entity('outbox_event')
@Index('idx_outbox_unrelayed', { synchronize: false })
@Index('idx_outbox_relayed', { synchronize: false })
export class OutboxEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  relayedAt!: Date | null;

  /** X-Request-Id of the HTTP request whose transaction wrote the event (null for schedules and the CLI). */
  @Column('text', { nullable: true })
  requestId!: string | null;
}
