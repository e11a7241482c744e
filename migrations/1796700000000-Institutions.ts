import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The regional hub (docs/hub.md): an institution is the top of its own org tree, with a country,
 * names per language, a logo and a certificate issuer name. Every existing top-level unit becomes
 * an institution (country left for an admin to set), so existing people and courses belong to one.
 */
export class Institutions1796700000000 implements MigrationInterface {
  name = 'Institutions1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "institution" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "root_org_unit_id" uuid NOT NULL, "country" text, "names" jsonb NOT NULL, "logo_url" text, "issuer_name" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_institution_country" CHECK ("country" IS NULL OR "country" ~ '^[A-Z]{2}$'), CONSTRAINT "pk_institution" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_institution_root" ON "institution" ("root_org_unit_id") `);
    await queryRunner.query(`CREATE INDEX "idx_institution_country" ON "institution" ("country") `);
    await queryRunner.query(`ALTER TABLE "institution" ADD CONSTRAINT "fk_institution_root" FOREIGN KEY ("root_org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`INSERT INTO institution (root_org_unit_id, names) SELECT id, jsonb_build_object('en', name) FROM org_unit WHERE parent_id IS NULL ORDER BY created_at`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "institution"`);
  }
}
