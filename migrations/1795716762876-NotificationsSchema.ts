import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationsSchema1795716762876 implements MigrationInterface {
  name = 'NotificationsSchema1795716762876';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"notification\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"type\" text NOT NULL, \"dedupe_key\" text NOT NULL, \"locale\" text NOT NULL, \"title\" text NOT NULL, \"body\" text NOT NULL, \"link\" text, \"data\" jsonb NOT NULL, \"email_pending\" boolean NOT NULL DEFAULT false, \"read_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_705b6c7cdf9b2c2ff7ac7872cb7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_notification_inbox\" ON \"notification\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_notification_dedupe\" ON \"notification\"  (\"user_id\", \"dedupe_key\") ");
    await queryRunner.query("CREATE TABLE \"reminder\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"enrolment_id\" uuid NOT NULL, \"certificate_id\" uuid, \"kind\" text NOT NULL, \"due_date\" date NOT NULL, \"recipient_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"notification_id\" uuid, CONSTRAINT \"PK_9ec029d17cb8dece186b9221ede\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_reminder_notification\" ON \"reminder\"  (\"notification_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_reminder\" ON \"reminder\"  (\"enrolment_id\", \"kind\", \"due_date\", \"recipient_id\") ");
    await queryRunner.query("CREATE TABLE \"email_message\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"to_address\" text NOT NULL, \"dedupe_key\" text NOT NULL, \"notification_id\" uuid, \"locale\" text NOT NULL, \"subject\" text NOT NULL, \"text_body\" text NOT NULL, \"html_body\" text NOT NULL, \"state\" text NOT NULL DEFAULT 'queued', \"attempts\" integer NOT NULL DEFAULT '0', \"last_error\" text, \"last_attempt_at\" TIMESTAMP WITH TIME ZONE, \"sent_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_email_message_state\" CHECK (state IN ('queued', 'sending', 'retrying', 'sent', 'failed')), CONSTRAINT \"PK_9fe3a0a31f2ffe66dd976851792\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_email_message_dedupe\" ON \"email_message\"  (\"user_id\", \"dedupe_key\") ");
    await queryRunner.query("CREATE TABLE \"notification_preference\" (\"user_id\" uuid NOT NULL, \"email\" boolean NOT NULL DEFAULT true, \"digest\" text NOT NULL DEFAULT 'daily', \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_notification_preference_digest\" CHECK (digest IN ('daily', 'immediate')), CONSTRAINT \"PK_ff040d2d2e35c49b00525783829\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("ALTER TABLE \"notification\" ADD CONSTRAINT \"FK_928b7aa1754e08e1ed7052cb9d8\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reminder\" ADD CONSTRAINT \"FK_170f1ac354c205f8cc3c0c8fe8b\" FOREIGN KEY (\"enrolment_id\") REFERENCES \"enrolment\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reminder\" ADD CONSTRAINT \"FK_20c2f63dc732012286168af5e75\" FOREIGN KEY (\"recipient_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"reminder\" ADD CONSTRAINT \"FK_828e566bbf4fcf96064c2b0dd8f\" FOREIGN KEY (\"notification_id\") REFERENCES \"notification\"(\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"email_message\" ADD CONSTRAINT \"FK_aad6875afadd4f3b8f26e4d3e08\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"email_message\" ADD CONSTRAINT \"FK_49a0e5cab20800f934c9451bf93\" FOREIGN KEY (\"notification_id\") REFERENCES \"notification\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"notification_preference\" ADD CONSTRAINT \"FK_ff040d2d2e35c49b00525783829\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // Hand-written (declared on the entities with synchronize: false): partial indexes on the small "pending" sets.
    // Reminder lines recorded but not yet delivered in a digest, by recipient.
    await queryRunner.query(`CREATE INDEX "idx_reminder_pending" ON "reminder" ("recipient_id") WHERE notification_id IS NULL`);
    // Event notifications waiting for the person's next daily digest e-mail.
    await queryRunner.query(`CREATE INDEX "idx_notification_email_pending" ON "notification" ("user_id") WHERE email_pending`);
    // E-mails that failed for good (GET /admin/notifications/failed), newest first.
    await queryRunner.query(`CREATE INDEX "idx_email_message_failed" ON "email_message" ("last_attempt_at" DESC) WHERE state = 'failed'`);
    // E-mails not yet sent (the sweep's safety net re-queues stale ones).
    await queryRunner.query(`CREATE INDEX "idx_email_message_unsent" ON "email_message" ("created_at") WHERE state IN ('queued', 'retrying', 'sending')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_email_message_unsent"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_email_message_failed"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_notification_email_pending"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_reminder_pending"`);
    await queryRunner.query("ALTER TABLE \"notification_preference\" DROP CONSTRAINT \"FK_ff040d2d2e35c49b00525783829\"");
    await queryRunner.query("ALTER TABLE \"email_message\" DROP CONSTRAINT \"FK_49a0e5cab20800f934c9451bf93\"");
    await queryRunner.query("ALTER TABLE \"email_message\" DROP CONSTRAINT \"FK_aad6875afadd4f3b8f26e4d3e08\"");
    await queryRunner.query("ALTER TABLE \"reminder\" DROP CONSTRAINT \"FK_828e566bbf4fcf96064c2b0dd8f\"");
    await queryRunner.query("ALTER TABLE \"reminder\" DROP CONSTRAINT \"FK_20c2f63dc732012286168af5e75\"");
    await queryRunner.query("ALTER TABLE \"reminder\" DROP CONSTRAINT \"FK_170f1ac354c205f8cc3c0c8fe8b\"");
    await queryRunner.query("ALTER TABLE \"notification\" DROP CONSTRAINT \"FK_928b7aa1754e08e1ed7052cb9d8\"");
    await queryRunner.query("DROP TABLE \"notification_preference\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_email_message_dedupe\"");
    await queryRunner.query("DROP TABLE \"email_message\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_reminder\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_reminder_notification\"");
    await queryRunner.query("DROP TABLE \"reminder\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_notification_dedupe\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_notification_inbox\"");
    await queryRunner.query("DROP TABLE \"notification\"");
  }
}
