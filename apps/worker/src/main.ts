import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@lms/platform';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

/** Budget for a graceful stop: running jobs get most of it (SHUTDOWN_GRACE_MS), then pools close. */
const EXIT_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  if (!config.redisUrl) {
    process.stderr.write(
      'Invalid configuration: REDIS_URL is required by the worker (BullMQ on Redis). Without Redis, the API runs the jobs in-process (npm start).\n',
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const logger = app.get(Logger);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal}: no new jobs; letting running jobs finish, then closing`);
      setTimeout(() => process.exit(1), EXIT_DEADLINE_MS).unref();
      app
        .close()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  }
  logger.log(`worker ready (pid ${process.pid}): queues under prefix "${config.redisPrefix}", concurrency ${config.workerConcurrency} per queue`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Worker start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
