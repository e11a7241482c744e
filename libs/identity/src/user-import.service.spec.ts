import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteLimit } from './user-import.service.js';

describe('import byte limit (streamed bodies without Content-Length)', () => {
  const sink = (): Writable => new Writable({ write: (_c, _e, done) => done() });

  it('passes a body up to the limit', async () => {
    await expect(pipeline(Readable.from([Buffer.alloc(600), Buffer.alloc(400)]), new ByteLimit(1000), sink())).resolves.toBeUndefined();
  });

  it('fails with 413 once the body passes the limit', async () => {
    await expect(pipeline(Readable.from([Buffer.alloc(600), Buffer.alloc(401)]), new ByteLimit(1000), sink())).rejects.toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });
});
