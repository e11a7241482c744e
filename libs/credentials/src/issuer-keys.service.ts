import { generateKeyPairSync, createPrivateKey, KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calculateJwkThumbprint, SignJWT } from 'jose';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from '@lms/platform';
import { AuditLog } from '@lms/identity';
import { CredentialIssuerKey, PublicJwk } from './credential-issuer-key.entity.js';
import { decryptPrivateKey, encryptPrivateKey } from './key-crypto.js';

export const CREDENTIAL_ALG = 'EdDSA';
/** A decrypted active key is reused this long; after a rotation elsewhere the old key (still published) may sign meanwhile. */
const KEY_CACHE_MS = 60_000;

export interface PublishedJwk extends PublicJwk {
  kid: string;
  alg: typeof CREDENTIAL_ALG;
  use: 'sig';
}

export interface IssuerKeyInfo {
  kid: string;
  /** NULL: the instance's key. */
  institutionId: string | null;
  algorithm: string;
  createdAt: Date;
  retiredAt: Date | null;
  active: boolean;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** The owner of a key: an institution's id, or null for the instance. */
type Owner = string | null;
const INSTANCE = '';

/**
 * The credential issuers' Ed25519 keys: the instance's and one set per institution (an
 * institution signs its own certificates, docs/hub.md). Generated on first use, private halves
 * encrypted at rest, every public key (retired ones too, of every owner) published as one JWKS,
 * rotation keeping the old ones.
 */
@Injectable()
export class IssuerKeys {
  private readonly logger = new Logger(IssuerKeys.name);
  private readonly cached = new Map<string, SigningKey & { loadedAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** The key new credentials of `owner` are signed with (creating the first one when there is none). */
  async activeKey(owner: Owner = null): Promise<SigningKey> {
    const hit = this.cached.get(owner ?? INSTANCE);
    if (hit && Date.now() - hit.loadedAt < KEY_CACHE_MS) return hit;
    const where = { retiredAt: IsNull(), institutionId: owner === null ? IsNull() : owner };
    let row = await this.repo().findOneBy(where);
    if (!row) {
      await this.insertNewKey(this.dataSource.manager, owner);
      row = await this.repo().findOneByOrFail(where);
    }
    const der = decryptPrivateKey(row.privateKeyEncrypted, this.config.credentialKeySecret, row.kid);
    const key = { kid: row.kid, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
    this.cached.set(owner ?? INSTANCE, { ...key, loadedAt: Date.now() });
    return key;
  }

  /** Signs JWT claims as a compact JWS (EdDSA / Ed25519) with the active key of `owner` (the instance by default). */
  async sign(claims: Record<string, unknown>, typ: string, cty: string | null = 'vc', owner: Owner = null): Promise<{ jwt: string; kid: string }> {
    const key = await this.activeKey(owner);
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg: CREDENTIAL_ALG, kid: key.kid, typ, ...(cty ? { cty } : {}) }).sign(key.privateKey);
    return { jwt, kid: key.kid };
  }

  /** Every public key of every owner, oldest first, retired ones included: old credentials must still verify. */
  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    let rows = await this.repo().find({ order: { createdAt: 'ASC' } });
    if (!rows.some((r) => r.retiredAt === null && r.institutionId === null)) {
      await this.activeKey();
      rows = await this.repo().find({ order: { createdAt: 'ASC' } });
    }
    return { keys: rows.map((r) => ({ ...r.publicJwk, kid: r.kid, alg: CREDENTIAL_ALG, use: 'sig' })) };
  }

  /** The keys of one owner (the instance by default), newest first. */
  async list(owner: Owner = null): Promise<IssuerKeyInfo[]> {
    const rows = await this.repo().find({ where: { institutionId: owner === null ? IsNull() : owner }, order: { createdAt: 'DESC' } });
    return rows.map((r) => ({ kid: r.kid, institutionId: r.institutionId, algorithm: r.algorithm, createdAt: r.createdAt, retiredAt: r.retiredAt, active: r.retiredAt === null }));
  }

  /**
   * Retires the active key of `owner` and makes a new one, in one audited transaction under an
   * advisory lock (two admins rotating at once make two keys in turn, never two active ones). Old
   * public keys stay. Other owners' keys are not touched.
   */
  async rotate(actor: { userId: string } | null, requestId?: string, owner: Owner = null): Promise<{ kid: string; previousKid: string | null }> {
    const result = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`lms:credential-issuer-key:${owner ?? 'instance'}`]);
      const [retired] = (await m.query(
        `UPDATE credential_issuer_key SET retired_at = now() WHERE retired_at IS NULL AND institution_id IS NOT DISTINCT FROM $1 RETURNING kid`,
        [owner],
      )) as [Array<{ kid: string }>, number];
      const kid = await this.insertNewKey(m, owner);
      const previousKid = retired[0]?.kid ?? null;
      await this.audit.record(
        {
          actor,
          action: 'credential_key.rotated',
          subjectType: 'credential_issuer_key',
          subjectId: kid,
          before: previousKid ? { activeKid: previousKid } : null,
          after: { activeKid: kid, ...(owner ? { institutionId: owner } : {}) },
          requestId,
        },
        m,
      );
      return { kid, previousKid };
    });
    this.cached.delete(owner ?? INSTANCE);
    this.logger.log(`credential issuer key${owner ? ` of institution ${owner}` : ''} rotated: ${result.previousKid ?? '(none)'} -> ${result.kid}`);
    return result;
  }

  /** Inserts a fresh key unless one is already active (a concurrent first use); returns its kid. */
  private async insertNewKey(manager: EntityManager, owner: Owner): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' }) as unknown as PublicJwk;
    const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const encrypted = encryptPrivateKey(privateKey.export({ format: 'der', type: 'pkcs8' }), this.config.credentialKeySecret, kid);
    await manager.query(
      `INSERT INTO credential_issuer_key (kid, algorithm, public_jwk, private_key_encrypted, institution_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [kid, CREDENTIAL_ALG, publicJwk, encrypted, owner],
    );
    return kid;
  }

  private repo() {
    return this.dataSource.getRepository(CredentialIssuerKey);
  }
}
