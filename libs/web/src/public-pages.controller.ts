import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CertificateService, VerificationThrottle } from '@lms/credentials';
import { Public } from '@lms/platform';
import { OPEN_DATA_DIMENSIONS, OpenDataService } from '@lms/reporting';
import type { OpenDataDimension } from '@lms/reporting';
import { AssetsService } from './assets.service.js';
import type { Asset } from './assets.service.js';
import { offlinePage } from './pages/auth.pages.js';
import { openDataPage, verifyPage } from './pages/public.pages.js';
import { seeOther, sendPage } from './respond.js';
import { WebContextService } from './web-context.service.js';
import type { WebRequest } from './web-context.service.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** Pages for everyone (verification, open data, the offline page) and the app's static files. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Public()
@Controller({ version: VERSION_NEUTRAL })
export class PublicPagesController {
  constructor(
    @Inject(WebContextService) private readonly contexts: WebContextService,
    @Inject(AssetsService) private readonly assets: AssetsService,
    @Inject(CertificateService) private readonly certificates: CertificateService,
    @Inject(VerificationThrottle) private readonly throttle: VerificationThrottle,
    @Inject(OpenDataService) private readonly openData: OpenDataService,
  ) {}

  /** The page the QR code on a certificate opens. */
  @Get('verify/:code')
  async verify(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('code') code: string): Promise<void> {
    await this.throttle.hit(req.ip);
    const ctx = await this.contexts.build(req, reply);
    void reply.header('x-robots-tag', 'noindex');
    const result = await this.certificates.verify(code).catch((e: unknown) => {
      if ((e as { status?: number }).status === 404) return null;
      throw e;
    });
    await sendPage(reply, verifyPage(ctx, result, code.slice(0, 200)), result ? 200 : 404, 'no-store');
  }

  @Get('verify')
  async verifyForm(@Req() req: WebRequest, @Res() reply: FastifyReply, @Query('code') code?: string): Promise<void> {
    const typed = typeof code === 'string' ? code.trim() : '';
    if (typed) {
      // A pasted link or a bare code: keep the last path segment.
      const last = typed.split('/').filter(Boolean).pop() ?? '';
      if (/^[\w-]{1,200}$/.test(last)) return seeOther(reply, `/verify/${encodeURIComponent(last)}`);
    }
    await sendPage(reply, verifyPage(await this.contexts.build(req, reply), null, typed || undefined), typed ? 404 : 200, 'no-store');
  }

  @Get('open-data')
  async openDataPage(
    @Req() req: WebRequest,
    @Res() reply: FastifyReply,
    @Query('by') by?: string,
    @Query('country') country?: string,
    @Query('institution') institution?: string,
  ): Promise<void> {
    const dimension: OpenDataDimension = (OPEN_DATA_DIMENSIONS as readonly string[]).includes(by ?? '') ? (by as OpenDataDimension) : 'institution';
    const ctx = await this.contexts.build(req, reply);
    // Only values offered by the selectors are used; anything else means "all" (the API answers 400/404 instead).
    const scopes = await this.openData.scopes(ctx.locale);
    const chosenCountry = typeof country === 'string' && scopes.countries.includes(country) ? country : undefined;
    const chosen = typeof institution === 'string' && institution ? scopes.institutions.find((i) => i.code === institution || i.id === institution) : undefined;
    const hub = chosen && (!chosenCountry || chosen.country === chosenCountry) ? await this.openData.findInstitution(chosen.id) : null;
    const doc = await this.openData.table(dimension, { country: chosenCountry, institution: hub ?? undefined, lang: ctx.locale });
    const choice = { ...scopes, country: hub ? (hub.country ?? undefined) : chosenCountry, institution: hub ? chosen : undefined };
    await sendPage(reply, openDataPage(ctx, doc, dimension, choice), 200, 'public, max-age=300');
  }

  @Get('offline')
  async offline(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await sendPage(reply, offlinePage({ ...(await this.contexts.build(req, reply)), user: undefined, csrf: undefined }), 200, 'no-cache');
  }

  @Get('manifest.webmanifest')
  async manifest(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const { t, locale } = await this.contexts.build(req, reply);
    await this.sendAsset(req, reply, this.assets.manifest(t.t('app.name'), t.t('nav.myLearning'), locale), 'no-cache');
  }

  @Get('sw.js')
  async serviceWorker(@Req() req: WebRequest, @Res() reply: FastifyReply): Promise<void> {
    void reply.header('service-worker-allowed', '/');
    await this.sendAsset(req, reply, this.assets.get('sw.js')!, 'no-cache');
  }

  @Get('assets/:name')
  async asset(@Req() req: WebRequest, @Res() reply: FastifyReply, @Param('name') name: string): Promise<void> {
    const asset = this.assets.get(name);
    if (!asset) {
      await reply.status(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
      return;
    }
    await this.sendAsset(req, reply, asset, asset.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400');
  }

  private async sendAsset(req: WebRequest, reply: FastifyReply, asset: Asset, cache: string): Promise<void> {
    void reply.header('content-type', asset.type).header('cache-control', cache).header('etag', asset.etag).header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === asset.etag) {
      await reply.status(304).send();
      return;
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    if (asset.br && /\bbr\b/.test(accept)) await reply.header('content-encoding', 'br').send(asset.br);
    else if (asset.gzip && /\bgzip\b/.test(accept)) await reply.header('content-encoding', 'gzip').send(asset.gzip);
    else await reply.send(asset.body);
  }
}
