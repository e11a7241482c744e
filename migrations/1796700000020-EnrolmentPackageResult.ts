import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The result of a course's packaged activities (SCORM SCOs, cmi5 AUs) on the enrolment: the score
 * in percent and passed/failed, derived from what the SCOs/AUs reported (docs/interop.md, issue #18).
 */
export class EnrolmentPackageResult1796700000020 implements MigrationInterface {
  name = 'EnrolmentPackageResult1796700000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enrolment" ADD "package_score" integer`);
    await queryRunner.query(`ALTER TABLE "enrolment" ADD "package_passed" boolean`);
    await queryRunner.query(`ALTER TABLE "enrolment" ADD CONSTRAINT "ck_enrolment_package_score" CHECK (package_score BETWEEN 0 AND 100)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enrolment" DROP CONSTRAINT "ck_enrolment_package_score"`);
    await queryRunner.query(`ALTER TABLE "enrolment" DROP COLUMN "package_passed"`);
    await queryRunner.query(`ALTER TABLE "enrolment" DROP COLUMN "package_score"`);
  }
}
