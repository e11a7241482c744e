// The HTTP benchmark's baseline (not a benchmark itself): a bare Fastify server, in its own process
// like the API, answering each recorded request with exactly the bytes and headers the API sent.
// Usage: node dist/bench/bare-fastify.js <responses.json> — prints "listening <port>" when ready.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

interface Recorded {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const recorded = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Recorded[];
const app = Fastify({ logger: false });
for (const r of recorded) {
  const body = Buffer.from(r.bodyBase64, 'base64');
  app.route({
    method: r.method,
    url: r.path.split('?')[0],
    handler: (_req, reply) => {
      void reply.code(r.status).headers(r.headers);
      return reply.send(body);
    },
  });
}
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${new URL(address).port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
