import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@lms/identity';
import { FieldError, type Page, pageOf, type Principal, ValidationError } from '@lms/platform';
import { JobRoleExistsError, JobRoleNotFoundError } from './competency.errors.js';
import { FrameworkRepository, pairKey } from './framework.repository.js';
import type { LangMap } from './framework-file.js';
import { JobRoleRepository, JobRoleRow, RequirementRow } from './job-role.repository.js';

export interface RequirementInput {
  competencyCode: string;
  level: number;
  /** Needed only when the code exists in more than one framework. */
  frameworkKey?: string;
}

export interface JobRoleInput {
  title: string;
  requirements: RequirementInput[];
}

export interface JobRoleView {
  code: string;
  title: string;
  requirements: Array<RequirementRow & { title: LangMap | null }>;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Job-role profiles: the competency levels a role requires. Writes are for admins (a role is
 * organisation-wide, not owned by one HR subtree); anyone signed in may read them.
 */
@Injectable()
export class JobRoleService {
  constructor(
    @Inject(JobRoleRepository) private readonly roles: JobRoleRepository,
    @Inject(FrameworkRepository) private readonly frameworks: FrameworkRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, code: string, input: JobRoleInput, requestId: string | null = null): Promise<JobRoleView> {
    const requirements = await this.resolve(input.requirements);
    const title = input.title.trim();
    const saved = await this.roles.save(code, title, requirements, 'create', (m) =>
      this.audit.record({ actor: principal, action: 'job_role.created', subjectType: 'job_role', subjectId: code, after: { code, title, requirements }, requestId }, m),
    );
    if (!saved) throw new JobRoleExistsError(code);
    return this.get(code);
  }

  /** Replaces the title and every requirement (creating the role when it is new). */
  async replace(principal: Principal, code: string, input: JobRoleInput, requestId: string | null = null): Promise<{ created: boolean; role: JobRoleView }> {
    const requirements = await this.resolve(input.requirements);
    const title = input.title.trim();
    const before = await this.roles.findByCode(code);
    const created = await this.roles.save(code, title, requirements, 'replace', (m, isNew) =>
      this.audit.record(
        {
          actor: principal,
          action: isNew ? 'job_role.created' : 'job_role.updated',
          subjectType: 'job_role',
          subjectId: code,
          before: before ? { code, title: before.title, requirements: before.requirements } : null,
          after: { code, title, requirements },
          requestId,
        },
        m,
      ),
    );
    return { created, role: await this.get(code) };
  }

  async get(code: string): Promise<JobRoleView> {
    const row = await this.roles.findByCode(code);
    if (!row) throw new JobRoleNotFoundError(code);
    return (await this.withTitles([row]))[0];
  }

  async list(query: { page: number; limit: number; q?: string }): Promise<Page<JobRoleView>> {
    const { rows, total } = await this.roles.list(query.q?.trim() || undefined, (query.page - 1) * query.limit, query.limit);
    return pageOf(await this.withTitles(rows), total, query);
  }

  private async withTitles(rows: JobRoleRow[]): Promise<JobRoleView[]> {
    const titles = await this.frameworks.titlesOf(rows.flatMap((r) => r.requirements.map((q) => ({ frameworkKey: q.frameworkKey, code: q.competencyCode }))));
    return rows.map((r) => ({
      code: r.code,
      title: r.title,
      requirements: r.requirements.map((q) => ({ ...q, title: titles.get(pairKey(q.frameworkKey, q.competencyCode)) ?? null })),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }

  /**
   * Each code must exist in the latest version of its framework and the level must be one of the
   * framework's levels; a code found in several frameworks needs `frameworkKey`. Errors name the field.
   */
  private async resolve(input: RequirementInput[]): Promise<RequirementRow[]> {
    const errors: FieldError[] = [];
    const codes = [...new Set(input.map((r) => r.competencyCode))];
    const known = await this.frameworks.currentCompetencies(codes);
    const out: RequirementRow[] = [];
    const seen = new Set<string>();
    input.forEach((r, i) => {
      const field = `requirements.${i}`;
      const matches = known.filter((k) => k.code === r.competencyCode && (!r.frameworkKey || k.frameworkKey === r.frameworkKey));
      if (matches.length === 0) {
        errors.push({ field: `${field}.competencyCode`, message: `${r.competencyCode} is not a competency of ${r.frameworkKey ? `framework ${r.frameworkKey}` : 'any imported framework'}` });
        return;
      }
      if (matches.length > 1) {
        errors.push({ field: `${field}.frameworkKey`, message: `${r.competencyCode} exists in ${matches.map((m) => m.frameworkKey).join(', ')}: name the framework with frameworkKey` });
        return;
      }
      const c = matches[0];
      if (r.level > c.maxLevel) errors.push({ field: `${field}.level`, message: `level must be from 1 to ${c.maxLevel} (the levels of ${c.frameworkKey})` });
      const k = pairKey(c.frameworkKey, c.code);
      if (seen.has(k)) errors.push({ field: `${field}.competencyCode`, message: `${c.code} is listed twice` });
      seen.add(k);
      out.push({ frameworkKey: c.frameworkKey, competencyCode: c.code, level: r.level });
    });
    if (errors.length) throw new ValidationError(errors, 'The job role requirements are not valid');
    return out;
  }
}
