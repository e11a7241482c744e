import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@lms/platform';
import type { Principal } from '@lms/platform';

interface Entry {
  principal: Principal;
  /** Cached until (ms epoch): the TTL, or the session's own expiry when sooner. */
  until: number;
}

/** At most this many callers are remembered; the oldest go first. */
const MAX_ENTRIES = 50_000;

/**
 * A short-lived cache of resolved callers (bearer token's user + session, or a session cookie), so
 * the global guard does not query the database on every request. Bounded by AUTH_CACHE_SECONDS
 * (0 turns it off) and dropped at once when something changes who the caller is:
 * `invalidateUser` (disabled, roles, unit, password) and `invalidateSession` (logout, token reuse).
 * With REDIS_URL the drop is broadcast to every API replica on a Redis channel; the TTL bounds a
 * lost message. After a drop the person is not cached again for one TTL, so a request that read
 * the old row just before the change's commit cannot put it back.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('PrincipalCache');
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  /** userId or `s:<sessionId>` → not cached before this time (ms epoch). */
  private readonly bypass = new Map<string, number>();
  /** After invalidateAll: nobody is cached before this time. */
  private bypassAllUntil = 0;
  private readonly channel: string;
  private publisher?: Redis;
  private subscriber?: Redis;
  hits = 0;
  misses = 0;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.ttlMs = config.authCacheSeconds * 1000;
    this.channel = `${config.redisPrefix}:auth:revoked`;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled || !this.config.redisUrl) return;
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.publisher = new Redis(this.config.redisUrl, options);
    this.subscriber = new Redis(this.config.redisUrl, options);
    // A replica that loses Redis cannot hear revocations: it stops caching until it reconnects.
    for (const r of [this.publisher, this.subscriber]) r.on('error', (e: Error) => this.log.warn(`revocation channel: ${e.message}`));
    this.subscriber.on('close', () => this.entries.clear());
    this.subscriber.on('message', (_channel: string, message: string) => this.apply(message));
    await this.publisher.connect();
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  /** Key for a session cookie (never kept in clear: the cookie holds the session's secret). */
  static cookieKey(cookieValue: string): string {
    return `c:${createHash('sha256').update(cookieValue).digest('base64url')}`;
  }

  static bearerKey(userId: string, sessionId: string): string {
    return `b:${userId}:${sessionId}`;
  }

  get(key: string): Principal | undefined {
    if (!this.enabled) return undefined;
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    if (e.until <= Date.now()) {
      this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return e.principal;
  }

  set(key: string, principal: Principal, expiresAt?: Date): void {
    if (!this.enabled || (this.config.redisUrl && this.subscriber?.status !== 'ready')) return;
    const now = Date.now();
    if (this.bypassAllUntil > now || (this.bypass.get(principal.userId) ?? 0) > now || (this.bypass.get(`s:${principal.sessionId}`) ?? 0) > now) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { principal, until: Math.min(now + this.ttlMs, expiresAt?.getTime() ?? Infinity) });
  }

  /** The person's status, grants, unit, e-mail or sessions changed. */
  invalidateUser(userId: string): void {
    this.drop(`u:${userId}`);
  }

  /** One session (refresh-token family, web session) ended. */
  invalidateSession(sessionId: string): void {
    this.drop(`s:${sessionId}`);
  }

  /** Bulk changes (an import): forget everyone. */
  invalidateAll(): void {
    this.drop('*');
  }

  private drop(message: string): void {
    if (!this.enabled) return;
    this.apply(message);
    this.publisher?.publish(this.channel, message).catch((e: Error) => this.log.warn(`could not broadcast a revocation: ${e.message}`));
  }

  private apply(message: string): void {
    const until = Date.now() + this.ttlMs;
    if (message === '*') {
      this.bypassAllUntil = until;
      this.entries.clear();
      return;
    }
    const [kind, id] = [message.slice(0, 1), message.slice(2)];
    if (kind === 'u') this.bypass.set(id, until);
    else this.bypass.set(`s:${id}`, until);
    for (const [key, e] of this.entries) if ((kind === 'u' ? e.principal.userId : e.principal.sessionId) === id) this.entries.delete(key);
    if (this.bypass.size > 10_000) for (const [k, t] of this.bypass) if (t <= Date.now()) this.bypass.delete(k);
  }
}
