import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ScimCaller, ScimClientService } from './scim-client.service.js';
import { ScimError } from './scim-protocol.js';

interface ScimRequest {
  headers: Record<string, string | string[] | undefined>;
  scimCaller?: ScimCaller;
  raw?: { lmsUserId?: string };
}

/**
 * Authenticates SCIM resource routes with a provisioning client's bearer token (not a person's
 * access token). The routes are @Public() for the global guard, which therefore leaves them to
 * this one; without a valid, unrevoked token they answer 401 with a SCIM error.
 */
@Injectable()
export class ScimClientGuard implements CanActivate {
  constructor(@Inject(ScimClientService) private readonly clients: ScimClientService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S{1,200})$/i.exec(header.trim()) : null;
    const caller = match ? await this.clients.authenticate(match[1]) : null;
    if (!caller) {
      const e = new ScimError(401, 'A valid SCIM client bearer token is required');
      e.headers = { 'www-authenticate': 'Bearer realm="scim"' };
      throw e;
    }
    request.scimCaller = caller;
    if (request.raw) request.raw.lmsUserId = caller.clientId;
    return true;
  }
}

/** The SCIM client of a request that passed ScimClientGuard. */
export const CurrentScimClient = createParamDecorator((_data: unknown, ctx: ExecutionContext): ScimCaller => {
  const caller = ctx.switchToHttp().getRequest<ScimRequest>().scimCaller;
  if (!caller) throw new ScimError(401, 'A valid SCIM client bearer token is required');
  return caller;
});
