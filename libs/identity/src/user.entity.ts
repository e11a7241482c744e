import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrgUnit } from './org-unit.entity.js';

/** A canonical BCP 47 language tag (libs/i18n canonicalLocale); any language, not a fixed list. */
export type Locale = string;
export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];
export const LOCALITIES = ['urban', 'rural'] as const;
export type Locality = (typeof LOCALITIES)[number];
export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * A person. `email` is stored lower-cased (unique, case-insensitive by construction).
 * Gender and locality are optional and used only for aggregate statistics.
 * The password hash is never selected unless asked for explicitly.
 */
@Entity('app_user')
@Check('ck_app_user_email_lower', `"email" = lower("email")`)
@Check('ck_app_user_status', `"status" IN ('active', 'disabled')`)
@Check('ck_app_user_gender', `"gender" IS NULL OR "gender" IN ('female', 'male', 'other', 'undisclosed')`)
@Check('ck_app_user_locality', `"locality" IS NULL OR "locality" IN ('urban', 'rural')`)
@Index('idx_app_user_org_unit', ['orgUnitId'])
@Index('idx_app_user_job_role', ['jobRoleCode'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('uq_app_user_email', { unique: true })
  @Column('text')
  email!: string;

  @Column('text')
  displayName!: string;

  @Column('text', { nullable: true, select: false })
  passwordHash!: string | null;

  @Column('uuid')
  orgUnitId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnit;

  @Column('text', { nullable: true })
  jobRoleCode!: string | null;

  @Index('idx_app_user_manager')
  @Column('uuid', { nullable: true })
  managerId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'manager_id' })
  manager?: User;

  @Column('text', { default: 'en' })
  locale!: Locale;

  @Column('text', { default: 'UTC' })
  timeZone!: string;

  @Column('text', { nullable: true })
  gender!: Gender | null;

  @Column('text', { nullable: true })
  locality!: Locality | null;

  @Column('text', { default: 'active' })
  status!: UserStatus;

  /** Set when the person's personal data was erased (pseudonymised) on request or by retention: see libs/privacy. */
  @Column('timestamptz', { nullable: true })
  erasedAt!: Date | null;
  /** The person's id in the HR system (federated sign-in and provisioning match on it); unique where set. */
  @Index('uq_app_user_external_id', { unique: true, where: '"external_id" IS NOT NULL' })
  @Column('text', { nullable: true })
  externalId!: string | null;

  /** SCIM enterprise `employeeNumber` (informational, not unique). */
  @Column('text', { nullable: true })
  employeeNumber!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
