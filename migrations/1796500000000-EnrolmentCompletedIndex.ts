import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning: a partial index on completed enrolments by (course, person). Bulk assignment removes the
 * people who completed the course (a set difference read from this index), the standing-assignment
 * and renewal paths ask "did this person complete this course" per row; without it both read every
 * enrolment of the course (docs/scaling.md).
 */
export class EnrolmentCompletedIndex1796500000000 implements MigrationInterface {
  name = 'EnrolmentCompletedIndex1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_enrolment_completed" ON "enrolment" ("course_id", "user_id") WHERE status = 'completed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_enrolment_completed"`);
  }
}
