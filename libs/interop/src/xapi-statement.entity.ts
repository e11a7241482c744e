import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One stored xAPI statement (the whole statement as the LRS returns it, in `statement`) and the
 * columns its queries filter on. `seq` orders by arrival (the `stored` order) and drives paging.
 * Agents are matched by their inverse functional identifier, as a key string (xapi-agent.ts).
 */
@Entity('xapi_statement')
@Index('idx_xapi_statement_seq', ['seq'], { unique: true })
@Index('idx_xapi_statement_verb', ['verbId', 'seq'])
@Index('idx_xapi_statement_activity', ['activityId', 'seq'])
@Index('idx_xapi_statement_registration', ['registration', 'seq'])
@Index('idx_xapi_statement_stored', ['stored'])
@Index('idx_xapi_statement_voids', ['voidsStatementId'])
@Index('idx_xapi_statement_agents', { synchronize: false })
@Index('idx_xapi_statement_related_agents', { synchronize: false })
@Index('idx_xapi_statement_related_activities', { synchronize: false })
export class XapiStatement {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('bigint', { generated: 'increment' })
  seq!: string;

  @Column('jsonb')
  statement!: Record<string, unknown>;

  /** SHA-256 of the statement as the client sent it (canonical JSON without id, stored, authority, version): a resend with the same content is no conflict. */
  @Column('text')
  contentHash!: string;

  @Column('text')
  verbId!: string;

  /** The object's id when the object is an Activity. */
  @Column('text', { nullable: true })
  activityId!: string | null;

  /** Activity ids of the object, context activities and a sub-statement's object (related_activities=true). */
  @Column('text', { array: true })
  relatedActivityIds!: string[];

  /** Keys of the actor and of an Agent/Group object (the `agent` filter). */
  @Column('text', { array: true })
  agentKeys!: string[];

  /** agentKeys plus instructor, team, authority and a sub-statement's agents (related_agents=true). */
  @Column('text', { array: true })
  relatedAgentKeys!: string[];

  @Column('uuid', { nullable: true })
  registration!: string | null;

  @Column('timestamptz')
  stored!: Date;

  @Column('timestamptz')
  timestamp!: Date;

  @Column('boolean', { default: false })
  voided!: boolean;

  /** Set on a voiding statement: the statement it voids. */
  @Column('uuid', { nullable: true })
  voidsStatementId!: string | null;

  /** The LRS client that stored it (its authority). */
  @Column('uuid', { nullable: true })
  clientId!: string | null;
}
