import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './app-config.js';

/** Where files (imported packages, uploads) live: libs/storage picks the adapter from this. */
export type StorageConfig =
  | { driver: 'local'; root: string }
  | {
      driver: 's3';
      bucket: string;
      region: string;
      /** An S3-compatible endpoint (MinIO, Ceph, a cloud's S3 API); unset = AWS. */
      endpoint: string | undefined;
      forcePathStyle: boolean;
      /** Both or neither: neither = the SDK's default credential chain (instance role, environment). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      /** Prepended to every key, so one bucket can serve several deployments. */
      prefix: string;
    };

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/**
 * STORAGE_DRIVER (local, the default | s3), STORAGE_DIR (local: default DATA_DIR/files), and for s3:
 * S3_BUCKET (required), S3_REGION (default us-east-1), S3_ENDPOINT, S3_FORCE_PATH_STYLE (default true
 * with an endpoint), S3_ACCESS_KEY_ID + S3_SECRET_ACCESS_KEY, S3_PREFIX.
 */
export function parseStorageConfig(env: Env, dataDir: string, cwd: string): StorageConfig {
  const driver = str(env, 'STORAGE_DRIVER') ?? 'local';
  if (driver === 'local') {
    const dir = str(env, 'STORAGE_DIR');
    return { driver, root: dir ? (isAbsolute(dir) ? dir : resolve(cwd, dir)) : join(dataDir, 'files') };
  }
  if (driver !== 's3') throw new ConfigError('STORAGE_DRIVER', `must be local or s3 (got "${driver}")`);
  const bucket = str(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('S3_BUCKET', `must be a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens (got "${bucket}")`);
  const region = str(env, 'S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,40}$/.test(region)) throw new ConfigError('S3_REGION', `must be a region name like eu-central-1 (got "${region}")`);
  const endpoint = str(env, 'S3_ENDPOINT');
  if (endpoint !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) throw new ConfigError('S3_ENDPOINT', 'must be a URL starting with http: or https:');
  }
  const pathStyleRaw = str(env, 'S3_FORCE_PATH_STYLE');
  if (pathStyleRaw !== undefined && !/^(true|false|1|0|yes|no|on|off)$/i.test(pathStyleRaw)) throw new ConfigError('S3_FORCE_PATH_STYLE', `must be true or false (got "${pathStyleRaw}")`);
  const forcePathStyle = pathStyleRaw === undefined ? endpoint !== undefined : /^(true|1|yes|on)$/i.test(pathStyleRaw);
  const accessKeyId = str(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = str(env, 'S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(accessKeyId === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY', 'must be set together with the other S3 key variable (or neither, for the default credential chain)');
  }
  const prefix = str(env, 'S3_PREFIX') ?? '';
  if (prefix && !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$/.test(prefix)) throw new ConfigError('S3_PREFIX', 'must be letters, digits, dots, hyphens, underscores and slashes');
  return {
    driver: 's3',
    bucket,
    region,
    endpoint,
    forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
  };
}
