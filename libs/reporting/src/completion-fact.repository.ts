import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Any constant shared by every process: one completion refresh at a time. */
const COMPLETION_REFRESH_LOCK = 7_412_010_001;

/**
 * The aggregate behind the completion report, per person's own unit and course: every enrolment
 * that is not withdrawn (each renewal cycle is an enrolment of its own), of people who are active;
 * the assigned_* columns repeat the counts for enrolments from an assignment. Overdue = not
 * completed and past the due date at the moment of the refresh.
 */
export const COMPLETION_AGGREGATE_SQL = `
  SELECT u.org_unit_id, e.course_id,
         count(*)::int AS enrolled,
         count(*) FILTER (WHERE e.status = 'enrolled')::int AS not_started,
         count(*) FILTER (WHERE e.status = 'in_progress')::int AS in_progress,
         count(*) FILTER (WHERE e.status = 'completed')::int AS completed,
         count(*) FILTER (WHERE e.status IN ('enrolled', 'in_progress') AND e.due_at < now())::int AS overdue,
         count(*) FILTER (WHERE e.source = 'assignment')::int AS assigned_enrolled,
         count(*) FILTER (WHERE e.source = 'assignment' AND e.status = 'enrolled')::int AS assigned_not_started,
         count(*) FILTER (WHERE e.source = 'assignment' AND e.status = 'in_progress')::int AS assigned_in_progress,
         count(*) FILTER (WHERE e.source = 'assignment' AND e.status = 'completed')::int AS assigned_completed,
         count(*) FILTER (WHERE e.source = 'assignment' AND e.status IN ('enrolled', 'in_progress') AND e.due_at < now())::int AS assigned_overdue
    FROM enrolment e
    JOIN app_user u ON u.id = e.user_id
   WHERE e.status <> 'withdrawn' AND u.status = 'active'
   GROUP BY u.org_unit_id, e.course_id`;

const COUNT_COLUMNS = [
  'enrolled',
  'not_started',
  'in_progress',
  'completed',
  'overdue',
  'assigned_enrolled',
  'assigned_not_started',
  'assigned_in_progress',
  'assigned_completed',
  'assigned_overdue',
];

export interface RefreshOutcome {
  /** False when another process was refreshing at the same moment (its result stands). */
  refreshed: boolean;
  rows: number;
  durationMs: number;
  refreshedAt: Date | null;
}

/**
 * Rebuilds report_completion_fact in one transaction: the new aggregate (own rows, then subtree
 * rows summed over each unit's materialised path) goes to a temporary table, rows that vanished are
 * deleted and the rest upserted (only where a number changed), so readers never wait and never see
 * a half-built table.
 */
@Injectable()
export class CompletionFactRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `wait`: queue behind a refresh that is running instead of skipping. */
  async rebuild(options: { wait?: boolean } = {}): Promise<RefreshOutcome> {
    return this.dataSource.transaction(async (manager) => {
      if (options.wait) await manager.query(`SELECT pg_advisory_xact_lock($1)`, [COMPLETION_REFRESH_LOCK]);
      else {
        const [lock] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [COMPLETION_REFRESH_LOCK])) as Array<{ ok: boolean }>;
        if (!lock.ok) return { refreshed: false, rows: 0, durationMs: 0, refreshedAt: null };
      }
      const started = Date.now();
      await manager.query(`SET LOCAL work_mem = '64MB'`);
      await manager.query(
        `CREATE TEMP TABLE report_completion_next ON COMMIT DROP AS
         SELECT a.org_unit_id, a.course_id, false AS subtree, ${COUNT_COLUMNS.map((c) => `a.${c}`).join(', ')} FROM (${COMPLETION_AGGREGATE_SQL}) a`,
      );
      // A temporary table is never analysed by autovacuum: without statistics the planner takes it
      // for a few rows and may re-scan it once per fact row below (quadratic). ANALYZE costs a sample.
      await manager.query(`ANALYZE report_completion_next`);
      // Each unit's own row added to every unit on its path (itself and its ancestors): the subtree rows.
      await manager.query(
        `INSERT INTO report_completion_next (org_unit_id, course_id, subtree, ${COUNT_COLUMNS.join(', ')})
         SELECT anc.id::uuid, n.course_id, true, ${COUNT_COLUMNS.map((c) => `sum(n.${c})`).join(', ')}
           FROM report_completion_next n
           JOIN org_unit o ON o.id = n.org_unit_id
          CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS anc(id)
          GROUP BY anc.id, n.course_id`,
      );
      await manager.query(`ANALYZE report_completion_next`);
      await manager.query(
        `DELETE FROM report_completion_fact f
          WHERE NOT EXISTS (SELECT 1 FROM report_completion_next n
                             WHERE n.org_unit_id = f.org_unit_id AND n.course_id = f.course_id AND n.subtree = f.subtree)`,
      );
      const cols = COUNT_COLUMNS.join(', ');
      await manager.query(
        `INSERT INTO report_completion_fact AS f (org_unit_id, course_id, subtree, ${cols})
         SELECT org_unit_id, course_id, subtree, ${cols} FROM report_completion_next
         ON CONFLICT (org_unit_id, course_id, subtree) DO UPDATE
           SET ${COUNT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE (${COUNT_COLUMNS.map((c) => `f.${c}`).join(', ')}) IS DISTINCT FROM (${COUNT_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`,
      );
      await manager.query(`ANALYZE report_completion_fact`);
      const [count] = (await manager.query(`SELECT count(*)::int AS n FROM report_completion_next`)) as Array<{ n: number }>;
      const durationMs = Date.now() - started;
      const [stamp] = (await manager.query(
        `INSERT INTO report_refresh (name, refreshed_at, duration_ms, row_count) VALUES ('completion', now(), $1, $2)
         ON CONFLICT (name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms, row_count = excluded.row_count
         RETURNING refreshed_at`,
        [durationMs, count.n],
      )) as Array<{ refreshed_at: Date }>;
      return { refreshed: true, rows: count.n, durationMs, refreshedAt: stamp.refreshed_at };
    });
  }

  /** When the completion aggregate was last rebuilt (null: never). */
  async lastRefreshed(): Promise<Date | null> {
    const rows = (await this.dataSource.query(`SELECT refreshed_at FROM report_refresh WHERE name = 'completion'`)) as Array<{ refreshed_at: Date }>;
    return rows[0]?.refreshed_at ?? null;
  }
}
