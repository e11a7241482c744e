import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only audit log of writes by admins and HR (and other privileged writes). A trigger
 * made by the migration refuses UPDATE, DELETE and TRUNCATE. `before`/`after` never hold
 * secrets (passwords, hashes, tokens): AuditLog scrubs them.
 */
@Entity('audit_event')
@Index('idx_audit_event_subject', ['subjectType', 'subjectId', 'at'])
@Index('idx_audit_event_actor', ['actorId', 'at'])
@Index('idx_audit_event_at', ['at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** Who did it (null: the system, e.g. first-start set-up). No foreign key: the log outlives people. */
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  /** e.g. user.created, user.updated, org_unit.moved, users.imported */
  @Column('text')
  action!: string;

  @Column('text')
  subjectType!: string;

  @Column('text')
  subjectId!: string;

  @Column('jsonb', { nullable: true })
  before!: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after!: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  requestId!: string | null;
}
