import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in xAPI LRS (docs/xapi.md): its clients (Basic credentials, hashed secrets), statements
 * (whole statement as jsonb plus the columns the filters use, GIN indexes for agent and related
 * activity/agent lookups) and documents (state, activity profile, agent profile).
 */
export class InteropLrs1796641819276 implements MigrationInterface {
  name = 'InteropLrs1796641819276';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"lrs_client\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"key\" text NOT NULL, \"secret_hash\" text NOT NULL, \"scopes\" text array NOT NULL, \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_lrs_client_scopes\" CHECK (\"scopes\" <@ ARRAY['statements/read', 'statements/write', 'state', 'profile', 'all']::text[]), CONSTRAINT \"PK_0cfcf3e4e3c4138c0921bda9af1\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_lrs_client_key\" ON \"lrs_client\"  (\"key\") ");
    await queryRunner.query("CREATE TABLE \"xapi_statement\" (\"id\" uuid NOT NULL, \"seq\" BIGSERIAL NOT NULL, \"statement\" jsonb NOT NULL, \"content_hash\" text NOT NULL, \"verb_id\" text NOT NULL, \"activity_id\" text, \"related_activity_ids\" text array NOT NULL, \"agent_keys\" text array NOT NULL, \"related_agent_keys\" text array NOT NULL, \"registration\" uuid, \"stored\" TIMESTAMP WITH TIME ZONE NOT NULL, \"timestamp\" TIMESTAMP WITH TIME ZONE NOT NULL, \"voided\" boolean NOT NULL DEFAULT false, \"voids_statement_id\" uuid, \"client_id\" uuid, CONSTRAINT \"PK_9bfc5bbeb2c14036fc00b185551\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_voids\" ON \"xapi_statement\"  (\"voids_statement_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_stored\" ON \"xapi_statement\"  (\"stored\") ");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_registration\" ON \"xapi_statement\"  (\"registration\", \"seq\") ");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_activity\" ON \"xapi_statement\"  (\"activity_id\", \"seq\") ");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_verb\" ON \"xapi_statement\"  (\"verb_id\", \"seq\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"idx_xapi_statement_seq\" ON \"xapi_statement\"  (\"seq\") ");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_agents\" ON \"xapi_statement\" USING gin (\"agent_keys\")");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_related_agents\" ON \"xapi_statement\" USING gin (\"related_agent_keys\")");
    await queryRunner.query("CREATE INDEX \"idx_xapi_statement_related_activities\" ON \"xapi_statement\" USING gin (\"related_activity_ids\")");
    await queryRunner.query("CREATE TABLE \"xapi_document\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"kind\" text NOT NULL, \"activity_id\" text NOT NULL DEFAULT '', \"agent_key\" text NOT NULL DEFAULT '', \"registration\" text NOT NULL DEFAULT '', \"document_id\" text NOT NULL, \"content_type\" text NOT NULL, \"content\" bytea NOT NULL, \"etag\" text NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"ck_xapi_document_kind\" CHECK (\"kind\" IN ('state', 'activity_profile', 'agent_profile')), CONSTRAINT \"PK_a627392f1d7c910b90e24a4907e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_xapi_document_key\" ON \"xapi_document\"  (\"kind\", \"activity_id\", \"agent_key\", \"registration\", \"document_id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"uq_xapi_document_key\"");
    await queryRunner.query("DROP TABLE \"xapi_document\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_related_activities\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_related_agents\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_agents\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_seq\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_verb\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_activity\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_registration\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_stored\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_xapi_statement_voids\"");
    await queryRunner.query("DROP TABLE \"xapi_statement\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_lrs_client_key\"");
    await queryRunner.query("DROP TABLE \"lrs_client\"");
  }
}
