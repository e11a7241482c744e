import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: a person's locale is any BCP 47 tag (validated and canonicalised in the application
 * with Intl.getCanonicalLocales, docs/languages.md), no longer one of en, sr-Latn, sr-Cyrl. It was
 * the only fixed list of languages in the schema; course and notification languages were never
 * constrained here.
 */
export class OpenLocales1796600000000 implements MigrationInterface {
  name = 'OpenLocales1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "ck_app_user_locale"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // People with other languages go back to English before the old list returns.
    await queryRunner.query(`UPDATE "app_user" SET "locale" = 'en' WHERE "locale" NOT IN ('en', 'sr-Latn', 'sr-Cyrl')`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "ck_app_user_locale" CHECK ("locale" IN ('en', 'sr-Latn', 'sr-Cyrl'))`);
  }
}
