import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cross-country follow-up groups (docs/hub.md, item 6): a group of an event's participants with a
 * joint commitment, members (invited, active), milestones, posts and one reminder row per
 * (milestone, member, days before).
 */
export class FollowupGroups1796800000020 implements MigrationInterface {
  name = 'FollowupGroups1796800000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"event_followup_group\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"event_id\" uuid NOT NULL, \"commitment_id\" uuid, \"created_by\" uuid, \"title\" text NOT NULL, \"action\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'open', \"kept_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_event_followup_group_status\" CHECK (status IN ('open', 'kept', 'not_kept')), CONSTRAINT \"PK_85c9621fe2c0ab46a4f7bc29bb6\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_event_followup_group_commitment\" ON \"event_followup_group\"  (\"commitment_id\") WHERE commitment_id IS NOT NULL");
    await queryRunner.query("CREATE INDEX \"idx_event_followup_group_event\" ON \"event_followup_group\"  (\"event_id\") ");
    await queryRunner.query("CREATE TABLE \"event_followup_member\" (\"group_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"status\" text NOT NULL, \"invited_by\" uuid, \"invited_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"joined_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_event_followup_member_status\" CHECK (status IN ('invited', 'active')), CONSTRAINT \"PK_6ca2ae073db9769f7c2fc8c3793\" PRIMARY KEY (\"group_id\", \"user_id\"))");
    await queryRunner.query("CREATE INDEX \"idx_event_followup_member_user\" ON \"event_followup_member\"  (\"user_id\") ");
    await queryRunner.query("CREATE TABLE \"event_followup_milestone\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"group_id\" uuid NOT NULL, \"title\" text NOT NULL, \"due_on\" date NOT NULL, \"done_at\" TIMESTAMP WITH TIME ZONE, \"done_by\" uuid, \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_79c3b48af9bd8cfa2caa0866b1b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_event_followup_milestone_group\" ON \"event_followup_milestone\"  (\"group_id\", \"due_on\") ");
    await queryRunner.query("CREATE TABLE \"event_followup_post\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"group_id\" uuid NOT NULL, \"user_id\" uuid, \"body\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_27755ad5df4c21903002eab7fa7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_event_followup_post_group\" ON \"event_followup_post\"  (\"group_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"event_followup_reminder\" (\"milestone_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"days_before\" integer NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d4d6bd74900f7abb8621048b262\" PRIMARY KEY (\"milestone_id\", \"user_id\", \"days_before\"))");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" ADD CONSTRAINT \"FK_c839bf884500f5070d8aea56db1\" FOREIGN KEY (\"event_id\") REFERENCES \"live_event\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" ADD CONSTRAINT \"FK_e3fe4b21726fa494695c2671240\" FOREIGN KEY (\"commitment_id\") REFERENCES \"event_commitment\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" ADD CONSTRAINT \"FK_75a86d14d226c56cefe15f28c44\" FOREIGN KEY (\"created_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" ADD CONSTRAINT \"FK_be52453755c5bb94151e831d3ff\" FOREIGN KEY (\"group_id\") REFERENCES \"event_followup_group\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" ADD CONSTRAINT \"FK_d4e4bdddad7a63648a5505d6895\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" ADD CONSTRAINT \"FK_fe61c5c96195425417b72f1c989\" FOREIGN KEY (\"invited_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" ADD CONSTRAINT \"FK_3d5d571df44db1b4e05d816aa31\" FOREIGN KEY (\"group_id\") REFERENCES \"event_followup_group\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" ADD CONSTRAINT \"FK_54833f88447e3317bf5b0b089e3\" FOREIGN KEY (\"done_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" ADD CONSTRAINT \"FK_02a569a3c06039117486fc436fb\" FOREIGN KEY (\"created_by\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_post\" ADD CONSTRAINT \"FK_3fcc296139090afa8140b11fea1\" FOREIGN KEY (\"group_id\") REFERENCES \"event_followup_group\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_post\" ADD CONSTRAINT \"FK_96c1fb761058d19da1af0480975\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE SET NULL ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_reminder\" ADD CONSTRAINT \"FK_6000c59f6e69b97317dff5e163e\" FOREIGN KEY (\"milestone_id\") REFERENCES \"event_followup_milestone\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"event_followup_reminder\" ADD CONSTRAINT \"FK_5d12caf1d9f65a27b0ad38cd701\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"event_followup_reminder\" DROP CONSTRAINT \"FK_5d12caf1d9f65a27b0ad38cd701\"");
    await queryRunner.query("ALTER TABLE \"event_followup_reminder\" DROP CONSTRAINT \"FK_6000c59f6e69b97317dff5e163e\"");
    await queryRunner.query("ALTER TABLE \"event_followup_post\" DROP CONSTRAINT \"FK_96c1fb761058d19da1af0480975\"");
    await queryRunner.query("ALTER TABLE \"event_followup_post\" DROP CONSTRAINT \"FK_3fcc296139090afa8140b11fea1\"");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" DROP CONSTRAINT \"FK_02a569a3c06039117486fc436fb\"");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" DROP CONSTRAINT \"FK_54833f88447e3317bf5b0b089e3\"");
    await queryRunner.query("ALTER TABLE \"event_followup_milestone\" DROP CONSTRAINT \"FK_3d5d571df44db1b4e05d816aa31\"");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" DROP CONSTRAINT \"FK_fe61c5c96195425417b72f1c989\"");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" DROP CONSTRAINT \"FK_d4e4bdddad7a63648a5505d6895\"");
    await queryRunner.query("ALTER TABLE \"event_followup_member\" DROP CONSTRAINT \"FK_be52453755c5bb94151e831d3ff\"");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" DROP CONSTRAINT \"FK_75a86d14d226c56cefe15f28c44\"");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" DROP CONSTRAINT \"FK_e3fe4b21726fa494695c2671240\"");
    await queryRunner.query("ALTER TABLE \"event_followup_group\" DROP CONSTRAINT \"FK_c839bf884500f5070d8aea56db1\"");
    await queryRunner.query("DROP TABLE \"event_followup_reminder\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_event_followup_post_group\"");
    await queryRunner.query("DROP TABLE \"event_followup_post\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_event_followup_milestone_group\"");
    await queryRunner.query("DROP TABLE \"event_followup_milestone\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_event_followup_member_user\"");
    await queryRunner.query("DROP TABLE \"event_followup_member\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_event_followup_group_event\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_event_followup_group_commitment\"");
    await queryRunner.query("DROP TABLE \"event_followup_group\"");
  }
}
