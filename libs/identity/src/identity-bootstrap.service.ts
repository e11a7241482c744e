import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, LoggerService, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { AuditLog } from './audit-log.service.js';
import type { OrgUnitKind } from './org-unit.entity.js';
import { OrgUnitRepository, OrgUnitRow } from './org-unit.repository.js';
import { commonPasswords, hashPassword } from './password.js';
import { UserRepository } from './user.repository.js';

const BOOTSTRAP_LOCK_KEY = 7_412_003_202;
export const ROOT_UNIT = { code: 'ROOT', kind: 'country' as OrgUnitKind, name: 'Public administration' };
export const SCHOOL_UNIT = { code: 'SPA', kind: 'school' as OrgUnitKind, name: 'School of Public Administration' };
export const EMBEDDED_ADMIN_EMAIL = 'admin@localhost';

export type BootstrapOutcome = 'admin-exists' | 'admin-created' | 'admin-granted' | 'no-admin-configured';

/**
 * First start: the root unit (ROOT, a country) and the school of public administration (SPA,
 * which owns the curricula in courses/) exist, and an admin exists — from ADMIN_EMAIL and
 * ADMIN_PASSWORD, or in embedded mode admin@localhost with a generated password logged once.
 * Idempotent, and safe when several replicas start together (one advisory lock).
 */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap {
  /** Replaceable in tests to capture the one-time password line. */
  logger: LoggerService = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    commonPasswords(); // fail at start, not at the first password change, if the list is missing
    await this.ensureDefaults();
  }

  async ensureDefaults(config: AppConfig = this.config): Promise<BootstrapOutcome> {
    const generated = !config.adminEmail && config.isEmbedded ? randomBytes(18).toString('base64url') : undefined;
    const email = (config.adminEmail ?? (generated ? EMBEDDED_ADMIN_EMAIL : undefined))?.toLowerCase();
    const password = config.adminPassword ?? generated;
    // Hash outside the lock (argon2 takes ~30 ms); it is thrown away when an admin exists.
    const passwordHash = email && password ? await hashPassword(password) : null;
    const outcome = await this.dataSource.transaction(async (manager): Promise<BootstrapOutcome> => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      await this.units.lockTree(manager);
      const root = await this.ensureUnit(manager, ROOT_UNIT, null);
      await this.ensureUnit(manager, SCHOOL_UNIT, root);
      // The root tree is the default institution of the hub (docs/hub.md); its country is set by an admin.
      await manager.query(
        `INSERT INTO institution (root_org_unit_id, names) VALUES ($1, jsonb_build_object('en', $2::text)) ON CONFLICT (root_org_unit_id) DO NOTHING`,
        [root.id, root.name],
      );
      if (await this.users.adminExists(manager)) return 'admin-exists';
      if (!email) return 'no-admin-configured';
      const [existing] = (await manager.query(`SELECT id, password_hash IS NOT NULL AS "hasPassword" FROM app_user WHERE email = $1`, [
        email,
      ])) as Array<{
        id: string;
        hasPassword: boolean;
      }>;
      let userId: string;
      if (existing) {
        userId = existing.id;
        if (!existing.hasPassword && passwordHash) await this.users.setPasswordHash(userId, passwordHash, manager);
      } else {
        userId = await this.users.insert(manager, {
          email,
          displayName: 'Administrator',
          passwordHash,
          orgUnitId: root.id,
          jobRoleCode: null,
          managerId: null,
          locale: 'en',
          timeZone: 'UTC',
          gender: null,
          locality: null,
          status: 'active',
        });
      }
      await manager.query(
        `INSERT INTO role_grant (user_id, role, scope_org_unit_id) VALUES ($1, 'admin', NULL), ($1, 'learner', NULL) ON CONFLICT DO NOTHING`,
        [userId],
      );
      await this.audit.record(
        { actor: null, action: 'system.first_admin', subjectType: 'user', subjectId: userId, after: { email, role: 'admin' } },
        manager,
      );
      return existing ? 'admin-granted' : 'admin-created';
    });
    if (outcome === 'admin-created' || outcome === 'admin-granted') {
      if (generated) {
        // The one deliberate exception to "no password in a log line": printed once, on the first start.
        this.logger.warn(
          `First start: admin ${email} created with the generated password ${generated} (shown only this once: sign in and change it)`,
        );
      } else {
        this.logger.log(`First start: admin ${email} created from ADMIN_EMAIL`);
      }
    } else if (outcome === 'no-admin-configured') {
      this.logger.warn('No admin exists and ADMIN_EMAIL/ADMIN_PASSWORD are not set: set them and restart to create the first admin');
    }
    return outcome;
  }

  private async ensureUnit(
    manager: EntityManager,
    spec: { code: string; kind: OrgUnitKind; name: string },
    parent: OrgUnitRow | null,
  ): Promise<OrgUnitRow> {
    const found = await this.units.findByCode(spec.code, manager);
    if (found) return found;
    const id = randomUUID();
    await this.units.insert(manager, {
      id,
      ...spec,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
    });
    await this.audit.record(
      { actor: null, action: 'org_unit.created', subjectType: 'org_unit', subjectId: id, after: { ...spec, parentId: parent?.id ?? null } },
      manager,
    );
    return (await this.units.findByCode(spec.code, manager))!;
  }
}
