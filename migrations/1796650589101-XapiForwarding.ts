import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forwarding of xAPI statements to external LRSs (docs/xapi.md): the endpoints admins configure
 * (Basic password encrypted) and one delivery row per (endpoint, statement) - pending, delivered or
 * dead - with a partial index for the dead-letter list.
 */
export class XapiForwarding1796650589101 implements MigrationInterface {
  name = 'XapiForwarding1796650589101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"lrs_endpoint\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"url\" text NOT NULL, \"username\" text NOT NULL, \"password_encrypted\" text NOT NULL, \"verbs\" text array NOT NULL DEFAULT '{}', \"activity_prefixes\" text array NOT NULL DEFAULT '{}', \"created_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_lrs_endpoint_url\" CHECK (\"url\" ~ '^https?://'), CONSTRAINT \"PK_937cc96beaa83be577c2bef1525\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"lrs_delivery\" (\"endpoint_id\" uuid NOT NULL, \"statement_id\" uuid NOT NULL, \"batch_id\" uuid NOT NULL, \"state\" text NOT NULL DEFAULT 'pending', \"attempts\" integer NOT NULL DEFAULT '0', \"last_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"delivered_at\" TIMESTAMP WITH TIME ZONE, \"dead_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_lrs_delivery_state\" CHECK (\"state\" IN ('pending', 'delivered', 'dead')), CONSTRAINT \"PK_cf4c2f648218cb6f5feaf9467eb\" PRIMARY KEY (\"endpoint_id\", \"statement_id\"))");
    await queryRunner.query("CREATE INDEX \"idx_lrs_delivery_batch\" ON \"lrs_delivery\"  (\"batch_id\") ");
    await queryRunner.query("CREATE INDEX \"idx_lrs_delivery_dead\" ON \"lrs_delivery\" (\"endpoint_id\", \"dead_at\") WHERE \"state\" = 'dead'");
    await queryRunner.query("ALTER TABLE \"lrs_delivery\" ADD CONSTRAINT \"FK_e74f889ea83f606e92bfdf496e4\" FOREIGN KEY (\"endpoint_id\") REFERENCES \"lrs_endpoint\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"lrs_delivery\" ADD CONSTRAINT \"FK_bac3f5e70e59c1f9cb3ad06e78e\" FOREIGN KEY (\"statement_id\") REFERENCES \"xapi_statement\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"lrs_delivery\" DROP CONSTRAINT \"FK_bac3f5e70e59c1f9cb3ad06e78e\"");
    await queryRunner.query("ALTER TABLE \"lrs_delivery\" DROP CONSTRAINT \"FK_e74f889ea83f606e92bfdf496e4\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_lrs_delivery_dead\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_lrs_delivery_batch\"");
    await queryRunner.query("DROP TABLE \"lrs_delivery\"");
    await queryRunner.query("DROP TABLE \"lrs_endpoint\"");
  }
}
