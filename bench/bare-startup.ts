// The start-up benchmark's production baseline (not a benchmark itself): the least a replica does
// before it can answer — load Fastify and pg, connect one pooled connection and Redis, listen, and
// answer GET /health/ready after a `SELECT 1`. Same env as the API (DATABASE_URL, REDIS_URL, PORT, HOST).
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
await pool.query('SELECT 1');
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
await redis.connect();
const app = Fastify({ logger: false });
app.get('/health/ready', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok' };
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.once('SIGTERM', () => {
  redis.disconnect();
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
