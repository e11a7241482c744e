import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ORG_UNIT_KINDS = ['country', 'institution', 'department', 'unit', 'school'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/**
 * A node of the organisation tree. `path` is the materialised path of ids from the root,
 * "/<root-id>/<child-id>/…/<own-id>/", so "this unit and everything below it" is one indexed
 * prefix query: `path LIKE '/…/<id>/%'` (btree index with text_pattern_ops).
 */
@Entity('org_unit')
@Check('ck_org_unit_kind', `"kind" IN ('country', 'institution', 'department', 'unit', 'school')`)
@Index('idx_org_unit_path_prefix', { synchronize: false })
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('uq_org_unit_code', { unique: true })
  @Column('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: OrgUnitKind;

  @Index('idx_org_unit_parent')
  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: OrgUnit;

  @Column('text')
  path!: string;

  @Column('int', { default: 0 })
  depth!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
