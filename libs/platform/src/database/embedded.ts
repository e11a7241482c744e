import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/**
 * Embedded mode: real PostgreSQL (PGlite, WASM) with its files in DATA_DIR/pgdata, reached by the
 * ordinary `pg` driver through PGlite's node-postgres connection. One connection, one query at a
 * time, so the pool size is 1 and every unit of work uses that one connection.
 */
export class EmbeddedDatabase {
  private constructor(
    readonly pglite: PGlite,
    readonly directory: string,
  ) {}

  private static readonly open_ = new Map<string, Promise<EmbeddedDatabase>>();

  /** One PGlite per directory and process: every caller gets the same instance. */
  static open(dataDir: string): Promise<EmbeddedDatabase> {
    const directory = join(dataDir, 'pgdata');
    let db = EmbeddedDatabase.open_.get(directory);
    if (!db) {
      mkdirSync(directory, { recursive: true });
      db = PGlite.create(directory).then((pglite) => new EmbeddedDatabase(pglite, directory));
      EmbeddedDatabase.open_.set(directory, db);
    }
    return db;
  }

  /** Options for `pg.Pool` (TypeORM's `extra`). */
  poolOptions(): Record<string, unknown> {
    const pg = createPgConfig(this.pglite);
    return { connection: pg.connection, max: 1, idleTimeoutMillis: 0 };
  }

  async close(): Promise<void> {
    EmbeddedDatabase.open_.delete(this.directory);
    if (!this.pglite.closed) await this.pglite.close();
  }
}
