import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ForbiddenError, Principal } from '@lms/platform';

/** How deep the reporting chain is followed (a guard against a cycle in manager_id). */
export const TEAM_MAX_DEPTH = 12;
/** At most this many people on one team page (a line manager's tree; HR reports cover larger groups). */
export const TEAM_MAX_PEOPLE = 1000;

export interface TeamMember {
  userId: string;
  displayName: string;
  email: string;
  orgUnitName: string;
  /** 1: a direct report; 2: a report's report; … */
  level: number;
  managerName: string | null;
  active: number;
  completed: number;
  overdue: number;
}

export interface TeamOverdueItem {
  enrolmentId: string;
  userId: string;
  displayName: string;
  courseTitle: string;
  dueAt: Date;
  daysOverdue: number;
}

export interface TeamExpiringCertificate {
  certificateId: string;
  userId: string;
  displayName: string;
  courseTitle: string;
  serial: string;
  expiresAt: Date;
}

export interface TeamReport {
  people: TeamMember[];
  /** More people report to the manager than the page shows. */
  truncated: boolean;
  overdue: TeamOverdueItem[];
  expiring: TeamExpiringCertificate[];
}

/** The people who report to $1, directly or through others (active accounts), as a CTE named team. */
const TEAM_CTE = `WITH RECURSIVE chain AS (
    SELECT u.id, 1 AS level FROM app_user u WHERE u.manager_id = $1 AND u.status = 'active'
    UNION ALL
    SELECT u.id, c.level + 1 FROM app_user u JOIN chain c ON u.manager_id = c.id
     WHERE u.status = 'active' AND c.level < ${TEAM_MAX_DEPTH} AND u.id <> $1
  ),
  team AS (SELECT id, min(level) AS level FROM chain GROUP BY id)`;

/**
 * A line manager's view (derived from manager_id: anyone with a direct report): their direct and
 * indirect reports' training, overdue items and certificates expiring soon. Nobody else's data.
 */
@Injectable()
export class TeamReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when someone active reports directly to the person. */
  async isManager(userId: string): Promise<boolean> {
    const [r] = (await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM app_user WHERE manager_id = $1 AND status = 'active') AS yes`, [userId])) as Array<{ yes: boolean }>;
    return r.yes;
  }

  /** True when `userId` is in `managerId`'s reporting tree. */
  async reportsTo(userId: string, managerId: string): Promise<boolean> {
    const [r] = (await this.dataSource.query(`${TEAM_CTE} SELECT EXISTS (SELECT 1 FROM team WHERE id = $2) AS yes`, [managerId, userId])) as Array<{ yes: boolean }>;
    return r.yes;
  }

  async team(principal: Principal, expiringWithinDays = 60): Promise<TeamReport> {
    if (!(await this.isManager(principal.userId))) throw new ForbiddenError('Only a person with direct reports has a team');
    const people = (await this.dataSource.query(
      `${TEAM_CTE}
       SELECT u.id AS "userId", u.display_name AS "displayName", u.email, o.name AS "orgUnitName", t.level, m.display_name AS "managerName",
              count(e.id) FILTER (WHERE e.status IN ('enrolled', 'in_progress'))::int AS active,
              count(e.id) FILTER (WHERE e.status = 'completed')::int AS completed,
              count(e.id) FILTER (WHERE e.status IN ('enrolled', 'in_progress') AND e.due_at < now())::int AS overdue
         FROM team t JOIN app_user u ON u.id = t.id JOIN org_unit o ON o.id = u.org_unit_id
         LEFT JOIN app_user m ON m.id = u.manager_id
         LEFT JOIN enrolment e ON e.user_id = u.id
        GROUP BY u.id, u.display_name, u.email, o.name, t.level, m.display_name
        ORDER BY t.level, u.display_name, u.id
        LIMIT $2`,
      [principal.userId, TEAM_MAX_PEOPLE + 1],
    )) as TeamMember[];
    const truncated = people.length > TEAM_MAX_PEOPLE;
    const overdue = (await this.dataSource.query(
      `${TEAM_CTE}
       SELECT e.id AS "enrolmentId", u.id AS "userId", u.display_name AS "displayName",
              COALESCE(v.title ->> u.locale, v.title ->> v.default_language) AS "courseTitle", e.due_at AS "dueAt",
              ceil(extract(epoch FROM now() - e.due_at) / 86400)::int AS "daysOverdue"
         FROM team t JOIN app_user u ON u.id = t.id JOIN enrolment e ON e.user_id = u.id JOIN course_version v ON v.id = e.course_version_id
        WHERE e.status IN ('enrolled', 'in_progress') AND e.due_at < now()
        ORDER BY e.due_at, u.display_name LIMIT 500`,
      [principal.userId],
    )) as TeamOverdueItem[];
    const expiring = (await this.dataSource.query(
      `${TEAM_CTE}
       SELECT c.id AS "certificateId", u.id AS "userId", u.display_name AS "displayName",
              COALESCE(c.course_title ->> u.locale, c.course_title ->> c.default_language) AS "courseTitle", c.serial, c.expires_at AS "expiresAt"
         FROM team t JOIN app_user u ON u.id = t.id JOIN certificate c ON c.user_id = u.id
        WHERE c.revoked_at IS NULL AND c.expires_at > now() AND c.expires_at <= now() + make_interval(days => $2::int)
        ORDER BY c.expires_at LIMIT 500`,
      [principal.userId, expiringWithinDays],
    )) as TeamExpiringCertificate[];
    return { people: people.slice(0, TEAM_MAX_PEOPLE), truncated, overdue, expiring };
  }
}
