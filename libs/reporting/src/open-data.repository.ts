import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { InjectReadDataSource } from '@lms/platform';
import type { PublishedTable } from './disclosure-control.js';
import type { OpenDataDimension } from './open-data-table.entity.js';

/** Counts of one cell before protection: `done` true = completed, false = not completed, null = all. */
export interface OpenDataCount {
  /** The hub institution (id) whose tree holds the person; null = none (the rest of the instance). */
  hub: string | null;
  dimension: OpenDataDimension | 'total';
  key: string;
  done: boolean | null;
  value: number;
  people: number;
}

export interface HubInstitution {
  id: string;
  code: string;
  country: string | null;
  names: Record<string, string>;
}

export interface StoredTable {
  dimension: string;
  generatedAt: Date;
  payload: PublishedTable;
}

/** Any constant shared by every process: one open-data build at a time. */
const OPEN_DATA_LOCK = 7_412_010_002;

/**
 * Every count the open-data tables need, in one pass over the enrolments (set-based):
 * - an enrolment counts when it is not withdrawn (each renewal cycle is one);
 * - institution = the nearest unit of kind 'institution' at or above the person's unit ('_none'
 *   when there is none), gender and locality from the person ('not_recorded' when empty), year =
 *   the calendar year (UTC) the enrolment started, course = the course;
 * - per dimension value and outcome: the number of enrolments and of distinct people, with the
 *   outcome-free row (done null) from the second grouping set;
 * - all of it per hub institution (`hub`: the institution row of the person's tree root, null when
 *   the root is no institution). People are in one unit, so the hubs partition them and the
 *   counts of a country or of the whole instance are sums of these (people included).
 */
const OPEN_DATA_COUNTS_SQL = `
  WITH inst AS MATERIALIZED (
    SELECT o.id AS unit_id, i.code AS institution
      FROM org_unit o
      LEFT JOIN LATERAL (
        SELECT a.code FROM unnest(string_to_array(btrim(o.path, '/'), '/')) AS anc(id)
          JOIN org_unit a ON a.id = anc.id::uuid AND a.kind = 'institution'
         ORDER BY a.depth DESC LIMIT 1
      ) i ON true
  ),
  cur AS (
    SELECT h.id AS hub, e.user_id, e.course_id, e.status = 'completed' AS done,
           extract(year FROM e.enrolled_at AT TIME ZONE 'UTC')::int AS yr,
           COALESCE(i.institution, '_none') AS institution,
           COALESCE(u.gender, 'not_recorded') AS gender,
           COALESCE(u.locality, 'not_recorded') AS locality
      FROM enrolment e
      JOIN app_user u ON u.id = e.user_id
      JOIN inst i ON i.unit_id = u.org_unit_id
      JOIN org_unit ou ON ou.id = u.org_unit_id
      LEFT JOIN institution h ON h.root_org_unit_id = split_part(ou.path, '/', 2)::uuid
     WHERE e.status <> 'withdrawn'
  )
  SELECT c.hub, d.dimension, d.key, c.done, count(*)::int AS value, count(DISTINCT c.user_id)::int AS people
    FROM cur c
    CROSS JOIN LATERAL (VALUES ('total', ''), ('institution', c.institution), ('course', c.course_id::text),
                               ('gender', c.gender), ('locality', c.locality), ('year', c.yr::text)) AS d(dimension, key)
   GROUP BY GROUPING SETS ((c.hub, d.dimension, d.key, c.done), (c.hub, d.dimension, d.key))`;

