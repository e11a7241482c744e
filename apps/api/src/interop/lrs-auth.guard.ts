import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type LrsClientIdentity, LrsClientService, type LrsScope, SUPPORTED_VERSION, XapiVersionError } from '@lms/interop';

export const LRS_SCOPE_KEY = 'lms:lrs-scope';
/** The LRS scope a route needs; `null` = no credentials and no version header needed (About). */
export const LrsAccess = (scope: LrsScope | null): MethodDecorator => SetMetadata(LRS_SCOPE_KEY, scope);

export const XAPI_VERSION = '1.0.3';

interface XapiRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  lrsClient?: LrsClientIdentity;
}
interface XapiReply {
  header(name: string, value: string): unknown;
}

/**
 * The xAPI routes' own authentication (they are @Public() for the platform's JWT guard): every
 * answer carries X-Experience-API-Version; every request but About must send a 1.0.x version and
 * the Basic credentials of an LRS client holding the route's scope. A route without @LrsAccess is refused.
 */
@Injectable()
export class LrsAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(LrsClientService) private readonly clients: LrsClientService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<XapiRequest>();
    http.getResponse<XapiReply>().header('X-Experience-API-Version', XAPI_VERSION);
    // Every answer to a statements GET carries it, errors and 404 included (xAPI 1.0.3: "all responses
    // to GET requests to the Statements resource"); statements are stored synchronously, so now holds.
    if ((request.method === 'GET' || request.method === 'HEAD') && request.url?.split('?')[0].replace(/\/+$/, '') === '/xapi/statements') {
      http.getResponse<XapiReply>().header('X-Experience-API-Consistent-Through', new Date().toISOString());
    }
    const scope = this.reflector.get<LrsScope | null | undefined>(LRS_SCOPE_KEY, context.getHandler());
    if (scope === null) return true;
    const version = request.headers['x-experience-api-version'];
    if (typeof version !== 'string' || !SUPPORTED_VERSION.test(version.trim())) throw new XapiVersionError(typeof version === 'string' ? version.slice(0, 20) : undefined);
    const header = request.headers['authorization'];
    const client = await this.clients.authenticate(typeof header === 'string' ? header : undefined);
    if (scope === undefined) return false;
    this.clients.require(client, scope);
    request.lrsClient = client;
    return true;
  }
}
