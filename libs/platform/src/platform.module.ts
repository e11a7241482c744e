import { DynamicModule, Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule, DatabaseModuleOptions } from './database/database.module.js';
import { HealthRegistry } from './health/health.js';
import { loggerParams } from './logging/logging.js';
import { MetricsRegistry } from './metrics/metrics.js';

export interface PlatformModuleOptions extends DatabaseModuleOptions {
  /** A ready config (tests); otherwise the environment is read and validated. */
  config?: AppConfig;
}

class DatabaseHealth implements OnModuleInit {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}
  onModuleInit(): void {
    this.health.register({
      name: 'database',
      check: async () => {
        await this.dataSource.query('SELECT 1');
      },
    });
  }
}

/** Configuration, logging, database (with migrations), health and metrics: what every process needs. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config) }),
        DatabaseModule.forRoot(options),
      ],
      providers: [HealthRegistry, MetricsRegistry, DatabaseHealth],
      exports: [HealthRegistry, MetricsRegistry],
    };
  }
}
