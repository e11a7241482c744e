import type { DataSourceOptions, MixedList, MigrationInterface } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { EmbeddedDatabase } from './embedded.js';
import { SlowQueryLogger } from './slow-query.logger.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = MixedList<Function>;
export type MigrationList = Array<new () => MigrationInterface>;

/** TypeORM options for either mode. Schema changes come only from migrations: never synchronize. */
export function dataSourceOptions(
  config: AppConfig,
  entities: EntityList,
  migrations: MigrationList,
  embedded?: EmbeddedDatabase,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    namingStrategy: new SnakeNamingStrategy(),
    // Query errors reach the ProblemFilter (client errors map to 4xx, the rest are logged by pino
    // with an error id); TypeORM's own console logger would print SQL and parameters beside pino.
    logging: false,
    logger: new SlowQueryLogger(),
    ...(config.slowQueryMs > 0 ? { maxQueryExecutionTime: config.slowQueryMs } : {}),
  };
  if (config.databaseUrl) {
    return {
      ...common,
      url: config.databaseUrl,
      extra: { max: config.databasePoolSize, application_name: 'lms' },
    };
  }
  if (!embedded) throw new Error('embedded database not opened');
  return { ...common, extra: embedded.poolOptions() };
}
