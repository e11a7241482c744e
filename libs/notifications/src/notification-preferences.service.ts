import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_PREFERENCES, type DigestMode } from './notification-preference.entity.js';

export interface Preferences {
  email: boolean;
  digest: DigestMode;
  /** Always true: in-app notifications cannot be switched off, so mandatory-training reminders always arrive. */
  inApp: true;
}

/**
 * E-mail on/off and daily digest vs immediate. Reminders are always produced once a day (in the
 * morning digest); `digest` decides whether event notifications (assigned, certificates) are
 * e-mailed as they happen or folded into the next morning's digest. E-mail off stops e-mail only:
 * in-app notifications, including every reminder for mandatory training, keep coming.
 */
@Injectable()
export class NotificationPreferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<Preferences> {
    const rows = (await this.dataSource.query(`SELECT email, digest FROM notification_preference WHERE user_id = $1`, [userId])) as Array<{
      email: boolean;
      digest: DigestMode;
    }>;
    return { ...(rows[0] ?? DEFAULT_PREFERENCES), inApp: true };
  }

  async set(userId: string, prefs: { email: boolean; digest: DigestMode }): Promise<Preferences> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO notification_preference (user_id, email, digest, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, digest = EXCLUDED.digest, updated_at = now()
       RETURNING email, digest`,
      [userId, prefs.email, prefs.digest],
    )) as Array<{ email: boolean; digest: DigestMode }>;
    return { ...row, inApp: true };
  }
}
