import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Communities of practice (docs/hub.md, item 4 of issue #20): resources shared in a space (a link or
 * a small file kept in the file storage) and one discussion space per course (`course_id`, audience
 * `course`: the people who may see the course and are enrolled in it or author it).
 */
export class CommunityResourcesCourseDiscussion1796800000060 implements MigrationInterface {
  name = 'CommunityResourcesCourseDiscussion1796800000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(`ALTER TABLE "community_space" DROP CONSTRAINT "ck_community_space_audience"`);
    await q(`ALTER TABLE "community_space" ADD "course_id" uuid`);
    await q(`ALTER TABLE "community_space" ADD CONSTRAINT "ck_community_space_audience" CHECK (audience IN ('hub', 'institutions', 'course') AND ((audience = 'course') = (course_id IS NOT NULL)))`);
    await q(`ALTER TABLE "community_space" ADD CONSTRAINT "uq_community_space_course" UNIQUE ("course_id")`);
    await q(`ALTER TABLE "community_space" ADD CONSTRAINT "fk_community_space_course" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE`);
    await q(`CREATE TABLE "community_resource" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "space_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "title" text NOT NULL,
      "note" text NOT NULL DEFAULT '',
      "url" text,
      "file_key" text,
      "file_name" text,
      "content_type" text,
      "size_bytes" integer,
      "added_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "hidden_at" TIMESTAMP WITH TIME ZONE,
      "hidden_by" uuid,
      "hidden_reason" text,
      CONSTRAINT "PK_community_resource" PRIMARY KEY ("id"),
      CONSTRAINT "ck_community_resource_kind" CHECK ((kind = 'link' AND url IS NOT NULL AND file_key IS NULL) OR (kind = 'file' AND file_key IS NOT NULL AND url IS NULL)),
      CONSTRAINT "fk_community_resource_space" FOREIGN KEY ("space_id") REFERENCES "community_space"("id") ON DELETE CASCADE,
      CONSTRAINT "fk_community_resource_added_by" FOREIGN KEY ("added_by") REFERENCES "app_user"("id") ON DELETE SET NULL,
      CONSTRAINT "fk_community_resource_hidden_by" FOREIGN KEY ("hidden_by") REFERENCES "app_user"("id") ON DELETE SET NULL)`);
    await q(`CREATE INDEX "idx_community_resource_space" ON "community_resource" ("space_id", "created_at")`);
    await q(`CREATE INDEX "idx_community_resource_added_by" ON "community_resource" ("added_by")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(`DROP TABLE "community_resource"`);
    await q(`DELETE FROM "community_space" WHERE "course_id" IS NOT NULL`);
    await q(`ALTER TABLE "community_space" DROP CONSTRAINT "ck_community_space_audience"`);
    await q(`ALTER TABLE "community_space" DROP COLUMN "course_id"`);
    await q(`ALTER TABLE "community_space" ADD CONSTRAINT "ck_community_space_audience" CHECK (audience IN ('hub', 'institutions'))`);
  }
}
