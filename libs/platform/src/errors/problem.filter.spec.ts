import { createServer } from 'node:net';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, toProblem } from './problem.filter.js';

const pgError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/** A loopback port nothing listens on (bound, read, closed). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('database outages map to 503 problem+json (ProblemFilter)', () => {
  it('a refused connection (what node-postgres throws when the server is down) is 503 with Retry-After', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'nobody', connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const { problem, log, headers } = toProblem(error, '/api/v1/me');
    expect(problem).toMatchObject({ status: 503, code: 'database_unavailable', instance: '/api/v1/me' });
    expect(log).toBeUndefined();
    expect(headers).toEqual({ 'retry-after': '5' });
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to unexpected postmaster exit'],
    ['57P03', 'the database system is shutting down'],
    ['08006', 'connection failure'],
    ['53300', 'sorry, too many clients already'],
  ])('SQLSTATE %s inside a QueryFailedError is 503', (code, message) => {
    const error = new QueryFailedError('SELECT 1', [], pgError(code, message));
    expect(toProblem(error).problem).toMatchObject({ status: 503, code: 'database_unavailable' });
  });

  it.each(['Connection terminated unexpectedly', 'Connection terminated', 'timeout exceeded when trying to connect'])(
    'the pool message "%s" (no code) is 503, also wrapped as a cause',
    (message) => {
      expect(toProblem(new Error(message)).problem.status).toBe(503);
      expect(toProblem(new Error('query failed', { cause: new Error(message) })).problem.status).toBe(503);
    },
  );

  it('client errors and other failures keep their mapping', () => {
    expect(toProblem(new QueryFailedError('SELECT', [], pgError('22P02', 'invalid input syntax for type uuid'))).problem.status).toBe(400);
    expect(toProblem(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key'))).problem.status).toBe(409);
    const other = toProblem(new QueryFailedError('SELECT', [], pgError('42P01', 'relation does not exist')));
    expect(other.problem.status).toBe(500);
    expect(other.log?.errorId).toBe(other.problem.errorId);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
