import type { EntityList } from '@lms/platform';

/**
 * Every entity of every domain, for the migration CLI (generate, drift check). The apps load the
 * same entities through each domain's TypeOrmModule.forFeature; keep this list complete.
 */
export const entities: EntityList = [];
