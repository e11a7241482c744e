import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Access, problem, PROBLEM_CONTENT_TYPE, toProblem } from '@lms/platform';
import { JwtAuthGuard } from '@lms/identity';
import { JobsAdmin } from '@lms/jobs';

export const BOARD_PATH = '/admin/queues';
/** HttpOnly cookie set by POST /api/v1/admin/jobs/dashboard-session, so a browser can open the board. */
export const BOARD_COOKIE = 'lms_board';

/** The access rule the board's routes follow (read by the same guard as every Nest route). */
class BoardAccessRule {
  @Access('admin')
  board(): void {}
}

interface HookRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
interface HookReply {
  code(status: number): HookReply;
  header(name: string, value: string): HookReply;
  send(body: unknown): HookReply;
}
interface FastifyWithHooks {
  addHook(name: 'onRequest', hook: (request: HookRequest, reply: HookReply) => Promise<HookReply | undefined>): void;
  register(plugin: unknown, options: { prefix: string }): unknown;
}

function cookie(header: string | string[] | undefined, name: string): string | undefined {
  const raw = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * The Bull Board at /admin/queues (@bull-board/api + @bull-board/fastify, mounted as a Fastify
 * plugin: what @bull-board/nestjs's root module does, without that package, which is CommonJS
 * requiring the ESM-only @nestjs/common and so cannot load under Jest on Node 20).
 * Its routes are Fastify routes, which the global Nest guard never sees, so an onRequest hook runs
 * that guard (JwtAuthGuard, admin rule) for every board request: a bearer token or the
 * dashboard-session cookie. Without Redis (embedded mode) the board answers 404 with a note.
 */
@Injectable()
export class JobsBoard implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(JobsAdmin) private readonly jobs: JobsAdmin,
    @Inject(JwtAuthGuard) private readonly guard: JwtAuthGuard,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance() as FastifyWithHooks | undefined;
    if (!fastify) return; // not an HTTP application
    const queues = this.jobs.dashboardQueues();
    if (queues) {
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(BOARD_PATH);
      // @bull-board/fastify 9.10.1 pins its own @bull-board/api 9.10.1 (root: 9.10.2): the same
      // classes at runtime, two declarations for TypeScript, hence the casts.
      createBullBoard({
        queues: queues.map((q) => new BullMQAdapter(q)),
        serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
        options: { uiConfig: { boardTitle: 'LMS jobs' } },
      });
      fastify.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
    }
    fastify.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0];
      if (path !== BOARD_PATH && !path.startsWith(`${BOARD_PATH}/`)) return undefined;
      if (!queues) {
        const body = problem(404, 'The queue dashboard needs Redis (REDIS_URL). In embedded mode jobs run in-process; failed jobs are listed at GET /api/v1/admin/jobs/failed.', {
          code: 'dashboard_unavailable',
          instance: path,
        });
        return reply.code(404).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
      }
      try {
        await this.authorize(request);
        return undefined;
      } catch (error) {
        const { problem: body } = toProblem(error, path);
        return reply.code(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
      }
    });
  }

  private async authorize(request: HookRequest): Promise<void> {
    const header = request.headers['authorization'];
    const fromCookie = cookie(request.headers['cookie'], BOARD_COOKIE);
    const authorization = typeof header === 'string' ? header : fromCookie ? `Bearer ${fromCookie}` : undefined;
    const context = new ExecutionContextHost([{ headers: { authorization } }], BoardAccessRule, BoardAccessRule.prototype.board);
    await this.guard.canActivate(context);
  }
}
