import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { FileStorage } from './file-storage.js';
import { LocalDiskStorage } from './local-disk.storage.js';

/**
 * The one FileStorage of the process, chosen by STORAGE_DRIVER (docs/interop.md). The S3 adapter
 * (and the AWS SDK behind it, ~0.15 s to load) is imported only when it is the one configured.
 */
export async function createFileStorage(config: AppConfig['storage']): Promise<FileStorage> {
  if (config.driver !== 's3') return new LocalDiskStorage(config.root);
  const { S3Storage } = await import('./s3.storage.js');
  return new S3Storage(config);
}

@Global()
@Module({
  providers: [{ provide: FileStorage, inject: [AppConfig], useFactory: (config: AppConfig) => createFileStorage(config.storage) }],
  exports: [FileStorage],
})
export class StorageModule {}
