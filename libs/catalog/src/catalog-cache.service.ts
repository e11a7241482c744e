import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@lms/platform';

interface Timed<T> {
  value: T;
  until: number;
}

/** Entries kept per map; the least recently used go first. */
const MAX_ENTRIES = 5_000;

/**
 * In-memory reuse of catalog reads. Two kinds:
 * - keyed by a published version (its row, lessons, a lesson's rendered HTML): kept until evicted
 *   (least recently used first, at most 5,000 entries), because a published version never changes
 *   (a database trigger refuses it) and there is no status after 'published';
 * - "which version is the latest published", course rows, schools and the catalog list: kept
 *   CATALOG_CACHE_SECONDS (0: off) and dropped when a version is published or a course imported —
 *   in this process at once, and on every other replica through a Redis channel
 *   (`<REDIS_PREFIX>:catalog:published`). A load that was running when a drop arrived is not kept
 *   (it may have read the rows before the change), and a replica whose channel to Redis is down
 *   keeps nothing of this kind until it is back.
 * Nothing here is personal: every value is the same for every caller.
 */
@Injectable()
export class CatalogCache implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('CatalogCache');
  private readonly ttlMs: number;
  private readonly immutable = new Map<string, unknown>();
  private readonly timed = new Map<string, Timed<unknown>>();
  /** Bumped by every drop: a load that started under an older generation is not kept. */
  private generation = 0;
  private readonly channel: string;
  private publisher?: Redis;
  private subscriber?: Redis;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.ttlMs = config.catalogCacheSeconds * 1000;
    this.channel = `${config.redisPrefix}:catalog:published`;
  }

  async onModuleInit(): Promise<void> {
    if (this.ttlMs === 0 || !this.config.redisUrl) return;
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.publisher = new Redis(this.config.redisUrl, options);
    this.subscriber = new Redis(this.config.redisUrl, options);
    for (const r of [this.publisher, this.subscriber]) r.on('error', (e: Error) => this.log.warn(`invalidation channel: ${e.message}`));
    // Messages sent while disconnected are lost: forget what may have changed meanwhile.
    this.subscriber.on('close', () => this.apply());
    this.subscriber.on('message', () => this.apply());
    await this.publisher.connect();
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  /** A value derived from published (immutable) rows only. */
  async immutableValue<T>(key: string, load: () => Promise<T> | T): Promise<T> {
    if (this.ttlMs === 0) return load();
    if (this.immutable.has(key)) {
      const value = this.immutable.get(key) as T;
      // Most recently used last (Map keeps insertion order).
      this.immutable.delete(key);
      this.immutable.set(key, value);
      return value;
    }
    const value = await load();
    if (this.immutable.size >= MAX_ENTRIES) this.immutable.delete(this.immutable.keys().next().value as string);
    this.immutable.set(key, value);
    return value;
  }

  /** A value kept by immutableValue, or undefined (nothing is loaded). */
  peekImmutable<T>(key: string): T | undefined {
    if (this.ttlMs === 0 || !this.immutable.has(key)) return undefined;
    const value = this.immutable.get(key) as T;
    this.immutable.delete(key);
    this.immutable.set(key, value);
    return value;
  }

  /** A value that changes when something is published: reused for CATALOG_CACHE_SECONDS at most. */
  async recentValue<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs === 0) return load();
    const hit = this.timed.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (value === null || value === undefined) return value; // "not found yet" is never kept
    if (generation !== this.generation || !this.listening) return value;
    if (this.timed.size >= MAX_ENTRIES) this.timed.delete(this.timed.keys().next().value as string);
    this.timed.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** A version was published (or a course imported): the latest versions and lists change, here and on every replica. */
  published(): void {
    this.apply();
    this.publisher?.publish(this.channel, 'published').catch((e: Error) => this.log.warn(`could not broadcast a catalog change: ${e.message}`));
  }

  /** Without Redis there is one process (or no cache); with it, only while the channel is up. */
  private get listening(): boolean {
    return !this.config.redisUrl || this.subscriber?.status === 'ready';
  }

  private apply(): void {
    this.generation++;
    this.timed.clear();
  }
}
