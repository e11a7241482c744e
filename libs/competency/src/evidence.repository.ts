import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EvidenceSource } from './competency-evidence.entity.js';

export interface EvidenceRow {
  id: string;
  frameworkKey: string;
  frameworkVersion: number | null;
  competencyCode: string;
  level: number;
  source: EvidenceSource;
  enrolmentId: string | null;
  courseSlug: string | null;
  note: string | null;
  recordedBy: string | null;
  awardedAt: Date;
  expiresAt: Date | null;
}

export interface ManualEvidenceRow {
  userId: string;
  frameworkKey: string;
  frameworkVersion: number;
  competencyCode: string;
  level: number;
  note: string;
  recordedBy: string;
  expiresAt: Date | null;
}

const COLUMNS = `e.id, e.framework_key AS "frameworkKey", e.framework_version AS "frameworkVersion", e.competency_code AS "competencyCode",
  e.level, e.source, e.enrolment_id AS "enrolmentId", e.course_slug AS "courseSlug", e.note, e.recorded_by AS "recordedBy",
  e.awarded_at AS "awardedAt", e.expires_at AS "expiresAt"`;

/** Competency evidence: set-based inserts, protected against duplicates by the database. */
@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One row per competency of the enrolment's pinned course version, at its level, awarded at the
   * completion time and expiring after the version's certificate validity (when it has one).
   * The unique (enrolment_id, competency_code) index makes a second run insert nothing.
   * Returns the number of rows inserted; 0 when the enrolment is unknown or not completed.
   */
  async recordFromEnrolment(enrolmentId: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `INSERT INTO competency_evidence
              (user_id, competency_code, framework_key, framework_version, level, source, enrolment_id, course_slug, awarded_at, expires_at)
       SELECT e.user_id, x.code, v.framework_key, fw.version, x.level, 'course', e.id, co.slug, e.completed_at,
              CASE WHEN v.certificate_validity_months IS NOT NULL
                   THEN e.completed_at + make_interval(months => v.certificate_validity_months) END
         FROM enrolment e
         JOIN course_version v ON v.id = e.course_version_id
         JOIN course co ON co.id = e.course_id
        CROSS JOIN LATERAL jsonb_to_recordset(v.competencies) AS x(code text, level int)
         LEFT JOIN LATERAL (SELECT f.version FROM competency_framework f WHERE f.key = v.framework_key ORDER BY f.version DESC LIMIT 1) fw ON true
        WHERE e.id = $1 AND e.status = 'completed' AND e.completed_at IS NOT NULL AND x.code IS NOT NULL AND x.level >= 1
       ON CONFLICT (enrolment_id, competency_code) DO NOTHING
       RETURNING id`,
      [enrolmentId],
    )) as unknown[];
    return rows.length;
  }

  async insertManual(manager: EntityManager, row: ManualEvidenceRow): Promise<EvidenceRow> {
    const [inserted] = (await manager.query(
      `INSERT INTO competency_evidence AS e
              (user_id, competency_code, framework_key, framework_version, level, source, note, recorded_by, awarded_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7, now(), $8)
       RETURNING ${COLUMNS}`,
      [row.userId, row.competencyCode, row.frameworkKey, row.frameworkVersion, row.level, row.note, row.recordedBy, row.expiresAt],
    )) as EvidenceRow[];
    return inserted;
  }

  async insertRecognised(
    manager: EntityManager,
    row: { userId: string; frameworkKey: string; frameworkVersion: number; competencyCode: string; level: number; note: string; awardedAt: Date; expiresAt: Date | null },
  ): Promise<EvidenceRow> {
    const [inserted] = (await manager.query(
      `INSERT INTO competency_evidence AS e
              (user_id, competency_code, framework_key, framework_version, level, source, note, awarded_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'recognition', $6, $7, $8)
       RETURNING ${COLUMNS}`,
      [row.userId, row.competencyCode, row.frameworkKey, row.frameworkVersion, row.level, row.note, row.awardedAt, row.expiresAt],
    )) as EvidenceRow[];
    return inserted;
  }

  /** A person's whole evidence trail, newest first. */
  async listForUser(userId: string): Promise<EvidenceRow[]> {
    return (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM competency_evidence e WHERE e.user_id = $1
        ORDER BY e.framework_key, e.competency_code, e.awarded_at DESC, e.id`,
      [userId],
    )) as EvidenceRow[];
  }

  /** The person's status, or null when unknown. */
  async findUser(userId: string): Promise<{ id: string; status: string; jobRoleCode: string | null } | null> {
    const rows = (await this.dataSource.query(`SELECT id, status, job_role_code AS "jobRoleCode" FROM app_user WHERE id = $1`, [userId])) as Array<{
      id: string;
      status: string;
      jobRoleCode: string | null;
    }>;
    return rows[0] ?? null;
  }
}
