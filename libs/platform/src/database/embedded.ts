import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Embedded mode: real PostgreSQL (PGlite, WASM) with its files in DATA_DIR/pgdata, reached by the
 * ordinary `pg` driver through PGlite's node-postgres connection. One connection, one query at a
 * time, so the pool size is 1 and every unit of work uses that one connection.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    readonly directory: string,
    private readonly connection: unknown,
  ) {}

  private static readonly open_ = new Map<string, Promise<EmbeddedDatabase>>();

  /** One PGlite per directory and process: every caller gets the same instance. */
  static open(dataDir: string): Promise<EmbeddedDatabase> {
    const directory = join(dataDir, 'pgdata');
    let db = EmbeddedDatabase.open_.get(directory);
    if (!db) {
      mkdirSync(directory, { recursive: true });
      // Loaded only in embedded mode: a production process never pays for the WASM module's import.
      db = (async () => {
        const { PGlite } = await import('@electric-sql/pglite');
        const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
        const pglite = await PGlite.create(directory);
        return new EmbeddedDatabase(pglite, directory, createPgConfig(pglite).connection);
      })();
      EmbeddedDatabase.open_.set(directory, db);
    }
    return db;
  }

  /** Options for `pg.Pool` (TypeORM's `extra`). */
  poolOptions(): Record<string, unknown> {
    return { connection: this.connection, max: 1, idleTimeoutMillis: 0 };
  }

  async close(): Promise<void> {
    EmbeddedDatabase.open_.delete(this.directory);
    if (!this.pglite.closed) await this.pglite.close();
  }
}
