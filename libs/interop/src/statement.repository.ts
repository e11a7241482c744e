import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PreparedStatement } from './statement-shape.js';

export interface StatementFilter {
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  agentKey?: string;
  relatedAgents?: boolean;
  registration?: string;
  since?: string;
  until?: string;
  ascending?: boolean;
}

export interface StoredRow {
  seq: string;
  statement: Record<string, unknown>;
  stored: Date;
}

/** The SQL of the Statements resource (set-based: one INSERT for a whole batch). */
@Injectable()
export class StatementRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** Inserts the statements whose id is new; returns the ids that were inserted. */
  async insertNew(manager: EntityManager, rows: PreparedStatement[], clientId: string | null): Promise<Set<string>> {
    const inserted = (await manager.query(
      `INSERT INTO xapi_statement (id, statement, content_hash, verb_id, activity_id, related_activity_ids, agent_keys, related_agent_keys, registration, stored, timestamp, voids_statement_id, client_id)
       SELECT r.id, r.statement, r.content_hash, r.verb_id, r.activity_id, r.related_activity_ids, r.agent_keys, r.related_agent_keys, r.registration, r.stored, r.timestamp, r.voids_statement_id, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, statement jsonb, content_hash text, verb_id text, activity_id text, related_activity_ids text[], agent_keys text[],
              related_agent_keys text[], registration uuid, stored timestamptz, timestamp timestamptz, voids_statement_id uuid, ord int)
        ORDER BY r.ord
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(
          rows.map((r, ord) => ({
            id: r.id,
            statement: r.statement,
            content_hash: r.contentHash,
            verb_id: r.verbId,
            activity_id: r.activityId,
            related_activity_ids: r.relatedActivityIds,
            agent_keys: r.agentKeys,
            related_agent_keys: r.relatedAgentKeys,
            registration: r.registration,
            stored: r.stored,
            timestamp: r.timestamp,
            voids_statement_id: r.voidsStatementId,
            ord,
          })),
        ),
        clientId,
      ],
    )) as Array<{ id: string }>;
    return new Set(inserted.map((r) => r.id));
  }

  async contentHashes(manager: EntityManager | DataSource, ids: string[]): Promise<Map<string, { hash: string; voidsStatementId: string | null }>> {
    if (!ids.length) return new Map();
    const rows = (await manager.query(`SELECT id, content_hash, voids_statement_id FROM xapi_statement WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string; content_hash: string; voids_statement_id: string | null }>;
    return new Map(rows.map((r) => [r.id, { hash: r.content_hash, voidsStatementId: r.voids_statement_id }]));
  }

  /** Marks as voided the targets of voiding statements and new statements that a stored voiding statement targets. */
  async applyVoiding(manager: EntityManager, newIds: string[]): Promise<void> {
    if (!newIds.length) return;
    await manager.query(
      `UPDATE xapi_statement t SET voided = true
        WHERE NOT t.voided AND t.voids_statement_id IS NULL
          AND (t.id IN (SELECT v.voids_statement_id FROM xapi_statement v WHERE v.id = ANY($1::uuid[]) AND v.voids_statement_id IS NOT NULL)
               OR (t.id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM xapi_statement v WHERE v.voids_statement_id = t.id)))`,
      [newIds],
    );
  }

  async findOne(id: string, voided: boolean): Promise<StoredRow | null> {
    const rows = (await this.ds.query(`SELECT seq, statement, stored FROM xapi_statement WHERE id = $1 AND voided = $2`, [id, voided])) as StoredRow[];
    return rows[0] ?? null;
  }

  /** One page of a filtered query, after the cursor's seq; `limit + 1` rows tell whether more exist. */
  async query(filter: StatementFilter, afterSeq: string | null, limit: number): Promise<StoredRow[]> {
    const where = ['voided = false'];
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.verb) where.push(`verb_id = ${p(filter.verb)}`);
    if (filter.activity) where.push(filter.relatedActivities ? `related_activity_ids @> ARRAY[${p(filter.activity)}]::text[]` : `activity_id = ${p(filter.activity)}`);
    if (filter.agentKey) where.push(filter.relatedAgents ? `related_agent_keys @> ARRAY[${p(filter.agentKey)}]::text[]` : `agent_keys @> ARRAY[${p(filter.agentKey)}]::text[]`);
    if (filter.registration) where.push(`registration = ${p(filter.registration)}::uuid`);
    if (filter.since) where.push(`stored > ${p(filter.since)}::timestamptz`);
    if (filter.until) where.push(`stored <= ${p(filter.until)}::timestamptz`);
    if (afterSeq) where.push(filter.ascending ? `seq > ${p(afterSeq)}::bigint` : `seq < ${p(afterSeq)}::bigint`);
    return (await this.ds.query(
      `SELECT seq, statement, stored FROM xapi_statement WHERE ${where.join(' AND ')} ORDER BY seq ${filter.ascending ? 'ASC' : 'DESC'} LIMIT ${p(limit + 1)}`,
      params,
    )) as StoredRow[];
  }

  /** The latest definition an activity was stated with (the Activities resource). */
  async latestActivity(activityId: string): Promise<Record<string, unknown> | null> {
    const rows = (await this.ds.query(
      `SELECT statement->'object' AS object FROM xapi_statement WHERE activity_id = $1 AND statement->'object' ? 'definition' ORDER BY seq DESC LIMIT 1`,
      [activityId],
    )) as Array<{ object: Record<string, unknown> }>;
    return rows[0]?.object ?? null;
  }
}
