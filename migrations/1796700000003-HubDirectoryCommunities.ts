import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's people directory (opt-in profiles with recorded consent, contact requests that reveal
 * e-mail addresses only once accepted) and its communities of practice (spaces, threads, posts,
 * reports, bans, moderators). docs/hub.md, items 4 and 5 of issue #20.
 */
export class HubDirectoryCommunities1796700000003 implements MigrationInterface {
  name = 'HubDirectoryCommunities1796700000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(`CREATE TABLE "directory_profile" (
      "user_id" uuid NOT NULL,
      "display_name" text NOT NULL,
      "languages" text array NOT NULL DEFAULT '{}',
      "expertise" text array NOT NULL DEFAULT '{}',
      "consent_version" text NOT NULL,
      "consented_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_directory_profile" PRIMARY KEY ("user_id"),
      CONSTRAINT "fk_directory_profile_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE)`);
    await q(`CREATE INDEX "idx_directory_profile_expertise" ON "directory_profile" USING gin ("expertise")`);
    await q(`CREATE INDEX "idx_directory_profile_languages" ON "directory_profile" USING gin ("languages")`);
    // Both ends must hold a profile: withdrawing it deletes the person's requests and contacts at once.
    await q(`CREATE TABLE "directory_contact_request" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "from_user_id" uuid NOT NULL,
      "to_user_id" uuid NOT NULL,
      "message" text,
      "status" text NOT NULL DEFAULT 'pending',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "decided_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_directory_contact_request" PRIMARY KEY ("id"),
      CONSTRAINT "ck_directory_contact_request_status" CHECK (status IN ('pending', 'accepted', 'declined')),
      CONSTRAINT "ck_directory_contact_request_self" CHECK (from_user_id <> to_user_id),
      CONSTRAINT "fk_directory_contact_request_from" FOREIGN KEY ("from_user_id") REFERENCES "directory_profile"("user_id") ON DELETE CASCADE,
      CONSTRAINT "fk_directory_contact_request_to" FOREIGN KEY ("to_user_id") REFERENCES "directory_profile"("user_id") ON DELETE CASCADE)`);
    await q(
      `CREATE UNIQUE INDEX "uq_directory_contact_request_pair" ON "directory_contact_request" (LEAST(from_user_id, to_user_id), GREATEST(from_user_id, to_user_id))`,
    );
    await q(`CREATE INDEX "idx_directory_contact_request_to" ON "directory_contact_request" ("to_user_id")`);

    await q(`CREATE TABLE "community_space" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "slug" text NOT NULL,
      "title" text NOT NULL,
      "description" text NOT NULL DEFAULT '',
      "audience" text NOT NULL,
      "institution_ids" uuid array NOT NULL DEFAULT '{}',
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_community_space" PRIMARY KEY ("id"),
      CONSTRAINT "uq_community_space_slug" UNIQUE ("slug"),
      CONSTRAINT "ck_community_space_audience" CHECK (audience IN ('hub', 'institutions')),
      CONSTRAINT "fk_community_space_created_by" FOREIGN KEY ("created_by") REFERENCES "app_user"("id") ON DELETE SET NULL)`);
    await q(`CREATE TABLE "community_moderator" (
      "space_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_community_moderator" PRIMARY KEY ("space_id", "user_id"),
      CONSTRAINT "fk_community_moderator_space" FOREIGN KEY ("space_id") REFERENCES "community_space"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_moderator_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE)`);
    await q(`CREATE TABLE "community_ban" (
      "space_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "reason" text,
      "banned_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_community_ban" PRIMARY KEY ("space_id", "user_id"),
      CONSTRAINT "fk_community_ban_space" FOREIGN KEY ("space_id") REFERENCES "community_space"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_ban_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_ban_banned_by" FOREIGN KEY ("banned_by") REFERENCES "app_user"("id") ON DELETE SET NULL)`);
    await q(`CREATE TABLE "community_thread" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "space_id" uuid NOT NULL,
      "author_id" uuid,
      "title" text NOT NULL,
      "accepted_post_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_post_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_community_thread" PRIMARY KEY ("id"),
      CONSTRAINT "fk_community_thread_space" FOREIGN KEY ("space_id") REFERENCES "community_space"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_thread_author" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE SET NULL)`);
    await q(`CREATE INDEX "idx_community_thread_space" ON "community_thread" ("space_id", "last_post_at")`);
    await q(`CREATE TABLE "community_post" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "thread_id" uuid NOT NULL,
      "author_id" uuid,
      "body" text NOT NULL,
      "hidden_at" TIMESTAMP WITH TIME ZONE,
      "hidden_by" uuid,
      "hidden_reason" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_community_post" PRIMARY KEY ("id"),
      CONSTRAINT "fk_community_post_thread" FOREIGN KEY ("thread_id") REFERENCES "community_thread"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_post_author" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "fk_community_post_hidden_by" FOREIGN KEY ("hidden_by") REFERENCES "app_user"("id") ON DELETE SET NULL)`);
    await q(`CREATE INDEX "idx_community_post_thread" ON "community_post" ("thread_id", "created_at")`);
    await q(`CREATE INDEX "idx_community_post_author" ON "community_post" ("author_id")`);
    await q(
      `ALTER TABLE "community_thread" ADD CONSTRAINT "fk_community_thread_accepted" FOREIGN KEY ("accepted_post_id") REFERENCES "community_post"("id") ON DELETE SET NULL`,
    );
    await q(`CREATE TABLE "community_report" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "post_id" uuid NOT NULL,
      "reporter_id" uuid NOT NULL,
      "reason" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "resolved_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_community_report" PRIMARY KEY ("id"),
      CONSTRAINT "uq_community_report_post_reporter" UNIQUE ("post_id", "reporter_id"),
      CONSTRAINT "fk_community_report_post" FOREIGN KEY ("post_id") REFERENCES "community_post"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_report_reporter" FOREIGN KEY ("reporter_id") REFERENCES "app_user"("id") ON DELETE CASCADE)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "community_thread" DROP CONSTRAINT "fk_community_thread_accepted"`);
    for (const t of [
      'community_report',
      'community_post',
      'community_thread',
      'community_ban',
      'community_moderator',
      'community_space',
      'directory_contact_request',
      'directory_profile',
    ]) {
      await queryRunner.query(`DROP TABLE "${t}"`);
    }
  }
}
