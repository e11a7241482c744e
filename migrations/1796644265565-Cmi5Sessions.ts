import type { MigrationInterface, QueryRunner } from 'typeorm';

/** cmi5 launches: one-time fetch tokens and session credentials (hashes only) per AU launch (docs/interop.md). */
export class Cmi5Sessions1796644265565 implements MigrationInterface {
  name = 'Cmi5Sessions1796644265565';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"cmi5_session\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"enrolment_id\" uuid NOT NULL, \"activity_id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"actor_key\" text NOT NULL, \"fetch_token_hash\" text NOT NULL, \"secret_hash\" text, \"fetched_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_3508d9c8b63bf3a77db4fc9a396\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_cmi5_session_enrolment\" ON \"cmi5_session\"  (\"enrolment_id\", \"activity_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_cmi5_session_fetch\" ON \"cmi5_session\"  (\"fetch_token_hash\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"uq_cmi5_session_fetch\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_cmi5_session_enrolment\"");
    await queryRunner.query("DROP TABLE \"cmi5_session\"");
  }
}
