import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog: full-text search over the normalised `search_text` (lower case, Latin script, no
 * diacritics; see libs/catalog/src/search-text.ts) with the 'simple' configuration, and at most one
 * draft version per course. Both are declared on CourseVersion with synchronize: false.
 */
export class CatalogSearchAndDrafts1795716532808 implements MigrationInterface {
  name = 'CatalogSearchAndDrafts1795716532808';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_course_version_search" ON "course_version" USING gin (to_tsvector('simple', "search_text"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_course_version_draft" ON "course_version" ("course_id") WHERE status = 'draft'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "uq_course_version_draft"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_course_version_search"`);
  }
}
