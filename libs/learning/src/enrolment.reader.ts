import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnrolmentListFilter, EnrolmentRepository, EnrolmentView } from './enrolment.repository.js';

/**
 * What other domains (certificates, competency, notifications, reporting) read about enrolments.
 * Stable API: add methods, do not rename them. No access checks here: callers check their own rules.
 */
@Injectable()
export class EnrolmentReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EnrolmentRepository) private readonly enrolments: EnrolmentRepository,
  ) {}

  /** One enrolment (with course slug, version, derived `overdue`), or null. */
  async findById(id: string): Promise<EnrolmentView | null> {
    return this.enrolments.view(id);
  }

  /** Several enrolments by id, in no particular order; unknown ids are left out. */
  async findByIds(ids: string[]): Promise<EnrolmentView[]> {
    return this.enrolments.views(ids);
  }

  /** A person's enrolments, most urgent first (as GET /me/enrolments). */
  async listForUser(userId: string, opts: { status?: EnrolmentListFilter; offset?: number; limit?: number } = {}): Promise<{ items: EnrolmentView[]; total: number }> {
    return this.enrolments.listForUser(userId, opts.status, { offset: opts.offset ?? 0, limit: Math.min(opts.limit ?? 100, 1000) });
  }

  /** The active (enrolled or in progress) enrolment of a person in a course, or null. */
  async findActive(userId: string, courseId: string): Promise<EnrolmentView | null> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM enrolment WHERE user_id = $1 AND course_id = $2 AND status IN ('enrolled', 'in_progress')`,
      [userId, courseId],
    )) as Array<{ id: string }>;
    return rows[0] ? this.enrolments.view(rows[0].id) : null;
  }

  /**
   * Active enrolments with a due date in [from, to), in due order, keyset-paged by (dueAt, id):
   * for reminder sweeps. Pass the last row's dueAt and id as `after` to read on.
   */
  async findActiveDueBetween(from: Date, to: Date, opts: { limit?: number; after?: { dueAt: Date; id: string } } = {}): Promise<EnrolmentView[]> {
    const limit = Math.min(opts.limit ?? 500, 5000);
    const rows = (await this.dataSource.query(
      `SELECT id FROM enrolment
        WHERE status IN ('enrolled', 'in_progress') AND due_at >= $1 AND due_at < $2
          AND ($3::timestamptz IS NULL OR (due_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY due_at, id LIMIT $5`,
      [from, to, opts.after?.dueAt ?? null, opts.after?.id ?? null, limit],
    )) as Array<{ id: string }>;
    const views = await this.enrolments.views(rows.map((r) => r.id));
    const order = new Map(rows.map((r, i) => [r.id, i]));
    return views.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
}
