import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError, FieldError, fieldError, isAdmin, NotFoundError, Page, pageOf, Principal, Role, ValidationError } from '@lms/platform';
import { Outbox } from '@lms/jobs';
import { AccessScope } from './access-scope.service.js';
import { AuditLog } from './audit-log.service.js';
import { EmailTakenError, ManagerOutOfScopeError, WeakPasswordError } from './identity.errors.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { InvitationService } from './invitation.service.js';
import { hashPassword, passwordProblem } from './password.js';
import type { RequestMeta } from './request-meta.js';
import { SessionRepository } from './session.repository.js';
import { isValidTimeZone, normalizeEmail } from './user-fields.js';
import type { Gender, Locale, Locality, UserStatus } from './user.entity.js';
import { GrantRow, UserFields, UserRepository, UserRow, type UserSort } from './user.repository.js';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

export interface GrantInput {
  role: Role;
  scopeOrgUnitId?: string | null;
}

export interface CreateUserInput {
  email: string;
  displayName: string;
  orgUnitId: string;
  password?: string;
  jobRoleCode?: string | null;
  managerId?: string | null;
  locale?: Locale;
  timeZone?: string;
  gender?: Gender | null;
  locality?: Locality | null;
  roles?: GrantInput[];
  /** E-mail the person an invitation to set their own password (instead of `password`). */
  sendInvitation?: boolean;
}

export interface UpdateUserInput {
  email?: string;
  displayName?: string;
  orgUnitId?: string;
  password?: string;
  jobRoleCode?: string | null;
  managerId?: string | null;
  locale?: Locale;
  timeZone?: string;
  gender?: Gender | null;
  locality?: Locality | null;
  status?: UserStatus;
  roles?: GrantInput[];
}

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  orgUnitId: string;
  jobRoleCode: string | null;
  managerId: string | null;
  locale: Locale;
  timeZone: string;
  /** Only for admins and the person themself (used for aggregate statistics only). */
  gender?: Gender | null;
  locality?: Locality | null;
  status: UserStatus;
  roles: GrantRow[];
  createdAt: string;
  updatedAt: string;
}

export interface MeView extends UserView {
  orgUnit: { id: string; code: string; name: string; kind: string } | null;
}

export interface UserListQuery {
  orgUnitId?: string;
  includeSubUnits?: boolean;
  q?: string;
  status?: UserStatus;
  /** name (default), email, unit, status or created; `-` first for descending. */
  sort?: UserSort;
  page: number;
  limit: number;
}

/** Demographics (gender, locality) are shown to admins and to the person, not to HR. */
export function toUserView(row: UserRow, withDemographics: boolean): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    orgUnitId: row.orgUnitId,
    jobRoleCode: row.jobRoleCode,
    managerId: row.managerId,
    locale: row.locale,
    timeZone: row.timeZone,
    ...(withDemographics ? { gender: row.gender, locality: row.locality } : {}),
    status: row.status,
    roles: row.roles,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** What the audit log keeps of a person (no secrets: the hash is never even selected). */
function auditView(row: UserRow): Record<string, unknown> {
  return { ...toUserView(row, true), createdAt: undefined, updatedAt: undefined };
}

function isEmailViolation(e: unknown): boolean {
  const err = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string } | undefined) : undefined;
  return err?.code === '23505' && err.constraint === 'uq_app_user_email';
}

/**
 * People: created and changed by admins (anyone) and HR (inside its subtree, granting at most
 * learner and hr within it). Every write is audited; placing a person (new, other unit, other
 * job role) writes `user.placed` to the outbox in the same transaction.
 */
