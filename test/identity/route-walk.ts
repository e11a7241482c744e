import { INestApplicationContext, RequestMethod, VERSION_NEUTRAL } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule, IS_PUBLIC_KEY } from '@lms/platform';

export interface WalkedRoute {
  controller: string;
  handler: string;
  method: string;
  /** Path as declared (controller path + method path), without the global prefix. */
  path: string;
  isPublic: boolean;
  access: AccessRule | undefined;
  /** Served outside /api/v1 (`version: VERSION_NEUTRAL`): operations, keys, web pages. */
  neutral: boolean;
}

function joinPath(...parts: Array<string | string[] | undefined>): string {
  const segs = parts.flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : [p])).filter((p): p is string => !!p && p !== '/');
  return `/${segs
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

/**
 * Every HTTP route of every controller Nest knows about (whoever wrote it, whenever), with the
 * access rule the global guard will read: @Public() or @Access(...) on the handler or its class.
 */
export function walkRoutes(app: INestApplicationContext): WalkedRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: WalkedRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const paths = ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined) ?? '/');
      const controllerPaths = ([] as string[]).concat(
        (Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined) ?? '/',
      );
      const targets = [handler, metatype as unknown as (...args: unknown[]) => unknown];
      for (const cp of controllerPaths) {
        for (const p of paths) {
          routes.push({
            controller: metatype.name,
            handler: name,
            method: RequestMethod[method],
            path: joinPath(cp, p),
            isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
            access: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets),
            neutral: reflector.getAllAndOverride<unknown>(VERSION_METADATA, targets) === VERSION_NEUTRAL,
          });
        }
      }
    }
  }
  return routes;
}

/** Routes that declare no access rule (the guard would answer 403, but the omission is a bug). */
export function undeclared(routes: WalkedRoute[]): string[] {
  return routes
    .filter((r) => !r.isPublic && !(r.access && r.access.roles.length > 0))
    .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
}

/**
 * Every route Fastify serves, from its printRoutes() tree (also routes registered by plugins
 * outside Nest controllers, which the global guard does not see).
 */
export function fastifyRoutes(printed: string): Array<{ path: string; methods: string[] }> {
  const out: Array<{ path: string; methods: string[] }> = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    if (m[3]) out.push({ path: stack.join(''), methods: m[3].split(',').map((x) => x.trim()) });
  }
  return out;
}
