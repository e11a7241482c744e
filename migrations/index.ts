import type { MigrationList } from '@lms/platform';

/** Every migration, oldest first. `npm run migration:generate -- Name` appends here. */
export const migrations: MigrationList = [];
