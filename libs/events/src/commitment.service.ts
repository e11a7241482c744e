import { Inject, Injectable } from '@nestjs/common';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ForbiddenError, NotFoundError, Page, pageOf, Principal, ValidationError, fieldError } from '@lms/platform';
import { EventAccess } from './event-access.service.js';
import type { CommitmentStatus } from './commitment.entity.js';
import { MIN_RESPONDENTS } from './evaluation.service.js';

export interface CommitmentView {
  id: string;
  eventId: string;
  createdBy: string;
  action: string;
  dueOn: string;
  partners: string[];
  competencyCode: string | null;
  sdg: number | null;
  reminderMonths: number[];
  status: CommitmentStatus;
  members: string[];
  updates: Array<{ userId: string; note: string; status: CommitmentStatus; createdAt: Date }>;
  createdAt: Date;
}

export interface CommitmentInput {
  action: string;
  dueOn: string;
  partners?: string[];
  competencyCode?: string | null;
  sdg?: number | null;
  reminderMonths?: number[];
  /** Other participants of the event who share the commitment (a group commitment). */
  memberIds?: string[];
}

export interface KeptRow {
  country: string | null;
  institution: string | null;
  commitments: number | null;
  kept: number | null;
  notKept: number | null;
  open: number | null;
  suppressed: boolean;
}

/**
 * Follow-up commitments: a participant (alone or with other participants of the same event) records
 * an action with a due date, partners and the competency or SDG it serves; members post progress
 * updates (the last update's status is the commitment's); organisers see kept / not kept by
 * country and institution of the author, with groups under five commitments suppressed.
 */
@Injectable()
export class CommitmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventAccess) private readonly access: EventAccess,
  ) {}

  async create(principal: Principal, eventId: string, input: CommitmentInput): Promise<CommitmentView> {
    const event = await this.access.mustExist(eventId);
    const members = [...new Set([principal.userId, ...(input.memberIds ?? [])])];
    const booked = (await this.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' AND user_id = ANY($2::uuid[])`, [
      eventId,
      members,
    ])) as Array<{ userId: string }>;
    const ok = new Set(booked.map((b) => b.userId));
    if (!ok.has(principal.userId)) throw new ForbiddenError(M.commitOnlyParticipants());
    const strangers = members.filter((m) => !ok.has(m));
    if (strangers.length) throw new ValidationError(strangers.map((s) => fieldError('memberIds', M.notParticipant({ id: s }))));
    const id = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO event_commitment (event_id, created_by, action, due_on, partners, competency_code, sdg, reminder_months)
         VALUES ($1, $2, $3, $4::date, $5::text[], $6, $7, $8::int[]) RETURNING id`,
        [eventId, principal.userId, input.action, input.dueOn, input.partners ?? [], input.competencyCode ?? null, input.sdg ?? null, input.reminderMonths ?? event.commitmentReminderMonths],
      )) as Array<{ id: string }>;
      await manager.query(`INSERT INTO event_commitment_member (commitment_id, user_id) SELECT $1, unnest($2::uuid[])`, [row.id, members]);
      return row.id;
    });
    return this.mustView(id);
  }

  async update(principal: Principal, commitmentId: string, input: { note: string; status: CommitmentStatus }): Promise<CommitmentView> {
    const view = await this.mustView(commitmentId);
    if (!view.members.includes(principal.userId)) throw new ForbiddenError(M.updateOnlyMembers());
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO event_commitment_update (commitment_id, user_id, note, status) VALUES ($1, $2, $3, $4)`, [commitmentId, principal.userId, input.note, input.status]);
      await manager.query(`UPDATE event_commitment SET status = $2, updated_at = now() WHERE id = $1`, [commitmentId, input.status]);
    });
    return this.mustView(commitmentId);
  }

  async get(principal: Principal, commitmentId: string): Promise<CommitmentView> {
    const view = await this.mustView(commitmentId);
    if (view.members.includes(principal.userId)) return view;
    await this.access.organised(principal, view.eventId);
    return view;
  }

  async mine(principal: Principal, query: { page: number; limit: number }): Promise<Page<CommitmentView>> {
    const rows = (await this.dataSource.query(
      `SELECT c.id FROM event_commitment c JOIN event_commitment_member m ON m.commitment_id = c.id WHERE m.user_id = $1 ORDER BY c.due_on, c.id OFFSET $2 LIMIT $3`,
      [principal.userId, (query.page - 1) * query.limit, query.limit],
    )) as Array<{ id: string }>;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM event_commitment_member WHERE user_id = $1`, [principal.userId])) as Array<{ total: number }>;
    const items = await Promise.all(rows.map((r) => this.mustView(r.id)));
    return pageOf(items, total, query);
  }

  /** Kept / not kept / open by the author's country and institution (the org units of those kinds above them); cells under 5 suppressed. */
  async summary(principal: Principal, eventId: string): Promise<{ eventId: string; minCell: number; rows: KeptRow[] }> {
    await this.access.organised(principal, eventId);
    const rows = (await this.dataSource.query(
      `SELECT (SELECT c2.name FROM org_unit c2 WHERE c2.kind = 'country' AND o.path LIKE c2.path || '%' ORDER BY c2.depth DESC LIMIT 1) AS country,
              (SELECT i.name FROM org_unit i WHERE i.kind = 'institution' AND o.path LIKE i.path || '%' ORDER BY i.depth DESC LIMIT 1) AS institution,
              count(*)::int AS commitments,
              count(*) FILTER (WHERE c.status = 'kept')::int AS kept,
              count(*) FILTER (WHERE c.status = 'not_kept')::int AS "notKept",
              count(*) FILTER (WHERE c.status = 'open')::int AS open
         FROM event_commitment c JOIN app_user u ON u.id = c.created_by JOIN org_unit o ON o.id = u.org_unit_id
        WHERE c.event_id = $1
        GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST`,
      [eventId],
    )) as Array<Omit<KeptRow, 'suppressed'> & { commitments: number }>;
    return {
      eventId,
      minCell: MIN_RESPONDENTS,
      rows: rows.map((r) =>
        r.commitments < MIN_RESPONDENTS
          ? { country: r.country, institution: r.institution, commitments: null, kept: null, notKept: null, open: null, suppressed: true }
          : { ...r, suppressed: false },
      ),
    };
  }

  private async mustView(id: string): Promise<CommitmentView> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.event_id AS "eventId", c.created_by AS "createdBy", c.action, c.due_on::text AS "dueOn", c.partners, c.competency_code AS "competencyCode", c.sdg,
              c.reminder_months AS "reminderMonths", c.status, c.created_at AS "createdAt",
              (SELECT array_agg(m.user_id::text ORDER BY m.user_id) FROM event_commitment_member m WHERE m.commitment_id = c.id) AS members,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('userId', x.user_id, 'note', x.note, 'status', x.status, 'createdAt', x.created_at) ORDER BY x.created_at)
                          FROM event_commitment_update x WHERE x.commitment_id = c.id), '[]') AS updates
         FROM event_commitment c WHERE c.id = $1`,
      [id],
    )) as CommitmentView[];
    if (!rows.length) throw new NotFoundError('Commitment', id);
    return rows[0];
  }
}
