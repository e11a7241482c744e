import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalLocale } from '@lms/i18n';
import { AuditLog } from '@lms/identity';
import { ConflictError, DomainError, FieldError, fieldError, NotFoundError, Page, pageOf, Principal, ValidationError } from '@lms/platform';
import { HUB_MESSAGES } from './hub.messages.js';

/**
 * The version of the consent text a person agrees to when opting in to the hub directory. A profile
 * records the version and the moment; changing the text means a new version (people who agreed to
 * an older one keep their profile until they save it again, which then needs the new version).
 */
export const DIRECTORY_CONSENT_VERSION = '2026-12-1';

const NAME_MAX = 120;
const LANGUAGES_MAX = 20;
const EXPERTISE_MAX = 30;
const TAG_MAX = 50;
const MESSAGE_MAX = 1000;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._+#-]*$/u;

export class DirectoryConsentRequiredError extends DomainError {
  constructor() {
    super('directory_consent_required', HUB_MESSAGES.consentRequired(), 403);
  }
}

export interface DirectoryProfileInput {
  consent: boolean;
  consentVersion: string;
  displayName?: string;
  languages?: string[];
  expertise?: string[];
}

export interface DirectoryQuery {
  page: number;
  limit: number;
  tag?: string;
  country?: string;
  language?: string;
  q?: string;
}

export interface DirectoryProfileView {
  userId: string;
  displayName: string;
  institution: { id: string; name: string; country: string | null } | null;
  country: string | null;
  languages: string[];
  expertise: string[];
  /** Workshops (live events) whose attendance rule the person met. */
  workshops: Array<{ title: string; completedAt: string }>;
  /** Only on the person's own profile. */
  consent?: { version: string; at: string };
}

export interface ContactRequestView {
  id: string;
  direction: 'incoming' | 'outgoing';
  /** The other person. */
  person: { userId: string; displayName: string };
  message: string | null;
  /** A declined request looks `pending` to the person who sent it: a refusal is not announced. */
  status: 'pending' | 'accepted' | 'declined';
  createdAt: string;
  /** The other person's e-mail address: only once the request is accepted. */
  email?: string;
}

interface ProfileRow {
  user_id: string;
  display_name: string;
  languages: string[];
  expertise: string[];
  consent_version: string;
  consented_at: Date;
  institution_id: string | null;
  institution_name: string | null;
  country: string | null;
  workshops: Array<{ title: string; completedAt: string }>;
}

/** The profile with its institution (from the person's org tree) and workshops (from attendance). $1 = lang. */
const PROFILE_SELECT = `SELECT p.user_id, p.display_name, p.languages, p.expertise, p.consent_version, p.consented_at,
       i.id AS institution_id, COALESCE(i.names ->> $1::text, i.names ->> 'en', r.code) AS institution_name, i.country,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('title', e.title, 'completedAt', g.completed_at) ORDER BY g.completed_at DESC)
                   FROM event_registration g JOIN live_event e ON e.id = g.event_id
                  WHERE g.user_id = p.user_id AND g.completed_at IS NOT NULL), '[]'::jsonb) AS workshops
  FROM directory_profile p
  JOIN app_user u ON u.id = p.user_id AND u.status = 'active'
  JOIN org_unit o ON o.id = u.org_unit_id
  LEFT JOIN institution i ON i.root_org_unit_id = split_part(o.path, '/', 2)::uuid
  LEFT JOIN org_unit r ON r.id = i.root_org_unit_id`;

function profileView(r: ProfileRow, own: boolean): DirectoryProfileView {
  return {
    userId: r.user_id,
    displayName: r.display_name,
    institution: r.institution_id ? { id: r.institution_id, name: r.institution_name ?? '', country: r.country } : null,
    country: r.country,
    languages: r.languages,
    expertise: r.expertise,
    workshops: r.workshops.map((w) => ({ title: w.title, completedAt: new Date(w.completedAt).toISOString() })),
    ...(own ? { consent: { version: r.consent_version, at: new Date(r.consented_at).toISOString() } } : {}),
  };
}

