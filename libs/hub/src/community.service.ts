import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService, CourseNotFoundError, renderLessonHtml } from '@lms/catalog';
import { AuditLog } from '@lms/identity';
import { Outbox } from '@lms/jobs';
import {
  ConflictError,
  DomainError,
  FieldError,
  fieldError,
  ForbiddenError,
  isAdmin,
  NotFoundError,
  Page,
  pageOf,
  Principal,
  ValidationError,
} from '@lms/platform';
import { HUB_MESSAGES as M } from './hub.messages.js';
import { FileStorage } from '@lms/storage';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const TITLE_MAX = 200;
const DESCRIPTION_MAX = 2000;
const BODY_MAX = 20_000;
const REASON_MAX = 500;
const NOTE_MAX = 1000;
const URL_MAX = 2000;
/** The largest file a member may add to a space. */
export const RESOURCE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** The kinds of file a space takes, by what their bytes say (never by the name or the declared type). */
export const RESOURCE_FILE_TYPES = {
  'application/pdf': 'pdf',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
} as const;
export type ResourceFileType = keyof typeof RESOURCE_FILE_TYPES;

export class UnsupportedResourceFileError extends DomainError {
  constructor() {
    super('unsupported_file_type', 'The file must be a PDF, ODT, DOCX, PNG or JPEG document (judged by its contents)', 415);
  }
}

export class ResourceFileTooLargeError extends DomainError {
  constructor() {
    super('file_too_large', `The file must be at most ${RESOURCE_FILE_MAX_BYTES / 1024 / 1024} MB`, 413);
  }
}

/** The type of a file by its first bytes (DOCX and ODT: the zip's entries), or null. */
export function sniffResourceType(bytes: Buffer): ResourceFileType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 30 && bytes.readUInt32LE(0) === 0x04034b50) {
    // ODF puts an uncompressed "mimetype" entry first; OOXML has [Content_Types].xml and word/document.xml entries.
    const nameLength = bytes.readUInt16LE(26);
    const extraLength = bytes.readUInt16LE(28);
    const name = bytes.subarray(30, 30 + nameLength).toString('latin1');
    const odt = 'application/vnd.oasis.opendocument.text';
    if (name === 'mimetype' && bytes.subarray(30 + nameLength + extraLength, 30 + nameLength + extraLength + odt.length).toString('latin1') === odt) return odt;
    const text = bytes.toString('latin1');
    if (text.includes('[Content_Types].xml') && text.includes('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  }
  return null;
}

/** A file name safe to show and to send back: letters, digits, space, dot, dash, underscore; the extension of its real type. */
export function safeResourceFileName(name: unknown, type: ResourceFileType): string {
  const raw = typeof name === 'string' ? name : '';
  const base = (raw.split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '');
  const clean = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '_')
    .replace(/^[ ._-]+|[ ._-]+$/g, '')
    .slice(0, 120);
  return `${clean || 'file'}.${RESOURCE_FILE_TYPES[type]}`;
}


export class BannedFromSpaceError extends DomainError {
  constructor() {
    super('banned_from_space', M.banned(), 403);
  }
}

export interface CreateSpaceInput {
  slug: string;
  title: string;
  description?: string;
  audience: 'hub' | 'institutions';
  institutionIds?: string[];
}

export interface SpaceView {
  id: string;
  slug: string;
  title: string;
  description: string;
  audience: 'hub' | 'institutions' | 'course';
  institutionIds: string[];
  createdAt: string;
  /** What the caller may do here. */
  you: { moderator: boolean; banned: boolean };
  /** The course whose discussion this is (audience `course`), else null. */
  course: { slug: string } | null;
}

export interface ResourceView {
  id: string;
  kind: 'link' | 'file';
  title: string;
  note: string;
  /** A link's https address (kind `link`). */
  url: string | null;
  /** A file's sanitised name, sniffed type and size (kind `file`); fetched from `…/resources/:id/file`. */
  file: { name: string; contentType: string; size: number } | null;
  addedBy: PersonRef | null;
  createdAt: string;
  /** Only moderators see hidden resources (flagged). */
  hidden: boolean;
}

interface ResourceRow {
  id: string;
  kind: 'link' | 'file';
  title: string;
  note: string;
  url: string | null;
  file_key: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  added_by: string | null;
  display_name: string | null;
  created_at: Date;
  hidden_at: Date | null;
}

export interface PersonRef {
  userId: string;
  displayName: string;
}

export interface PostView {
  id: string;
  author: PersonRef | null;
  /** The Markdown as written, and the sanitised HTML to show (the lesson renderer's allow-list). */
  markdown: string;
  html: string;
  createdAt: string;
  accepted: boolean;
  /** Only moderators see hidden posts (flagged). */
  hidden: boolean;
}

export interface ThreadSummary {
  id: string;
  title: string;
  author: PersonRef | null;
  createdAt: string;
  lastPostAt: string;
  replies: number;
  answered: boolean;
}

export interface ThreadView extends ThreadSummary {
  acceptedPostId: string | null;
  posts: PostView[];
}

export interface ReportView {
  id: string;
  postId: string;
  threadId: string;
  reason: string;
  reporter: PersonRef;
  createdAt: string;
  postHidden: boolean;
}

interface SpaceRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  audience: 'hub' | 'institutions' | 'course';
  institution_ids: string[];
  created_at: Date;
  course_id: string | null;
  course_slug: string | null;
  moderator: boolean;
  banned: boolean;
  member: boolean;
}

