import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, NotFound, PutObjectCommand, S3Client, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { StorageConfig } from '@lms/platform';
import { checkKey, checkPrefix, FileStorage, type StoredFile, StoredFileNotFoundError } from './file-storage.js';

type S3Config = Extract<StorageConfig, { driver: 's3' }>;

/** Files in an S3-compatible bucket (AWS S3, MinIO, Ceph) through the AWS SDK v3. */
export class S3Storage extends FileStorage {
  readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    super();
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
    });
  }

  private key(key: string): string {
    return `${this.config.prefix}${checkKey(key)}`;
  }

  async put(key: string, body: Buffer | Readable, contentType?: string): Promise<void> {
    // A stream of unknown length is buffered: PutObject needs a length (packages are bounded by the importer's limits).
    const data = Buffer.isBuffer(body) ? body : await collect(body);
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: this.key(key), Body: data, ContentType: contentType, ContentLength: data.length }));
  }

  async get(key: string): Promise<StoredFile> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
      return { body: res.Body as Readable, contentType: res.ContentType, size: res.ContentLength };
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') throw new StoredFileNotFoundError();
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
      return true;
    } catch (e) {
      if (e instanceof NotFound || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    const full = `${this.config.prefix}${checkPrefix(prefix)}`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: full, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.config.prefix.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: chunk.map((k) => ({ Key: `${this.config.prefix}${k}` })), Quiet: true } }));
    }
    return keys.length;
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
