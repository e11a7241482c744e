import { Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { SlowQueryLogger } from './slow-query.logger.js';

/**
 * The connection reports, exports and open data read from: a read replica when DATABASE_READ_URL
 * is set, else the primary's DataSource itself. Only for SELECTs that tolerate replication lag
 * (seconds): never read-your-own-writes, never a transaction that writes.
 */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

/** Injects the read connection (see READ_DATA_SOURCE). */
export const InjectReadDataSource = (): ParameterDecorator => Inject(READ_DATA_SOURCE);

/** PostgreSQL application_name of the read pool's connections (visible in pg_stat_activity). */
export const READ_APPLICATION_NAME = 'lms-read';

/** Opens the replica's pool (raw SQL only: no entities, no migrations). */
export async function openReadDataSource(config: AppConfig, primary: DataSource): Promise<DataSource> {
  if (!config.databaseReadUrl) return primary;
  return new DataSource({
    type: 'postgres',
    url: config.databaseReadUrl,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
    logger: new SlowQueryLogger(),
    ...(config.slowQueryMs > 0 ? { maxQueryExecutionTime: config.slowQueryMs } : {}),
    extra: { max: config.databaseReadPoolSize, application_name: READ_APPLICATION_NAME },
  }).initialize();
}