/** A space with what the caller is there ($1 = space slug, $2 = caller, $3 = caller's institution). */
const SPACE_SELECT = `SELECT s.id, s.slug, s.title, s.description, s.audience, s.institution_ids, s.created_at, s.course_id,
       (SELECT c.slug FROM course c WHERE c.id = s.course_id) AS course_slug,
       EXISTS (SELECT 1 FROM community_moderator m WHERE m.space_id = s.id AND m.user_id = $2) AS moderator,
       EXISTS (SELECT 1 FROM community_ban b WHERE b.space_id = s.id AND b.user_id = $2) AS banned,
       (s.audience = 'hub' OR $3::uuid = ANY(s.institution_ids)) AS member
  FROM community_space s`;

/** The institution of a person: the institution row of their org tree's root. */
const INSTITUTION_OF = `SELECT i.id FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id
  JOIN institution i ON i.root_org_unit_id = split_part(o.path, '/', 2)::uuid WHERE u.id = $1`;

interface Access {
  space: SpaceRow;
  moderator: boolean;
}

function bodyError(value: unknown, field = 'body'): FieldError | null {
  if (typeof value !== 'string' || value.trim() === '' || value.length > BODY_MAX || /\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ''))) {
    return fieldError(field, M.markdownLength({ max: BODY_MAX }));
  }
  return null;
}

function shortText(value: unknown, field: string, max: number, required: boolean): { value: string | null; error: FieldError | null } {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '' && !required))
    return required ? { value: null, error: fieldError(field, M.length({ max })) } : { value: null, error: null };
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || /\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ' '))) {
    return { value: null, error: fieldError(field, M.lengthNoControl({ max })) };
  }
  return { value: value.trim(), error: null };
}

/**
 * Communities of practice (docs/hub.md, item 4): topic spaces open to the whole hub or to chosen
 * institutions; threads whose first post is the question, replies, one answer accepted by the
 * thread's author; Markdown rendered and sanitised like lessons. Moderation: anyone who may post
 * may report a post; moderators (admins, and the space's moderators) hide and unhide posts and ban
 * people from the space; all of it audited. Replies write `community.reply-posted`; the
 * notifications job tells the thread's other participants.
 *
 * A space outside the caller's audience is 404 (as if it did not exist); hidden posts are left out
 * for everyone but moderators.
 */
