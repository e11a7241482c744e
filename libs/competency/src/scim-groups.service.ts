import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  assertSchemas,
  AuditLog,
  canonicalPath,
  likeEscape,
  listResponse,
  parseEqFilter,
  patchOperations,
  SCIM,
  ScimError,
  ScimUserService,
  type ListQuery,
  type RequestMeta,
  type ScimCaller,
} from '@lms/identity';
import { AppConfig, nameProblem, normalizeName } from '@lms/platform';
import { JobRoleRepository, JobRoleRow } from './job-role.repository.js';

const GROUP_FILTERS = ['displayname', 'id', 'externalid', 'members.value'] as const;
const TITLE_MAX = 200;
/** Members listed in one Group resource (larger groups: page the Users with a filter instead). */
const MEMBERS_SHOWN = 10_000;

function title(value: unknown): string {
  if (typeof value !== 'string') throw ScimError.invalidValue('displayName must be a string');
  const t = normalizeName(value);
  const problem = t ? nameProblem(t, TITLE_MAX) : 'must not be empty';
  if (problem) throw ScimError.invalidValue(`displayName ${problem}`);
  return t;
}

/** A job-role code from a group name: ASCII letters and digits joined by "-", at most 56 characters. */
export function codeFromTitle(t: string): string {
  const code = t
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'dj')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56);
  return code || 'group';
}

/** Member ids of a `members` value: an array of {value} objects. */
function memberIds(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((m, i) => {
    const id = m && typeof m === 'object' ? (m as Record<string, unknown>)['value'] : undefined;
    if (typeof id !== 'string' || id.length > 64) throw ScimError.invalidValue(`members[${i}].value must be a person's id`);
    return id;
  });
}

const MEMBER_PATH = /^members\[\s*value\s+eq\s+"([^"]{1,64})"\s*\]$/i;

/**
 * SCIM Groups are job roles (`job_role`): a group's members are the people of the client's subtree
 * holding that job role. A person holds one job role, so adding them to a group takes them out of
 * their previous one. Membership changes go through identity (audited, `user.placed`, which
 * re-applies standing assignments that target job roles). Deleting a group removes its members
 * (of the client's subtree) and keeps the job role with its competency requirements.
 */
