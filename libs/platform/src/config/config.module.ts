import { DynamicModule, Global, Module } from '@nestjs/common';
import { configureLocaleFallbacks } from '@lms/i18n';
import { AppConfig, loadConfig } from './app-config.js';

/** Provides the validated AppConfig everywhere. Pass a config in tests; production reads the environment once. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => withLocales(config ?? loadConfig(process.env)) }],
      exports: [AppConfig],
    };
  }
}

/** The configured language fallbacks apply process-wide (libs/i18n's fallbackChain reads them). */
function withLocales(config: AppConfig): AppConfig {
  configureLocaleFallbacks(config.localeFallbacks);
  return config;
}
