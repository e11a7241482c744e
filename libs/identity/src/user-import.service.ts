import { canonicalLocale } from '@lms/i18n';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isAdmin, nameProblem, normalizeName, Principal, ValidationError } from '@lms/platform';
import { Outbox, type EventPayloads } from '@lms/jobs';
import { AccessScope } from './access-scope.service.js';
import { AuditEntry, AuditLog } from './audit-log.service.js';
import { parseCsvLine } from './csv-line.js';
import { PayloadTooLargeError } from './identity.errors.js';
import { InvitationService } from './invitation.service.js';
import { OrgUnitRepository } from './org-unit.repository.js';
import { PrincipalCache } from './principal-cache.service.js';
import type { RequestMeta } from './request-meta.js';
import { CODE_PATTERN, DISPLAY_NAME_MAX_LENGTH, isValidEmail, isValidTimeZone, normalizeEmail } from './user-fields.js';
import { GENDERS, LOCALITIES, USER_STATUSES, type Gender, type Locale, type Locality, type UserStatus } from './user.entity.js';

/** Upper bound of one import body (10,000 lines are about 1 MiB; this leaves room for long names). */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;
/** Rows written per transaction: set-based statements, short locks. */
/** An import that creates or moves at least this many people is followed by ANALYZE app_user. */
export const ANALYZE_AFTER_ROWS = 1_000;
export const IMPORT_CHUNK_ROWS = 1000;

export const IMPORT_REQUIRED_COLUMNS = ['email', 'displayName', 'orgUnitCode'] as const;
export const IMPORT_OPTIONAL_COLUMNS = ['jobRoleCode', 'locale', 'timeZone', 'gender', 'locality', 'externalId', 'managerEmail', 'status'] as const;
type Column = (typeof IMPORT_REQUIRED_COLUMNS)[number] | (typeof IMPORT_OPTIONAL_COLUMNS)[number];
const ALL_COLUMNS: readonly Column[] = [...IMPORT_REQUIRED_COLUMNS, ...IMPORT_OPTIONAL_COLUMNS];

export interface ImportLineError {
  line: number;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Lines that matched a person whose data was already the same. */
  unchanged: number;
  /** People disabled by this import (`status` disabled; counted in `updated` too). */
  deactivated: number;
  /** People made active again (counted in `updated` too). */
  reactivated: number;
  errors: ImportLineError[];
  /** True when nothing was written (`?dryRun=true`): the counts say what the import would do. */
  dryRun: boolean;
  /** With `?invite=true`: invitations e-mailed to the people this import created (would be, in a dry run). */
  invited?: number;
}

export interface ImportOptions {
  /** Validate and count everything, write nothing (one transaction, rolled back). */
  dryRun?: boolean;
  /** E-mail every newly created person an invitation to set their password (in the same transaction). */
  invite?: boolean;
}

/** Thrown to roll back a dry run's transaction. */
class DryRunRollback extends Error {}

const EXTERNAL_ID_MAX_LENGTH = 255;

/** A valid line; optional fields are undefined when the column is absent or the cell empty (keep / default). */
interface ImportRow {
  line: number;
  email: string;
  displayName: string;
  orgUnitCode: string;
  jobRoleCode?: string;
  locale?: Locale;
  timeZone?: string;
  gender?: Gender;
  locality?: Locality;
  externalId?: string;
  managerEmail?: string;
  status?: UserStatus;
}

interface ExistingRow {
  id: string;
  email: string;
  displayName: string;
  orgUnitId: string;
  jobRoleCode: string | null;
  locale: Locale;
  timeZone: string;
  gender: Gender | null;
  locality: Locality | null;
  status: UserStatus;
  externalId: string | null;
  managerEmail: string | null;
  inScope: boolean;
  beyondAuthority: boolean;
}

type Values = Pick<
  ExistingRow,
  'displayName' | 'orgUnitId' | 'jobRoleCode' | 'locale' | 'timeZone' | 'gender' | 'locality' | 'status' | 'externalId' | 'managerEmail'