@Injectable()
export class ScimGroupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JobRoleRepository) private readonly roles: JobRoleRepository,
    @Inject(ScimUserService) private readonly users: ScimUserService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private async members(caller: ScimCaller, code: string): Promise<Array<{ value: string; display: string }>> {
    const rows = (await this.dataSource.query(
      `SELECT u.id, u.display_name FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.job_role_code = $1 AND o.path LIKE $2 || '%' ORDER BY u.created_at, u.id LIMIT $3`,
      [code, likeEscape(caller.scopePath), MEMBERS_SHOWN],
    )) as Array<{ id: string; display_name: string }>;
    return rows.map((r) => ({ value: r.id, display: r.display_name, $ref: `${this.config.publicUrl}/scim/v2/Users/${r.id}` }));
  }

  private async resource(caller: ScimCaller, role: JobRoleRow, exclude: Set<string>): Promise<Record<string, unknown>> {
    return {
      schemas: [SCIM.group],
      id: role.code,
      displayName: role.title,
      ...(exclude.has('members') ? {} : { members: await this.members(caller, role.code) }),
      meta: {
        resourceType: 'Group',
        created: new Date(role.createdAt).toISOString(),
        lastModified: new Date(role.updatedAt).toISOString(),
        location: `${this.config.publicUrl}/scim/v2/Groups/${encodeURIComponent(role.code)}`,
      },
    };
  }

  private async find(code: string): Promise<JobRoleRow> {
    const role = code.length <= 64 ? await this.roles.findByCode(code) : null;
    if (!role) throw ScimError.notFound('Group', code.slice(0, 64));
    return role;
  }

  async get(caller: ScimCaller, code: string, exclude: Set<string> = new Set()): Promise<Record<string, unknown>> {
    return this.resource(caller, await this.find(code), exclude);
  }

  async list(caller: ScimCaller, q: ListQuery): Promise<Record<string, unknown>> {
    let candidates: JobRoleRow[] | undefined;
    let memberOf: string | undefined;
    if (q.filter) {
      for (const t of parseEqFilter(q.filter, GROUP_FILTERS)) {
        if (typeof t.value !== 'string') throw ScimError.invalidFilter(`${t.attribute} compares with a quoted string`);
        let found: JobRoleRow | null = null;
        if (t.attribute === 'members.value') {
          memberOf = t.value;
          continue;
        }
        if (t.attribute === 'displayname') found = await this.roles.findByTitle(t.value);
        else if (t.attribute === 'id') found = t.value.length <= 64 ? await this.roles.findByCode(t.value) : null;
        // externalId is not kept for groups: nothing matches it.
        const next = found ? [found] : [];
        candidates = candidates ? candidates.filter((c) => next.some((n) => n.code === c.code)) : next;
      }
    }
    if (memberOf !== undefined) {
      const rows = (await this.dataSource.query(
        `SELECT u.job_role_code AS code FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
          WHERE u.id::text = $1 AND o.path LIKE $2 || '%' AND u.job_role_code IS NOT NULL`,
        [memberOf, likeEscape(caller.scopePath)],
      )) as Array<{ code: string }>;
      const held = rows[0]?.code;
      if (candidates) candidates = candidates.filter((c) => c.code === held);
      else candidates = held ? [await this.find(held)] : [];
    }
    if (candidates) {
      const page = candidates.slice(q.startIndex - 1, q.startIndex - 1 + q.count);
      return listResponse(
        await Promise.all(page.map((r) => this.resource(caller, r, q.excludedAttributes))),
        candidates.length,
        q.startIndex,
      );
    }
    const { rows, total } = await this.roles.list(undefined, q.startIndex - 1, q.count);
    return listResponse(await Promise.all(rows.map((r) => this.resource(caller, r, q.excludedAttributes))), total, q.startIndex);
  }

  async create(caller: ScimCaller, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    const obj = assertSchemas(body, SCIM.group, [SCIM.group]);
    const t = title(obj['displayName']);
    const members = memberIds(obj['members']);
    if (await this.roles.findByTitle(t)) throw ScimError.uniqueness(`A group named "${t}" already exists`);
    await this.assertChangeable(caller, members);
    const base = codeFromTitle(t);
    let code = base;
    for (let n = 2; ; n++) {
      const saved = await this.roles.save(code, t, [], 'create', (m) =>
        this.audit.record(
          {
            actor: caller.principal,
            action: 'job_role.created',
            subjectType: 'job_role',
            subjectId: code,
            after: { code, title: t, requirements: [], via: 'scim', scimClientId: caller.clientId },
            requestId: meta?.requestId,
          },
          m,
        ),
      );
      if (saved) break;
      if (n > 50) throw ScimError.uniqueness(`No free job-role code for "${t}"`);
      code = `${base}-${n}`;
    }
    await this.addMembers(caller, code, members, meta);
    return this.get(caller, code);
  }

  async replace(caller: ScimCaller, code: string, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    const role = await this.find(code);
    const obj = assertSchemas(body, SCIM.group, [SCIM.group]);
    const t = title(obj['displayName']);
    const members = memberIds(obj['members']);
    await this.assertChangeable(caller, members);
    await this.rename(caller, role, t, meta);
    await this.setMembers(caller, role.code, members, meta);
    return this.get(caller, role.code);
  }

  /** PatchOp on a group: displayName, and members added, removed or replaced (Entra ID's group sync). */
  async patch(caller: ScimCaller, code: string, body: unknown, meta?: RequestMeta): Promise<Record<string, unknown>> {
    const role = await this.find(code);
    for (const o of patchOperations(body)) {
      const path = o.path === undefined ? undefined : canonicalPath(o.path);
      if (path === undefined || path === '') {
        if (o.op === 'remove') throw new ScimError(400, 'A remove operation needs a path', 'noTarget');
        if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value))
          throw ScimError.invalidValue('an operation without path needs an object value');
        for (const [k, v] of Object.entries(o.value as Record<string, unknown>))
          await this.patchPath(caller, role, o.op, canonicalPath(k), v, meta);
      } else await this.patchPath(caller, role, o.op, path, o.value, meta);
    }
    return this.get(caller, role.code);
  }

  private async patchPath(
    caller: ScimCaller,
    role: JobRoleRow,
    op: 'add' | 'replace' | 'remove',
    path: string,
    value: unknown,
    meta?: RequestMeta,
  ): Promise<void> {
    const single = MEMBER_PATH.exec(path);
    if (single) {
      if (op !== 'remove') throw ScimError.invalidPath('use path "members" to add members');
      await this.removeMembers(caller, role.code, [single[1]], meta);
      return;
    }
    switch (path) {
      case 'displayname':
        if (op === 'remove') throw ScimError.invalidValue('displayName is required and cannot be removed');
        await this.rename(caller, role, title(value), meta);
        return;
      case 'externalid':
        return; // not kept for groups
      case 'members':
        if (op === 'add') await this.addMembers(caller, role.code, memberIds(value), meta);
        else if (op === 'replace') await this.setMembers(caller, role.code, memberIds(value), meta);
        else if (value === undefined) await this.setMembers(caller, role.code, [], meta);
        else await this.removeMembers(caller, role.code, memberIds(value), meta);
        return;
      case 'id':
      case 'meta':
        throw ScimError.mutability(`${path} is read-only`);
      default:
        throw ScimError.invalidPath(`The attribute ${path.slice(0, 200)} is not supported on groups`);
    }
  }

  /** DELETE: the group's members (of the client's subtree) leave it; the job role itself stays. */
  async delete(caller: ScimCaller, code: string, meta?: RequestMeta): Promise<void> {
    const role = await this.find(code);
    await this.setMembers(caller, role.code, [], meta);
  }

  private async rename(caller: ScimCaller, role: JobRoleRow, t: string, meta?: RequestMeta): Promise<void> {
    if (t === role.title) return;
    const other = await this.roles.findByTitle(t);
    if (other && other.code !== role.code) throw ScimError.uniqueness(`A group named "${t}" already exists`);
    await this.roles.save(role.code, t, role.requirements, 'replace', (m) =>
      this.audit.record(
        {
          actor: caller.principal,
          action: 'job_role.updated',
          subjectType: 'job_role',
          subjectId: role.code,
          before: { title: role.title },
          after: { title: t, via: 'scim', scimClientId: caller.clientId },
          requestId: meta?.requestId,
        },
        m,
      ),
    );
    role.title = t;
  }

  /** Members must be people this client may change: checked before anything is written. */
  private async assertChangeable(caller: ScimCaller, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const refused = await this.users.notChangeable(caller, ids);
    if (refused.length)
      throw ScimError.invalidValue(`These members are not people this client may change: ${refused.slice(0, 5).join(', ')}`);
  }

  private async addMembers(caller: ScimCaller, code: string, ids: string[], meta?: RequestMeta): Promise<void> {
    if (!ids.length) return;
    await this.assertChangeable(caller, ids);
    const refused = await this.users.setJobRole(caller, ids, code, meta);
    if (refused.length)
      throw ScimError.invalidValue(`These members are not people this client may change: ${refused.slice(0, 5).join(', ')}`);
  }

  /** Removing someone who is not (or no longer) a member this client sees is a no-op (RFC 7644 §3.5.2.2). */
  private async removeMembers(caller: ScimCaller, code: string, ids: string[], meta?: RequestMeta): Promise<void> {
    if (!ids.length) return;
    await this.users.setJobRole(caller, ids, null, meta, code);
  }

  private async setMembers(caller: ScimCaller, code: string, ids: string[], meta?: RequestMeta): Promise<void> {
    const current = (await this.dataSource.query(
      `SELECT u.id FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE u.job_role_code = $1 AND o.path LIKE $2 || '%'`,
      [code, likeEscape(caller.scopePath)],
    )) as Array<{ id: string }>;
    const keep = new Set(ids);
    const leaving = current.map((r) => r.id).filter((id) => !keep.has(id));
    if (leaving.length) await this.users.setJobRole(caller, leaving, null, meta, code);
    await this.addMembers(caller, code, ids, meta);
  }
}
