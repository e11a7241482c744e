import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, CurrentUser, type Page, PageQuery, type Principal } from '@lms/platform';
import { type CertificateDetail, CertificateService, type CertificateSummary } from '@lms/credentials';
import { prefers } from './content-negotiation.js';
import { CertificateDetailResponse, CertificatePageResponse, CredentialResponse } from './dto/credentials.responses.js';
import { RevokeCertificateDto } from './dto/revoke-certificate.dto.js';

@ApiTags('certificates')
@ApiBearerAuth()
@Controller()
export class CertificatesController {
  constructor(@Inject(CertificateService) private readonly certificates: CertificateService) {}

  @Get('me/certificates')
  @Access('authenticated')
  @ApiOperation({ summary: "The caller's certificates, newest first (paginated)" })
  @ApiOkResponse({ type: CertificatePageResponse })
  async mine(@CurrentUser() principal: Principal, @Query() query: PageQuery): Promise<Page<CertificateSummary>> {
    return this.certificates.listMine(principal, query);
  }

  @Get('certificates/:id')
  @Access('authenticated')
  @ApiOperation({ summary: 'A certificate (holder, HR in scope, admin)' })
  @ApiOkResponse({ type: CertificateDetailResponse })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CertificateDetail> {
    return this.certificates.detail(principal, id);
  }

  @Get('certificates/:id/pdf')
  @Access('authenticated')
  @ApiOperation({ summary: 'The certificate as a one-page A4 PDF with a QR code of its verification URL (holder, HR in scope, admin)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse()
  async pdf(@CurrentUser() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { pdf, sha256, filename } = await this.certificates.pdf(principal, id);
    reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${filename}"`)
      .header('etag', `"${sha256}"`)
      .header('cache-control', 'private, no-cache');
    return pdf;
  }

  @Get('certificates/:id/credential')
  @Access('authenticated')
  @ApiOperation({
    summary: 'The signed Open Badges 3.0 credential (holder, HR in scope, admin)',
    description: 'JSON {jwt, credential} by default; the bare VC-JWT with `Accept: application/vc+jwt`.',
  })
  @ApiProduces('application/json', 'application/vc+jwt')
  @ApiOkResponse({ type: CredentialResponse })
  async credential(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CredentialResponse | string> {
    const result = await this.certificates.credential(principal, id);
    if (prefers(accept, 'application/vc+jwt')) {
      reply.header('content-type', 'application/vc+jwt');
      return result.jwt;
    }
    return result;
  }

  @Post('certificates/:id/revoke')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({ summary: 'Admin: revoke a certificate with a reason (audited; /verify and the status list show it at once)' })
  @ApiOkResponse({ type: CertificateDetailResponse })
  async revoke(
    @CurrentUser() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RevokeCertificateDto,
    @Req() request: FastifyRequest,
  ): Promise<CertificateDetail> {
    return this.certificates.revoke(principal, id, body.reason, String(request.id));
  }
}
