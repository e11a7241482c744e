import { Controller, Get, Inject, Param, ParseUUIDPipe, Req, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentTypeOf, ScormRuntimeService } from '@lms/interop';
import { Access, CurrentUser, NotFoundError, type Principal } from '@lms/platform';
import { FileStorage, InvalidStorageKeyError } from '@lms/storage';

/**
 * Package content (SCO and AU files) under /content/<package id>/, apart from the app's pages,
 * with its own Content-Security-Policy: scripts of the package (inline ones too: authoring
 * tools emit them) may run, but nothing may be loaded from or sent to another origin, no form
 * may post anywhere, and only this site may frame it. The learner page embeds it in a sandboxed iframe.
 */
export const CONTENT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

@ApiExcludeController()
@Controller({ path: 'content/:packageId', version: VERSION_NEUTRAL })
export class ContentController {
  constructor(
    @Inject(ScormRuntimeService) private readonly runtime: ScormRuntimeService,
    @Inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  @Get('*')
  @Access('authenticated')
  async file(@Param('packageId', ParseUUIDPipe) packageId: string, @Req() req: FastifyRequest, @CurrentUser() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    await this.runtime.assertCanView(principal, packageId);
    const path = decodeURIComponent(String((req.params as Record<string, string>)['*'] ?? (req.params as Record<string, string>).path ?? ''));
    let data: Buffer;
    try {
      data = await this.storage.getBuffer(`packages/${packageId}/${path}`);
    } catch (e) {
      if (e instanceof InvalidStorageKeyError) throw new NotFoundError('File', path.slice(0, 200));
      throw e;
    }
    reply
      .header('Content-Security-Policy', CONTENT_CSP)
      .header('X-Frame-Options', 'SAMEORIGIN')
      .header('Cache-Control', 'private, max-age=3600')
      .header('X-Content-Type-Options', 'nosniff')
      .type(contentTypeOf(path));
    return data;
  }
}