function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (!t || t.length > max || /\p{Cc}/u.test(t)) return null;
  return t;
}

/** An expertise tag as stored: trimmed, single spaces, lower case. */
export function normaliseTag(value: unknown): string | null {
  const t = cleanText(value, TAG_MAX);
  if (!t) return null;
  const n = t.replace(/\s+/g, ' ').toLowerCase();
  return TAG.test(n) ? n : null;
}

/**
 * The hub's people directory (docs/hub.md, item 5). Nothing is in it without an explicit consent,
 * recorded with its moment and text version; withdrawing it deletes the profile (and with it the
 * person's contact requests) at once. Profiles are visible only to other people who have opted in.
 * Contact goes through the module: e-mail addresses are revealed to both only once the request is
 * accepted; a declined or ignored request reveals nothing.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  private lang(principal: Principal): string {
    return principal.locale ?? 'en';
  }

  async myProfile(principal: Principal): Promise<DirectoryProfileView> {
    const rows = (await this.dataSource.query(`${PROFILE_SELECT} WHERE p.user_id = $2`, [
      this.lang(principal),
      principal.userId,
    ])) as ProfileRow[];
    if (!rows[0]) throw new NotFoundError('Directory profile');
    return profileView(rows[0], true);
  }

  /** Opt in (or change the profile): needs `consent: true` and the current consent text version. */
  async saveProfile(principal: Principal, input: DirectoryProfileInput): Promise<DirectoryProfileView> {
    const errors: FieldError[] = [];
    if (input.consent !== true)
      errors.push(fieldError('consent', HUB_MESSAGES.consentTrue()));
    if (input.consentVersion !== DIRECTORY_CONSENT_VERSION)
      errors.push(fieldError('consentVersion', HUB_MESSAGES.consentVersion({ version: DIRECTORY_CONSENT_VERSION })));
    let displayName: string | null = null;
    if (input.displayName !== undefined) {
      displayName = cleanText(input.displayName, NAME_MAX);
      if (!displayName) errors.push(fieldError('displayName', HUB_MESSAGES.lengthNoControl({ max: NAME_MAX })));
    }
    const languages: string[] = [];
    for (const [i, tag] of (input.languages ?? []).entries()) {
      const c = canonicalLocale(tag);
      if (!c) errors.push({ field: `languages.${i}`, message: 'must be a BCP 47 language tag such as en, sr-Latn or mk', rule: 'isLanguageTag' });
      else if (!languages.includes(c)) languages.push(c);
    }
    if (languages.length > LANGUAGES_MAX) errors.push({ field: 'languages', message: `may hold at most ${LANGUAGES_MAX} languages`, rule: 'arrayMaxSize', params: { max: LANGUAGES_MAX } });
    const expertise: string[] = [];
    for (const [i, tag] of (input.expertise ?? []).entries()) {
      const n = normaliseTag(tag);
      if (!n) errors.push(fieldError(`expertise.${i}`, HUB_MESSAGES.tagFormat({ max: TAG_MAX })));
      else if (!expertise.includes(n)) expertise.push(n);
    }
    if (expertise.length > EXPERTISE_MAX) errors.push({ field: 'expertise', message: `may hold at most ${EXPERTISE_MAX} tags`, rule: 'arrayMaxSize', params: { max: EXPERTISE_MAX } });
    if (errors.length) throw new ValidationError(errors);
    await this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(`SELECT consent_version FROM directory_profile WHERE user_id = $1 FOR UPDATE`, [
        principal.userId,
      ])) as Array<{ consent_version: string }>;
      await manager.query(
        `INSERT INTO directory_profile (user_id, display_name, languages, expertise, consent_version, consented_at)
         SELECT u.id, COALESCE($2, u.display_name), $3::text[], $4::text[], $5, now() FROM app_user u WHERE u.id = $1
         ON CONFLICT (user_id) DO UPDATE SET display_name = COALESCE($2, directory_profile.display_name), languages = $3::text[], expertise = $4::text[],
           consent_version = $5, consented_at = CASE WHEN directory_profile.consent_version = $5 THEN directory_profile.consented_at ELSE now() END, updated_at = now()`,
        [principal.userId, displayName, languages, expertise, DIRECTORY_CONSENT_VERSION],
      );
      if (!before || before.consent_version !== DIRECTORY_CONSENT_VERSION) {
        await this.audit.record(
          {
            actor: principal,
            action: 'directory.consent_given',
            subjectType: 'user',
            subjectId: principal.userId,
            after: { consentVersion: DIRECTORY_CONSENT_VERSION },
          },
          manager,
        );
      }
    });
    return this.myProfile(principal);
  }

  /** Opt out: the profile and every contact request of the person go at once. */
  async withdraw(principal: Principal): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `WITH d AS (DELETE FROM directory_profile WHERE user_id = $1 RETURNING consent_version) SELECT consent_version FROM d`,
        [principal.userId],
      )) as Array<{ consent_version: string }>;
      if (!row) throw new NotFoundError('Directory profile');
      await this.audit.record(
        {
          actor: principal,
          action: 'directory.consent_withdrawn',
          subjectType: 'user',
          subjectId: principal.userId,
          before: { consentVersion: row.consent_version },
        },
        manager,
      );
    });
  }

  private async requireMember(principal: Principal, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const rows = (await manager.query(`SELECT 1 FROM directory_profile WHERE user_id = $1`, [principal.userId])) as unknown[];
    if (!rows.length) throw new DirectoryConsentRequiredError();
  }

  async list(principal: Principal, query: DirectoryQuery): Promise<Page<DirectoryProfileView>> {
    await this.requireMember(principal);
    const params: unknown[] = [this.lang(principal)];
    const where: string[] = [];
    const errors: FieldError[] = [];
    if (query.tag !== undefined) {
      const t = normaliseTag(query.tag);
      if (!t) errors.push(fieldError('tag', HUB_MESSAGES.expertiseTag()));
      params.push(t);
      where.push(`$${params.length}::text = ANY(p.expertise)`);
    }
    if (query.language !== undefined) {
      const l = canonicalLocale(query.language);
      if (!l) errors.push({ field: 'language', message: 'must be a BCP 47 language tag', rule: 'isLanguageTag' });
      params.push(l);
      where.push(`$${params.length}::text = ANY(p.languages)`);
    }
    if (query.country !== undefined) {
      if (!/^[A-Za-z]{2}$/.test(query.country)) errors.push(fieldError('country', HUB_MESSAGES.countryCode()));
      params.push(query.country.toUpperCase());
      where.push(`i.country = $${params.length}`);
    }
    if (query.q !== undefined) {
      const q = cleanText(query.q, 100);
      if (!q) errors.push(fieldError('q', HUB_MESSAGES.length({ max: 100 })));
      params.push(`%${(q ?? '').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(lower(p.display_name) LIKE $${params.length} OR EXISTS (SELECT 1 FROM unnest(p.expertise) x WHERE x LIKE $${params.length}))`,
      );
    }
    if (errors.length) throw new ValidationError(errors);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM (${PROFILE_SELECT} ${filter}) x`,
      params,
    )) as Array<{ total: number }>;
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `${PROFILE_SELECT} ${filter} ORDER BY lower(p.display_name), p.user_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as ProfileRow[];
    return pageOf(
      rows.map((r) => profileView(r, r.user_id === principal.userId)),
      total,
      query,
    );
  }

  async get(principal: Principal, userId: string): Promise<DirectoryProfileView> {
    await this.requireMember(principal);
    const rows = (await this.dataSource.query(`${PROFILE_SELECT} WHERE p.user_id = $2`, [this.lang(principal), userId])) as ProfileRow[];
    if (!rows[0]) throw new NotFoundError('Directory profile', userId);
    return profileView(rows[0], userId === principal.userId);
  }

  /** A contact request to another member; one per pair of people (either direction). */
  async requestContact(principal: Principal, toUserId: string, message: string | undefined): Promise<ContactRequestView> {
    let text: string | null = null;
    if (typeof message === 'string' && message.trim() !== '') {
      text = cleanText(message, MESSAGE_MAX);
      if (!text)
        throw new ValidationError([fieldError('message', HUB_MESSAGES.messageLength({ max: MESSAGE_MAX }))]);
    }
    const id = await this.dataSource.transaction(async (manager) => {
      await this.requireMember(principal, manager);
      if (toUserId === principal.userId) throw new ValidationError([fieldError('userId', HUB_MESSAGES.anotherPerson())]);
      const target = (await manager.query(
        `SELECT 1 FROM directory_profile p JOIN app_user u ON u.id = p.user_id AND u.status = 'active' WHERE p.user_id = $1`,
        [toUserId],
      )) as unknown[];
      if (!target.length) throw new NotFoundError('Directory profile', toUserId);
      const rows = (await manager.query(
        `INSERT INTO directory_contact_request (from_user_id, to_user_id, message) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [principal.userId, toUserId, text],
      )) as Array<{ id: string }>;
      if (!rows[0]) throw new ConflictError('contact_request_exists', HUB_MESSAGES.contactRequestExists());
      return rows[0].id;
    });
    const view = (await this.contactRequests(principal)).find((r) => r.id === id);
    if (!view) throw new NotFoundError('Contact request', id);
    return view;
  }

  /** The caller's requests, both ways; e-mail addresses only on accepted ones. */
  async contactRequests(principal: Principal): Promise<ContactRequestView[]> {
    await this.requireMember(principal);
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.from_user_id = $1 AS outgoing, r.message, r.status, r.created_at, other.user_id AS other_id, other.display_name AS other_name,
              CASE WHEN r.status = 'accepted' THEN ou.email END AS other_email
         FROM directory_contact_request r
         JOIN directory_profile other ON other.user_id = CASE WHEN r.from_user_id = $1 THEN r.to_user_id ELSE r.from_user_id END
         JOIN app_user ou ON ou.id = other.user_id
        WHERE (r.from_user_id = $1 OR r.to_user_id = $1) AND ou.status = 'active'
        ORDER BY r.created_at DESC
        LIMIT 500`,
      [principal.userId],
    )) as Array<{
      id: string;
      outgoing: boolean;
      message: string | null;
      status: 'pending' | 'accepted' | 'declined';
      created_at: Date;
      other_id: string;
      other_name: string;
      other_email: string | null;
    }>;
    return rows.map((r) => ({
      id: r.id,
      direction: r.outgoing ? 'outgoing' : 'incoming',
      person: { userId: r.other_id, displayName: r.other_name },
      message: r.message,
      status: r.outgoing && r.status === 'declined' ? 'pending' : r.status,
      createdAt: new Date(r.created_at).toISOString(),
      ...(r.status === 'accepted' && r.other_email ? { email: r.other_email } : {}),
    }));
  }

  /** The recipient accepts (both then see each other's e-mail) or declines (nothing is revealed). */
  async decide(principal: Principal, requestId: string, decision: 'accepted' | 'declined'): Promise<ContactRequestView> {
    await this.dataSource.transaction(async (manager) => {
      await this.requireMember(principal, manager);
      const [row] = (await manager.query(`SELECT to_user_id, status FROM directory_contact_request WHERE id = $1 FOR UPDATE`, [
        requestId,
      ])) as Array<{ to_user_id: string; status: string }>;
      if (!row || row.to_user_id !== principal.userId) throw new NotFoundError('Contact request', requestId);
      if (row.status !== 'pending') throw new ConflictError('contact_request_decided', HUB_MESSAGES.contactRequestDecided());
      await manager.query(`UPDATE directory_contact_request SET status = $2, decided_at = now() WHERE id = $1`, [requestId, decision]);
    });
    const view = (await this.contactRequests(principal)).find((r) => r.id === requestId);
    if (!view) throw new NotFoundError('Contact request', requestId);
    return view;
  }
}
