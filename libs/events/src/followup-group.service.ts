import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, ForbiddenError, NotFoundError, Page, pageOf, Principal, ValidationError } from '@lms/platform';
import { DEFAULT_THRESHOLD, isSensitive } from '@lms/reporting';
import { Clock } from '@lms/notifications';
import { EventAccess } from './event-access.service.js';
import type { CommitmentStatus } from './commitment.entity.js';
import type { FollowupMemberStatus } from './followup-group.entity.js';

export interface FollowupMemberView {
  userId: string;
  displayName: string;
  status: FollowupMemberStatus;
  /** The member's hub institution and its country (derived from their org tree when shown). */
  institution: string | null;
  country: string | null;
  joinedAt: Date | null;
}

export interface MilestoneView {
  id: string;
  title: string;
  dueOn: string;
  done: boolean;
  doneAt: Date | null;
  doneBy: string | null;
  doneByName: string | null;
}

export interface FollowupGroupView {
  id: string;
  eventId: string;
  eventTitle: string;
  commitmentId: string | null;
  createdBy: string | null;
  title: string;
  action: string;
  status: CommitmentStatus;
  keptAt: Date | null;
  members: FollowupMemberView[];
  milestones: MilestoneView[];
  /** The caller's place: `active` or `invited` member, or `organiser` (reads and invites). */
  myRole: 'active' | 'invited' | 'organiser';
  createdAt: Date;
}

export interface FollowupPostView {
  id: string;
  userId: string | null;
  displayName: string | null;
  body: string;
  createdAt: Date;
}

export interface FollowupGroupInput {
  title: string;
  /** The joint commitment; defaults to the action of `commitmentId`. */
  action?: string;
  /** A commitment of this event the caller shares: its other members are invited. */
  commitmentId?: string;
  /** Participants of the event to invite. */
  inviteeIds?: string[];
}

/** The rows an UPDATE or DELETE … RETURNING gave (TypeORM answers `[rows, affected]` for those). */
function returned(result: unknown): unknown[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as unknown[]) : (result as unknown[]);
}

export interface JointKeptRow {
  key: string;
  label: string;
  country: string | null;
  /** Joint commitments with at least one active member here; null when suppressed. */
  commitments: number | null;
  kept: number | null;
  suppressed: boolean;
}

export interface JointKeptDocument {
  minCell: number;
  definition: string;
  byCountry: JointKeptRow[];
  byInstitution: JointKeptRow[];
}

/**
 * Cross-country follow-up groups (docs/hub.md, item 6): participants of one event share a joint
 * commitment, with milestones and short posts. Deny by default: a group is seen by its members
 * (invited ones see it to accept) and by the event's organisers; anyone else gets 404.
 */
