import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@lms/platform';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter, createOpenApiDocument } from './configure-app.js';

/**
 * Writes the OpenAPI document of the built app to a file (CI lints it with Redocly):
 * `node dist/apps/api/src/openapi.cli.js <out.json>`. It boots the app as configured by the
 * environment (DATABASE_URL or embedded), without jobs, without listening, and closes it.
 */
async function main(): Promise<void> {
  const out = process.argv[2] ?? 'openapi.json';
  const config = loadConfigOrExit({ ...process.env, DOCS_ENABLED: 'true', JOBS_IN_API: 'false', IMPORT_COURSES_ON_START: 'false' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), { logger: false });
  await configureApp(app, config);
  const document = createOpenApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  process.stdout.write(`OpenAPI document: ${Object.keys(document.paths).length} paths written to ${out}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
