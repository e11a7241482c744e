import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drainJobs, type TestApi } from '@lms/testing';

export const LINK = /http:\/\/lms\.test\/(invitations|password-reset)\/([A-Za-z0-9_-]{43})/g;

/** The texts of a delivered .eml: the raw file with quoted-printable soft breaks undone, plus every base64 block decoded. */
function mailTexts(raw: string): string[] {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const blocks = raw.split(/\r?\n\r?\n/).filter((b) => /^[A-Za-z0-9+/=\r\n]+$/.test(b.trim()) && b.trim().length > 40);
  return [qp, ...blocks.map((b) => Buffer.from(b.replace(/\s/g, ''), 'base64').toString('utf8'))];
}

export interface DeliveredMail {
  id: string;
  subject: string;
  state: string;
  textBody: string;
  htmlBody: string;
  /** The delivered message (.eml), decoded enough to read. */
  delivered: string;
  /** The link secrets found in the delivered message. */
  secrets: string[];
  paths: string[];
}

/** The account-link e-mails of a person, oldest first, after the jobs ran. */
export async function accountMails(api: TestApi, userId: string): Promise<DeliveredMail[]> {
  await drainJobs(api);
  const rows = (await api.dataSource.query(
    `SELECT id, subject, state, text_body AS "textBody", html_body AS "htmlBody" FROM email_message
      WHERE user_id = $1 AND dedupe_key LIKE 'account_link:%' ORDER BY created_at, id`,
    [userId],
  )) as Array<Omit<DeliveredMail, 'delivered' | 'secrets' | 'paths'>>;
  return rows.map((r) => {
    const file = join(api.config.dataDir, 'mail', `${r.id}.eml`);
    const delivered = existsSync(file) ? mailTexts(readFileSync(file, 'utf8')).join('\n') : '';
    const found = [...delivered.matchAll(LINK)];
    return { ...r, delivered, secrets: [...new Set(found.map((m) => m[2]))], paths: [...new Set(found.map((m) => m[1]))] };
  });
}

/** The secret of the newest account link e-mailed to a person. */
export async function latestLink(api: TestApi, userId: string): Promise<string> {
  const mails = await accountMails(api, userId);
  const last = mails[mails.length - 1];
  if (!last || last.secrets.length !== 1) throw new Error(`expected one link in the newest account e-mail of ${userId}, found ${JSON.stringify(mails.map((m) => m.secrets))}`);
  return last.secrets[0];
}
