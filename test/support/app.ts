import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@lms/platform';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, createHttpAdapter } from '../../apps/api/src/configure-app.js';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from './database.js';

export const TEST_ADMIN = { email: 'admin@test.lms', password: 'correct-horse-battery-staple-9' };

export interface TestApi {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  dataSource: DataSource;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Extra modules (test-only controllers). */
  imports?: Array<Type | DynamicModule>;
  /** Without Redis: the in-process job driver, as in embedded mode. */
  withoutRedis?: boolean;
}

/** Config for a test: its own database, its own Redis key prefix, its own data dir. */
export function testConfig(db: TestDatabase, env: Record<string, string> = {}, withoutRedis = false): AppConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'lms-test-'));
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ...(withoutRedis ? {} : { REDIS_URL: TEST_REDIS_URL }),
    REDIS_PREFIX: `lmstest-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIAL_KEY_SECRET: randomBytes(32).toString('hex'),
    PUBLIC_URL: 'http://lms.test',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    IMPORT_COURSES_ON_START: 'false',
    DATABASE_POOL_SIZE: '5',
    // Tests have no worker process: the API runs the BullMQ workers, relay and schedules too.
    JOBS_IN_API: 'true',
    // Every suite signs in as the admin with a password only; the MFA tests switch the requirement on themselves.
    MFA_REQUIRED_ROLES: 'none',
    ...env,
  });
}

/** Boots the real HTTP app (Fastify, every module, real PostgreSQL and Redis) on a fresh database. */
export async function startApi(options: StartOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = testConfig(db, options.env, options.withoutRedis);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...(options.imports ?? [])] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { logger: false });
  await configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  return {
    app,
    config,
    db,
    dataSource,
    http: request(app.getHttpServer()),
    async close() {
      await app.close();
      await db.drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
