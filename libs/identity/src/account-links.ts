import { createHash, createHmac } from 'node:crypto';
import type { AccountTokenKind } from './account-token.entity.js';

/**
 * The secret of an account link (invitation, password reset) is an HMAC of the token row's id under
 * a key derived from JWT_SECRET. The database keeps only its SHA-256, so a copy of the database
 * alone opens nothing; the e-mail job rebuilds the link from the id when it sends the message, so
 * the secret is never stored, queued or logged. (Changing JWT_SECRET makes unsent and outstanding
 * links invalid, like it ends every session.)
 */
export function accountLinkKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update('lms account links v1').digest();
}

/** The link's secret for token row `id` (43 base64url characters, 256 bits). */
export function accountLinkSecret(key: Buffer, kind: AccountTokenKind, id: string): string {
  return createHmac('sha256', key).update(`${kind}:${id}`).digest('base64url');
}

export function accountTokenHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Page paths (docs/identity.md): /invitations/:token and /password-reset/:token. */
export const ACCOUNT_LINK_PATHS: Record<AccountTokenKind, string> = { invitation: '/invitations', password_reset: '/password-reset' };

export function accountLinkUrl(publicUrl: string, kind: AccountTokenKind, secret: string): string {
  return `${publicUrl}${ACCOUNT_LINK_PATHS[kind]}/${secret}`;
}

/** What a link's secret must look like before it is even hashed and looked up. */
export const ACCOUNT_LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * E-mails that carry an account link are stored with this placeholder instead of the link; the
 * e-mail sender replaces it just before delivery (and does not send a link that was meanwhile
 * used, replaced or expired).
 */
export function accountLinkPlaceholder(tokenId: string): string {
  return `{{account-link:${tokenId}}}`;
}
export const ACCOUNT_LINK_PLACEHOLDER = /\{\{account-link:([0-9a-f-]{36})\}\}/g;
