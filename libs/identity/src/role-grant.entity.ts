import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@lms/platform';
import { OrgUnit } from './org-unit.entity.js';
import { User } from './user.entity.js';

/** A role held over an org unit and everything below it. Admin grants may have no scope.
 *  Unique per (user, role, scope) with NULLS NOT DISTINCT (index made in the migration). */
@Entity('role_grant')
@Index('uq_role_grant', { synchronize: false })
@Check('ck_role_grant_role', `"role" IN ('admin', 'hr', 'author', 'learner')`)
export class RoleGrant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('idx_role_grant_user')
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  role!: Role;

  @Index('idx_role_grant_scope')
  @Column('uuid', { nullable: true })
  scopeOrgUnitId!: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'scope_org_unit_id' })
  scopeOrgUnit?: OrgUnit;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
