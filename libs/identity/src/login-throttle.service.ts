import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginThrottledError } from './identity.errors.js';

/**
 * Sliding-window limits on failed sign-ins, kept in PostgreSQL so every replica sees the same
 * counts. Checked BEFORE the password is hashed.
 */
export const LOGIN_LIMITS = {
  /** Failures per e-mail address (existing or not) … */
  accountFailures: 5,
  /** … within this many seconds. */
  accountWindowSeconds: 15 * 60,
  /** Failures per client IP … */
  ipFailures: 20,
  /** … within this many seconds. */
  ipWindowSeconds: 60,
  /** Attempts older than this are deleted now and then. */
  retentionSeconds: 24 * 60 * 60,
} as const;

/** Sliding-window limits for one use of the throttle (sign-in, password-reset requests, second-factor codes). */
export interface ThrottleLimits {
  accountFailures: number;
  accountWindowSeconds: number;
  ipFailures: number;
  ipWindowSeconds: number;
}

const COUNTED = `outcome IN ('pending', 'failure')`;

/**
 * An attempt is recorded as `pending` first and counted with the others, so a burst of parallel
 * guesses cannot slip past the limit while the first ones are still hashing.
 */
@Injectable()
export class LoginThrottle {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records the attempt; throws 429 (Retry-After) when the account or the IP is over its limit.
   * Other uses (password-reset requests, second-factor codes) pass their own limits and namespaced
   * keys (`reset:<email>`, `mfa:<userId>`), so their counts never mix with sign-in failures.
   */
  async begin(email: string, ip: string, limits: ThrottleLimits = LOGIN_LIMITS): Promise<string> {
    const [row] = (await this.dataSource.query(`INSERT INTO login_attempt (email, ip) VALUES ($1, $2) RETURNING id`, [
      email,
      ip,
    ])) as Array<{ id: string }>;
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*) FROM login_attempt WHERE email = $1 AND at > now() - make_interval(secs => $3) AND ${COUNTED})::int AS account,
              (SELECT count(*) FROM login_attempt WHERE ip = $2 AND at > now() - make_interval(secs => $4) AND ${COUNTED})::int AS ip`,
      [email, ip, limits.accountWindowSeconds, limits.ipWindowSeconds],
    )) as Array<{ account: number; ip: number }>;
    const accountOver = counts.account > limits.accountFailures;
    const ipOver = counts.ip > limits.ipFailures;
    if (!accountOver && !ipOver) return row.id;
    // A refused attempt does not count, so hammering does not extend the lock-out.
    await this.dataSource.query(`UPDATE login_attempt SET outcome = 'throttled' WHERE id = $1`, [row.id]);
    const waits = await Promise.all([
      accountOver ? this.secondsUntilBelow('email', email, limits.accountFailures, limits.accountWindowSeconds) : 0,
      ipOver ? this.secondsUntilBelow('ip', ip, limits.ipFailures, limits.ipWindowSeconds) : 0,
    ]);
    throw new LoginThrottledError(Math.max(1, ...waits));
  }

  async fail(attemptId: string): Promise<void> {
    await this.dataSource.query(`UPDATE login_attempt SET outcome = 'failure' WHERE id = $1`, [attemptId]);
    await this.pruneSometimes();
  }

  /** A success clears the account's earlier failures (not the IP's). */
  async succeed(attemptId: string, email: string): Promise<void> {
    await this.dataSource.query(`UPDATE login_attempt SET outcome = 'success' WHERE id = $1`, [attemptId]);
    await this.dataSource.query(`UPDATE login_attempt SET outcome = 'cleared' WHERE email = $1 AND outcome = 'failure'`, [email]);
    await this.pruneSometimes();
  }

  /** When the `limit`-th newest counted attempt leaves the window, one more attempt is allowed. */
  private async secondsUntilBelow(column: 'email' | 'ip', key: string, limit: number, windowSeconds: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM (at + make_interval(secs => $2) - now())))::int AS wait
         FROM login_attempt WHERE ${column} = $1 AND at > now() - make_interval(secs => $2) AND ${COUNTED}
        ORDER BY at DESC OFFSET $3 LIMIT 1`,
      [key, windowSeconds, limit - 1],
    )) as Array<{ wait: number }>;
    return rows[0]?.wait ?? 1;
  }

  private async pruneSometimes(): Promise<void> {
    if (Math.random() >= 0.01) return;
    await this.dataSource.query(`DELETE FROM login_attempt WHERE at < now() - make_interval(secs => $1)`, [LOGIN_LIMITS.retentionSeconds]);
  }
}
