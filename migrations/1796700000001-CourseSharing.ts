import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Course visibility and sharing across institutions, licence (SPDX) and attribution, and the
 * upstream of an adaptation (docs/hub.md). Existing courses stay visible to everyone (public), as
 * they were before; they belong to the institution of their school's tree.
 */
export class CourseSharing1796700000001 implements MigrationInterface {
  name = 'CourseSharing1796700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "course" ADD "visibility" text NOT NULL DEFAULT 'public'`);
    await queryRunner.query(`ALTER TABLE "course" ADD "shared_institution_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "course" ADD "shared_countries" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "course" ADD "licence" text`);
    await queryRunner.query(`ALTER TABLE "course" ADD "attribution" text`);
    await queryRunner.query(`ALTER TABLE "course" ADD "upstream_course_id" uuid`);
    await queryRunner.query(`ALTER TABLE "course" ADD "upstream_version" integer`);
    await queryRunner.query(`ALTER TABLE "course" ADD CONSTRAINT "ck_course_visibility" CHECK ("visibility" IN ('private', 'shared', 'public'))`);
    await queryRunner.query(`CREATE INDEX "idx_course_upstream" ON "course" ("upstream_course_id") `);
    await queryRunner.query(`ALTER TABLE "course" ADD CONSTRAINT "fk_course_upstream" FOREIGN KEY ("upstream_course_id") REFERENCES "course"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "course" DROP CONSTRAINT "fk_course_upstream"`);
    await queryRunner.query(`DROP INDEX "public"."idx_course_upstream"`);
    await queryRunner.query(`ALTER TABLE "course" DROP CONSTRAINT "ck_course_visibility"`);
    for (const c of ['upstream_version', 'upstream_course_id', 'attribution', 'licence', 'shared_countries', 'shared_institution_ids', 'visibility']) {
      await queryRunner.query(`ALTER TABLE "course" DROP COLUMN "${c}"`);
    }
  }
}
