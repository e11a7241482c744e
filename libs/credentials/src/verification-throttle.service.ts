import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { VerificationThrottledError } from './credentials.errors.js';

/** Verification requests allowed per client address and minute. */
export const VERIFY_LIMIT_PER_MINUTE = 30;

/**
 * Per-IP fixed-window limit of the public verification endpoint, counted in PostgreSQL with one
 * upsert per request, so all API replicas share the count and nothing lives in process memory.
 * Addresses are stored only as an HMAC. Old windows are pruned now and then by the request that
 * opens a new window.
 */
@Injectable()
export class VerificationThrottle {
  private readonly hmacKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.hmacKey = Buffer.from(`verify-throttle:${config.credentialKeySecret}`);
  }

  /** Counts one request from `ip`; throws 429 (with Retry-After) past the limit. */
  async hit(ip: string, limit = VERIFY_LIMIT_PER_MINUTE): Promise<void> {
    const key = createHmac('sha256', this.hmacKey).update(ip).digest('base64url');
    const [row] = (await this.dataSource.query(
      `INSERT INTO credential_verification_hit (client_key, window_start, hits) VALUES ($1, date_trunc('minute', now()), 1)
       ON CONFLICT (client_key, window_start) DO UPDATE SET hits = credential_verification_hit.hits + 1
       RETURNING hits, 60 - extract(epoch FROM now() - window_start)::int AS "retryAfter"`,
      [key],
    )) as Array<{ hits: number; retryAfter: number }>;
    if (row.hits === 1 && Math.random() < 0.02) {
      await this.dataSource.query(`DELETE FROM credential_verification_hit WHERE window_start < now() - interval '10 minutes'`);
    }
    if (row.hits > limit) throw new VerificationThrottledError(Math.max(1, row.retryAfter));
  }
}
