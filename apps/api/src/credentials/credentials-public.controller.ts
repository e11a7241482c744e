import { Controller, Get, Headers, Inject, Param, ParseIntPipe, ParseUUIDPipe, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@lms/platform';
import { CertificateService, IssuerKeys, type PublishedJwk } from '@lms/credentials';
import { prefers } from './content-negotiation.js';

@ApiTags('credentials')
@Controller('credentials')
export class CredentialsPublicController {
  constructor(@Inject(CertificateService) private readonly certificates: CertificateService) {}

  @Get('status/:list')
  @Public()
  @ApiOperation({
    summary: 'Public: a revocation status list (BitstringStatusListCredential, GZIP + base64url bitstring)',
    description: 'The credential as JSON by default; signed as a VC-JWT with `Accept: application/vc+jwt`. Built on each request: revocations show at once.',
  })
  @ApiProduces('application/json', 'application/vc+jwt')
  @ApiOkResponse()
  async statusList(
    @Param('list', ParseIntPipe) list: number,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | string> {
    const { credential, jwt } = await this.certificates.statusList(list);
    reply.header('cache-control', 'no-cache');
    if (prefers(accept, 'application/vc+jwt')) {
      reply.header('content-type', 'application/vc+jwt');
      return jwt;
    }
    return credential;
  }

  @Get('issuers/:id')
  @Public()
  @ApiOperation({ summary: 'Public: the issuer Profile (a school) named in credentials' })
  @ApiOkResponse()
  async issuer(@Param('id', ParseUUIDPipe) id: string, @Headers('accept-language') acceptLanguage?: string): Promise<Record<string, unknown>> {
    return { ...(await this.certificates.issuer(id, acceptLanguage)) };
  }
}

@ApiTags('credentials')
@Controller({ path: '.well-known', version: VERSION_NEUTRAL })
export class JwksController {
  constructor(@Inject(IssuerKeys) private readonly keys: IssuerKeys) {}

  @Get('jwks.json')
  @Public()
  @ApiOperation({ summary: 'Public: the credential issuer keys (Ed25519, EdDSA), retired ones included so old credentials still verify' })
  @ApiOkResponse()
  async jwks(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ keys: PublishedJwk[] }> {
    reply.header('cache-control', 'public, max-age=300');
    return this.keys.jwks();
  }
}
