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
import { OrgUnitRepository } from './org-unit.repository.js';
import { PrincipalCache } from './principal-cache.service.js';
import type { RequestMeta } from './request-meta.js';
import { CODE_PATTERN, DISPLAY_NAME_MAX_LENGTH, isValidEmail, isValidTimeZone, normalizeEmail } from './user-fields.js';
import { GENDERS, LOCALITIES, type Gender, type Locale, type Locality } from './user.entity.js';

/** Upper bound of one import body (10,000 lines are about 1 MiB; this leaves room for long names). */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;
/** Rows written per transaction: set-based statements, short locks. */
/** An import that creates or moves at least this many people is followed by ANALYZE app_user. */
export const ANALYZE_AFTER_ROWS = 1_000;
export const IMPORT_CHUNK_ROWS = 1000;

export const IMPORT_REQUIRED_COLUMNS = ['email', 'displayName', 'orgUnitCode'] as const;
export const IMPORT_OPTIONAL_COLUMNS = ['jobRoleCode', 'locale', 'timeZone', 'gender', 'locality'] as const;
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
  errors: ImportLineError[];
}

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
  status: string;
  inScope: boolean;
  beyondAuthority: boolean;
}

type Values = Pick<ExistingRow, 'displayName' | 'orgUnitId' | 'jobRoleCode' | 'locale' | 'timeZone' | 'gender' | 'locality'>;


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
    a.locality === b.locality
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
  ) {}

  async import(principal: Principal, source: Readable | string, meta?: RequestMeta): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
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
        seen.set(row.email, lineNo);
        batch.push(row);
        if (batch.length >= IMPORT_CHUNK_ROWS) {
          await this.flush(principal, batch, scopePrefixes, unitCache, result, meta);
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
    if (batch.length) await this.flush(principal, batch, scopePrefixes, unitCache, result, meta);
    result.errors.sort((a, b) => a.line - b.line);
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
    meta?: RequestMeta,
  ): Promise<void> {
    const unknownCodes = [...new Set(rows.map((r) => r.orgUnitCode))].filter((c) => !unitCache.has(c));
    if (unknownCodes.length) {
      const found = await this.units.findByCodes(unknownCodes, scopePrefixes);
      for (const c of unknownCodes) unitCache.set(c, found.get(c) ?? null);
    }
    const placeable: Array<ImportRow & { orgUnitId: string }> = [];
    for (const r of rows) {
      const unit = unitCache.get(r.orgUnitCode);
      if (!unit) result.errors.push({ line: r.line, message: `no org unit has the code "${r.orgUnitCode}"` });
      else if (!unit.inScope) result.errors.push({ line: r.line, message: `the org unit ${r.orgUnitCode} is outside your scope` });
      else placeable.push({ ...r, orgUnitId: unit.id });
    }
    if (placeable.length === 0) return;
    const admin = isAdmin(principal);

    await this.dataSource.transaction(async (manager) => {
      const existing = await this.lockExisting(
        manager,
        placeable.map((r) => r.email),
        scopePrefixes,
      );
      const updates: Array<{ id: string; email: string; before: Values; after: Values; placed: boolean; active: boolean }> = [];
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
        };
        const after: Values = {
          displayName: r.displayName,
          orgUnitId: r.orgUnitId,
          jobRoleCode: r.jobRoleCode ?? current.jobRoleCode,
          locale: r.locale ?? current.locale,
          timeZone: r.timeZone ?? current.timeZone,
          gender: r.gender ?? current.gender,
          locality: r.locality ?? current.locality,
        };
        if (sameValues(before, after)) {
          result.unchanged++;
          continue;
        }
        updates.push({
          id: current.id,
          email: r.email,
          before,
          after,
          placed: before.orgUnitId !== after.orgUnitId || before.jobRoleCode !== after.jobRoleCode,
          active: current.status === 'active',
        });
      }

      if (updates.length) {
        for (const u of updates) this.principals.invalidateUser(u.id);
        await manager.query(
          `UPDATE app_user u
              SET display_name = n.display_name, org_unit_id = n.org_unit_id, job_role_code = n.job_role_code, locale = n.locale,
                  time_zone = n.time_zone, gender = n.gender, locality = n.locality, updated_at = now()
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                  AS n(id, display_name, org_unit_id, job_role_code, locale, time_zone, gender, locality)
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
          ],
        );
      }

      let created: Array<{ id: string; email: string }> = [];
      if (inserts.length) {
        created = (await manager.query(
          `INSERT INTO app_user (email, display_name, org_unit_id, job_role_code, locale, time_zone, gender, locality)
           SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
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

      const placed = [...created.map((c) => c.id), ...updates.filter((u) => u.placed && u.active).map((u) => u.id)];
      await this.writePlacedEvents(manager, placed);

      const byEmail = new Map(inserts.map((r) => [r.email, r]));
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
              via: 'import',
            },
            requestId: meta?.requestId,
          };
        }),
        ...updates.map((u) => ({
          actor: principal,
          action: 'user.updated',
          subjectType: 'user',
          subjectId: u.id,
          before: { email: u.email, ...u.before },
          after: { email: u.email, ...u.after, via: 'import' },
          requestId: meta?.requestId,
        })),
      ];
      await this.audit.recordMany(entries, manager);
      result.created += created.length;
      result.updated += updates.length;
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
              u.locale, u.time_zone AS "timeZone", u.gender, u.locality, u.status,
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
