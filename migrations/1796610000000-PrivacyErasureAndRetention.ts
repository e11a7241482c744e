import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy: when a person's data was erased (app_user.erased_at) and when a certificate's holder was
 * (certificate.holder_erased_at); an index for the notification retention sweep; and the audit log's
 * append-only trigger gains one narrow door: inside a transaction that has set
 * `lms.audit_maintenance = 'on'` (SET LOCAL, only libs/privacy does), the retention sweep may delete
 * expired events and an erasure may scrub the personal data in the events about the erased person.
 * Everything else is still refused, TRUNCATE always.
 */
export class PrivacyErasureAndRetention1796610000000 implements MigrationInterface {
  name = 'PrivacyErasureAndRetention1796610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "certificate" ADD "holder_erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "idx_notification_created" ON "notification" ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_email_message_created" ON "email_message" ("created_at")`);
    // An issued certificate stays immutable, except revocation, the expiry mark and — once — the
    // erasure of its holder: name and stored credential emptied, holder_erased_at set.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION lms_certificate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE mutable text[] := ARRAY['revoked_at', 'revocation_reason', 'revoked_by', 'expiry_notified_at'];
      DECLARE erasable text[] := ARRAY['holder_name', 'credential_jwt', 'holder_erased_at'];
      BEGIN
        IF (to_jsonb(NEW) - mutable - erasable) IS DISTINCT FROM (to_jsonb(OLD) - mutable - erasable) THEN
          RAISE EXCEPTION 'certificate % is immutable once issued', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable)
           AND NOT (OLD.holder_erased_at IS NULL AND NEW.holder_erased_at IS NOT NULL AND NEW.holder_name = '' AND NEW.credential_jwt = '') THEN
          RAISE EXCEPTION 'certificate % is immutable once issued (only an erasure may remove its holder, once)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason) THEN
          RAISE EXCEPTION 'certificate % is revoked; a revocation cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION lms_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'ROW' AND current_setting('lms.audit_maintenance', true) = 'on' THEN
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION lms_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION lms_certificate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE mutable text[] := ARRAY['revoked_at', 'revocation_reason', 'revoked_by', 'expiry_notified_at'];
      BEGIN
        IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
          RAISE EXCEPTION 'certificate % is immutable once issued', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason) THEN
          RAISE EXCEPTION 'certificate % is revoked; a revocation cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_email_message_created"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_notification_created"`);
    await queryRunner.query(`ALTER TABLE "certificate" DROP COLUMN "holder_erased_at"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "erased_at"`);
  }
}
