import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@lms/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './configure-app.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(config),
    { bufferLogs: true },
  );
  await configureApp(app, config);
  await app.listen(config.port, config.host);
  const logger = app.get(Logger);
  const where = config.isEmbedded ? `embedded PostgreSQL (PGlite) with data in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL';
  logger.log(`mode=${config.mode}: API on ${config.publicUrl} (listening ${config.host}:${config.port}), ${where}; ${config.docsEnabled ? `docs at ${config.publicUrl}/docs` : "docs off (DOCS_ENABLED)"}`);
  // Graceful shutdown: Nest closes the server (in-flight requests finish), then pools; force-exit after 10 s.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), 10_000).unref();
      app
        .close()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`Start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
