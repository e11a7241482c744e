import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { ConfigError, parseStorageConfig } from '@lms/platform';
import { createFileStorage, type FileStorage, InvalidStorageKeyError, StoredFileNotFoundError } from '@lms/storage';
import { S3Storage } from '../../libs/storage/src/s3.storage.js';

/**
 * One contract, two adapters: local disk, and S3 through the AWS SDK v3 against s3rver (an
 * S3-compatible server started inside the test, on loopback, no network).
 */
function contract(name: string, make: () => Promise<FileStorage>): void {
  describe(name, () => {
    let storage: FileStorage;
    beforeAll(async () => {
      storage = await make();
    });

    it('puts, reads back (bytes and content type), lists, deletes', async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
      await storage.put('packages/p1/index.html', Buffer.from('<p>hi</p>'), 'text/html');
      await storage.put('packages/p1/assets/x.bin', bytes, 'application/octet-stream');
      await storage.put('packages/p2/a.txt', Readable.from([Buffer.from('from a '), Buffer.from('stream')]), 'text/plain');
      expect((await storage.getBuffer('packages/p1/assets/x.bin')).equals(bytes)).toBe(true);
      const file = await storage.get('packages/p1/index.html');
      expect(file.contentType).toBe('text/html');
      expect(file.size).toBe(9);
      expect((await storage.getBuffer('packages/p2/a.txt')).toString()).toBe('from a stream');
      expect(await storage.list('packages/p1/')).toEqual(['packages/p1/assets/x.bin', 'packages/p1/index.html']);
      expect(await storage.exists('packages/p1/index.html')).toBe(true);
      expect(await storage.exists('packages/p1/none.html')).toBe(false);
      await storage.put('packages/p1/index.html', Buffer.from('<p>new</p>'), 'text/html');
      expect((await storage.getBuffer('packages/p1/index.html')).toString()).toBe('<p>new</p>');
      await storage.delete('packages/p2/a.txt');
      expect(await storage.exists('packages/p2/a.txt')).toBe(false);
      expect(await storage.deletePrefix('packages/p1/')).toBe(2);
      expect(await storage.list('packages/p1/')).toEqual([]);
      await expect(storage.get('packages/p1/index.html')).rejects.toBeInstanceOf(StoredFileNotFoundError);
    });

    it('refuses keys that could leave their place: .., absolute paths, backslashes, empty segments', async () => {
      for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a\\b', 'a//b', '', 'a/./b', 'a/b\u0000c']) {
        await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidStorageKeyError);
      }
      await expect(storage.list('no-slash')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    });
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lms-storage-'));
  dirs.push(d);
  return d;
}

contract('local disk', () => createFileStorage({ driver: 'local', root: tempDir() }));

describe('S3-compatible (s3rver)', () => {
  let server: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir(), configureBuckets: [{ name: 'lms-files' }] });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  contract('through the AWS SDK', () =>
    createFileStorage(parseStorageConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'lms-files', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_PREFIX: 'tenant-a' }, '/data', '/')),
  );

  it('keeps keys under S3_PREFIX in the bucket', async () => {
    const storage = await createFileStorage(parseStorageConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'lms-files', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_PREFIX: 'tenant-b' }, '/data', '/'));
    expect(storage).toBeInstanceOf(S3Storage);
    await storage.put('k/one.txt', Buffer.from('1'), 'text/plain');
    const bare = await createFileStorage(parseStorageConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'lms-files', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }, '/data', '/'));
    expect(await bare.list('tenant-b/k/')).toEqual(['tenant-b/k/one.txt']);
    expect(await storage.list('k/')).toEqual(['k/one.txt']);
  });
});

describe('storage configuration', () => {
  it('defaults to local disk under DATA_DIR/files, or STORAGE_DIR', () => {
    expect(parseStorageConfig({}, '/srv/data', '/app')).toEqual({ driver: 'local', root: '/srv/data/files' });
    expect(parseStorageConfig({ STORAGE_DIR: 'files' }, '/srv/data', '/app')).toEqual({ driver: 'local', root: '/app/files' });
  });

  it('s3: names the bad variable', () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ STORAGE_DRIVER: 'ftp' }, 'STORAGE_DRIVER'],
      [{ STORAGE_DRIVER: 's3' }, 'S3_BUCKET'],
      [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'No_Such' }, 'S3_BUCKET'],
      [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT'],
      [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'ok-bucket', S3_ACCESS_KEY_ID: 'k' }, 'S3_SECRET_ACCESS_KEY'],
      [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'ok-bucket', S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE'],
      [{ STORAGE_DRIVER: 's3', S3_BUCKET: 'ok-bucket', S3_REGION: 'EU WEST' }, 'S3_REGION'],
    ];
    for (const [env, variable] of bad) {
      let caught: unknown;
      try {
        parseStorageConfig(env, '/d', '/');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe(variable);
    }
    expect(parseStorageConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'http://minio:9000' }, '/d', '/')).toMatchObject({ forcePathStyle: true, region: 'us-east-1', credentials: undefined, prefix: '' });
  });
});
