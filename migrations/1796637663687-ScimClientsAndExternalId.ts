import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SCIM provisioning: `scim_client` (hashed bearer tokens scoped to an org subtree) and the upstream
 * directory's ids on people (`app_user.external_id`, unique when set; `employee_number`).
 * `external_id` is added with IF NOT EXISTS: OpenID Connect sign-in adds the same column.
 */
export class ScimClientsAndExternalId1796637663687 implements MigrationInterface {
  name = 'ScimClientsAndExternalId1796637663687';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "scim_client" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "token_hash" text NOT NULL, "scope_org_unit_id" uuid NOT NULL, "default_org_unit_id" uuid NOT NULL, "department_match" text NOT NULL DEFAULT \'code\', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_scim_client_department_match" CHECK ("department_match" IN (\'code\', \'name\')), CONSTRAINT "PK_0806cdf96480898463843413017" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_scim_client_token_hash" ON "scim_client"  ("token_hash") ');
    await queryRunner.query('ALTER TABLE "app_user" ADD COLUMN IF NOT EXISTS "external_id" text');
    await queryRunner.query('ALTER TABLE "app_user" ADD "employee_number" text');
    await queryRunner.query(
      'CREATE UNIQUE INDEX IF NOT EXISTS "uq_app_user_external_id" ON "app_user"  ("external_id") WHERE "external_id" IS NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "scim_client" ADD CONSTRAINT "FK_4fab0cd64a4f71053a38fdb8bf3" FOREIGN KEY ("scope_org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "scim_client" ADD CONSTRAINT "FK_bc430285fed3208ee6bd5f15ab3" FOREIGN KEY ("default_org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "scim_client" DROP CONSTRAINT "FK_bc430285fed3208ee6bd5f15ab3"');
    await queryRunner.query('ALTER TABLE "scim_client" DROP CONSTRAINT "FK_4fab0cd64a4f71053a38fdb8bf3"');
    await queryRunner.query('DROP INDEX IF EXISTS "public"."uq_app_user_external_id"');
    await queryRunner.query('ALTER TABLE "app_user" DROP COLUMN "employee_number"');
    await queryRunner.query('ALTER TABLE "app_user" DROP COLUMN IF EXISTS "external_id"');
    await queryRunner.query('DROP INDEX "public"."uq_scim_client_token_hash"');
    await queryRunner.query('DROP TABLE "scim_client"');
  }
}
