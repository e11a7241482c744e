// Jest in native ESM mode (NestJS 12 is ESM-only): run through `npm test`, which builds, prepares a
// migrated template database and then starts Jest with --experimental-vm-modules.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: {
    '^@lms/testing$': '<rootDir>/test/support/index.ts',
    // ESM-only dependency of the queue dashboard's @fastify/static: see the shim.
    '^content-disposition$': '<rootDir>/test/support/shims/content-disposition.cjs',
    '^@lms/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: '.',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 30 },
  ],
  testTimeout: 60_000,
  // Two workers on the 2-core CI machine (each test file has its own database and Redis prefix).
  // Native ESM mode keeps every test file's module graph alive in the process that ran it (3.7 GB
  // after ~80 files, then an out-of-memory crash): a worker is replaced once it holds more than this
  // after a file. Setting it also keeps Jest from running everything inside its own process.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1200MB',
};