>;


/** Stops the upload once it passes the byte limit (the body is streamed, never held whole). */
export class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (this.seen > this.limit) done(new PayloadTooLargeError(this.limit));
    else done(null, chunk);
  }
}

function headerColumns(header: string[]): Map<Column, number> {
  const byLower = new Map(ALL_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const map = new Map<Column, number>();
  const errors: Array<{ field: string; message: string }> = [];
  header.forEach((raw, i) => {
    const name = byLower.get(raw.trim().toLowerCase());
    if (!name) errors.push({ field: `header.${raw}`, message: `unknown column "${raw}" (known: ${ALL_COLUMNS.join(', ')})` });
    else if (map.has(name)) errors.push({ field: `header.${raw}`, message: `column ${name} appears twice` });
    else map.set(name, i);
  });
  for (const c of IMPORT_REQUIRED_COLUMNS)
    if (!map.has(c)) errors.push({ field: `header.${c}`, message: `the required column ${c} is missing` });
  if (errors.length) throw new ValidationError(errors, 'The CSV header row is not valid (line 1)');
  return map;
}

function parseLine(record: string[], columns: Map<Column, number>, width: number, line: number): ImportRow | string {
  if (record.length > width) return `has ${record.length} fields but the header has ${width}`;
  const cell = (c: Column): string => {
    const i = columns.get(c);
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const problems: string[] = [];
  const email = normalizeEmail(cell('email'));
  if (!email) problems.push('email is missing');
  else if (!isValidEmail(email)) problems.push(`email "${email}" is not a valid e-mail address`);
  const displayName = normalizeName(cell('displayName'));
  const nameIssue = displayName ? nameProblem(displayName, DISPLAY_NAME_MAX_LENGTH) : undefined;
  if (!displayName) problems.push('displayName is missing');
  else if (nameIssue) problems.push(`displayName ${nameIssue}`);
  const orgUnitCode = cell('orgUnitCode');
  if (!orgUnitCode) problems.push('orgUnitCode is missing');
  const row: ImportRow = { line, email, displayName, orgUnitCode };
  const jobRoleCode = cell('jobRoleCode');
  if (jobRoleCode) {
    if (CODE_PATTERN.test(jobRoleCode)) row.jobRoleCode = jobRoleCode;
    else problems.push(`jobRoleCode "${jobRoleCode}" may hold only letters, digits, ".", "_" and "-" (at most 64)`);
  }
  const locale = cell('locale');
  if (locale) {
    const tag = canonicalLocale(locale);
    if (tag) row.locale = tag;
    else problems.push(`locale "${locale}" is not a BCP 47 language tag (such as en, sr-Latn, sr-Cyrl, mk)`);
  }
  const timeZone = cell('timeZone');
  if (timeZone) {
    if (isValidTimeZone(timeZone)) row.timeZone = timeZone;
    else problems.push(`timeZone "${timeZone}" is not an IANA time zone (for example Europe/Belgrade)`);
  }
  const gender = cell('gender').toLowerCase();
  if (gender) {
    if ((GENDERS as readonly string[]).includes(gender)) row.gender = gender as Gender;
    else problems.push(`gender "${gender}" is not one of ${GENDERS.join(', ')}`);
  }
  const locality = cell('locality').toLowerCase();
  if (locality) {
    if ((LOCALITIES as readonly string[]).includes(locality)) row.locality = locality as Locality;
    else problems.push(`locality "${locality}" is not one of ${LOCALITIES.join(', ')}`);
  }
  const externalId = cell('externalId');
  if (externalId) {
    if (externalId.length <= EXTERNAL_ID_MAX_LENGTH && ![...externalId].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) row.externalId = externalId;
    else problems.push(`externalId must be at most ${EXTERNAL_ID_MAX_LENGTH} characters without control characters`);
  }
  const managerEmail = normalizeEmail(cell('managerEmail'));
  if (managerEmail) {
    if (!isValidEmail(managerEmail)) problems.push(`managerEmail "${managerEmail}" is not a valid e-mail address`);
    else if (managerEmail === email) problems.push('a person cannot be their own manager');
    else row.managerEmail = managerEmail;
  }
  const status = cell('status').toLowerCase();
  if (status) {
    if ((USER_STATUSES as readonly string[]).includes(status)) row.status = status as UserStatus;
    else problems.push(`status "${status}" is not one of ${USER_STATUSES.join(', ')}`);
  }
  return problems.length ? problems.join('; ') : row;
}

function sameValues(a: Values, b: Values): boolean {
  return (
    a.displayName === b.displayName &&
    a.orgUnitId === b.orgUnitId &&
    a.jobRoleCode === b.jobRoleCode &&
    a.locale === b.locale &&
    a.timeZone === b.timeZone &&
    a.gender === b.gender &&
    a.locality === b.locality &&
    a.status === b.status &&
    a.externalId === b.externalId &&
    a.managerEmail === b.managerEmail
  );
}

/**
 * CSV import of people (`POST /users/import`): streamed line by line (one person per line;
 * quoted fields may hold commas and quotes, not line breaks), validated, upserted by
 * e-mail in chunks of set-based statements (one UPDATE and one INSERT … ON CONFLICT per chunk).
 * Good lines are imported; the answer names every rejected line with the reason. HR may import
 * only into units of its subtree and only people it could edit.
 */
@Injectable()
export class UserImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(PrincipalCache) private readonly principals: PrincipalCache,
    @Inject(InvitationService) private readonly invitations: InvitationService,
  ) {}

  async import(principal: Principal, source: Readable | string, meta?: RequestMeta, options: ImportOptions = {}): Promise<ImportResult> {
    if (!options.dryRun) return this.run(principal, source, meta, undefined, options);
    // A dry run does everything in one transaction (chunks as savepoints, so later lines see earlier
    // ones exactly as a real run would) and rolls it back: nothing is written, not even the audit.
    let result: ImportResult | undefined;
    try {
      await this.dataSource.transaction(async (outer) => {
        result = await this.run(principal, source, meta, outer, options);
        throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    return { ...result!, dryRun: true };
  }

  private async run(principal: Principal, source: Readable | string, meta?: RequestMeta, outer?: EntityManager, options: ImportOptions = {}): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, deactivated: 0, reactivated: 0, errors: [], dryRun: false, ...(options.invite ? { invited: 0 } : {}) };
    const seenExternal = new Map<string, number>();
    const written = new Set<string>();
    const scopePrefixes = await this.scope.scopePaths(principal, 'hr');
    const unitCache = new Map<string, { id: string; inScope: boolean } | null>();
    const seen = new Map<string, number>();
    const input = typeof source === 'string' ? Readable.from([source]) : source;
    const limited = new ByteLimit(IMPORT_MAX_BYTES);
    const lines = createInterface({ input: limited, crlfDelay: Infinity });
    let failure: unknown;
    const fail = (e: unknown): void => {
      failure ??= e;
      lines.close();
    };
    input.on('error', fail);
    limited.on('error', fail);
    input.pipe(limited);

    let columns: Map<Column, number> | undefined;
    let width = 0;
    let lineNo = 0;
    let batch: ImportRow[] = [];
    try {
      for await (const text of lines) {
        lineNo++;
        const line = lineNo === 1 ? text.replace(/^\uFEFF/, '') : text;
        if (line.trim() === '') continue;
        if (line.includes('\u0000')) {
          // PostgreSQL cannot store U+0000: the line is refused here, the others are imported.
          if (!columns) throw new ValidationError([{ field: 'header', message: 'the header row contains a NUL character (U+0000)' }], 'The CSV header row is not valid');
          result.errors.push({ line: lineNo, message: 'contains a NUL character (U+0000), which is not allowed in text' });
          continue;
        }
        const fields = parseCsvLine(line);
        if (!Array.isArray(fields)) {
          if (!columns) throw new ValidationError([{ field: 'header', message: fields.error }], 'The CSV header row is not valid');
          result.errors.push({ line: lineNo, message: `not valid CSV: ${fields.error}` });
          continue;
        }
        if (!columns) {
          columns = headerColumns(fields);
          width = fields.length;
          continue;
        }
        const row = parseLine(fields, columns, width, lineNo);
        if (typeof row === 'string') {
          result.errors.push({ line: lineNo, message: row });
          continue;
        }
        const earlier = seen.get(row.email);
        if (earlier !== undefined) {
          result.errors.push({ line: lineNo, message: `${row.email} already appears on line ${earlier}` });
          continue;
        }
        if (row.externalId !== undefined) {
          const earlierExternal = seenExternal.get(row.externalId);
          if (earlierExternal !== undefined) {
            result.errors.push({ line: lineNo, message: `externalId ${row.externalId} already appears on line ${earlierExternal}` });
            continue;
          }
          seenExternal.set(row.externalId, lineNo);
        }
        seen.set(row.email, lineNo);
        batch.push(row);
        if (batch.length >= IMPORT_CHUNK_ROWS) {
          await this.flush(principal, batch, scopePrefixes, unitCache, result, written, meta, outer, options);
          batch = [];
        }
      }
    } finally {
      lines.close();
      input.unpipe(limited);
    }
    if (failure) throw failure;
    if (!columns)
      throw new ValidationError([{ field: 'body', message: 'the CSV is empty: a header row is required' }], 'The CSV has no header row');
    if (batch.length) await this.flush(principal, batch, scopePrefixes, unitCache, result, written, meta, outer, options);
    result.errors.sort((a, b) => a.line - b.line);
    if (outer) return result;
    // A large import changes app_user faster than autovacuum notices: refresh the planner's
    // statistics now, so the bulk assignment that typically follows is planned on real counts.
    if (result.created + result.updated >= ANALYZE_AFTER_ROWS) await this.dataSource.query('ANALYZE app_user');
    await this.audit.record({
      actor: principal,
      action: 'users.imported',
      subjectType: 'user_import',
      subjectId: randomUUID(),
      after: {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        deactivated: result.deactivated,
        reactivated: result.reactivated,
        rejected: result.errors.length,
        rejectedLines: result.errors.slice(0, 1000),
      },
      requestId: meta?.requestId,
    });
    return result;
  }

  private async flush(
    principal: Principal,
    rows: ImportRow[],
    scopePrefixes: string[],
    unitCache: Map<string, { id: string; inScope: boolean } | null>,
    result: ImportResult,
    written: Set<string>,
    meta?: RequestMeta,
    outer?: EntityManager,
    options: ImportOptions = {},
  ): Promise<void> {
    const unknownCodes = [...new Set(rows.map((r) => r.orgUnitCode))].filter((c) => !unitCache.has(c));
    if (unknownCodes.length) {
      const found = await this.units.findByCodes(unknownCodes, scopePrefixes);
      for (const c of unknownCodes) unitCache.set(c, found.get(c) ?? null);
    }
    let placeable: Array<ImportRow & { orgUnitId: string }> = [];
    for (const r of rows) {
      const unit = unitCache.get(r.orgUnitCode);
      if (!unit) result.errors.push({ line: r.line, message: `no org unit has the code "${r.orgUnitCode}"` });
      else if (!unit.inScope) result.errors.push({ line: r.line, message: `the org unit ${r.orgUnitCode} is outside your scope` });
      else if (r.status === 'disabled' && r.email === principal.email) result.errors.push({ line: r.line, message: 'you cannot disable yourself' });
      else placeable.push({ ...r, orgUnitId: unit.id });
    }
    if (placeable.length === 0) return;
    const admin = isAdmin(principal);

    await (outer ?? this.dataSource.manager).transaction(async (manager) => {
      placeable = await this.checkManagersAndExternalIds(manager, placeable, scopePrefixes, written, result);
      const existing = await this.lockExisting(
        manager,
        placeable.map((r) => r.email),
        scopePrefixes,
      );
      const updates: Array<{ id: string; email: string; before: Values; after: Values; placed: boolean }> = [];
      const inserts: Array<ImportRow & { orgUnitId: string }> = [];
      for (const r of placeable) {
        const current = existing.get(r.email);
        if (!current) {
          inserts.push(r);
          continue;
        }
        if (!admin && !current.inScope) {
          result.errors.push({ line: r.line, message: `${r.email} belongs to a unit outside your scope` });
          continue;
        }
        if (!admin && current.beyondAuthority) {
          result.errors.push({
            line: r.line,
            message: `${r.email} holds roles beyond your authority: only an admin may change this person`,
          });
          continue;
        }
        const before: Values = {
          displayName: current.displayName,
          orgUnitId: current.orgUnitId,
          jobRoleCode: current.jobRoleCode,
          locale: current.locale,
          timeZone: current.timeZone,
          gender: current.gender,
          locality: current.locality,
          status: current.status,
          externalId: current.externalId,
          managerEmail: current.managerEmail,
        };
        const after: Values = {
          displayName: r.displayName,
          orgUnitId: r.orgUnitId,
          jobRoleCode: r.jobRoleCode ?? current.jobRoleCode,
          locale: r.locale ?? current.locale,
          timeZone: r.timeZone ?? current.timeZone,
          gender: r.gender ?? current.gender,
          locality: r.locality ?? current.locality,
          status: r.status ?? current.status,
          externalId: r.externalId ?? current.externalId,
          managerEmail: r.managerEmail ?? current.managerEmail,
        };
        if (sameValues(before, after)) {
          result.unchanged++;
          written.add(r.email);
          continue;
        }
        updates.push({
          id: current.id,
          email: r.email,
          before,
          after,
          // moved, another job role, or back from disabled: standing assignments are applied again
          placed:
            after.status === 'active' &&
            (before.orgUnitId !== after.orgUnitId || before.jobRoleCode !== after.jobRoleCode || before.status === 'disabled'),
        });
      }

      if (updates.length) {
        for (const u of updates) this.principals.invalidateUser(u.id);
        await manager.query(
          `UPDATE app_user u
              SET display_name = n.display_name, org_unit_id = n.org_unit_id, job_role_code = n.job_role_code, locale = n.locale,
                  time_zone = n.time_zone, gender = n.gender, locality = n.locality, status = n.status, external_id = n.external_id,
                  updated_at = now()
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                  AS n(id, display_name, org_unit_id, job_role_code, locale, time_zone, gender, locality, status, external_id)
            WHERE u.id = n.id`,
          [
            updates.map((u) => u.id),
            updates.map((u) => u.after.displayName),
            updates.map((u) => u.after.orgUnitId),
            updates.map((u) => u.after.jobRoleCode),
            updates.map((u) => u.after.locale),
            updates.map((u) => u.after.timeZone),
            updates.map((u) => u.after.gender),
            updates.map((u) => u.after.locality),
            updates.map((u) => u.after.status),
            updates.map((u) => u.after.externalId),
          ],
        );
        // Leavers: every session of a disabled person ends (API tokens and browser sessions alike).
        const leaving = updates.filter((u) => u.before.status === 'active' && u.after.status === 'disabled').map((u) => u.id);
        if (leaving.length)
          await manager.query(`UPDATE auth_session SET revoked_at = now(), revoked_reason = 'disabled' WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL`, [
            leaving,
          ]);
        result.deactivated += leaving.length;
        result.reactivated += updates.filter((u) => u.before.status === 'disabled' && u.after.status === 'active').length;
      }

      let created: Array<{ id: string; email: string }> = [];
      if (inserts.length) {
        created = (await manager.query(
          `INSERT INTO app_user (email, display_name, org_unit_id, job_role_code, locale, time_zone, gender, locality, status, external_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           ON CONFLICT (email) DO NOTHING
           RETURNING id, email`,
          [
            inserts.map((r) => r.email),
            inserts.map((r) => r.displayName),
            inserts.map((r) => r.orgUnitId),
            inserts.map((r) => r.jobRoleCode ?? null),
            inserts.map((r) => r.locale ?? 'en'),
            inserts.map((r) => r.timeZone ?? 'UTC'),
            inserts.map((r) => r.gender ?? null),
            inserts.map((r) => r.locality ?? null),
            inserts.map((r) => r.status ?? 'active'),
            inserts.map((r) => r.externalId ?? null),
          ],
        )) as Array<{ id: string; email: string }>;
        const createdEmails = new Set(created.map((c) => c.email));
        for (const r of inserts) {
          if (!createdEmails.has(r.email))
            result.errors.push({
              line: r.line,
              message: `${r.email} was created by another request at the same time: import this line again`,
            });
        }
        await manager.query(
          `INSERT INTO role_grant (user_id, role, scope_org_unit_id) SELECT unnest($1::uuid[]), 'learner', NULL ON CONFLICT DO NOTHING`,
          [created.map((c) => c.id)],
        );
      }

      // Managers by e-mail, after the inserts (a manager may be new in this very chunk).
      const byEmail = new Map(inserts.map((r) => [r.email, r]));
      const createdEmails = new Set(created.map((c) => c.email));
      const managed = [
        ...inserts.filter((r) => r.managerEmail && createdEmails.has(r.email)).map((r) => [r.email, r.managerEmail!] as const),
        ...updates.filter((u) => u.after.managerEmail !== u.before.managerEmail).map((u) => [u.email, u.after.managerEmail!] as const),
      ];
      if (managed.length)
        await manager.query(
          `UPDATE app_user u SET manager_id = m.id
             FROM unnest($1::text[], $2::text[]) AS x(email, manager_email) JOIN app_user m ON m.email = x.manager_email
            WHERE u.email = x.email`,
          [managed.map((m) => m[0]), managed.map((m) => m[1])],
        );

      const activeCreated = created.filter((c) => (byEmail.get(c.email)?.status ?? 'active') === 'active').map((c) => c.id);
      const placed = [...activeCreated, ...updates.filter((u) => u.placed).map((u) => u.id)];
      await this.writePlacedEvents(manager, placed);

      const entries: AuditEntry[] = [
        ...created.map((c) => {
          const r = byEmail.get(c.email)!;
          return {
            actor: principal,
            action: 'user.created',
            subjectType: 'user',
            subjectId: c.id,
            after: {
              email: c.email,
              displayName: r.displayName,
              orgUnitId: r.orgUnitId,
              jobRoleCode: r.jobRoleCode ?? null,
              locale: r.locale ?? 'en',
              timeZone: r.timeZone ?? 'UTC',
              gender: r.gender ?? null,
              locality: r.locality ?? null,
              status: r.status ?? 'active',
              externalId: r.externalId ?? null,
              managerEmail: r.managerEmail ?? null,
              via: 'import',
            },
            requestId: meta?.requestId,
          };
        }),
        ...updates.map((u) => ({
          actor: principal,
          action:
            u.before.status === 'active' && u.after.status === 'disabled'
              ? 'user.disabled'
              : u.before.status === 'disabled' && u.after.status === 'active'
                ? 'user.reactivated'
                : 'user.updated',
          subjectType: 'user',
          subjectId: u.id,
          before: { email: u.email, ...u.before },
          after: { email: u.email, ...u.after, via: 'import' },
          requestId: meta?.requestId,
        })),
      ];
      await this.audit.recordMany(entries, manager);
      for (const c of created) written.add(c.email);
      for (const u of updates) written.add(u.email);
      if (options.invite && created.length) {
        await this.invitations.inviteNew(manager, principal, created.map((c) => c.id), meta);
        result.invited = (result.invited ?? 0) + created.length;
      }
      result.created += created.length;
      result.updated += updates.length;
    });
  }

  /**
   * Refuses (as line errors) lines whose manager is unknown or outside the importer's scope, and
   * lines whose externalId another person already holds. A manager may be someone already in the
   * database or a person on an earlier line of the same file.
   */
  private async checkManagersAndExternalIds(
    manager: EntityManager,
    rows: Array<ImportRow & { orgUnitId: string }>,
    scopePrefixes: string[],
    written: Set<string>,
    result: ImportResult,
  ): Promise<Array<ImportRow & { orgUnitId: string }>> {
    const managerEmails = [...new Set(rows.map((r) => r.managerEmail).filter((e): e is string => !!e))];
    const externalIds = rows.map((r) => r.externalId).filter((e): e is string => !!e);
    const managers = new Map<string, boolean>();
    if (managerEmails.length) {
      const found = (await manager.query(
        `SELECT u.email, EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%') AS "inScope"
           FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE u.email = ANY($1::text[])`,
        [managerEmails, scopePrefixes],
      )) as Array<{ email: string; inScope: boolean }>;
      for (const f of found) managers.set(f.email, f.inScope);
    }
    const holders = new Map<string, string>();
    if (externalIds.length) {
      const found = (await manager.query(`SELECT email, external_id FROM app_user WHERE external_id = ANY($1::text[])`, [externalIds])) as Array<{
        email: string;
        external_id: string;
      }>;
      for (const f of found) holders.set(f.external_id, f.email);
    }
    const inChunk = new Set(rows.map((r) => r.email));
    return rows.filter((r) => {
      const problems: string[] = [];
      if (r.managerEmail) {
        const known = managers.get(r.managerEmail);
        if (known === false) problems.push(`the manager ${r.managerEmail} is outside your scope`);
        else if (known === undefined && !inChunk.has(r.managerEmail) && !written.has(r.managerEmail))
          problems.push(`no person has the e-mail ${r.managerEmail} (a manager must exist or come on an earlier line)`);
      }
      if (r.externalId) {
        const holder = holders.get(r.externalId);
        if (holder && holder !== r.email) problems.push(`externalId ${r.externalId} belongs to another person`);
      }
      if (problems.length) result.errors.push({ line: r.line, message: problems.join('; ') });
      return problems.length === 0;
    });
  }

  /** `user.placed` for many people: one statement through the outbox's bulk door (Outbox.addMany). */
  private async writePlacedEvents(manager: EntityManager, userIds: string[]): Promise<void> {
    const payloads: Array<EventPayloads['user.placed']> = userIds.map((userId) => ({ userId }));
    await this.outbox.addMany(manager, 'user.placed', payloads);
  }

  private async lockExisting(manager: EntityManager, emails: string[], scopePrefixes: string[]): Promise<Map<string, ExistingRow>> {
    const rows = (await manager.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.org_unit_id AS "orgUnitId", u.job_role_code AS "jobRoleCode",
              u.locale, u.time_zone AS "timeZone", u.gender, u.locality, u.status, u.external_id AS "externalId",
              (SELECT m.email FROM app_user m WHERE m.id = u.manager_id) AS "managerEmail",
              EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE o.path LIKE p || '%') AS "inScope",
              EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit so ON so.id = g.scope_org_unit_id
                       WHERE g.user_id = u.id AND g.role <> 'learner'
                         AND NOT (g.role = 'hr' AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE so.path LIKE p || '%'))) AS "beyondAuthority"
         FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
        WHERE u.email = ANY($1::text[])
          FOR UPDATE OF u`,
      [emails, scopePrefixes],
    )) as ExistingRow[];
    return new Map(rows.map((r) => [r.email, r]));
  }
}
