// Shared pieces of the benchmarks in bench/*.bench.ts: the admin connection, a scratch database
// per run (created, migrated with the real migrations, dropped afterwards even on failure), a
// timer, number formatting, best/median and the alternating-order rounds. Not a benchmark itself
// (scripts/bench.mjs runs only *.bench.js).
// Env: BENCH_DATABASE_URL (an admin connection; falls back to TEST_DATABASE_URL, then
// postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, dataSourceOptions, loadConfig, runMigrationsLocked } from '@lms/platform';
import { entities } from '../migrations/entities.js';
import { migrations } from '../migrations/index.js';

export const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `fn` with a fresh pg client on `url`, always closing it. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `fn` with a client on the admin connection. */
export function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(adminUrl, fn);
}

export interface ScratchDatabase {
  /** lms_bench_<prefix>_<8 hex>. */
  name: string;
  /** The admin URL pointed at the scratch database. */
  url: string;
  /** Terminates its other connections and drops it. */
  drop(): Promise<void>;
}

/** Creates an empty database `lms_bench_<prefix>_<random>` on the admin connection (not migrated). */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `lms_bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(async (c) => {
        await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
  };
}

/** The benchmarks' AppConfig for `databaseUrl`: production, random secrets, LOG_LEVEL warn, a pool of 4; `env` overrides or adds. */
export function benchConfig(databaseUrl: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '4',
    // The benchmarks' own bulk statements are slow by design: no slow-query lines.
    SLOW_QUERY_MS: '0',
    // The benchmarks sign in as the first admin with a password only (MFA_REQUIRED_ROLES defaults to admin).
    MFA_REQUIRED_ROLES: 'none',
    ...env,
  });
}

export interface MigratedDatabase {
  name: string;
  url: string;
  config: AppConfig;
  ds: DataSource;
}

export interface MigratedDatabaseOptions {
  /** Config variables added to or overriding benchConfig's. */
  env?: Record<string, string>;
  /** When set, the database is kept (not dropped) and this is called with its name instead. */
  keep?: (name: string) => void;
}

/**
 * Creates a scratch database, opens a DataSource on it with every entity and migration, runs the
 * real migrations (under the advisory lock), then runs `fn`. Afterwards — also when anything
 * throws — closes the DataSource and drops the database (unless `keep`).
 */
export async function withMigratedDatabase<T>(
  prefix: string,
  options: MigratedDatabaseOptions,
  fn: (db: MigratedDatabase) => Promise<T>,
): Promise<T> {
  const db = await createScratchDatabase(prefix);
  let ds: DataSource | undefined;
  try {
    const config = benchConfig(db.url, options.env);
    ds = await new DataSource(dataSourceOptions(config, entities, migrations)).initialize();
    await runMigrationsLocked(ds);
    return await fn({ name: db.name, url: db.url, config, ds });
  } finally {
    if (ds?.isInitialized) await ds.destroy();
    if (options.keep) options.keep(db.name);
    else await db.drop();
  }
}

/** How long `fn` takes, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** Milliseconds rounded: "123 ms". */
export const fmt = (ms: number): string => `${Math.round(ms)} ms`;

/** The fastest of the runs. */
export const best = (xs: number[]): number => Math.min(...xs);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * `rounds` rounds of the two sides in alternating order (round 0: `first` then `second`, round 1:
 * `second` then `first`, …), so neither side always meets the warmer or the fuller database;
 * `afterRound` runs at the end of each round. The sides record their own timings.
 */
export async function alternateRounds(
  rounds: number,
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
  afterRound?: () => Promise<unknown>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await first();
      await second();
    } else {
      await second();
      await first();
    }
    if (afterRound) await afterRound();
  }
}

/**
 * A ministry: root 'BENCH' (an institution) → `departments` departments 'D<n>' → `unitsPerDepartment`
 * units '<D>-U<n>' each, with materialised paths written in the same INSERTs.
 */
export async function seedOrgTree(
  ds: DataSource,
  departments: number,
  unitsPerDepartment: number,
): Promise<{ rootId: string; rootPath: string }> {
  const [root] = (await ds.query(
    `INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH', 'Bench ministry', 'institution', '', 0) RETURNING id`,
  )) as Array<{ id: string }>;
  const rootPath = `/${root.id}/`;
  await ds.query(`UPDATE org_unit SET path = $2 WHERE id = $1`, [root.id, rootPath]);
  // Ids are drawn first so each row's materialised path can be written in the same INSERT.
  await ds.query(
    `INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth)
     SELECT x.id, 'D' || x.g, 'Department ' || x.g, 'department', $1, $3 || x.id || '/', 1
       FROM (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $2) g) x`,
    [root.id, departments, rootPath],
  );
  await ds.query(
    `INSERT INTO org_unit (id, code, name, kind, parent_id, path, depth)
     SELECT x.id, x.code || '-U' || x.g, x.name || ' unit ' || x.g, 'unit', x.parent_id, x.parent_path || x.id || '/', 2
       FROM (SELECT gen_random_uuid() AS id, p.id AS parent_id, p.path AS parent_path, p.code, p.name, g
               FROM org_unit p CROSS JOIN generate_series(1, $2) g WHERE p.parent_id = $1) x`,
    [root.id, unitsPerDepartment],
  );
  return { rootId: root.id, rootPath };
}
