import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrgUnit } from './org-unit.entity.js';

/**
 * An institution of the hub (a ministry, agency, municipality or school): the top of its own org
 * tree. The row adds what the tree does not have: a country, a name in each language, a logo and
 * the name its certificates are issued under. Everything below the root unit (people, HR scopes,
 * schools, courses) belongs to the institution; see docs/hub.md.
 */
@Entity('institution')
@Check('ck_institution_country', `"country" IS NULL OR "country" ~ '^[A-Z]{2}$'`)
export class Institution {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_institution' })
  id!: string;

  /** A top-level org unit (parent NULL); one institution per tree. */
  @Index('uq_institution_root', { unique: true })
  @Column('uuid')
  rootOrgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'root_org_unit_id', foreignKeyConstraintName: 'fk_institution_root' })
  root?: OrgUnit;

  /** ISO 3166-1 alpha-2; NULL only for an institution made from an existing tree and not yet set by an admin. */
  @Index('idx_institution_country')
  @Column('text', { nullable: true })
  country!: string | null;

  /** Name per BCP 47 tag: {"en": "…", "sr-Latn": "…"}. */
  @Column('jsonb')
  names!: Record<string, string>;

  @Column('text', { nullable: true })
  logoUrl!: string | null;

  /** The issuer named on its certificates (rendering is the credentials domain's). */
  @Column('text', { nullable: true })
  issuerName!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