@Injectable()
export class OpenDataRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** The published tables are read from the replica when there is one (DATABASE_READ_URL). */
    @InjectReadDataSource() private readonly read: DataSource,
  ) {}

  /** Runs `build` under the open-data lock (skips when another process holds it and !wait). */
  async withLock<T>(wait: boolean, build: (manager: EntityManager) => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      if (wait) await manager.query(`SELECT pg_advisory_xact_lock($1)`, [OPEN_DATA_LOCK]);
      else {
        const [lock] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [OPEN_DATA_LOCK])) as Array<{ ok: boolean }>;
        if (!lock.ok) return null;
      }
      return build(manager);
    });
  }

  async counts(manager: EntityManager): Promise<OpenDataCount[]> {
    await manager.query(`SET LOCAL work_mem = '64MB'`);
    return (await manager.query(OPEN_DATA_COUNTS_SQL)) as OpenDataCount[];
  }

  /** The hub institutions: id, code of the root unit, country, names per language. */
  async hubs(manager?: EntityManager): Promise<HubInstitution[]> {
    const rows = (await (manager ?? this.read).query(
      `SELECT i.id, o.code, i.country, i.names FROM institution i JOIN org_unit o ON o.id = i.root_org_unit_id ORDER BY o.code`,
    )) as HubInstitution[];
    return rows;
  }

  /** Public names of the institutions (by code) and titles of the courses (by id). */
  async labels(manager: EntityManager): Promise<{ institutions: Map<string, string>; courses: Map<string, { slug: string; title: string }> }> {
    const institutions = (await manager.query(`SELECT code, name FROM org_unit WHERE kind = 'institution'`)) as Array<{ code: string; name: string }>;
    const courses = (await manager.query(
      `SELECT c.id, c.slug,
              (SELECT v.title ->> v.default_language FROM course_version v
                WHERE v.course_id = c.id AND v.status = 'published' ORDER BY v.version DESC LIMIT 1) AS title
         FROM course c`,
    )) as Array<{ id: string; slug: string; title: string | null }>;
    return {
      institutions: new Map(institutions.map((i) => [i.code, i.name])),
      courses: new Map(courses.map((c) => [c.id, { slug: c.slug, title: c.title ?? c.slug }])),
    };
  }

  async store(manager: EntityManager, tables: Array<{ dimension: string; payload: PublishedTable }>, durationMs: number): Promise<Date> {
    const [stamp] = (await manager.query(
      `INSERT INTO report_refresh (name, refreshed_at, duration_ms, row_count) VALUES ('open-data', now(), $1, $2)
       ON CONFLICT (name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms, row_count = excluded.row_count
       RETURNING refreshed_at`,
      [durationMs, tables.reduce((n, t) => n + t.payload.rows.length, 0)],
    )) as Array<{ refreshed_at: Date }>;
    // Scopes that no longer exist (an institution deleted, a country emptied) are not served stale.
    await manager.query(`DELETE FROM open_data_table WHERE NOT (dimension = ANY($1::text[]))`, [tables.map((t) => t.dimension)]);
    for (const t of tables) {
      await manager.query(
        `INSERT INTO open_data_table (dimension, generated_at, payload) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (dimension) DO UPDATE SET generated_at = excluded.generated_at, payload = excluded.payload`,
        [t.dimension, stamp.refreshed_at, JSON.stringify(t.payload)],
      );
    }
    return stamp.refreshed_at;
  }

  async lastGenerated(): Promise<Date | null> {
    const rows = (await this.dataSource.query(`SELECT refreshed_at FROM report_refresh WHERE name = 'open-data'`)) as Array<{ refreshed_at: Date }>;
    return rows[0]?.refreshed_at ?? null;
  }

  /** `dimension` is the storage key: the dimension, or `dimension@country:XX` / `dimension@institution:<id>`. */
  async table(dimension: string): Promise<StoredTable | null> {
    const rows = (await this.read.query(`SELECT dimension, generated_at, payload FROM open_data_table WHERE dimension = $1`, [dimension])) as Array<{
      dimension: string;
      generated_at: Date;
      payload: PublishedTable;
    }>;
    return rows[0] ? { dimension: rows[0].dimension, generatedAt: rows[0].generated_at, payload: rows[0].payload } : null;
  }
}