@Injectable()
export class UserService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(SessionRepository) private readonly sessions: SessionRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(InvitationService) private readonly invitations: InvitationService,
  ) {}

  async create(principal: Principal, input: CreateUserInput, meta?: RequestMeta): Promise<UserView & { invitation?: { expiresAt: string } }> {
    const email = normalizeEmail(input.email);
    if (input.sendInvitation && input.password !== undefined)
      throw new ValidationError([fieldError('sendInvitation', M.passwordOrInvitation())]);
    if (!(await this.units.findById(input.orgUnitId)))
      throw new ValidationError([{ field: 'orgUnitId', message: `no org unit has the id ${input.orgUnitId}`, rule: 'unknownOrgUnit', params: { id: input.orgUnitId } }]);
    await this.scope.assertCanManageUnit(principal, input.orgUnitId);
    const grants = await this.normalizeGrants(input.roles ?? []);
    await this.scope.assertCanGrant(principal, grants);
    if (input.managerId) await this.assertManagerAllowed(principal, input.managerId);
    if (await this.users.emailTaken(email)) throw new EmailTakenError(email);
    const passwordHash = input.password === undefined ? null : await this.hashChecked(input.password, email);
    const fields: UserFields = {
      email,
      displayName: input.displayName.trim(),
      orgUnitId: input.orgUnitId,
      jobRoleCode: input.jobRoleCode ?? null,
      managerId: input.managerId ?? null,
      locale: input.locale ?? 'en',
      timeZone: input.timeZone ?? 'UTC',
      gender: input.gender ?? null,
      locality: input.locality ?? null,
      status: 'active',
    };
    let id: string;
    let invitedUntil: Date | undefined;
    try {
      id = await this.dataSource.transaction(async (manager) => {
        const newId = await this.users.insert(manager, { ...fields, passwordHash });
        await this.users.replaceGrants(manager, newId, grants);
        await this.outbox.add(manager, 'user.placed', { userId: newId });
        const row = (await this.users.findById(newId, manager))!;
        await this.audit.record(
          {
            actor: principal,
            action: 'user.created',
            subjectType: 'user',
            subjectId: newId,
            after: { ...auditView(row), passwordSet: passwordHash !== null },
            requestId: meta?.requestId,
          },
          manager,
        );
        if (input.sendInvitation) invitedUntil = await this.invitations.inviteNew(manager, principal, [newId], meta);
        return newId;
      });
    } catch (e) {
      if (isEmailViolation(e)) throw new EmailTakenError(email);
      throw e;
    }
    const view = toUserView((await this.users.findById(id))!, isAdmin(principal));
    return invitedUntil ? { ...view, invitation: { expiresAt: invitedUntil.toISOString() } } : view;
  }

  async update(principal: Principal, id: string, input: UpdateUserInput, meta?: RequestMeta): Promise<UserView> {
    const current = await this.users.findById(id);
    if (!current) throw new NotFoundError('Person', id);
    await this.scope.assertCanManageUser(principal, id);
    await this.scope.assertHoldsOnlyGrantableRoles(principal, id);
    if (input.orgUnitId !== undefined && input.orgUnitId !== current.orgUnitId) {
      if (!(await this.units.findById(input.orgUnitId)))
        throw new ValidationError([{ field: 'orgUnitId', message: `no org unit has the id ${input.orgUnitId}`, rule: 'unknownOrgUnit', params: { id: input.orgUnitId } }]);
      await this.scope.assertCanManageUnit(principal, input.orgUnitId);
    }
    const grants = input.roles === undefined ? undefined : await this.normalizeGrants(input.roles);
    if (grants) await this.scope.assertCanGrant(principal, grants);
    if (principal.userId === id) {
      if (input.status === 'disabled') throw new ConflictError('self_lockout', M.cannotDisableSelf());
      if (grants && isAdmin(principal) && !grants.some((g) => g.role === 'admin'))
        throw new ConflictError('self_lockout', M.cannotDropOwnAdmin());
    }
    if (input.managerId) {
      if (input.managerId === id) throw new ValidationError([fieldError('managerId', M.ownManager())]);
      if (input.managerId !== current.managerId) await this.assertManagerAllowed(principal, input.managerId);
    }
    const email = input.email === undefined ? current.email : normalizeEmail(input.email);
    if (email !== current.email && (await this.users.emailTaken(email, id))) throw new EmailTakenError(email);
    const passwordHash = input.password === undefined ? null : await this.hashChecked(input.password, email);
    const fields: UserFields = {
      email,
      displayName: input.displayName?.trim() ?? current.displayName,
      orgUnitId: input.orgUnitId ?? current.orgUnitId,
      jobRoleCode: input.jobRoleCode === undefined ? current.jobRoleCode : input.jobRoleCode,
      managerId: input.managerId === undefined ? current.managerId : input.managerId,
      locale: input.locale ?? current.locale,
      timeZone: input.timeZone ?? current.timeZone,
      gender: input.gender === undefined ? current.gender : input.gender,
      locality: input.locality === undefined ? current.locality : input.locality,
      status: input.status ?? current.status,
    };
    const placed = fields.orgUnitId !== current.orgUnitId || fields.jobRoleCode !== current.jobRoleCode;
    const disabled = fields.status === 'disabled' && current.status !== 'disabled';
    // A returning person gets the standing assignments made while they were away (user.placed).
    const reactivated = fields.status === 'active' && current.status === 'disabled';
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.users.update(manager, id, fields);
        if (grants) await this.users.replaceGrants(manager, id, grants);
        if (passwordHash) await this.users.setPasswordHash(id, passwordHash, manager);
        if (disabled) await this.sessions.revokeAllForUser(manager, id, 'disabled');
        else if (passwordHash) await this.sessions.revokeAllForUser(manager, id, 'password_changed');
        if ((placed || reactivated) && fields.status === 'active') await this.outbox.add(manager, 'user.placed', { userId: id });
        const after = (await this.users.findById(id, manager))!;
        await this.audit.record(
          {
            actor: principal,
            action: disabled ? 'user.disabled' : reactivated ? 'user.reactivated' : 'user.updated',
            subjectType: 'user',
            subjectId: id,
            before: auditView(current),
            after: { ...auditView(after), ...(passwordHash ? { passwordChanged: true } : {}) },
            requestId: meta?.requestId,
          },
          manager,
        );
      });
    } catch (e) {
      if (isEmailViolation(e)) throw new EmailTakenError(email);
      throw e;
    }
    return toUserView((await this.users.findById(id))!, isAdmin(principal) || principal.userId === id);
  }

  /**
   * The person's own settings (language, time zone), which anyone may change for themself
   * without HR: the fields HR manages (unit, role, manager) stay as they are. Audited.
   */
  async updateOwnSettings(principal: Principal, input: { locale?: Locale; timeZone?: string }, meta?: RequestMeta): Promise<MeView> {
    const current = await this.users.findById(principal.userId);
    if (!current) throw new NotFoundError('Person', principal.userId);
    if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone))
      throw new ValidationError([{ field: 'timeZone', message: 'timeZone must be an IANA time zone such as Europe/Belgrade or UTC', rule: 'isTimeZone' }]);
    const locale = input.locale ?? current.locale;
    const timeZone = input.timeZone ?? current.timeZone;
    if (locale !== current.locale || timeZone !== current.timeZone) {
      await this.dataSource.transaction(async (manager) => {
        await this.users.update(manager, current.id, { ...current, locale, timeZone });
        await this.audit.record(
          {
            actor: principal,
            action: 'user.settings_changed',
            subjectType: 'user',
            subjectId: current.id,
            before: { locale: current.locale, timeZone: current.timeZone },
            after: { locale, timeZone },
            requestId: meta?.requestId,
          },
          manager,
        );
      });
    }
    return this.me(principal);
  }

  async get(principal: Principal, id: string): Promise<UserView> {
    const row = await this.users.findById(id);
    if (!row) throw new NotFoundError('Person', id);
    await this.scope.assertCanSeeUser(principal, id);
    return toUserView(row, isAdmin(principal) || principal.userId === id);
  }

  async me(principal: Principal): Promise<MeView> {
    const row = await this.users.findById(principal.userId);
    if (!row) throw new NotFoundError('Person', principal.userId);
    const unit = await this.units.findById(row.orgUnitId);
    return { ...toUserView(row, true), orgUnit: unit ? { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind } : null };
  }

  /** Admin: everyone; HR: people in its subtree(s); filtered by unit (optionally with sub-units) and text. */
  async list(principal: Principal, query: UserListQuery): Promise<Page<UserView>> {
    const scopePrefixes = await this.scope.scopePaths(principal, 'hr');
    let orgUnitPath: string | undefined;
    if (query.orgUnitId) {
      const unit = await this.units.findById(query.orgUnitId);
      if (!unit) throw new NotFoundError('Org unit', query.orgUnitId);
      await this.scope.assertCanManageUnit(principal, unit.id);
      if (query.includeSubUnits) orgUnitPath = unit.path;
    }
    const { rows, total } = await this.users.list({
      scopePrefixes,
      orgUnitPath,
      orgUnitId: query.orgUnitId,
      q: query.q?.trim() || undefined,
      status: query.status,
      sort: query.sort,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    const admin = isAdmin(principal);
    return pageOf(
      rows.map((r) => toUserView(r, admin || r.id === principal.userId)),
      total,
      query,
    );
  }

  /** Validates, hashes and records an own password change; other sessions end. */
  async setOwnPassword(principal: Principal, newPassword: string, meta?: RequestMeta): Promise<void> {
    const hash = await this.hashChecked(newPassword, principal.email, 'newPassword');
    await this.dataSource.transaction(async (manager) => {
      await this.users.setPasswordHash(principal.userId, hash, manager);
      await this.sessions.revokeAllForUser(manager, principal.userId, 'password_changed', principal.sessionId);
      await this.audit.record(
        {
          actor: principal,
          action: 'user.password_changed',
          subjectType: 'user',
          subjectId: principal.userId,
          after: { passwordChanged: true },
          requestId: meta?.requestId,
        },
        manager,
      );
    });
  }

  /**
   * A manager sees their reports' names in the overdue report, so HR may name only a manager it
   * could manage itself (inside its scope): 403 otherwise, before saying whether the id exists.
   */
  private async assertManagerAllowed(principal: Principal, managerId: string): Promise<void> {
    if (!isAdmin(principal) && !(await this.scope.canManageUser(principal, managerId))) throw new ManagerOutOfScopeError();
    if (!(await this.users.exists(managerId))) throw new ValidationError([{ field: 'managerId', message: `no person has the id ${managerId}`, rule: 'unknownPerson', params: { id: managerId } }]);
  }

  private async hashChecked(password: string, email: string, field = 'password'): Promise<string> {
    const problem = passwordProblem(password, email);
    if (problem) throw new WeakPasswordError(problem, field);
    return hashPassword(password);
  }

  /**
   * Every person is a learner (of their own data), so `learner` is always granted. admin and
   * learner grants carry no scope; hr and author need an existing scope unit.
   */
  async normalizeGrants(input: GrantInput[], manager?: EntityManager): Promise<GrantRow[]> {
    const errors: FieldError[] = [];
    const out = new Map<string, GrantRow>([['learner:', { role: 'learner', scopeOrgUnitId: null }]]);
    input.forEach((g, i) => {
      if (g.role === 'admin' || g.role === 'learner') {
        out.set(`${g.role}:`, { role: g.role, scopeOrgUnitId: null });
      } else if (!g.scopeOrgUnitId) {
        errors.push(fieldError(`roles.${i}.scopeOrgUnitId`, M.roleNeedsScope({ role: g.role })));
      } else {
        out.set(`${g.role}:${g.scopeOrgUnitId}`, { role: g.role, scopeOrgUnitId: g.scopeOrgUnitId });
      }
    });
    const scopeIds = [...new Set([...out.values()].map((g) => g.scopeOrgUnitId).filter((s): s is string => !!s))];
    if (scopeIds.length) {
      const found = (await (manager ?? this.dataSource.manager).query(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[])`, [
        scopeIds,
      ])) as Array<{ id: string }>;
      const known = new Set(found.map((r) => r.id));
      input.forEach((g, i) => {
        if (g.scopeOrgUnitId && g.role !== 'admin' && g.role !== 'learner' && !known.has(g.scopeOrgUnitId)) {
          errors.push({ field: `roles.${i}.scopeOrgUnitId`, message: `no org unit has the id ${g.scopeOrgUnitId}`, rule: 'unknownOrgUnit', params: { id: g.scopeOrgUnitId } });
        }
      });
    }
    if (errors.length) throw new ValidationError(errors);
    return [...out.values()];
  }
}
