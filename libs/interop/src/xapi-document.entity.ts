import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type XapiDocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/**
 * A document of the State, Activity Profile or Agent Profile resource. Absent parts of the key are
 * '' (not NULL) so one unique index covers every kind: state = (activity, agent, registration,
 * stateId); activity profile = (activity, profileId); agent profile = (agent, profileId).
 */
@Entity('xapi_document')
@Index('uq_xapi_document_key', ['kind', 'activityId', 'agentKey', 'registration', 'documentId'], { unique: true })
@Check('ck_xapi_document_kind', `"kind" IN ('state', 'activity_profile', 'agent_profile')`)
export class XapiDocument {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  kind!: XapiDocumentKind;

  @Column('text', { default: '' })
  activityId!: string;

  @Column('text', { default: '' })
  agentKey!: string;

  @Column('text', { default: '' })
  registration!: string;

  @Column('text')
  documentId!: string;

  @Column('text')
  contentType!: string;

  @Column('bytea')
  content!: Buffer;

  @Column('text')
  etag!: string;

  @Column('timestamptz')
  updatedAt!: Date;
}
