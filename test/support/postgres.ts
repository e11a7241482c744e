import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The PostgreSQL server binaries (Debian keeps them per major version under /usr/lib/postgresql). */
function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/**
 * A PRIVATE PostgreSQL cluster for one test file (never the shared 5432 one): its own data
 * directory in a temp dir and its own loopback port, so a test can stop, kill and restart it.
 * initdb refuses to run as root, so as root the server runs as the `postgres` system user.
 */
export class OwnPostgres {
  readonly dir: string;
  private readonly bin = pgBinDir();
  private readonly asUser = process.getuid?.() === 0 ? 'postgres' : null;
  private initialised = false;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'lms-pg-'));
    if (this.asUser) {
      const uid = Number(execFileSync('id', ['-u', this.asUser], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', this.asUser], { encoding: 'utf8' }));
      chownSync(this.dir, uid, gid);
    }
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Runs a server tool without blocking the event loop (the test keeps sending requests meanwhile). */
  private async run(tool: string, args: string[], timeoutMs = 30_000): Promise<void> {
    const command = this.asUser ? 'runuser' : join(this.bin, tool);
    const argv = this.asUser ? ['-u', this.asUser, '--', join(this.bin, tool), ...args] : args;
    try {
      await promisify(execFile)(command, argv, { encoding: 'utf8', timeout: timeoutMs });
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}\n${this.log()}`, { cause: e });
    }
  }

  /** initdb on first use (trust auth, no fsync: a throwaway cluster), then start and wait until it accepts connections. */
  async start(): Promise<void> {
    if (!this.initialised) {
      await this.run('initdb', [
        '-D',
        join(this.dir, 'data'),
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
        '--no-sync',
      ]);
      this.initialised = true;
    }
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
    await this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '30', 'start']);
  }

  /** `fast`: disconnect clients, roll back their transactions, shut down cleanly; `immediate`: like a crash (recovery at next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.initialised || !this.running()) return;
    await this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', '-t', '30', 'stop']);
  }

  running(): boolean {
    return existsSync(join(this.dir, 'data', 'postmaster.pid'));
  }

  async createDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
  }

  log(): string {
    const file = join(this.dir, 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '';
  }

  /** Stops the server (as a crash would, nothing to keep) and removes the data directory. */
  async destroy(): Promise<void> {
    try {
      await this.stop('immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
