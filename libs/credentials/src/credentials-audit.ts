import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface CredentialsAuditEntry {
  actor: { userId: string } | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: object | null;
  after?: object | null;
  requestId?: string | null;
}

/**
 * Writes admin actions on credentials to the audit log inside the caller's transaction.
 * TEMPORARY stand-in until @lms/identity exports its AuditLog service.
 */
@Injectable()
export class CredentialsAudit {
  private readonly logger = new Logger('Audit');

  async record(manager: EntityManager, entry: CredentialsAuditEntry): Promise<void> {
    const [{ present }] = (await manager.query(`SELECT to_regclass('public.audit_event') IS NOT NULL AS present`)) as Array<{ present: boolean }>;
    if (!present) {
      this.logger.log({ audit: { ...entry, actor: entry.actor?.userId ?? null } }, entry.action);
      return;
    }
    await manager.query(
      `INSERT INTO audit_event (actor_id, action, subject_type, subject_id, before, after, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [entry.actor?.userId ?? null, entry.action, entry.subjectType, entry.subjectId, entry.before ?? null, entry.after ?? null, entry.requestId ?? null],
    );
  }
}
