import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../org-unit.entity.js';

export const DEPARTMENT_MATCHES = ['code', 'name'] as const;
export type DepartmentMatch = (typeof DEPARTMENT_MATCHES)[number];

/**
 * A SCIM provisioning client (an identity provider such as Microsoft Entra ID). It holds a bearer
 * token, of which only the SHA-256 is stored, and acts with HR authority over one org subtree:
 * people outside it are invisible to it. `department` values map to units of that subtree by code
 * or by name; people without a (matching) department go to the default unit.
 */
@Entity('scim_client')
@Check('ck_scim_client_department_match', `"department_match" IN ('code', 'name')`)
export class ScimClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Index('uq_scim_client_token_hash', { unique: true })
  @Column('text', { select: false })
  tokenHash!: string;

  @Column('uuid')
  scopeOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'scope_org_unit_id' })
  scopeOrgUnit?: OrgUnit;

  @Column('uuid')
  defaultOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'default_org_unit_id' })
  defaultOrgUnit?: OrgUnit;

  @Column('text', { default: 'code' })
  departmentMatch!: DepartmentMatch;

  /** The admin who created it (no foreign key: the record outlives people). */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
