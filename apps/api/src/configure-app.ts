import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger, RequestMethod, VersioningType } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  AppConfig,
  clientErrorHandler,
  createValidationPipe,
  depthLimitedJsonParser,
  frameworkErrorHandler,
  MetricsRegistry,
  ProblemFilter,
  registerInputGuard,
  RequestContext,
} from '@lms/platform';
import { Logger as PinoLogger } from 'nestjs-pino';
import { problemTranslator, registerWebHttp } from '@lms/web';

export const API_PREFIX = 'api/v1';
/**
 * Every controller is served under /api/v1 (URI version 1) unless it declares
 * `version: VERSION_NEUTRAL`: the operations routes, the issuer keys and the web pages, whose
 * paths mirror the API's (`/courses/:slug` next to `/api/v1/courses/:slug`), which a global
 * prefix with exclusions cannot express.
 */
export const API_VERSIONING = { type: VersioningType.URI, prefix: 'api/v', defaultVersion: '1' } as const;

interface FastifyLike {
  addHook(name: 'onRequest', hook: (req: { raw: object; routeOptions?: { url?: string } }) => Promise<void>): void;
  addHook(name: 'preHandler', hook: (req: { id: string; raw: object }, reply: unknown, done: () => void) => void): void;
  addHook(name: 'onResponse', hook: (req: { method: string; routeOptions?: { url?: string } }, reply: { statusCode: number; elapsedTime: number }) => Promise<void>): void;
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/**
 * The Fastify adapter with the platform's limits: 1 MiB bodies (413 beyond), the caller's
 * X-Request-Id when it is well-formed (else a new UUID), so logs and audit rows share one id.
 * What the router (bad URL encoding, over-long path parameter: 400/414) and Node's HTTP parser
 * (headers too large: 431) refuse is answered as problem+json too.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      // The request logger (pino-http) reads the same header, so both name the request alike.
      req.headers['x-request-id'] = id;
      return id;
    },
  });
}

/** Everything the HTTP app needs beyond its modules; used by main.ts and by the tests alike. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(PinoLogger));
  app.enableVersioning(API_VERSIONING);
  app.useGlobalPipes(createValidationPipe());
  // Domain errors are worded in the caller's language from the interface catalogs.
  app.useGlobalFilters(new ProblemFilter(problemTranslator));
  const instance = app.getHttpAdapter().getInstance();
  // JSON bodies: nesting depth checked in linear time before parsing (no stack overflow later).
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, depthLimitedJsonParser(instance));
  // Every route: a NUL character anywhere in params, query or body is a 400, not a database error.
  registerInputGuard(instance as unknown as Parameters<typeof registerInputGuard>[0]);

  // No inline scripts anywhere (the pages load one same-origin module; data travels in JSON blocks).
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    // The verification page and lesson images may be opened from e-mail clients and other sites.
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'same-origin' },
  });
  if (config.corsOrigins.length) {
    await app.register(cors, { origin: config.corsOrigins, credentials: false, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] });
  }

  registerWebHttp(app.getHttpAdapter().getInstance() as unknown as Parameters<typeof registerWebHttp>[0]);

  const metrics = app.get(MetricsRegistry);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyLike;
  // The route template reaches the one request log line (logging.ts reads it from the raw request).
  fastify.addHook('onRequest', async (req) => {
    (req.raw as { lmsRoute?: string }).lmsRoute = req.routeOptions?.url;
  });
  // The handler (guards, controller, services) runs in a context that knows the request id: outbox
  // events written while it runs carry it to the jobs they cause. After body parsing, so the
  // context is not lost across the body stream's events.
  // The statement counter it carries ends up on the request log line (`queries`).
  fastify.addHook('preHandler', (req, _reply, done) => {
    const queries = { n: 0 };
    (req.raw as { lmsQueries?: { n: number } }).lmsQueries = queries;
    RequestContext.run({ requestId: req.id, queries }, done);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  if (config.docsEnabled) setUpDocs(app);
  new Logger('Http').debug?.('configured');
}

/** The OpenAPI document of the app as configured (also written to a file by `openapi.cli.ts` for the CI lint). */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Public-servant learning module')
      .setDescription('Courses on AI and emerging technology for public servants: catalog, learning, competencies, certificates, reports.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  const success = successStatuses(app);
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Array<{ operationId?: string; security?: Array<Record<string, string[]>>; responses?: Record<string, unknown> }>) {
      if (!op || typeof op !== 'object') continue;
      // @Access on a controller and on one of its methods both declare the bearer scheme: list it once.
      if (Array.isArray(op.security)) op.security = [...new Map(op.security.map((r) => [JSON.stringify(r), r])).values()];
      // The problem answers that @Access/@Public document make Swagger drop its default success
      // answer: put it back (the route's @HttpCode, else 201 for POST and 200 otherwise).
      const status = success.get((op.operationId ?? '').split('_').slice(0, 2).join('_'));
      if (op.responses && status && !Object.keys(op.responses).some((code) => code.startsWith('2'))) op.responses[String(status)] = { description: '' };
    }
  }
  return document;
}

/** `Controller_method` → the status the handler answers on success, as Swagger's default would say. */
function successStatuses(app: NestFastifyApplication): Map<string, number> {
  const out = new Map<string, number>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const proto = (wrapper.metatype as { prototype?: Record<string, unknown> } | undefined)?.prototype;
      if (!proto) continue;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
        out.set(`${wrapper.name}_${name}`, code ?? (method === RequestMethod.POST ? 201 : 200));
      }
    }
  }
  return out;
}

/** The OpenAPI UI (/docs) and document (/docs-json): DOCS_ENABLED, default off in production mode. */
function setUpDocs(app: NestFastifyApplication): void {
  // A factory: the document (a scan of every controller, ~0.1 s) is built on the first /docs request, not at start.
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
