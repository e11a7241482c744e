import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workshops and live sessions (libs/events): events, sessions, trainers, registrations (one live
 * registration per person and event: partial unique index below), attendance, calendar entries
 * (UID/SEQUENCE) and feed tokens (hashed), reminders, evaluation questionnaires and answers,
 * follow-up commitments; and the calendar invitation an e-mail may carry (email_message).
 */
export class EventsSchema1796639518966 implements MigrationInterface {
  name = 'EventsSchema1796639518966';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "live_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "language" text NOT NULL DEFAULT \'en\', "owner_org_unit_id" uuid NOT NULL, "course_id" uuid, "lesson_slug" text, "capacity" integer NOT NULL, "registration_opens_at" TIMESTAMP WITH TIME ZONE, "registration_closes_at" TIMESTAMP WITH TIME ZONE, "cancellation_deadline" TIMESTAMP WITH TIME ZONE, "approval_mode" text NOT NULL DEFAULT \'none\', "approval_org_unit_ids" uuid array NOT NULL DEFAULT \'{}\', "approval_escalate_after_days" integer NOT NULL DEFAULT \'3\', "audience" jsonb NOT NULL DEFAULT \'{}\', "attendance_rule_percent" integer NOT NULL DEFAULT \'80\', "confirm_hours" integer NOT NULL DEFAULT \'48\', "reminder_offsets_days" integer array NOT NULL DEFAULT \'{7,1}\', "commitment_reminder_months" integer array NOT NULL DEFAULT \'{1,3,6}\', "status" text NOT NULL DEFAULT \'scheduled\', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_live_event_course_lesson" CHECK ((course_id IS NULL) = (lesson_slug IS NULL)), CONSTRAINT "ck_live_event_rule" CHECK (attendance_rule_percent BETWEEN 1 AND 100), CONSTRAINT "ck_live_event_status" CHECK (status IN (\'scheduled\', \'cancelled\')), CONSTRAINT "ck_live_event_approval_mode" CHECK (approval_mode IN (\'none\', \'all\', \'units\')), CONSTRAINT "ck_live_event_capacity" CHECK (capacity > 0), CONSTRAINT "PK_00a726071a9457820e5a6471d36" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_live_event_course" ON "live_event"  ("course_id") ');
    await queryRunner.query('CREATE INDEX "idx_live_event_owner" ON "live_event"  ("owner_org_unit_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "time_zone" text NOT NULL, "venue_name" text, "venue_address" text, "online_url" text, "room_capacity" integer, "status" text NOT NULL DEFAULT \'scheduled\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_event_session_place" CHECK (venue_address IS NOT NULL OR online_url IS NOT NULL), CONSTRAINT "ck_event_session_status" CHECK (status IN (\'scheduled\', \'cancelled\')), CONSTRAINT "ck_event_session_times" CHECK (ends_at > starts_at), CONSTRAINT "PK_218ab4056fa09023ca72952c670" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_session_starts" ON "event_session"  ("starts_at") ');
    await queryRunner.query('CREATE INDEX "idx_event_session_event" ON "event_session"  ("event_id", "starts_at") ');
    await queryRunner.query(
      'CREATE TABLE "event_trainer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "user_id" uuid, "external_name" text, CONSTRAINT "ck_event_trainer_who" CHECK (user_id IS NOT NULL OR external_name IS NOT NULL), CONSTRAINT "PK_f8a86244a2fdc0b9f4d46bb8693" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_trainer_user" ON "event_trainer"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "idx_event_trainer_event" ON "event_trainer"  ("event_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_registration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" text NOT NULL, "registered_by" uuid, "waitlisted_at" TIMESTAMP WITH TIME ZONE, "offered_at" TIMESTAMP WITH TIME ZONE, "offer_expires_at" TIMESTAMP WITH TIME ZONE, "approver_id" uuid, "approval_requested_at" TIMESTAMP WITH TIME ZONE, "escalated_at" TIMESTAMP WITH TIME ZONE, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_reason" text, "cancelled_by" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_event_registration_status" CHECK (status IN (\'pending_approval\', \'booked\', \'waitlisted\', \'offered\', \'cancelled\', \'declined\', \'expired\')), CONSTRAINT "PK_10aedff1bd0d0ef534d1106ddec" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_registration_approver" ON "event_registration"  ("approver_id") ');
    await queryRunner.query('CREATE INDEX "idx_event_registration_user" ON "event_registration"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "idx_event_registration_event" ON "event_registration"  ("event_id", "status") ');
    await queryRunner.query(
      'CREATE TABLE "event_attendance" ("session_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "status" text NOT NULL, "via" text NOT NULL DEFAULT \'list\', "marked_by" uuid, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_event_attendance_via" CHECK (via IN (\'list\', \'qr\')), CONSTRAINT "ck_event_attendance_status" CHECK (status IN (\'present\', \'partial\', \'absent\')), CONSTRAINT "PK_e76461dbbb216d093730af98656" PRIMARY KEY ("session_id", "registration_id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_attendance_registration" ON "event_attendance"  ("registration_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_calendar_entry" ("session_id" uuid NOT NULL, "user_id" uuid NOT NULL, "sequence" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e6895873cbe4555c9da5828637c" PRIMARY KEY ("session_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "calendar_feed_token" ("user_id" uuid NOT NULL, "token_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_55699e77827f515c313957e993b" PRIMARY KEY ("user_id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_calendar_feed_token_hash" ON "calendar_feed_token"  ("token_hash") ');
    await queryRunner.query(
      'CREATE TABLE "event_reminder" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "kind" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f47c638b8b0d753b62e56ee850" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_event_reminder" ON "event_reminder"  ("session_id", "recipient_id", "kind") ');
    await queryRunner.query(
      'CREATE TABLE "event_questionnaire" ("event_id" uuid NOT NULL, "anonymous" boolean NOT NULL DEFAULT true, "questions" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fa42826fe14da9e5747ce8af8ee" PRIMARY KEY ("event_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "event_evaluation_submission" ("event_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_adc577ad543031f922c246f8c1b" PRIMARY KEY ("event_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "event_evaluation_response" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "user_id" uuid, "answers" jsonb NOT NULL, "submitted_on" date NOT NULL, CONSTRAINT "PK_dfc35f72b7d12a98417df279fc3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_evaluation_response_event" ON "event_evaluation_response"  ("event_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_commitment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "created_by" uuid NOT NULL, "action" text NOT NULL, "due_on" date NOT NULL, "partners" text array NOT NULL DEFAULT \'{}\', "competency_code" text, "sdg" integer, "reminder_months" integer array NOT NULL, "status" text NOT NULL DEFAULT \'open\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_event_commitment_sdg" CHECK (sdg IS NULL OR sdg BETWEEN 1 AND 17), CONSTRAINT "ck_event_commitment_status" CHECK (status IN (\'open\', \'kept\', \'not_kept\')), CONSTRAINT "PK_4d5144741e46403ae4cf3faa10e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_commitment_event" ON "event_commitment"  ("event_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_commitment_member" ("commitment_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_6f0f151b6a5680da61b18cec4bf" PRIMARY KEY ("commitment_id", "user_id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_commitment_member_user" ON "event_commitment_member"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_commitment_update" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "commitment_id" uuid NOT NULL, "user_id" uuid NOT NULL, "note" text NOT NULL, "status" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_event_commitment_update_status" CHECK (status IN (\'open\', \'kept\', \'not_kept\')), CONSTRAINT "PK_f13c92c04ba26a0e091c2cbc121" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_event_commitment_update_commitment" ON "event_commitment_update"  ("commitment_id") ');
    await queryRunner.query(
      'CREATE TABLE "event_commitment_reminder" ("commitment_id" uuid NOT NULL, "user_id" uuid NOT NULL, "months" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ea7f2b539b6d433206898cb3578" PRIMARY KEY ("commitment_id", "user_id", "months"))',
    );
    await queryRunner.query('ALTER TABLE "email_message" ADD "calendar_method" text');
    await queryRunner.query('ALTER TABLE "email_message" ADD "calendar_ics" text');
    await queryRunner.query(
      'ALTER TABLE "live_event" ADD CONSTRAINT "FK_937e04a7c176dae239de8dfc84d" FOREIGN KEY ("owner_org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "live_event" ADD CONSTRAINT "FK_942900a08b809077f78edc670da" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "live_event" ADD CONSTRAINT "FK_9bfef5cdd841d452ea6658f008f" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_session" ADD CONSTRAINT "FK_4ee9a530924453a2ef9d4d1ff79" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_trainer" ADD CONSTRAINT "FK_81faf9997682c0d7607781147ce" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_trainer" ADD CONSTRAINT "FK_95e735f20b1f75209c65efbc436" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_registration" ADD CONSTRAINT "FK_d42836e8ed00e2586af913934a6" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_registration" ADD CONSTRAINT "FK_2b850bf3117d0f00760dcdef0dd" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_attendance" ADD CONSTRAINT "FK_17f7dc9bf706dce7d16fa677885" FOREIGN KEY ("session_id") REFERENCES "event_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_attendance" ADD CONSTRAINT "FK_5901c835b00ebd65081c1c7a59b" FOREIGN KEY ("registration_id") REFERENCES "event_registration"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_calendar_entry" ADD CONSTRAINT "FK_88863ef3ab5f0f738c66959721a" FOREIGN KEY ("session_id") REFERENCES "event_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_calendar_entry" ADD CONSTRAINT "FK_123139776326b90ea6166ce5192" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_feed_token" ADD CONSTRAINT "FK_55699e77827f515c313957e993b" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_reminder" ADD CONSTRAINT "FK_0f720f626696399fd9c9a747f09" FOREIGN KEY ("session_id") REFERENCES "event_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_reminder" ADD CONSTRAINT "FK_691a22281a9b26c3caf8b6d8416" FOREIGN KEY ("recipient_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_questionnaire" ADD CONSTRAINT "FK_fa42826fe14da9e5747ce8af8ee" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_evaluation_submission" ADD CONSTRAINT "FK_0406111955c0b2d285d93d99ce9" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_evaluation_submission" ADD CONSTRAINT "FK_215956c65c40937316602f57270" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_evaluation_response" ADD CONSTRAINT "FK_6bf415611ca39cb3c13e08766e7" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_evaluation_response" ADD CONSTRAINT "FK_ff1fdad02b1531a0e2d4e191d6f" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment" ADD CONSTRAINT "FK_01d2f0f5b244fc4a90649fa62a6" FOREIGN KEY ("event_id") REFERENCES "live_event"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment" ADD CONSTRAINT "FK_634e4aca9561f226e57f4a9ccb3" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_member" ADD CONSTRAINT "FK_96e390755df6e04ff484ff65190" FOREIGN KEY ("commitment_id") REFERENCES "event_commitment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_member" ADD CONSTRAINT "FK_4cdd0e3b801777acaebce2307dd" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_update" ADD CONSTRAINT "FK_7ab61e9a9465a763373c9a48d9f" FOREIGN KEY ("commitment_id") REFERENCES "event_commitment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_update" ADD CONSTRAINT "FK_90b258687253f8dbb42ec69f4f6" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_reminder" ADD CONSTRAINT "FK_8ac1243c40ab33eac42710691cc" FOREIGN KEY ("commitment_id") REFERENCES "event_commitment"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "event_commitment_reminder" ADD CONSTRAINT "FK_2b3378a24251afa7d00cf798357" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_event_registration_active" ON "event_registration" ("event_id", "user_id") WHERE status IN ('pending_approval', 'booked', 'waitlisted', 'offered')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_event_registration_active"`);
    await queryRunner.query('ALTER TABLE "event_commitment_reminder" DROP CONSTRAINT "FK_2b3378a24251afa7d00cf798357"');
    await queryRunner.query('ALTER TABLE "event_commitment_reminder" DROP CONSTRAINT "FK_8ac1243c40ab33eac42710691cc"');
    await queryRunner.query('ALTER TABLE "event_commitment_update" DROP CONSTRAINT "FK_90b258687253f8dbb42ec69f4f6"');
    await queryRunner.query('ALTER TABLE "event_commitment_update" DROP CONSTRAINT "FK_7ab61e9a9465a763373c9a48d9f"');
    await queryRunner.query('ALTER TABLE "event_commitment_member" DROP CONSTRAINT "FK_4cdd0e3b801777acaebce2307dd"');
    await queryRunner.query('ALTER TABLE "event_commitment_member" DROP CONSTRAINT "FK_96e390755df6e04ff484ff65190"');
    await queryRunner.query('ALTER TABLE "event_commitment" DROP CONSTRAINT "FK_634e4aca9561f226e57f4a9ccb3"');
    await queryRunner.query('ALTER TABLE "event_commitment" DROP CONSTRAINT "FK_01d2f0f5b244fc4a90649fa62a6"');
    await queryRunner.query('ALTER TABLE "event_evaluation_response" DROP CONSTRAINT "FK_ff1fdad02b1531a0e2d4e191d6f"');
    await queryRunner.query('ALTER TABLE "event_evaluation_response" DROP CONSTRAINT "FK_6bf415611ca39cb3c13e08766e7"');
    await queryRunner.query('ALTER TABLE "event_evaluation_submission" DROP CONSTRAINT "FK_215956c65c40937316602f57270"');
    await queryRunner.query('ALTER TABLE "event_evaluation_submission" DROP CONSTRAINT "FK_0406111955c0b2d285d93d99ce9"');
    await queryRunner.query('ALTER TABLE "event_questionnaire" DROP CONSTRAINT "FK_fa42826fe14da9e5747ce8af8ee"');
    await queryRunner.query('ALTER TABLE "event_reminder" DROP CONSTRAINT "FK_691a22281a9b26c3caf8b6d8416"');
    await queryRunner.query('ALTER TABLE "event_reminder" DROP CONSTRAINT "FK_0f720f626696399fd9c9a747f09"');
    await queryRunner.query('ALTER TABLE "calendar_feed_token" DROP CONSTRAINT "FK_55699e77827f515c313957e993b"');
    await queryRunner.query('ALTER TABLE "event_calendar_entry" DROP CONSTRAINT "FK_123139776326b90ea6166ce5192"');
    await queryRunner.query('ALTER TABLE "event_calendar_entry" DROP CONSTRAINT "FK_88863ef3ab5f0f738c66959721a"');
    await queryRunner.query('ALTER TABLE "event_attendance" DROP CONSTRAINT "FK_5901c835b00ebd65081c1c7a59b"');
    await queryRunner.query('ALTER TABLE "event_attendance" DROP CONSTRAINT "FK_17f7dc9bf706dce7d16fa677885"');
    await queryRunner.query('ALTER TABLE "event_registration" DROP CONSTRAINT "FK_2b850bf3117d0f00760dcdef0dd"');
    await queryRunner.query('ALTER TABLE "event_registration" DROP CONSTRAINT "FK_d42836e8ed00e2586af913934a6"');
    await queryRunner.query('ALTER TABLE "event_trainer" DROP CONSTRAINT "FK_95e735f20b1f75209c65efbc436"');
    await queryRunner.query('ALTER TABLE "event_trainer" DROP CONSTRAINT "FK_81faf9997682c0d7607781147ce"');
    await queryRunner.query('ALTER TABLE "event_session" DROP CONSTRAINT "FK_4ee9a530924453a2ef9d4d1ff79"');
    await queryRunner.query('ALTER TABLE "live_event" DROP CONSTRAINT "FK_9bfef5cdd841d452ea6658f008f"');
    await queryRunner.query('ALTER TABLE "live_event" DROP CONSTRAINT "FK_942900a08b809077f78edc670da"');
    await queryRunner.query('ALTER TABLE "live_event" DROP CONSTRAINT "FK_937e04a7c176dae239de8dfc84d"');
    await queryRunner.query('ALTER TABLE "email_message" DROP COLUMN "calendar_ics"');
    await queryRunner.query('ALTER TABLE "email_message" DROP COLUMN "calendar_method"');
    await queryRunner.query('DROP TABLE "event_commitment_reminder"');
    await queryRunner.query('DROP INDEX "public"."idx_event_commitment_update_commitment"');
    await queryRunner.query('DROP TABLE "event_commitment_update"');
    await queryRunner.query('DROP INDEX "public"."idx_event_commitment_member_user"');
    await queryRunner.query('DROP TABLE "event_commitment_member"');
    await queryRunner.query('DROP INDEX "public"."idx_event_commitment_event"');
    await queryRunner.query('DROP TABLE "event_commitment"');
    await queryRunner.query('DROP INDEX "public"."idx_event_evaluation_response_event"');
    await queryRunner.query('DROP TABLE "event_evaluation_response"');
    await queryRunner.query('DROP TABLE "event_evaluation_submission"');
    await queryRunner.query('DROP TABLE "event_questionnaire"');
    await queryRunner.query('DROP INDEX "public"."uq_event_reminder"');
    await queryRunner.query('DROP TABLE "event_reminder"');
    await queryRunner.query('DROP INDEX "public"."uq_calendar_feed_token_hash"');
    await queryRunner.query('DROP TABLE "calendar_feed_token"');
    await queryRunner.query('DROP TABLE "event_calendar_entry"');
    await queryRunner.query('DROP INDEX "public"."idx_event_attendance_registration"');
    await queryRunner.query('DROP TABLE "event_attendance"');
    await queryRunner.query('DROP INDEX "public"."idx_event_registration_event"');
    await queryRunner.query('DROP INDEX "public"."idx_event_registration_user"');
    await queryRunner.query('DROP INDEX "public"."idx_event_registration_approver"');
    await queryRunner.query('DROP TABLE "event_registration"');
    await queryRunner.query('DROP INDEX "public"."idx_event_trainer_event"');
    await queryRunner.query('DROP INDEX "public"."idx_event_trainer_user"');
    await queryRunner.query('DROP TABLE "event_trainer"');
    await queryRunner.query('DROP INDEX "public"."idx_event_session_event"');
    await queryRunner.query('DROP INDEX "public"."idx_event_session_starts"');
    await queryRunner.query('DROP TABLE "event_session"');
    await queryRunner.query('DROP INDEX "public"."idx_live_event_owner"');
    await queryRunner.query('DROP INDEX "public"."idx_live_event_course"');
    await queryRunner.query('DROP TABLE "live_event"');
  }
}
