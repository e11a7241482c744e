import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LearningAssignmentsProgressQuiz1795716444012 implements MigrationInterface {
  name = 'LearningAssignmentsProgressQuiz1795716444012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"assignment\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"course_id\" uuid NOT NULL, \"target_user_ids\" uuid array, \"target_org_unit_id\" uuid, \"include_sub_units\" boolean NOT NULL DEFAULT false, \"target_job_role_code\" text, \"due_at\" TIMESTAMP WITH TIME ZONE, \"due_in_days\" integer, \"renew_every_months\" integer, \"standing\" boolean NOT NULL, \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_assignment_renew\" CHECK (renew_every_months IS NULL OR renew_every_months BETWEEN 1 AND 120), CONSTRAINT \"ck_assignment_due_in_days\" CHECK (due_in_days IS NULL OR due_in_days BETWEEN 1 AND 3650), CONSTRAINT \"ck_assignment_due\" CHECK (due_at IS NULL OR due_in_days IS NULL), CONSTRAINT \"ck_assignment_target\" CHECK (target_user_ids IS NOT NULL OR target_org_unit_id IS NOT NULL OR target_job_role_code IS NOT NULL), CONSTRAINT \"PK_43c2f5a3859f54cedafb270f37e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_assignment_course\" ON \"assignment\"  (\"course_id\") ");
    await queryRunner.query("CREATE TABLE \"lesson_progress\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"enrolment_id\" uuid NOT NULL, \"lesson_id\" uuid NOT NULL, \"lesson_slug\" text NOT NULL, \"completed_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_e6223ebbc5f8f5fce40e0193de1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_lesson_progress\" ON \"lesson_progress\"  (\"enrolment_id\", \"lesson_id\") ");
    await queryRunner.query("CREATE TABLE \"quiz_attempt\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"enrolment_id\" uuid NOT NULL, \"attempt_no\" integer NOT NULL, \"attempts_allowed\" integer NOT NULL, \"answers\" jsonb NOT NULL, \"score\" integer NOT NULL, \"passed\" boolean NOT NULL, \"submitted_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_quiz_attempt_score\" CHECK (score BETWEEN 0 AND 100), CONSTRAINT \"ck_quiz_attempt_no\" CHECK (attempt_no BETWEEN 1 AND attempts_allowed), CONSTRAINT \"PK_9a6c33ec08b4bcb74ca27701a94\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_quiz_attempt\" ON \"quiz_attempt\"  (\"enrolment_id\", \"attempt_no\") ");
    await queryRunner.query("ALTER TABLE \"assignment\" ADD CONSTRAINT \"FK_bed2432633bd87ade8deb1b4c19\" FOREIGN KEY (\"course_id\") REFERENCES \"course\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"assignment\" ADD CONSTRAINT \"FK_840f8262afad13c868f70d647fb\" FOREIGN KEY (\"target_org_unit_id\") REFERENCES \"org_unit\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"assignment\" ADD CONSTRAINT \"FK_ddefd9a5b18262c39107841cef5\" FOREIGN KEY (\"created_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"lesson_progress\" ADD CONSTRAINT \"FK_2653d05975830d55bf026e98f03\" FOREIGN KEY (\"enrolment_id\") REFERENCES \"enrolment\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"lesson_progress\" ADD CONSTRAINT \"FK_980e74721039ebe210fee2eeca2\" FOREIGN KEY (\"lesson_id\") REFERENCES \"lesson\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"quiz_attempt\" ADD CONSTRAINT \"FK_236e00fab544fadaf2fe50f270d\" FOREIGN KEY (\"enrolment_id\") REFERENCES \"enrolment\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");

    // Hand-written (declared on the entity with synchronize: false): the standing assignments that can
    // match a person who joins a unit or takes a job role.
    await queryRunner.query(`CREATE INDEX "idx_assignment_standing_unit" ON "assignment" ("target_org_unit_id") WHERE standing`);
    await queryRunner.query(`CREATE INDEX "idx_assignment_standing_role" ON "assignment" ("target_job_role_code") WHERE standing AND target_job_role_code IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_assignment_standing_role"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_assignment_standing_unit"`);
    await queryRunner.query("ALTER TABLE \"quiz_attempt\" DROP CONSTRAINT \"FK_236e00fab544fadaf2fe50f270d\"");
    await queryRunner.query("ALTER TABLE \"lesson_progress\" DROP CONSTRAINT \"FK_980e74721039ebe210fee2eeca2\"");
    await queryRunner.query("ALTER TABLE \"lesson_progress\" DROP CONSTRAINT \"FK_2653d05975830d55bf026e98f03\"");
    await queryRunner.query("ALTER TABLE \"assignment\" DROP CONSTRAINT \"FK_ddefd9a5b18262c39107841cef5\"");
    await queryRunner.query("ALTER TABLE \"assignment\" DROP CONSTRAINT \"FK_840f8262afad13c868f70d647fb\"");
    await queryRunner.query("ALTER TABLE \"assignment\" DROP CONSTRAINT \"FK_bed2432633bd87ade8deb1b4c19\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_quiz_attempt\"");
    await queryRunner.query("DROP TABLE \"quiz_attempt\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_lesson_progress\"");
    await queryRunner.query("DROP TABLE \"lesson_progress\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_assignment_course\"");
    await queryRunner.query("DROP TABLE \"assignment\"");
  }
}
