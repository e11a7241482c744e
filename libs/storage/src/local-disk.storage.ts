import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, checkPrefix, FileStorage, type StoredFile, StoredFileNotFoundError } from './file-storage.js';

/**
 * Files on local disk under one root (embedded default: DATA_DIR/files). A write goes to a temporary
 * file first and is renamed into place, so a reader never sees half a file; the content type is kept
 * beside it in `<file>.meta.json`.
 */
export class LocalDiskStorage extends FileStorage {
  constructor(private readonly root: string) {
    super();
  }

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, body: Buffer | Readable, contentType?: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      if (Buffer.isBuffer(body)) await writeFile(tmp, body);
      else await pipeline(body, createWriteStream(tmp));
      await writeFile(`${target}.meta.json`, JSON.stringify({ contentType: contentType ?? null }));
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<StoredFile> {
    const target = this.path(key);
    const info = await stat(target).catch(() => null);
    if (!info?.isFile()) throw new StoredFileNotFoundError();
    const meta = await readFile(`${target}.meta.json`, 'utf8')
      .then((t) => JSON.parse(t) as { contentType?: string | null })
      .catch(() => ({ contentType: null }));
    return { body: createReadStream(target), contentType: meta.contentType ?? undefined, size: info.size };
  }

  async exists(key: string): Promise<boolean> {
    return (await stat(this.path(key)).catch(() => null))?.isFile() ?? false;
  }

  async delete(key: string): Promise<void> {
    const target = this.path(key);
    await rm(target, { force: true });
    await rm(`${target}.meta.json`, { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = join(this.root, ...checkPrefix(prefix).slice(0, -1).split('/'));
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && !e.name.endsWith('.meta.json') && !e.name.endsWith('.tmp'))
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    await rm(join(this.root, ...checkPrefix(prefix).slice(0, -1).split('/')), { recursive: true, force: true });
    return keys.length;
  }
}
