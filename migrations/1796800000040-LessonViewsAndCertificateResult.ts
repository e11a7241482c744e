import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #18: `lesson_view` — one row per (enrolment, lesson, UTC day) a learner opened a lesson, so
 * the "viewed" xAPI statement is written once a day however often the page is reloaded
 * (docs/xapi.md); and the certificate's result snapshot — the score (0–100), passed and where it
 * came from (a packaged SCORM/cmi5 result or the native quiz) — that the credential and PDF carry.
 */
export class LessonViewsAndCertificateResult1796800000040 implements MigrationInterface {
  name = 'LessonViewsAndCertificateResult1796800000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "lesson_view" ("enrolment_id" uuid NOT NULL, "lesson_id" uuid NOT NULL, "day" date NOT NULL, "viewed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_lesson_view" PRIMARY KEY ("enrolment_id", "lesson_id", "day"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "lesson_view" ADD CONSTRAINT "FK_lesson_view_enrolment" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lesson_view" ADD CONSTRAINT "FK_lesson_view_lesson" FOREIGN KEY ("lesson_id") REFERENCES "lesson"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "certificate" ADD "result_score" integer`);
    await queryRunner.query(`ALTER TABLE "certificate" ADD "result_passed" boolean`);
    await queryRunner.query(`ALTER TABLE "certificate" ADD "result_source" text`);
    await queryRunner.query(`ALTER TABLE "certificate" ADD CONSTRAINT "ck_certificate_result" CHECK ((result_score IS NULL OR result_score BETWEEN 0 AND 100) AND (result_source IS NULL OR result_source IN ('package', 'quiz')))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificate" DROP CONSTRAINT "ck_certificate_result"`);
    await queryRunner.query(`ALTER TABLE "certificate" DROP COLUMN "result_source"`);
    await queryRunner.query(`ALTER TABLE "certificate" DROP COLUMN "result_passed"`);
    await queryRunner.query(`ALTER TABLE "certificate" DROP COLUMN "result_score"`);
    await queryRunner.query(`DROP TABLE "lesson_view"`);
  }
}