@Injectable()
export class CommunityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  private async institutionOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const rows = (await manager.query(INSTITUTION_OF, [userId])) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  /** The space if the caller may see it (admin, moderator or in its audience), else 404. */
  private async access(principal: Principal, slug: string, manager: EntityManager = this.dataSource.manager): Promise<Access> {
    const inst = await this.institutionOf(principal.userId, manager);
    const rows = (await manager.query(`${SPACE_SELECT} WHERE s.slug = $1`, [slug, principal.userId, inst])) as SpaceRow[];
    const space = rows[0];
    const admin = isAdmin(principal);
    if (space?.course_id && space.course_slug) {
      // A course's discussion: the people who may see the course and are enrolled in it or author it (authors moderate).
      const role = await this.courseRole(principal, space.course_slug);
      if (!role || !(admin || role.author || role.enrolled || space.moderator)) throw new NotFoundError('Community space', slug);
      space.moderator = space.moderator || role.author;
      return { space, moderator: admin || space.moderator };
    }
    if (!space || !(admin || space.moderator || space.member)) throw new NotFoundError('Community space', slug);
    return { space, moderator: admin || space.moderator };
  }

  private async courseRole(principal: Principal, courseSlug: string): Promise<{ courseId: string; title: string; author: boolean; enrolled: boolean } | null> {
    try {
      return await this.catalog.discussionAccess(principal, courseSlug);
    } catch (e) {
      if (e instanceof CourseNotFoundError) return null;
      throw e;
    }
  }

  private async participant(principal: Principal, slug: string, manager: EntityManager): Promise<Access> {
    const a = await this.access(principal, slug, manager);
    if (a.space.banned) throw new BannedFromSpaceError();
    return a;
  }

  private async moderatorOf(principal: Principal, slug: string, manager: EntityManager = this.dataSource.manager): Promise<Access> {
    const a = await this.access(principal, slug, manager);
    if (!a.moderator) throw new ForbiddenError(M.onlyModerators());
    return a;
  }

  private spaceView(r: SpaceRow, admin: boolean): SpaceView {
    return {
      id: r.id,
      slug: r.slug,
      title: r.title,
      description: r.description,
      audience: r.audience,
      // Which institutions a space is open to is for moderators to see.
      institutionIds: admin || r.moderator ? r.institution_ids : [],
      createdAt: new Date(r.created_at).toISOString(),
      you: { moderator: admin || r.moderator, banned: r.banned },
      course: r.course_slug ? { slug: r.course_slug } : null,
    };
  }

  async listSpaces(principal: Principal, query: { page: number; limit: number }): Promise<Page<SpaceView>> {
    const inst = await this.institutionOf(principal.userId);
    const admin = isAdmin(principal);
    const where = `WHERE $1::text IS NULL AND s.course_id IS NULL AND ($4::boolean OR s.audience = 'hub' OR $3::uuid = ANY(s.institution_ids) OR EXISTS (SELECT 1 FROM community_moderator m WHERE m.space_id = s.id AND m.user_id = $2))`;
    const params = [null, principal.userId, inst, admin];
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM (${SPACE_SELECT} ${where}) x`, params)) as Array<{
      total: number;
    }>;
    const rows = (await this.dataSource.query(`${SPACE_SELECT} ${where} ORDER BY s.title, s.id LIMIT $5 OFFSET $6`, [
      ...params,
      query.limit,
      (query.page - 1) * query.limit,
    ])) as SpaceRow[];
    return pageOf(
      rows.map((r) => this.spaceView(r, admin)),
      total,
      query,
    );
  }

  async getSpace(principal: Principal, slug: string): Promise<SpaceView> {
    const { space } = await this.access(principal, slug);
    return this.spaceView(space, isAdmin(principal));
  }

  /** An instance-wide admin opens a space to the whole hub or to chosen institutions. */
  async createSpace(principal: Principal, input: CreateSpaceInput): Promise<SpaceView> {
    const errors: FieldError[] = [];
    if (typeof input.slug !== 'string' || !SLUG.test(input.slug))
      errors.push(fieldError('slug', M.slugFormat()));
    const title = shortText(input.title, 'title', TITLE_MAX, true);
    const description = shortText(input.description, 'description', DESCRIPTION_MAX, false);
    for (const e of [title.error, description.error]) if (e) errors.push(e);
    if (input.audience !== 'hub' && input.audience !== 'institutions')
      errors.push({ field: 'audience', message: 'must be hub or institutions', rule: 'isIn', params: { values: 'hub, institutions' } });
    const ids = [...new Set(input.institutionIds ?? [])];
    if (input.audience === 'institutions' && !ids.length)
      errors.push(fieldError('institutionIds', M.institutionsNeeded()));
    if (input.audience === 'hub' && ids.length)
      errors.push(fieldError('institutionIds', M.institutionsEmpty()));
    if (ids.length > 200) errors.push({ field: 'institutionIds', message: 'may hold at most 200 institutions', rule: 'arrayMaxSize', params: { max: 200 } });
    if (errors.length) throw new ValidationError(errors);
    if (ids.length) {
      const found = (await this.dataSource.query(`SELECT id FROM institution WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string }>;
      const missing = ids.filter((id) => !found.some((f) => f.id === id));
      if (missing.length)
        throw new ValidationError([fieldError('institutionIds', M.noSuchInstitution({ ids: missing.slice(0, 5).join(', ') }))]);
    }
    await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO community_space (slug, title, description, audience, institution_ids, created_by) VALUES ($1, $2, $3, $4, $5::uuid[], $6) ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [input.slug, title.value, description.value ?? '', input.audience, ids, principal.userId],
      )) as Array<{ id: string }>;
      if (!rows[0]) throw new ConflictError('space_slug_taken', M.slugTaken({ slug: input.slug }));
      await this.audit.record(
        {
          actor: principal,
          action: 'community.space_created',
          subjectType: 'community_space',
          subjectId: rows[0].id,
          after: { slug: input.slug, title: title.value, audience: input.audience, institutionIds: ids },
        },
        manager,
      );
    });
    return this.getSpace(principal, input.slug);
  }

  /** Admins name (or remove) a space's moderators; a moderator must be an active person. */
  async setModerator(principal: Principal, slug: string, userId: string, on: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { space } = await this.access(principal, slug, manager);
      const user = (await manager.query(`SELECT 1 FROM app_user WHERE id = $1 AND status = 'active'`, [userId])) as unknown[];
      if (!user.length) throw new NotFoundError('User', userId);
      const changed = (
        on
          ? await manager.query(
              `INSERT INTO community_moderator (space_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
              [space.id, userId],
            )
          : await manager.query(
              `WITH d AS (DELETE FROM community_moderator WHERE space_id = $1 AND user_id = $2 RETURNING user_id) SELECT user_id FROM d`,
              [space.id, userId],
            )
      ) as unknown[];
      if (changed.length) {
        await this.audit.record(
          {
            actor: principal,
            action: on ? 'community.moderator_added' : 'community.moderator_removed',
            subjectType: 'community_space',
            subjectId: space.id,
            after: { userId },
          },
          manager,
        );
      }
    });
  }

  async listThreads(principal: Principal, slug: string, query: { page: number; limit: number }): Promise<Page<ThreadSummary>> {
    const { space, moderator } = await this.access(principal, slug);
    const visible = moderator ? 'true' : 'p.hidden_at IS NULL';
    const rootVisible = `EXISTS (SELECT 1 FROM community_post p WHERE p.thread_id = t.id AND ${visible} AND p.created_at = (SELECT min(created_at) FROM community_post r WHERE r.thread_id = t.id))`;
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM community_thread t WHERE t.space_id = $1 AND ${rootVisible}`,
      [space.id],
    )) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT t.id, t.title, t.created_at, t.last_post_at, t.accepted_post_id, t.author_id, u.display_name,
              (SELECT count(*)::int FROM community_post p WHERE p.thread_id = t.id AND ${visible}) - 1 AS replies
         FROM community_thread t LEFT JOIN app_user u ON u.id = t.author_id
        WHERE t.space_id = $1 AND ${rootVisible}
        ORDER BY t.last_post_at DESC, t.id LIMIT $2 OFFSET $3`,
      [space.id, query.limit, (query.page - 1) * query.limit],
    )) as Array<{
      id: string;
      title: string;
      created_at: Date;
      last_post_at: Date;
      accepted_post_id: string | null;
      author_id: string | null;
      display_name: string | null;
      replies: number;
    }>;
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        title: r.title,
        author: r.author_id ? { userId: r.author_id, displayName: r.display_name ?? '' } : null,
        createdAt: new Date(r.created_at).toISOString(),
        lastPostAt: new Date(r.last_post_at).toISOString(),
        replies: Math.max(0, r.replies),
        answered: r.accepted_post_id !== null,
      })),
      total,
      query,
    );
  }

  async createThread(principal: Principal, slug: string, input: { title: unknown; body: unknown }): Promise<ThreadView> {
    const title = shortText(input.title, 'title', TITLE_MAX, true);
    const errors = [title.error, bodyError(input.body)].filter((e): e is FieldError => e !== null);
    if (errors.length) throw new ValidationError(errors);
    const threadId = await this.dataSource.transaction(async (manager) => {
      const { space } = await this.participant(principal, slug, manager);
      const [t] = (await manager.query(`INSERT INTO community_thread (space_id, author_id, title) VALUES ($1, $2, $3) RETURNING id`, [
        space.id,
        principal.userId,
        title.value,
      ])) as Array<{ id: string }>;
      await manager.query(`INSERT INTO community_post (thread_id, author_id, body) VALUES ($1, $2, $3)`, [
        t.id,
        principal.userId,
        input.body,
      ]);
      return t.id;
    });
    return this.getThread(principal, slug, threadId);
  }

  async getThread(principal: Principal, slug: string, threadId: string): Promise<ThreadView> {
    const { space, moderator } = await this.access(principal, slug);
    const [t] = (await this.dataSource.query(
      `SELECT t.id, t.title, t.created_at, t.last_post_at, t.accepted_post_id, t.author_id, u.display_name
         FROM community_thread t LEFT JOIN app_user u ON u.id = t.author_id WHERE t.id = $1 AND t.space_id = $2`,
      [threadId, space.id],
    )) as Array<{
      id: string;
      title: string;
      created_at: Date;
      last_post_at: Date;
      accepted_post_id: string | null;
      author_id: string | null;
      display_name: string | null;
    }>;
    if (!t) throw new NotFoundError('Thread', threadId);
    const posts = (await this.dataSource.query(
      `SELECT p.id, p.author_id, u.display_name, p.body, p.created_at, p.hidden_at
         FROM community_post p LEFT JOIN app_user u ON u.id = p.author_id WHERE p.thread_id = $1 ORDER BY p.created_at, p.id`,
      [threadId],
    )) as Array<{
      id: string;
      author_id: string | null;
      display_name: string | null;
      body: string;
      created_at: Date;
      hidden_at: Date | null;
    }>;
    // A thread whose question is hidden is gone for everyone but moderators.
    if (!posts[0] || (posts[0].hidden_at && !moderator)) throw new NotFoundError('Thread', threadId);
    const shown = posts.filter((p) => moderator || !p.hidden_at);
    const accepted = t.accepted_post_id && shown.some((p) => p.id === t.accepted_post_id) ? t.accepted_post_id : null;
    return {
      id: t.id,
      title: t.title,
      author: t.author_id ? { userId: t.author_id, displayName: t.display_name ?? '' } : null,
      createdAt: new Date(t.created_at).toISOString(),
      lastPostAt: new Date(t.last_post_at).toISOString(),
      replies: shown.length - 1,
      answered: accepted !== null,
      acceptedPostId: accepted,
      posts: shown.map((p) => ({
        id: p.id,
        author: p.author_id ? { userId: p.author_id, displayName: p.display_name ?? '' } : null,
        markdown: p.body,
        html: renderLessonHtml(p.body),
        createdAt: new Date(p.created_at).toISOString(),
        accepted: p.id === accepted,
        hidden: p.hidden_at !== null,
      })),
    };
  }

  /** A reply: written with the outbox event that notifies the thread's other participants. */
  async reply(principal: Principal, slug: string, threadId: string, body: unknown): Promise<PostView> {
    const e = bodyError(body);
    if (e) throw new ValidationError([e]);
    const postId = await this.dataSource.transaction(async (manager) => {
      const { space, moderator } = await this.participant(principal, slug, manager);
      const [root] = (await manager.query(
        `SELECT p.hidden_at FROM community_thread t JOIN community_post p ON p.thread_id = t.id WHERE t.id = $1 AND t.space_id = $2 ORDER BY p.created_at, p.id LIMIT 1 FOR UPDATE OF t`,
        [threadId, space.id],
      )) as Array<{ hidden_at: Date | null }>;
      if (!root || (root.hidden_at && !moderator)) throw new NotFoundError('Thread', threadId);
      const [p] = (await manager.query(`INSERT INTO community_post (thread_id, author_id, body) VALUES ($1, $2, $3) RETURNING id`, [
        threadId,
        principal.userId,
        body,
      ])) as Array<{ id: string }>;
      await manager.query(`UPDATE community_thread SET last_post_at = now() WHERE id = $1`, [threadId]);
      await this.outbox.add(manager, 'community.reply-posted', { postId: p.id });
      return p.id;
    });
    const thread = await this.getThread(principal, slug, threadId);
    const post = thread.posts.find((p) => p.id === postId);
    if (!post) throw new NotFoundError('Post', postId);
    return post;
  }

  /** The thread's author marks a visible reply as the accepted answer (null: none). */
  async acceptAnswer(principal: Principal, slug: string, threadId: string, postId: string | null): Promise<ThreadView> {
    await this.dataSource.transaction(async (manager) => {
      const { space } = await this.access(principal, slug, manager);
      const [t] = (await manager.query(`SELECT author_id FROM community_thread WHERE id = $1 AND space_id = $2 FOR UPDATE`, [
        threadId,
        space.id,
      ])) as Array<{ author_id: string | null }>;
      if (!t) throw new NotFoundError('Thread', threadId);
      if (t.author_id !== principal.userId) throw new ForbiddenError(M.onlyThreadAuthor());
      if (postId !== null) {
        const posts = (await manager.query(`SELECT id, hidden_at FROM community_post WHERE thread_id = $1 ORDER BY created_at, id`, [
          threadId,
        ])) as Array<{ id: string; hidden_at: Date | null }>;
        const i = posts.findIndex((p) => p.id === postId);
        if (i < 0 || posts[i].hidden_at) throw new NotFoundError('Post', postId);
        if (i === 0) throw new ValidationError([fieldError('postId', M.notAReply())]);
      }
      await manager.query(`UPDATE community_thread SET accepted_post_id = $2 WHERE id = $1`, [threadId, postId]);
    });
    return this.getThread(principal, slug, threadId);
  }

  private async postIn(
    manager: EntityManager,
    spaceId: string,
    postId: string,
    lock = false,
  ): Promise<{ id: string; thread_id: string; hidden_at: Date | null; author_id: string | null }> {
    const [p] = (await manager.query(
      `SELECT p.id, p.thread_id, p.hidden_at, p.author_id FROM community_post p JOIN community_thread t ON t.id = p.thread_id WHERE p.id = $1 AND t.space_id = $2 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [postId, spaceId],
    )) as Array<{ id: string; thread_id: string; hidden_at: Date | null; author_id: string | null }>;
    if (!p) throw new NotFoundError('Post', postId);
    return p;
  }

  /** Anyone who may post reports a post to the space's moderators (once per post). */
  async report(principal: Principal, slug: string, postId: string, reason: unknown): Promise<{ id: string }> {
    const r = shortText(reason, 'reason', REASON_MAX, true);
    if (r.error) throw new ValidationError([r.error]);
    return this.dataSource.transaction(async (manager) => {
      const { space, moderator } = await this.participant(principal, slug, manager);
      const post = await this.postIn(manager, space.id, postId);
      if (post.hidden_at && !moderator) throw new NotFoundError('Post', postId);
      const rows = (await manager.query(
        `INSERT INTO community_report (post_id, reporter_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [postId, principal.userId, r.value],
      )) as Array<{ id: string }>;
      if (!rows[0]) throw new ConflictError('already_reported', M.alreadyReported());
      await this.audit.record(
        {
          actor: principal,
          action: 'community.post_reported',
          subjectType: 'community_post',
          subjectId: postId,
          after: { reportId: rows[0].id },
        },
        manager,
      );
      return { id: rows[0].id };
    });
  }

  async openReports(principal: Principal, slug: string, query: { page: number; limit: number }): Promise<Page<ReportView>> {
    const { space } = await this.moderatorOf(principal, slug);
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM community_report r JOIN community_post p ON p.id = r.post_id JOIN community_thread t ON t.id = p.thread_id WHERE t.space_id = $1 AND r.resolved_at IS NULL`,
      [space.id],
    )) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.post_id, p.thread_id, r.reason, r.reporter_id, u.display_name, r.created_at, p.hidden_at IS NOT NULL AS hidden
         FROM community_report r JOIN community_post p ON p.id = r.post_id JOIN community_thread t ON t.id = p.thread_id JOIN app_user u ON u.id = r.reporter_id
        WHERE t.space_id = $1 AND r.resolved_at IS NULL ORDER BY r.created_at, r.id LIMIT $2 OFFSET $3`,
      [space.id, query.limit, (query.page - 1) * query.limit],
    )) as Array<{
      id: string;
      post_id: string;
      thread_id: string;
      reason: string;
      reporter_id: string;
      display_name: string;
      created_at: Date;
      hidden: boolean;
    }>;
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        postId: r.post_id,
        threadId: r.thread_id,
        reason: r.reason,
        reporter: { userId: r.reporter_id, displayName: r.display_name },
        createdAt: new Date(r.created_at).toISOString(),
        postHidden: r.hidden,
      })),
      total,
      query,
    );
  }

  /** A moderator hides (or shows again) a post; hiding resolves its open reports. */
  async setHidden(principal: Principal, slug: string, postId: string, hidden: boolean, reason: unknown): Promise<void> {
    const r = shortText(reason, 'reason', REASON_MAX, false);
    if (r.error) throw new ValidationError([r.error]);
    await this.dataSource.transaction(async (manager) => {
      const { space } = await this.moderatorOf(principal, slug, manager);
      const post = await this.postIn(manager, space.id, postId, true);
      if ((post.hidden_at !== null) === hidden) return;
      if (hidden)
        await manager.query(`UPDATE community_post SET hidden_at = now(), hidden_by = $2, hidden_reason = $3 WHERE id = $1`, [
          postId,
          principal.userId,
          r.value,
        ]);
      else
        await manager.query(`UPDATE community_post SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL WHERE id = $1`, [postId]);
      if (hidden)
        await manager.query(`UPDATE community_report SET resolved_at = now() WHERE post_id = $1 AND resolved_at IS NULL`, [postId]);
      await this.audit.record(
        {
          actor: principal,
          action: hidden ? 'community.post_hidden' : 'community.post_shown',
          subjectType: 'community_post',
          subjectId: postId,
          after: { spaceId: space.id, reason: r.value },
        },
        manager,
      );
    });
  }

  /** Which of these people are banned from the space (moderators only: the page shows ban or lift-ban). */
  async bannedAmong(principal: Principal, slug: string, userIds: string[]): Promise<Set<string>> {
    const { space } = await this.moderatorOf(principal, slug);
    const ids = [...new Set(userIds)].slice(0, 1000);
    if (!ids.length) return new Set();
    const rows = (await this.dataSource.query(`SELECT user_id FROM community_ban WHERE space_id = $1 AND user_id = ANY($2::uuid[])`, [
      space.id,
      ids,
    ])) as Array<{ user_id: string }>;
    return new Set(rows.map((r) => r.user_id));
  }

  /** A moderator bans a person from the space (they may still read it) or lifts the ban. */
  async setBan(principal: Principal, slug: string, userId: string, banned: boolean, reason: unknown): Promise<void> {
    const r = shortText(reason, 'reason', REASON_MAX, false);
    if (r.error) throw new ValidationError([r.error]);
    await this.dataSource.transaction(async (manager) => {
      const { space } = await this.moderatorOf(principal, slug, manager);
      if (userId === principal.userId) throw new ValidationError([fieldError('userId', M.notYourself())]);
      const user = (await manager.query(`SELECT 1 FROM app_user WHERE id = $1`, [userId])) as unknown[];
      if (!user.length) throw new NotFoundError('User', userId);
      const changed = (
        banned
          ? await manager.query(
              `INSERT INTO community_ban (space_id, user_id, reason, banned_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`,
              [space.id, userId, r.value, principal.userId],
            )
          : await manager.query(
              `WITH d AS (DELETE FROM community_ban WHERE space_id = $1 AND user_id = $2 RETURNING user_id) SELECT user_id FROM d`,
              [space.id, userId],
            )
      ) as unknown[];
      if (changed.length) {
        await this.audit.record(
          {
            actor: principal,
            action: banned ? 'community.person_banned' : 'community.ban_lifted',
            subjectType: 'community_space',
            subjectId: space.id,
            after: { userId, reason: r.value },
          },
          manager,
        );
      }
    });
  }

  /**
   * The course's discussion space, created on first use (one per course, whoever comes first; the
   * creation is audited). For those who may see the course and are enrolled in it or author it;
   * anyone else: 404.
   */
  async courseDiscussion(principal: Principal, courseSlug: string): Promise<SpaceView> {
    const role = await this.courseRole(principal, courseSlug);
    if (!role || !(isAdmin(principal) || role.author || role.enrolled)) throw new NotFoundError('Course discussion', courseSlug);
    const slug = `course-${role.courseId}`;
    await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO community_space (slug, title, description, audience, course_id, created_by) VALUES ($1, $2, '', 'course', $3, $4) ON CONFLICT DO NOTHING RETURNING id`,
        [slug, role.title.slice(0, TITLE_MAX), role.courseId, principal.userId],
      )) as Array<{ id: string }>;
      if (rows[0])
        await this.audit.record(
          {
            actor: principal,
            action: 'community.space_created',
            subjectType: 'community_space',
            subjectId: rows[0].id,
            after: { slug, courseId: role.courseId, audience: 'course' },
          },
          manager,
        );
    });
    const [existing] = (await this.dataSource.query(`SELECT slug FROM community_space WHERE course_id = $1`, [role.courseId])) as Array<{ slug: string }>;
    if (!existing) throw new NotFoundError('Course discussion', courseSlug);
    return this.getSpace(principal, existing.slug);
  }

  private resourceView(r: ResourceRow): ResourceView {
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      note: r.note,
      url: r.kind === 'link' ? r.url : null,
      file: r.kind === 'file' ? { name: r.file_name ?? 'file', contentType: r.content_type ?? 'application/octet-stream', size: r.size_bytes ?? 0 } : null,
      addedBy: r.added_by ? { userId: r.added_by, displayName: r.display_name ?? '' } : null,
      createdAt: new Date(r.created_at).toISOString(),
      hidden: r.hidden_at !== null,
    };
  }

  private async resourceRow(manager: EntityManager, spaceId: string, resourceId: string, lock = false): Promise<ResourceRow> {
    const [r] = (await manager.query(
      `SELECT r.id, r.kind, r.title, r.note, r.url, r.file_key, r.file_name, r.content_type, r.size_bytes, r.added_by, u.display_name, r.created_at, r.hidden_at
         FROM community_resource r LEFT JOIN app_user u ON u.id = r.added_by WHERE r.id = $1 AND r.space_id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
      [resourceId, spaceId],
    )) as ResourceRow[];
    if (!r) throw new NotFoundError('Resource', resourceId);
    return r;
  }

  /** The space's resources, newest first (hidden ones only for moderators). */
  async listResources(principal: Principal, slug: string, query: { page: number; limit: number }): Promise<Page<ResourceView>> {
    const { space, moderator } = await this.access(principal, slug);
    const visible = moderator ? 'true' : 'r.hidden_at IS NULL';
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM community_resource r WHERE r.space_id = $1 AND ${visible}`, [
      space.id,
    ])) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.kind, r.title, r.note, r.url, r.file_key, r.file_name, r.content_type, r.size_bytes, r.added_by, u.display_name, r.created_at, r.hidden_at
         FROM community_resource r LEFT JOIN app_user u ON u.id = r.added_by
        WHERE r.space_id = $1 AND ${visible} ORDER BY r.created_at DESC, r.id LIMIT $2 OFFSET $3`,
      [space.id, query.limit, (query.page - 1) * query.limit],
    )) as ResourceRow[];
    return pageOf(
      rows.map((r) => this.resourceView(r)),
      total,
      query,
    );
  }

  private resourceTexts(input: { title?: unknown; note?: unknown }): { title: string; note: string; errors: FieldError[] } {
    const title = shortText(input.title, 'title', TITLE_MAX, true);
    const note = shortText(input.note, 'note', NOTE_MAX, false);
    return { title: title.value ?? '', note: note.value ?? '', errors: [title.error, note.error].filter((e): e is FieldError => e !== null) };
  }

  /** A member who may post shares a link (https only). */
  async addLink(principal: Principal, slug: string, input: { title?: unknown; url?: unknown; note?: unknown }): Promise<ResourceView> {
    const { title, note, errors } = this.resourceTexts(input);
    let url: string | null = null;
    if (typeof input.url === 'string' && input.url.length <= URL_MAX && !/[\s\p{Cc}]/u.test(input.url)) {
      try {
        const parsed = new URL(input.url);
        if (parsed.protocol === 'https:' && parsed.hostname && !parsed.username && !parsed.password) url = parsed.href;
      } catch {
        url = null;
      }
    }
    if (url === null) errors.push({ field: 'url', message: `must be an https:// address of at most ${URL_MAX} characters, without a user name or password` });
    if (errors.length) throw new ValidationError(errors);
    const id = await this.dataSource.transaction(async (manager) => {
      const { space } = await this.participant(principal, slug, manager);
      const [r] = (await manager.query(
        `INSERT INTO community_resource (space_id, kind, title, note, url, added_by) VALUES ($1, 'link', $2, $3, $4, $5) RETURNING id`,
        [space.id, title, note, url, principal.userId],
      )) as Array<{ id: string }>;
      return { spaceId: space.id, id: r.id };
    });
    return this.resourceView(await this.resourceRow(this.dataSource.manager, id.spaceId, id.id));
  }

  /**
   * A member who may post adds a small file: its type is judged from its bytes (PDF, ODT, DOCX, PNG,
   * JPEG), its name is cleaned and given the extension of that type; the bytes go to the file storage.
   */
  async addFile(
    principal: Principal,
    slug: string,
    input: { title?: unknown; note?: unknown; filename?: unknown; bytes: unknown },
  ): Promise<ResourceView> {
    const { title, note, errors } = this.resourceTexts(input);
    if (errors.length) throw new ValidationError(errors);
    const bytes = input.bytes;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ValidationError([{ field: 'file', message: 'must be a file of 1 byte to 10 MB' }]);
    if (bytes.length > RESOURCE_FILE_MAX_BYTES) throw new ResourceFileTooLargeError();
    const type = sniffResourceType(bytes);
    if (!type) throw new UnsupportedResourceFileError();
    const { space } = await this.participant(principal, slug, this.dataSource.manager);
    const id = randomUUID();
    const key = `community/${space.id}/${id}`;
    const name = safeResourceFileName(input.filename, type);
    await this.storage.put(key, bytes, type);
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.participant(principal, slug, manager);
        await manager.query(
          `INSERT INTO community_resource (id, space_id, kind, title, note, file_key, file_name, content_type, size_bytes, added_by) VALUES ($1, $2, 'file', $3, $4, $5, $6, $7, $8, $9)`,
          [id, space.id, title, note, key, name, type, bytes.length, principal.userId],
        );
      });
    } catch (e) {
      await this.storage.delete(key).catch(() => undefined);
      throw e;
    }
    return this.resourceView(await this.resourceRow(this.dataSource.manager, space.id, id));
  }

  /** A file resource's bytes for someone who may see the space (a hidden one: moderators only). */
  async resourceFile(principal: Principal, slug: string, resourceId: string): Promise<{ body: Readable; name: string; contentType: string; size: number }> {
    const { space, moderator } = await this.access(principal, slug);
    const r = await this.resourceRow(this.dataSource.manager, space.id, resourceId);
    if ((r.hidden_at && !moderator) || r.kind !== 'file' || !r.file_key) throw new NotFoundError('Resource', resourceId);
    const file = await this.storage.get(r.file_key);
    return { body: file.body, name: r.file_name ?? 'file', contentType: r.content_type ?? 'application/octet-stream', size: r.size_bytes ?? 0 };
  }

  /** A moderator hides (or shows again) a resource; audited like posts. */
  async setResourceHidden(principal: Principal, slug: string, resourceId: string, hidden: boolean, reason: unknown): Promise<void> {
    const r = shortText(reason, 'reason', REASON_MAX, false);
    if (r.error) throw new ValidationError([r.error]);
    await this.dataSource.transaction(async (manager) => {
      const { space } = await this.moderatorOf(principal, slug, manager);
      const row = await this.resourceRow(manager, space.id, resourceId, true);
      if ((row.hidden_at !== null) === hidden) return;
      if (hidden)
        await manager.query(`UPDATE community_resource SET hidden_at = now(), hidden_by = $2, hidden_reason = $3 WHERE id = $1`, [
          resourceId,
          principal.userId,
          r.value,
        ]);
      else
        await manager.query(`UPDATE community_resource SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL WHERE id = $1`, [resourceId]);
      await this.audit.record(
        {
          actor: principal,
          action: hidden ? 'community.resource_hidden' : 'community.resource_shown',
          subjectType: 'community_resource',
          subjectId: resourceId,
          after: { spaceId: space.id, reason: r.value },
        },
        manager,
      );
    });
  }

  /** A moderator removes a resource for good (its file too); audited. */
  async removeResource(principal: Principal, slug: string, resourceId: string, reason: unknown): Promise<void> {
    const r = shortText(reason, 'reason', REASON_MAX, false);
    if (r.error) throw new ValidationError([r.error]);
    const key = await this.dataSource.transaction(async (manager) => {
      const { space } = await this.moderatorOf(principal, slug, manager);
      const row = await this.resourceRow(manager, space.id, resourceId, true);
      await manager.query(`DELETE FROM community_resource WHERE id = $1`, [resourceId]);
      await this.audit.record(
        {
          actor: principal,
          action: 'community.resource_removed',
          subjectType: 'community_resource',
          subjectId: resourceId,
          after: { spaceId: space.id, kind: row.kind, title: row.title, reason: r.value },
        },
        manager,
      );
      return row.file_key;
    });
    if (key) await this.storage.delete(key).catch(() => undefined);
  }
}
