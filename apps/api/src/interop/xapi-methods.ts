import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { problem, PROBLEM_CONTENT_TYPE } from '@lms/platform';
import { XAPI_VERSION } from './lrs-auth.guard.js';

/** The methods each xAPI resource answers; any other method on it is 405 with an Allow header (xAPI 1.0.3, Communication 3.2). */
export const XAPI_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/xapi/statements': ['GET', 'HEAD', 'PUT', 'POST'],
  '/xapi/activities': ['GET', 'HEAD'],
  '/xapi/agents': ['GET', 'HEAD'],
  '/xapi/about': ['GET', 'HEAD'],
  '/xapi/activities/state': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  '/xapi/activities/profile': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  '/xapi/agents/profile': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
};

interface HookRequest {
  method: string;
  url: string;
}
interface HookReply {
  code(status: number): HookReply;
  header(name: string, value: string): HookReply;
  send(body: unknown): HookReply;
}
interface FastifyWithHooks {
  addHook(name: 'onRequest', hook: (request: HookRequest, reply: HookReply) => Promise<HookReply | undefined>): void;
}

/**
 * A method an xAPI resource does not have (DELETE /xapi/statements, POST /xapi/agents…) is answered
 * 405 Method Not Allowed with `Allow`, as the xAPI specification asks, instead of the router's 404.
 * A Fastify hook, not a route: it answers before authentication, and nothing reaches a handler.
 */
@Injectable()
export class XapiMethodNotAllowed implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance() as FastifyWithHooks | undefined;
    if (!fastify) return;
    fastify.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0].replace(/\/+$/, '');
      const allowed = XAPI_METHODS[path];
      if (!allowed || allowed.includes(request.method) || request.method === 'OPTIONS') return undefined;
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .header('X-Experience-API-Version', XAPI_VERSION)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send(problem(405, `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`, { code: 'method_not_allowed', instance: path }));
    });
  }
}
