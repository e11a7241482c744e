import { Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Access, CurrentUser, type Principal } from '@lms/platform';
import { type IssuerKeyInfo, IssuerKeys } from '@lms/credentials';
import { InstitutionService } from '@lms/identity';
import { IssuerKeyResponse, RotateKeyResponse } from './dto/credentials.responses.js';

export class KeyOwnerQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "An institution's keys (it signs its schools' certificates); without it, the instance's keys" })
  @IsOptional()
  @IsUUID()
  institutionId?: string;
}

@ApiTags('credentials')
@ApiBearerAuth()
@Controller('admin/credential-keys')
export class CredentialKeysController {
  constructor(
    @Inject(IssuerKeys) private readonly keys: IssuerKeys,
    @Inject(InstitutionService) private readonly institutions: InstitutionService,
  ) {}

  /** The institution's id when it exists (404 otherwise), null for the instance. */
  private async owner(query: KeyOwnerQuery): Promise<string | null> {
    if (!query.institutionId) return null;
    return (await this.institutions.get(query.institutionId)).id;
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: "Admin: the credential issuer keys of the instance or of one institution (no private material)" })
  @ApiOkResponse({ type: [IssuerKeyResponse] })
  async list(@Query() query: KeyOwnerQuery): Promise<IssuerKeyInfo[]> {
    return this.keys.list(await this.owner(query));
  }

  @Post('rotate')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({
    summary: "Admin: retire the active signing key of the instance or of one institution and create a new one (old public keys stay in the JWKS; other owners' keys are not touched)",
  })
  @ApiOkResponse({ type: RotateKeyResponse })
  async rotate(@CurrentUser() principal: Principal, @Req() request: FastifyRequest, @Query() query: KeyOwnerQuery): Promise<{ kid: string; previousKid: string | null }> {
    return this.keys.rotate(principal, String(request.id), await this.owner(query));
  }
}
