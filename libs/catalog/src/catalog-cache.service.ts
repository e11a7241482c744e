import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@lms/platform';

interface Timed<T> {
  value: T;
  until: number;
}

/** Entries kept per map before the oldest go. */
const MAX_ENTRIES = 5_000;

/**
 * In-memory reuse of catalog reads. Two kinds:
 * - keyed by a published version id (its lessons, a lesson's rendered HTML): kept until evicted,
 *   because a published version never changes (a database trigger refuses it);
 * - "which version is the latest published" and the catalog list: kept CATALOG_CACHE_SECONDS
 *   (0: off) and dropped in this process when a version is published; another replica sees a new
 *   publication within that time.
 */
@Injectable()
export class CatalogCache {
  private readonly ttlMs: number;
  private readonly immutable = new Map<string, unknown>();
  private readonly timed = new Map<string, Timed<unknown>>();

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.ttlMs = config.catalogCacheSeconds * 1000;
  }

  /** A value derived from published (immutable) rows only. */
  async immutableValue<T>(key: string, load: () => Promise<T> | T): Promise<T> {
    if (this.ttlMs === 0) return load();
    if (this.immutable.has(key)) return this.immutable.get(key) as T;
    const value = await load();
    if (this.immutable.size >= MAX_ENTRIES) this.immutable.delete(this.immutable.keys().next().value as string);
    this.immutable.set(key, value);
    return value;
  }

  /** A value that changes when something is published: reused for CATALOG_CACHE_SECONDS. */
  async recentValue<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs === 0) return load();
    const hit = this.timed.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
    const value = await load();
    if (value === null || value === undefined) return value; // "not found yet" is never kept
    if (this.timed.size >= MAX_ENTRIES) this.timed.delete(this.timed.keys().next().value as string);
    this.timed.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** A version was published (or a course imported): the latest versions and lists change. */
  published(): void {
    this.timed.clear();
  }
}
