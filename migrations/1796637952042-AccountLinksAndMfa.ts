import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: single-use account links (invitations, password resets; only the SHA-256 of the secret is
 * stored) and the second factor (TOTP secret, encrypted; ten hashed single-use recovery codes).
 */
export class AccountLinksAndMfa1796637952042 implements MigrationInterface {
  name = 'AccountLinksAndMfa1796637952042';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"account_token\" (\"id\" uuid NOT NULL, \"user_id\" uuid NOT NULL, \"kind\" text NOT NULL, \"token_hash\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"used_at\" TIMESTAMP WITH TIME ZONE, \"revoked_at\" TIMESTAMP WITH TIME ZONE, \"created_by\" uuid, CONSTRAINT \"ck_account_token_kind\" CHECK (kind IN ('invitation', 'password_reset')), CONSTRAINT \"PK_a55842d3341d42534e39f85e931\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_account_token_hash\" ON \"account_token\"  (\"token_hash\") ");
    await queryRunner.query("CREATE INDEX \"idx_account_token_user\" ON \"account_token\"  (\"user_id\", \"kind\") ");
    await queryRunner.query("CREATE TABLE \"mfa_totp\" (\"user_id\" uuid NOT NULL, \"secret_encrypted\" text NOT NULL, \"confirmed_at\" TIMESTAMP WITH TIME ZONE, \"last_used_step\" integer, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_33e55535b96c5ee98c7d8ac47a1\" PRIMARY KEY (\"user_id\"))");
    await queryRunner.query("CREATE TABLE \"mfa_recovery_code\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"code_hash\" text NOT NULL, \"used_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_cdbbb187d9498f3aee029649fbf\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_mfa_recovery_code\" ON \"mfa_recovery_code\"  (\"user_id\", \"code_hash\") ");
    await queryRunner.query("ALTER TABLE \"account_token\" ADD CONSTRAINT \"FK_ab3c66669facfe429164e60ab82\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"mfa_totp\" ADD CONSTRAINT \"FK_33e55535b96c5ee98c7d8ac47a1\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"mfa_recovery_code\" ADD CONSTRAINT \"FK_cb8070e714a552e9c6b6271ff98\" FOREIGN KEY (\"user_id\") REFERENCES \"app_user\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"mfa_recovery_code\" DROP CONSTRAINT \"FK_cb8070e714a552e9c6b6271ff98\"");
    await queryRunner.query("ALTER TABLE \"mfa_totp\" DROP CONSTRAINT \"FK_33e55535b96c5ee98c7d8ac47a1\"");
    await queryRunner.query("ALTER TABLE \"account_token\" DROP CONSTRAINT \"FK_ab3c66669facfe429164e60ab82\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_mfa_recovery_code\"");
    await queryRunner.query("DROP TABLE \"mfa_recovery_code\"");
    await queryRunner.query("DROP TABLE \"mfa_totp\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_account_token_user\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_account_token_hash\"");
    await queryRunner.query("DROP TABLE \"account_token\"");
  }
}
