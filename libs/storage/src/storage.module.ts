import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lms/platform';
import { FileStorage } from './file-storage.js';
import { LocalDiskStorage } from './local-disk.storage.js';
import { S3Storage } from './s3.storage.js';

/** The one FileStorage of the process, chosen by STORAGE_DRIVER (docs/interop.md). */
export function createFileStorage(config: AppConfig['storage']): FileStorage {
  return config.driver === 's3' ? new S3Storage(config) : new LocalDiskStorage(config.root);
}

@Global()
@Module({
  providers: [{ provide: FileStorage, inject: [AppConfig], useFactory: (config: AppConfig) => createFileStorage(config.storage) }],
  exports: [FileStorage],
})
export class StorageModule {}
