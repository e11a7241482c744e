import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { canonicalLocale } from '@lms/i18n';
import { ConflictError, FieldError, fieldError, NotFoundError, Page, pageOf, Principal, ValidationError } from '@lms/platform';
import { AuditLog } from './audit-log.service.js';
import { isCountryCode } from './countries.js';
import { OrgUnitCodeTakenError } from './identity.errors.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import type { RequestMeta } from './request-meta.js';
import { CODE_PATTERN } from './user-fields.js';
import { ACCOUNT_MESSAGES as M } from './account.errors.js';

export interface InstitutionView {
  id: string;
  /** The code of its root org unit. */
  code: string;
  rootOrgUnitId: string;
  /** ISO 3166-1 alpha-2; null until an admin sets it on an institution made from an existing tree. */
  country: string | null;
  names: Record<string, string>;
  logoUrl: string | null;
  issuerName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateInstitutionInput {
  code: string;
  country: string;
  names: Record<string, string>;
  logoUrl?: string | null;
  issuerName?: string | null;
  /** An existing top-level org unit to make the institution's root; omitted: a new top-level unit is made. */
  rootOrgUnitId?: string;
}

export interface UpdateInstitutionInput {
  country?: string;
  names?: Record<string, string>;
  logoUrl?: string | null;
  issuerName?: string | null;
}

export class InstitutionExistsError extends ConflictError {
  constructor(rootOrgUnitId: string) {
    super('institution_exists', M.institutionExists({ id: rootOrgUnitId }));
  }
}

export class InstitutionInUseError extends ConflictError {
  constructor(what: 'people' | 'courses' | 'keys', count: number) {
    const text = { people: M.institutionHasPeople, courses: M.institutionHasCourses, keys: M.institutionHasKeys }[what];
    super('institution_in_use', text({ count }));
  }
}

const NAME_MAX = 200;
const URL_MAX = 2000;
const LANGUAGES_MAX = 50;

interface Row {
  id: string;
  code: string;
  root_org_unit_id: string;
  country: string | null;
  names: Record<string, string>;
  logo_url: string | null;
  issuer_name: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT i.id, o.code, i.root_org_unit_id, i.country, i.names, i.logo_url, i.issuer_name, i.created_at, i.updated_at
  FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id`;

function view(r: Row): InstitutionView {
  return {
    id: r.id,
    code: r.code,
    rootOrgUnitId: r.root_org_unit_id,
    country: r.country,
    names: r.names,
    logoUrl: r.logo_url,
    issuerName: r.issuer_name,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Names keyed by canonical BCP 47 tags, each 1–200 characters; at least one. */
export function validateNames(names: unknown, field = 'names'): { value?: Record<string, string>; errors: FieldError[] } {
  if (typeof names !== 'object' || names === null || Array.isArray(names)) return { errors: [fieldError(field, M.namesObject())] };
  const entries = Object.entries(names as Record<string, unknown>);
  if (entries.length === 0) return { errors: [fieldError(field, M.namesOne())] };
  if (entries.length > LANGUAGES_MAX) return { errors: [{ field, message: `may hold at most ${LANGUAGES_MAX} languages`, rule: 'arrayMaxSize', params: { max: LANGUAGES_MAX } }] };
  const out: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [tag, text] of entries) {
    const canonical = canonicalLocale(tag);
    if (!canonical) {
      errors.push(fieldError(field, M.notALanguageTag({ tag: tag.slice(0, 40) })));
      continue;
    }
    if (typeof text !== 'string' || text.trim() === '' || text.length > NAME_MAX || /\p{Cc}/u.test(text)) {
      errors.push(fieldError(`${field}.${canonical}`, M.nameLength({ max: NAME_MAX })));
      continue;
    }
    out[canonical] = text.trim();
  }
  return errors.length ? { errors } : { value: out, errors };
}

function validateLogoUrl(value: unknown): FieldError | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > URL_MAX) return fieldError('logoUrl', M.httpsUrlLength({ max: URL_MAX }));
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' || u.username || u.password) return fieldError('logoUrl', M.httpsNoCredentials());
  } catch {
    return fieldError('logoUrl', M.httpsUrl());
  }
  return null;
}

function validateIssuerName(value: unknown): FieldError | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > NAME_MAX || /\p{Cc}/u.test(value)) {
    return fieldError('issuerName', M.nameLength({ max: NAME_MAX }));
  }
  return null;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/**
 * Institutions of the hub: managed by an instance-wide admin (the controller admits only admins
 * to writes). Each is the top of its own org tree; who belongs to it follows from the tree.
 */
@Injectable()
export class InstitutionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async list(query: { country?: string; q?: string; page: number; limit: number }): Promise<Page<InstitutionView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.country !== undefined) {
      params.push(query.country);
      where.push(`i.country = $${params.length}`);
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      params.push(`%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(o.code ILIKE $${params.length} OR EXISTS (SELECT 1 FROM jsonb_each_text(i.names) n WHERE n.value ILIKE $${params.length}))`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id ${filter}`,
      params,
    )) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(`${SELECT} ${filter} ORDER BY o.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      query.limit,
      (query.page - 1) * query.limit,
    ])) as Row[];
    return pageOf(rows.map(view), total, query);
  }

  async get(id: string): Promise<InstitutionView> {
    const rows = (await this.dataSource.query(`${SELECT} WHERE i.id = $1`, [id])) as Row[];
    if (!rows[0]) throw new NotFoundError('Institution', id);
    return view(rows[0]);
  }

  /** The institution whose tree holds the org unit; null when the tree's root is no institution. */
  async ofOrgUnit(orgUnitId: string, manager?: EntityManager): Promise<InstitutionView | null> {
    const rows = (await (manager ?? this.dataSource.manager).query(
      `${SELECT} WHERE i.root_org_unit_id = (SELECT split_part(u.path, '/', 2)::uuid FROM org_unit u WHERE u.id = $1)`,
      [orgUnitId],
    )) as Row[];
    return rows[0] ? view(rows[0]) : null;
  }

  async create(principal: Principal, input: CreateInstitutionInput, meta?: RequestMeta): Promise<InstitutionView> {
    const errors: FieldError[] = [];
    if (typeof input.code !== 'string' || !CODE_PATTERN.test(input.code)) errors.push(fieldError('code', M.institutionCode()));
    if (!isCountryCode(input.country)) errors.push(fieldError('country', M.countryCode()));
    const names = validateNames(input.names);
    errors.push(...names.errors);
    const logo = validateLogoUrl(input.logoUrl);
    if (logo) errors.push(logo);
    const issuer = validateIssuerName(input.issuerName);
    if (issuer) errors.push(issuer);
    if (errors.length) throw new ValidationError(errors, M.institutionInvalid());
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.units.lockTree(manager);
        let rootId: string;
        if (input.rootOrgUnitId) {
          const unit = await this.units.findById(input.rootOrgUnitId, manager);
          if (!unit) throw new ValidationError([{ field: 'rootOrgUnitId', message: `no org unit has the id ${input.rootOrgUnitId}`, rule: 'unknownOrgUnit', params: { id: input.rootOrgUnitId } }]);
          if (unit.parentId !== null) throw new ValidationError([fieldError('rootOrgUnitId', M.rootTopLevel())]);
          if (unit.code !== input.code) throw new ValidationError([fieldError('code', M.rootCode({ code: unit.code }))]);
          rootId = unit.id;
        } else {
          if (await this.units.findByCode(input.code, manager)) throw new OrgUnitCodeTakenError(input.code);
          rootId = randomUUID();
          const name = names.value!.en ?? Object.values(names.value!)[0];
          const unit = { id: rootId, code: input.code, name, kind: 'institution' as const, parentId: null, path: `/${rootId}/`, depth: 0 };
          await this.units.insert(manager, unit);
          await this.audit.record({ actor: principal, action: 'org_unit.created', subjectType: 'org_unit', subjectId: rootId, after: unit, requestId: meta?.requestId }, manager);
        }
        const taken = (await manager.query(`SELECT 1 FROM institution WHERE root_org_unit_id = $1`, [rootId])) as unknown[];
        if (taken.length) throw new InstitutionExistsError(rootId);
        const row = { country: input.country, names: names.value!, logoUrl: input.logoUrl ?? null, issuerName: input.issuerName?.trim() ?? null };
        await manager.query(
          `INSERT INTO institution (id, root_org_unit_id, country, names, logo_url, issuer_name) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
          [id, rootId, row.country, JSON.stringify(row.names), row.logoUrl, row.issuerName],
        );
        await this.audit.record(
          { actor: principal, action: 'institution.created', subjectType: 'institution', subjectId: id, after: { rootOrgUnitId: rootId, ...row }, requestId: meta?.requestId },
          manager,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw input.rootOrgUnitId ? new InstitutionExistsError(input.rootOrgUnitId) : new OrgUnitCodeTakenError(input.code);
      throw e;
    }
    return this.get(id);
  }

  async update(principal: Principal, id: string, input: UpdateInstitutionInput, meta?: RequestMeta): Promise<InstitutionView> {
    const before = await this.get(id);
    const errors: FieldError[] = [];
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (input.country !== undefined) {
      if (!isCountryCode(input.country)) errors.push(fieldError('country', M.countryCode()));
      else set('country', input.country);
    }
    if (input.names !== undefined) {
      const names = validateNames(input.names);
      errors.push(...names.errors);
      if (names.value) set('names', JSON.stringify(names.value), '::jsonb');
    }
    if (input.logoUrl !== undefined) {
      const e = validateLogoUrl(input.logoUrl);
      if (e) errors.push(e);
      else set('logo_url', input.logoUrl);
    }
    if (input.issuerName !== undefined) {
      const e = validateIssuerName(input.issuerName);
      if (e) errors.push(e);
      else set('issuer_name', input.issuerName?.trim() ?? null);
    }
    if (errors.length) throw new ValidationError(errors, M.institutionInvalid());
    if (sets.length === 0) return before;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE institution SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      await this.audit.record(
        { actor: principal, action: 'institution.updated', subjectType: 'institution', subjectId: id, before, after: input as Record<string, unknown>, requestId: meta?.requestId },
        manager,
      );
    });
    return this.get(id);
  }

  /**
   * Removes the institution (its row; the org tree stays). Refused while people or courses live in
   * its tree, so nobody silently changes institution, and once it has signed certificates.
   */
  async remove(principal: Principal, id: string, meta?: RequestMeta): Promise<void> {
    const before = await this.get(id);
    const prefix = `/${before.rootOrgUnitId}/%`;
    const [{ people, courses, keys }] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE o.path LIKE $1) AS people,
              (SELECT count(*)::int FROM course c JOIN org_unit o ON o.id = c.school_org_unit_id WHERE o.path LIKE $1) AS courses,
              (SELECT count(*)::int FROM credential_issuer_key k WHERE k.institution_id = $2) AS keys`,
      [prefix, id],
    )) as Array<{ people: number; courses: number; keys: number }>;
    if (people > 0) throw new InstitutionInUseError('people', people);
    if (courses > 0) throw new InstitutionInUseError('courses', courses);
    // Certificates it signed must stay verifiable: its public keys stay published with it.
    if (keys > 0) throw new InstitutionInUseError('keys', keys);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM institution WHERE id = $1`, [id]);
      await this.audit.record({ actor: principal, action: 'institution.deleted', subjectType: 'institution', subjectId: id, before, requestId: meta?.requestId }, manager);
    });
  }
}
