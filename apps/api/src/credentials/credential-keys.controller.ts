import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { type IssuerKeyInfo, IssuerKeys } from '@lms/credentials';
import { IssuerKeyResponse, RotateKeyResponse } from './dto/credentials.responses.js';

@ApiTags('credentials')
@ApiBearerAuth()
@Controller('admin/credential-keys')
export class CredentialKeysController {
  constructor(
    @Inject(IssuerKeys) private readonly keys: IssuerKeys,
  ) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Admin: the credential issuer keys (no private material)' })
  @ApiOkResponse({ type: [IssuerKeyResponse] })
  async list(): Promise<IssuerKeyInfo[]> {
    return this.keys.list();
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({ summary: 'Admin: retire the active signing key and create a new one (old public keys stay in the JWKS)' })
  @ApiOkResponse({ type: RotateKeyResponse })
  async rotate(@CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<{ kid: string; previousKid: string | null }> {
    return this.keys.rotate(principal, String(request.id));
  }
}
