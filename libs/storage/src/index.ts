export * from './file-storage.js';
export * from './local-disk.storage.js';
// The S3 adapter is not re-exported: createFileStorage loads it when STORAGE_DRIVER=s3.
export * from './storage.module.js';
export * from './zip-reader.js';
