import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@lms/identity';
import { NotFoundError, type Principal } from '@lms/platform';
import { type LrsScope } from './lrs-client.entity.js';
import { LrsScopeError, LrsUnauthorizedError } from './xapi.errors.js';
import { Cmi5Service, type Cmi5SessionScope } from './runtime/cmi5.service.js';

/** The LRS client a request authenticated as. */
export interface LrsClientIdentity {
  id: string;
  key: string;
  name: string;
  scopes: LrsScope[];
  /** Set for the credentials of a cmi5 launch: they may write only for its actor. */
  session?: Cmi5SessionScope;
}

export interface LrsClientView {
  id: string;
  name: string;
  key: string;
  scopes: LrsScope[];
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedLrsClient extends LrsClientView {
  /** Shown once: only its hash is kept. */
  secret: string;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Credentials of the built-in LRS's clients: created and revoked by admins, checked on every xAPI request. */
@Injectable()
export class LrsClientService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Cmi5Service) private readonly cmi5: Cmi5Service,
  ) {}

  async create(name: string, scopes: LrsScope[], actor: Principal, requestId?: string): Promise<CreatedLrsClient> {
    const key = `lrs_${randomBytes(12).toString('base64url')}`;
    const secret = randomBytes(32).toString('base64url');
    return this.ds.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO lrs_client (name, key, secret_hash, scopes, created_by) VALUES ($1, $2, $3, $4::text[], $5) RETURNING id, created_at`,
        [name, key, hashSecret(secret), [...new Set(scopes)], actor.userId],
      )) as Array<{ id: string; created_at: Date }>;
      await this.audit.record({ actor, action: 'lrs_client.created', subjectType: 'lrs_client', subjectId: row.id, after: { name, key, scopes }, requestId }, m);
      return { id: row.id, name, key, scopes: [...new Set(scopes)], createdAt: row.created_at.toISOString(), revokedAt: null, secret };
    });
  }

  async list(page: number, limit: number): Promise<{ items: LrsClientView[]; total: number }> {
    const rows = (await this.ds.query(
      `SELECT id, name, key, scopes, created_at, revoked_at, count(*) OVER () AS total FROM lrs_client ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
      [limit, (page - 1) * limit],
    )) as Array<{ id: string; name: string; key: string; scopes: LrsScope[]; created_at: Date; revoked_at: Date | null; total: string }>;
    const total = rows.length ? Number(rows[0].total) : Number(((await this.ds.query(`SELECT count(*) AS n FROM lrs_client`)) as Array<{ n: string }>)[0].n);
    return { items: rows.map((r) => ({ id: r.id, name: r.name, key: r.key, scopes: r.scopes, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null })), total };
  }

  async revoke(id: string, actor: Principal, requestId?: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [rows] = (await m.query(`UPDATE lrs_client SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING key`, [id])) as [Array<{ key: string }>, number];
      if (!rows.length) throw new NotFoundError('LRS client', id);
      await this.audit.record({ actor, action: 'lrs_client.revoked', subjectType: 'lrs_client', subjectId: id, before: { key: rows[0].key }, requestId }, m);
    });
  }

  /** Checks `Authorization: Basic <key:secret>`; throws 401 for anything else (unknown key, wrong secret, revoked). */
  async authenticate(header: string | undefined): Promise<LrsClientIdentity> {
    const match = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header ?? '');
    if (!match) throw new LrsUnauthorizedError();
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw new LrsUnauthorizedError();
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (key.startsWith('cmi5-')) {
      const session = await this.cmi5.authenticate(key, secret);
      if (!session) throw new LrsUnauthorizedError();
      return session;
    }
    const rows = (await this.ds.query(`SELECT id, key, name, scopes, secret_hash FROM lrs_client WHERE key = $1 AND revoked_at IS NULL`, [key])) as Array<LrsClientIdentity & { secret_hash: string }>;
    const given = Buffer.from(hashSecret(secret), 'hex');
    const stored = Buffer.from(rows[0]?.secret_hash ?? hashSecret(randomBytes(16).toString('hex')), 'hex');
    if (!rows.length || !timingSafeEqual(given, stored)) throw new LrsUnauthorizedError();
    return { id: rows[0].id, key: rows[0].key, name: rows[0].name, scopes: rows[0].scopes };
  }

  /** Throws 403 unless the client holds the scope (or `all`). */
  require(client: LrsClientIdentity, scope: LrsScope): void {
    if (!client.scopes.includes(scope) && !client.scopes.includes('all')) throw new LrsScopeError(scope);
  }
}
