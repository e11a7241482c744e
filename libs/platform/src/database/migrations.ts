import { DataSource, MigrationExecutor } from 'typeorm';

/** Any constant works as long as every process uses the same one. */
const MIGRATION_LOCK_KEY = 7_412_003_118;

/**
 * Runs pending migrations under a PostgreSQL advisory lock so several replicas can start at
 * once: the first applies them, the others wait and then find nothing to do.
 * The lock and the migrations share one connection, which also suits PGlite's single connection.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** SQL that entities would need beyond the migrations: empty when the schema matches the code. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query + (q.parameters?.length ? ` -- ${JSON.stringify(q.parameters)}` : '')),
    down: log.downQueries.map((q) => q.query),
  };
}
