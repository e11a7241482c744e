import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog: per course version, how each language imported through XLIFF was translated (source
 * language, version, per-segment source hashes), for the per-language status (complete, outdated,
 * missing) of GET /api/v1/courses/:slug/languages. See docs/languages.md.
 */
export class CourseVersionTranslations1796600000001 implements MigrationInterface {
  name = 'CourseVersionTranslations1796600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "course_version" ADD "translations" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "course_version" DROP COLUMN "translations"`);
  }
}
