import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, Public } from '@lms/platform';
import { CertificateService, renderVerificationNotFoundPage, renderVerificationPage, type VerificationResult, VerificationThrottle } from '@lms/credentials';
import { prefers } from './content-negotiation.js';
import { VerificationResponse } from './dto/credentials.responses.js';

@ApiTags('certificates')
@Controller('verify')
export class VerificationController {
  constructor(
    @Inject(CertificateService) private readonly certificates: CertificateService,
    @Inject(VerificationThrottle) private readonly throttle: VerificationThrottle,
  ) {}

  @Get(':code')
  @Public()
  @ApiOperation({
    summary: 'Public: verify a certificate by the code in its QR code (throttled per address)',
    description: 'JSON by default; a small human-readable page when the client asks for text/html (a browser following the QR code).',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerificationResponse })
  @ApiTooManyRequestsResponse({ description: 'Too many verifications from this address; see Retry-After' })
  async verify(
    @Param('code') code: string,
    @Headers('accept') accept: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VerificationResult | string> {
    await this.throttle.hit(request.ip);
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    const html = prefers(accept, 'text/html');
    try {
      const result = await this.certificates.verify(code);
      if (!html) return result;
      reply.header('content-type', 'text/html; charset=utf-8');
      return renderVerificationPage(result);
    } catch (e) {
      if (!html || !(e instanceof DomainError) || e.status !== 404) throw e;
      reply.status(404).header('content-type', 'text/html; charset=utf-8');
      return renderVerificationNotFoundPage();
    }
  }
}
