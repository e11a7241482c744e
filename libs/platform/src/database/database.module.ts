import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions, EntityList, MigrationList } from './data-source.js';
import { EmbeddedDatabase } from './embedded.js';
import { runMigrationsLocked } from './migrations.js';
import { openReadDataSource, READ_DATA_SOURCE } from './read-data-source.js';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

export interface DatabaseModuleOptions {
  migrations: MigrationList;
  /** Extra entities not registered through TypeOrmModule.forFeature (normally none). */
  entities?: EntityList;
  /** Run pending migrations at start (under an advisory lock). Default true. */
  runMigrations?: boolean;
}

/** Closes the read replica's pool (when it is not the primary, which TypeORM's module closes). */
class ReadDataSourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly read: DataSource,
    @Inject(DataSource) private readonly primary: DataSource,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.read !== this.primary && this.read.isInitialized) await this.read.destroy();
  }
}

class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.close();
  }
}

/**
 * PostgreSQL through TypeORM, in either mode: `DATABASE_URL`, or PGlite in DATA_DIR when it is
 * unset. Entities come from each domain's TypeOrmModule.forFeature (autoLoadEntities).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const embeddedProvider = {
      provide: EMBEDDED_DATABASE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => (config.databaseUrl ? null : EmbeddedDatabase.open(config.dataDir)),
    };
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          extraProviders: [embeddedProvider],
          inject: [AppConfig, EMBEDDED_DATABASE],
          useFactory: (config: AppConfig, embedded: EmbeddedDatabase | null) => ({
            ...dataSourceOptions(config, options.entities ?? [], options.migrations, embedded ?? undefined),
            autoLoadEntities: true,
            retryAttempts: 1,
          }),
          dataSourceFactory: async (opts) => {
            const dataSource = await new DataSource(opts!).initialize();
            if (options.runMigrations !== false) {
              const applied = await runMigrationsLocked(dataSource);
              if (applied.length) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        }),
      ],
      providers: [
        embeddedProvider,
        EmbeddedDatabaseCloser,
        { provide: READ_DATA_SOURCE, inject: [AppConfig, DataSource], useFactory: openReadDataSource },
        ReadDataSourceCloser,
      ],
      exports: [EMBEDDED_DATABASE, READ_DATA_SOURCE],
    };
  }
}
