import { Readable } from 'node:stream';
import { DomainError } from '@lms/platform';

/** A stored file's body and what is known about it. */
export interface StoredFile {
  body: Readable;
  contentType: string | undefined;
  size: number | undefined;
}

export class StoredFileNotFoundError extends DomainError {
  constructor() {
    super('file_not_found', 'The file was not found', 404);
  }
}

/** A key the storage refuses: it must be a relative path of safe segments (no '..', no absolute path, no backslash). */
export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key: ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'InvalidStorageKeyError';
  }
}

const SEGMENT = /^[A-Za-z0-9._~@()+,=-][A-Za-z0-9._~@()+,= -]{0,254}$/;

/** Keys are `a/b/c.ext`: 1 to 1024 characters, segments of safe characters, none '.' or '..'. */
export function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw new InvalidStorageKeyError(String(key));
  const segments = key.split('/');
  if (segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..' || s.endsWith(' '))) throw new InvalidStorageKeyError(key);
  return key;
}

/**
 * Files by key, whatever keeps them: local disk under DATA_DIR in the embedded default,
 * S3-compatible object storage in production (STORAGE_DRIVER). Domain code injects this class.
 */
export abstract class FileStorage {
  abstract put(key: string, body: Buffer | Readable, contentType?: string): Promise<void>;
  /** Throws StoredFileNotFoundError (404) when absent. */
  abstract get(key: string): Promise<StoredFile>;
  abstract exists(key: string): Promise<boolean>;
  abstract delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix` (which must end with '/'); returns how many. */
  abstract deletePrefix(prefix: string): Promise<number>;
  /** The keys under a prefix, sorted. */
  abstract list(prefix: string): Promise<string[]>;

  async getBuffer(key: string): Promise<Buffer> {
    const file = await this.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
}

export function checkPrefix(prefix: string): string {
  if (!prefix.endsWith('/')) throw new InvalidStorageKeyError(prefix);
  checkKey(prefix.slice(0, -1));
  return prefix;
}
