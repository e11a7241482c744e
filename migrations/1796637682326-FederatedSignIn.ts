import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Federated sign-in (docs/sso.md): the (issuer, subject) links of people to identity providers, the
 * SAML assertions already consumed (replay protection across replicas), and `app_user.external_id`
 * (the HR system's person id). The column and its index are created only when missing, because
 * SCIM provisioning needs the same column and may add it in its own migration.
 */
export class FederatedSignIn1796637682326 implements MigrationInterface {
  name = 'FederatedSignIn1796637682326';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"federated_identity\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"protocol\" text NOT NULL, \"provider_key\" text NOT NULL, \"issuer\" text NOT NULL, \"subject\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_sign_in_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_federated_identity_protocol\" CHECK (\"protocol\" IN ('oidc', 'saml')), CONSTRAINT \"PK_be34b3846fcf7528596cc388643\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"idx_federated_identity_user\" ON \"federated_identity\"  (\"user_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_federated_identity_issuer_subject\" ON \"federated_identity\"  (\"issuer\", \"subject\") ");
    await queryRunner.query("CREATE TABLE \"saml_consumed_assertion\" (\"issuer\" text NOT NULL, \"assertion_id\" text NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_34e85ac83d1c2bd9e10c3c4a03b\" PRIMARY KEY (\"issuer\", \"assertion_id\"))");
    await queryRunner.query("CREATE INDEX \"idx_saml_consumed_assertion_expires\" ON \"saml_consumed_assertion\"  (\"expires_at\") ");
    await queryRunner.query("ALTER TABLE \"app_user\" ADD COLUMN IF NOT EXISTS \"external_id\" text");
    await queryRunner.query("CREATE UNIQUE INDEX IF NOT EXISTS \"uq_app_user_external_id\" ON \"app_user\"  (\"external_id\") WHERE \"external_id\" IS NOT NULL");
    await queryRunner.query("ALTER TABLE \"federated_identity\" ADD CONSTRAINT \"FK_665d30ddec9f7736fabcbd789ae\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"federated_identity\" DROP CONSTRAINT \"FK_665d30ddec9f7736fabcbd789ae\"");
    await queryRunner.query("DROP INDEX IF EXISTS \"public\".\"uq_app_user_external_id\"");
    await queryRunner.query("ALTER TABLE \"app_user\" DROP COLUMN IF EXISTS \"external_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_saml_consumed_assertion_expires\"");
    await queryRunner.query("DROP TABLE \"saml_consumed_assertion\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_federated_identity_issuer_subject\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_federated_identity_user\"");
    await queryRunner.query("DROP TABLE \"federated_identity\"");
  }
}
