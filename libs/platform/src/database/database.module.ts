import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions, EntityList, MigrationList } from './data-source.js';
import { EmbeddedDatabase } from './embedded.js';
import { runMigrationsLocked } from './migrations.js';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

export interface DatabaseModuleOptions {
  migrations: MigrationList;
  /** Extra entities not registered through TypeOrmModule.forFeature (normally none). */
  entities?: EntityList;
  /** Run pending migrations at start (under an advisory lock). Default true. */
  runMigrations?: boolean;
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
      providers: [embeddedProvider, EmbeddedDatabaseCloser],
      exports: [EMBEDDED_DATABASE],
    };
  }
}