@Injectable()
export class FollowupGroupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EventAccess) private readonly access: EventAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(principal: Principal, eventId: string, input: FollowupGroupInput): Promise<FollowupGroupView> {
    const event = await this.access.mustExist(eventId);
    const participant = await this.booked(eventId, [principal.userId]);
    const organiser = participant.size ? false : await this.access.canOrganiseUnit(principal, event.ownerOrgUnitId);
    if (!participant.size && !organiser) throw new ForbiddenError('Only participants and organisers of the event may start a follow-up group');
    let action = input.action?.trim() ?? '';
    let invitees = [...new Set(input.inviteeIds ?? [])];
    if (input.commitmentId) {
      const [c] = (await this.dataSource.query(
        `SELECT c.action, array_agg(m.user_id::text) AS members FROM event_commitment c JOIN event_commitment_member m ON m.commitment_id = c.id WHERE c.id = $1 AND c.event_id = $2 GROUP BY c.id`,
        [input.commitmentId, eventId],
      )) as Array<{ action: string; members: string[] }>;
      if (!c || (!c.members.includes(principal.userId) && !organiser)) throw new NotFoundError('Commitment', input.commitmentId);
      if (!action) action = c.action;
      invitees = [...new Set([...invitees, ...c.members])];
    }
    if (!action) throw new ValidationError([{ field: 'action', message: 'action is required unless the group is made from a commitment' }]);
    invitees = invitees.filter((u) => u !== principal.userId);
    await this.assertParticipants(eventId, invitees);
    const id = await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO event_followup_group (event_id, commitment_id, created_by, title, action) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (commitment_id) WHERE commitment_id IS NOT NULL DO NOTHING RETURNING id`,
        [eventId, input.commitmentId ?? null, principal.userId, input.title, action],
      )) as Array<{ id: string }>;
      if (!rows.length) throw new ConflictError('followup_group_exists', 'A follow-up group was already made from this commitment');
      const gid = rows[0].id;
      if (participant.size) {
        await manager.query(`INSERT INTO event_followup_member (group_id, user_id, status, invited_by, joined_at) VALUES ($1, $2, 'active', $2, $3)`, [gid, principal.userId, this.clock.now()]);
      }
      if (invitees.length) {
        await manager.query(`INSERT INTO event_followup_member (group_id, user_id, status, invited_by) SELECT $1, unnest($2::uuid[]), 'invited', $3`, [gid, invitees, principal.userId]);
      }
      return gid;
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, groupId: string): Promise<FollowupGroupView> {
    const role = await this.roleOf(principal, groupId);
    return this.view(groupId, role);
  }

  /** Groups I belong to or am invited to, newest first. */
  async mine(principal: Principal, query: { page: number; limit: number }): Promise<Page<FollowupGroupView>> {
    const rows = (await this.dataSource.query(
      `SELECT g.id, m.status FROM event_followup_group g JOIN event_followup_member m ON m.group_id = g.id AND m.user_id = $1 ORDER BY g.created_at DESC, g.id OFFSET $2 LIMIT $3`,
      [principal.userId, (query.page - 1) * query.limit, query.limit],
    )) as Array<{ id: string; status: FollowupMemberStatus }>;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM event_followup_member WHERE user_id = $1`, [principal.userId])) as Array<{ total: number }>;
    return pageOf(await Promise.all(rows.map((r) => this.view(r.id, r.status))), total, query);
  }

  /** The groups of an event (its organisers). */
  async ofEvent(principal: Principal, eventId: string, query: { page: number; limit: number }): Promise<Page<FollowupGroupView>> {
    await this.access.organised(principal, eventId);
    const rows = (await this.dataSource.query(`SELECT id FROM event_followup_group WHERE event_id = $1 ORDER BY created_at DESC, id OFFSET $2 LIMIT $3`, [
      eventId,
      (query.page - 1) * query.limit,
      query.limit,
    ])) as Array<{ id: string }>;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM event_followup_group WHERE event_id = $1`, [eventId])) as Array<{ total: number }>;
    return pageOf(await Promise.all(rows.map((r) => this.view(r.id, 'organiser'))), total, query);
  }

  /** Active members and organisers invite participants of the same event (whatever their institution or country). */
  async invite(principal: Principal, groupId: string, userIds: string[]): Promise<FollowupGroupView> {
    const role = await this.roleOf(principal, groupId);
    if (role === 'invited') throw new ForbiddenError('Accept the invitation first');
    const eventId = await this.eventOf(groupId);
    const ids = [...new Set(userIds)];
    await this.assertParticipants(eventId, ids);
    await this.dataSource.query(
      `INSERT INTO event_followup_member (group_id, user_id, status, invited_by) SELECT $1, unnest($2::uuid[]), 'invited', $3 ON CONFLICT (group_id, user_id) DO NOTHING`,
      [groupId, ids, principal.userId],
    );
    return this.view(groupId, role);
  }

  async accept(principal: Principal, groupId: string): Promise<FollowupGroupView> {
    const rows = returned(
      await this.dataSource.query(`UPDATE event_followup_member SET status = 'active', joined_at = $3 WHERE group_id = $1 AND user_id = $2 AND status = 'invited' RETURNING user_id`, [
        groupId,
        principal.userId,
        this.clock.now(),
      ]),
    );
    if (!rows.length) {
      const role = await this.roleOf(principal, groupId);
      if (role !== 'active') throw new ConflictError('no_invitation', 'There is no invitation to accept');
    }
    return this.view(groupId, 'active');
  }

  async decline(principal: Principal, groupId: string): Promise<void> {
    const rows = returned(await this.dataSource.query(`DELETE FROM event_followup_member WHERE group_id = $1 AND user_id = $2 AND status = 'invited' RETURNING user_id`, [groupId, principal.userId]));
    if (!rows.length) {
      const role = await this.roleOf(principal, groupId);
      throw new ConflictError('no_invitation', role === 'active' ? 'You are already a member' : 'There is no invitation to decline');
    }
  }

  async addMilestone(principal: Principal, groupId: string, input: { title: string; dueOn: string }): Promise<MilestoneView> {
    const role = await this.roleOf(principal, groupId);
    if (role === 'invited') throw new ForbiddenError('Accept the invitation first');
    const [row] = (await this.dataSource.query(`INSERT INTO event_followup_milestone (group_id, title, due_on, created_by) VALUES ($1, $2, $3::date, $4) RETURNING id`, [
      groupId,
      input.title,
      input.dueOn,
      principal.userId,
    ])) as Array<{ id: string }>;
    return (await this.milestones(groupId)).find((m) => m.id === row.id)!;
  }

  /**
   * Marks a milestone done (who and when) or not done (active members). When every milestone is
   * done the joint commitment is kept (unless a member said otherwise already).
   */
  async setMilestone(principal: Principal, groupId: string, milestoneId: string, done: boolean): Promise<FollowupGroupView> {
    await this.mustBeActive(principal, groupId);
    await this.dataSource.transaction(async (manager) => {
      const rows = returned(
        await manager.query(
          `UPDATE event_followup_milestone SET done_at = CASE WHEN $3 THEN COALESCE(done_at, $4) END, done_by = CASE WHEN $3 THEN COALESCE(done_by, $5) END
            WHERE id = $1 AND group_id = $2 RETURNING id`,
          [milestoneId, groupId, done, this.clock.now(), principal.userId],
        ),
      );
      if (!rows.length) throw new NotFoundError('Milestone', milestoneId);
      await manager.query(
        `UPDATE event_followup_group g SET status = 'kept', kept_at = $2, updated_at = now()
          WHERE g.id = $1 AND g.status = 'open' AND NOT EXISTS (SELECT 1 FROM event_followup_milestone m WHERE m.group_id = g.id AND m.done_at IS NULL)`,
        [groupId, this.clock.now()],
      );
    });
    return this.view(groupId, 'active');
  }

  /** Active members say the joint commitment is kept, not kept or open again. */
  async setStatus(principal: Principal, groupId: string, status: CommitmentStatus): Promise<FollowupGroupView> {
    await this.mustBeActive(principal, groupId);
    await this.dataSource.query(`UPDATE event_followup_group SET status = $2, kept_at = CASE WHEN $2 = 'kept' THEN COALESCE(kept_at, $3) END, updated_at = now() WHERE id = $1`, [
      groupId,
      status,
      this.clock.now(),
    ]);
    return this.view(groupId, 'active');
  }

  async post(principal: Principal, groupId: string, body: string): Promise<FollowupPostView> {
    await this.mustBeActive(principal, groupId);
    const [row] = (await this.dataSource.query(`INSERT INTO event_followup_post (group_id, user_id, body) VALUES ($1, $2, $3) RETURNING id`, [groupId, principal.userId, body])) as Array<{
      id: string;
    }>;
    const [view] = await this.postRows(`p.id = $1`, [row.id]);
    return view;
  }

  /** Posts, newest first (active members and organisers). */
  async posts(principal: Principal, groupId: string, query: { page: number; limit: number }): Promise<Page<FollowupPostView>> {
    const role = await this.roleOf(principal, groupId);
    if (role === 'invited') throw new ForbiddenError('Accept the invitation first');
    const items = await this.postRows(`p.group_id = $1 ORDER BY p.created_at DESC, p.id OFFSET $2 LIMIT $3`, [groupId, (query.page - 1) * query.limit, query.limit]);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM event_followup_post WHERE group_id = $1`, [groupId])) as Array<{ total: number }>;
    return pageOf(items, total, query);
  }

  /** Participants of the group's event who are not members yet (for an invitation form). */
  async invitable(principal: Principal, groupId: string): Promise<Array<{ userId: string; displayName: string }>> {
    const role = await this.roleOf(principal, groupId);
    if (role === 'invited') return [];
    return (await this.dataSource.query(
      `SELECT u.id AS "userId", u.display_name AS "displayName" FROM event_followup_group g JOIN event_registration r ON r.event_id = g.event_id AND r.status = 'booked'
         JOIN app_user u ON u.id = r.user_id AND u.status = 'active'
        WHERE g.id = $1 AND NOT EXISTS (SELECT 1 FROM event_followup_member m WHERE m.group_id = g.id AND m.user_id = r.user_id)
        ORDER BY u.display_name, u.id LIMIT 200`,
      [groupId],
    )) as Array<{ userId: string; displayName: string }>;
  }

  /**
   * The hub's aggregate: joint commitments (groups) and how many were kept, by the country and by the
   * hub institution of their active members (a group counts once in each country and institution it
   * has an active member in). A row with fewer than 5 joint commitments or 5 people is suppressed.
   */
  async keptAggregate(): Promise<JointKeptDocument> {
    const rows = (await this.dataSource.query(
      `WITH m AS (
         SELECT DISTINCT g.id AS group_id, g.status, fm.user_id, h.id AS institution_id, h.country, ro.code, ro.name
           FROM event_followup_group g JOIN event_followup_member fm ON fm.group_id = g.id AND fm.status = 'active'
           JOIN app_user u ON u.id = fm.user_id JOIN org_unit o ON o.id = u.org_unit_id
           JOIN institution h ON h.root_org_unit_id = split_part(o.path, '/', 2)::uuid JOIN org_unit ro ON ro.id = h.root_org_unit_id
       )
       SELECT 'country' AS dim, country AS key, country AS label, country, count(DISTINCT group_id)::int AS commitments,
              count(DISTINCT group_id) FILTER (WHERE status = 'kept')::int AS kept, count(DISTINCT user_id)::int AS people
         FROM m WHERE country IS NOT NULL GROUP BY country
       UNION ALL
       SELECT 'institution', code, name, country, count(DISTINCT group_id)::int, count(DISTINCT group_id) FILTER (WHERE status = 'kept')::int, count(DISTINCT user_id)::int
         FROM m GROUP BY institution_id, code, name, country
       ORDER BY 1, 2`,
    )) as Array<{ dim: 'country' | 'institution'; key: string; label: string; country: string | null; commitments: number; kept: number; people: number }>;
    const publish = (r: (typeof rows)[number]): JointKeptRow =>
      isSensitive({ value: r.commitments, people: r.people }, DEFAULT_THRESHOLD)
        ? { key: r.key, label: r.label, country: r.country, commitments: null, kept: null, suppressed: true }
        : { key: r.key, label: r.label, country: r.country, commitments: r.commitments, kept: r.kept, suppressed: false };
    return {
      minCell: DEFAULT_THRESHOLD,
      definition: 'A joint commitment is kept when all its milestones are done or its members mark it kept.',
      byCountry: rows.filter((r) => r.dim === 'country').map(publish),
      byInstitution: rows.filter((r) => r.dim === 'institution').map(publish),
    };
  }

  // ------------------------------------------------------------------ internals

  /** The caller's place in a group; 404 for everybody else (the group's existence is not revealed). */
  private async roleOf(principal: Principal, groupId: string): Promise<FollowupGroupView['myRole']> {
    const [row] = (await this.dataSource.query(
      `SELECT g.event_id AS "eventId", (SELECT m.status FROM event_followup_member m WHERE m.group_id = g.id AND m.user_id = $2) AS status FROM event_followup_group g WHERE g.id = $1`,
      [groupId, principal.userId],
    )) as Array<{ eventId: string; status: FollowupMemberStatus | null }>;
    if (!row) throw new NotFoundError('Follow-up group', groupId);
    if (row.status) return row.status;
    const event = await this.access.mustExist(row.eventId);
    if (await this.access.canOrganiseUnit(principal, event.ownerOrgUnitId)) return 'organiser';
    throw new NotFoundError('Follow-up group', groupId);
  }

  private async mustBeActive(principal: Principal, groupId: string): Promise<void> {
    const role = await this.roleOf(principal, groupId);
    if (role !== 'active') throw new ForbiddenError(role === 'invited' ? 'Accept the invitation first' : 'Only members of the group may do this');
  }

  private async eventOf(groupId: string): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT event_id AS "eventId" FROM event_followup_group WHERE id = $1`, [groupId])) as Array<{ eventId: string }>;
    if (!row) throw new NotFoundError('Follow-up group', groupId);
    return row.eventId;
  }

  private async booked(eventId: string, userIds: string[]): Promise<Set<string>> {
    const rows = (await this.dataSource.query(`SELECT user_id AS "userId" FROM event_registration WHERE event_id = $1 AND status = 'booked' AND user_id = ANY($2::uuid[])`, [
      eventId,
      userIds,
    ])) as Array<{ userId: string }>;
    return new Set(rows.map((r) => r.userId));
  }

  private async assertParticipants(eventId: string, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const ok = await this.booked(eventId, userIds);
    const strangers = userIds.filter((u) => !ok.has(u));
    if (strangers.length) throw new ValidationError(strangers.map((s) => ({ field: 'userIds', message: `${s} is not a participant of this event` })));
  }

  private async milestones(groupId: string): Promise<MilestoneView[]> {
    return (await this.dataSource.query(
      `SELECT m.id, m.title, m.due_on::text AS "dueOn", m.done_at IS NOT NULL AS done, m.done_at AS "doneAt", m.done_by AS "doneBy", u.display_name AS "doneByName"
         FROM event_followup_milestone m LEFT JOIN app_user u ON u.id = m.done_by WHERE m.group_id = $1 ORDER BY m.due_on, m.created_at, m.id`,
      [groupId],
    )) as MilestoneView[];
  }

  private async postRows(where: string, params: unknown[]): Promise<FollowupPostView[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.user_id AS "userId", u.display_name AS "displayName", p.body, p.created_at AS "createdAt" FROM event_followup_post p LEFT JOIN app_user u ON u.id = p.user_id WHERE ${where}`,
      params,
    )) as FollowupPostView[];
  }

  private async view(groupId: string, myRole: FollowupGroupView['myRole']): Promise<FollowupGroupView> {
    const [g] = (await this.dataSource.query(
      `SELECT g.id, g.event_id AS "eventId", e.title AS "eventTitle", g.commitment_id AS "commitmentId", g.created_by AS "createdBy", g.title, g.action, g.status, g.kept_at AS "keptAt", g.created_at AS "createdAt"
         FROM event_followup_group g JOIN live_event e ON e.id = g.event_id WHERE g.id = $1`,
      [groupId],
    )) as Array<Omit<FollowupGroupView, 'members' | 'milestones' | 'myRole'>>;
    if (!g) throw new NotFoundError('Follow-up group', groupId);
    const members = (await this.dataSource.query(
      `SELECT m.user_id AS "userId", u.display_name AS "displayName", m.status, ro.name AS institution, h.country, m.joined_at AS "joinedAt"
         FROM event_followup_member m JOIN app_user u ON u.id = m.user_id JOIN org_unit o ON o.id = u.org_unit_id
         LEFT JOIN institution h ON h.root_org_unit_id = split_part(o.path, '/', 2)::uuid LEFT JOIN org_unit ro ON ro.id = h.root_org_unit_id
        WHERE m.group_id = $1 ORDER BY m.status, u.display_name, m.user_id`,
      [groupId],
    )) as FollowupMemberView[];
    return { ...g, members, milestones: await this.milestones(groupId), myRole };
  }
}
