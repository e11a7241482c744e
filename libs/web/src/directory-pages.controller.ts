import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DIRECTORY_CONSENT_VERSION, DirectoryService } from '@lms/hub';
import { Access, ConflictError, CurrentUser, NotFoundError, ValidationError } from '@lms/platform';
import type { Principal } from '@lms/platform';
import type { MessageKey } from './messages/en.js';
import { directoryPage } from './pages/directory.pages.js';
import { field, formOf, seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const PAGE_SIZE = 20;
const FIELD_ERRORS = {
  consent: 'directory.error.consent',
  displayName: 'directory.error.displayName',
  languages: 'directory.error.languages',
  expertise: 'directory.error.expertise',
} as const satisfies Record<string, MessageKey>;
const DONE: Record<string, MessageKey> = {
  saved: 'directory.done.saved',
  withdrawn: 'directory.done.withdrawn',
  asked: 'directory.done.asked',
  accepted: 'directory.done.accepted',
  declined: 'directory.done.declined',
  exists: 'directory.done.exists',
};

function pageNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : 1;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** A comma-separated list as the API's array. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 60);
}

/**
 * The hub's people directory page (docs/hub.md): join with an explicit consent, change the profile,
 * leave (the profile is deleted at once), and — for members — the people in it by expertise.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'directory', version: VERSION_NEUTRAL })
export class DirectoryPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(DirectoryService) private readonly directory: DirectoryService,
  ) {}

  private async render(
    principal: Principal,
    req: WebRequest,
    reply: FastifyReply,
    q: { page?: string; tag?: string; done?: string },
    extra: { errors?: Array<{ field: string; message: string }>; values?: Record<string, string> } = {},
    status = 200,
  ): Promise<void> {
    const ctx = await this.contexts.build(req, reply);
    const mine = await this.directory.myProfile(principal).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    const tag = typeof q.tag === 'string' ? q.tag.trim().slice(0, 50) : '';
    let people = null;
    const requests = mine ? await this.directory.contactRequests(principal) : [];
    if (mine) {
      people = await this.directory
        .list(principal, { page: pageNumber(q.page), limit: PAGE_SIZE, ...(tag ? { tag } : {}) })
        .catch((e: unknown) => {
          if (e instanceof ValidationError) return { items: [], total: 0, page: 1, limit: PAGE_SIZE };
          throw e;
        });
    }
    const done = typeof q.done === 'string' ? DONE[q.done] : undefined;
    await sendPage(
      reply,
      directoryPage(ctx, {
        version: DIRECTORY_CONSENT_VERSION,
        mine,
        people,
        requests,
        tag,
        flash: done ? ctx.t.t(done) : undefined,
        ...extra,
      }),
      status,
    );
  }

  @Get()
  @Access('authenticated')
  async page(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query() q: { page?: string; tag?: string; done?: string },
  ): Promise<void> {
    await this.render(principal, req, reply, q);
  }

  @Post('profile')
  @Access('authenticated')
  async save(
    @CurrentUser() principal: Principal,
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const form = formOf(body);
    const values = {
      displayName: field(form, 'displayName', 200),
      languages: field(form, 'languages', 1000),
      expertise: field(form, 'expertise', 2000),
    };
    try {
      await this.directory.saveProfile(principal, {
        consent: field(form, 'consent') === 'yes',
        consentVersion: DIRECTORY_CONSENT_VERSION,
        displayName: values.displayName || undefined,
        languages: list(values.languages),
        expertise: list(values.expertise),
      });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // Field by field, in the page's language (the service's messages are the API's).
      const ctxT = (await this.contexts.build(req, reply)).t;
      const fields = [...new Set(e.errors.map((x) => x.field.split('.')[0]))].filter(
        (f): f is keyof typeof FIELD_ERRORS => f in FIELD_ERRORS,
      );
      const errors = fields.map((f) => ({ field: f, message: ctxT.t(FIELD_ERRORS[f], { example: 'sr-Latn, mk, en' }) }));
      await this.render(principal, req, reply, {}, { errors, values }, 400);
      return;
    }
    await seeOther(reply, '/directory?done=saved');
  }

  @Post('withdraw')
  @Access('authenticated')
  async withdraw(@CurrentUser() principal: Principal, @Res() reply: FastifyReply): Promise<void> {
    await this.directory.withdraw(principal).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
    await seeOther(reply, '/directory?done=withdrawn');
  }

  @Post('people/:userId/contact')
  @Access('authenticated')
  async ask(
    @CurrentUser() principal: Principal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.directory.requestContact(principal, userId, undefined);
    } catch (e) {
      if (e instanceof ConflictError) return seeOther(reply, '/directory?done=exists');
      throw e;
    }
    await seeOther(reply, '/directory?done=asked');
  }

  @Post('contact-requests/:id/accept')
  @Access('authenticated')
  async accept(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.directory.decide(principal, id, 'accepted');
    await seeOther(reply, '/directory?done=accepted');
  }

  @Post('contact-requests/:id/decline')
  @Access('authenticated')
  async decline(
    @CurrentUser() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.directory.decide(principal, id, 'declined');
    await seeOther(reply, '/directory?done=declined');
  }
}
