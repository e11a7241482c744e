import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_NAMES, JobName, JOB_POLICIES } from './job-catalogue.js';
import { JOB_HANDLER_KEY, JobHandlerInstance } from './job-handler.js';

/**
 * THE ONE SWITCH for the start-up check that every job in JOB_POLICIES has a handler: a process
 * that runs workers refuses to start when one is missing. (It was `false` while the domain handlers
 * were being written; a job without a handler then failed at once, without retries, into the
 * failed-job list.) Two handlers for one job, or a handler for a job the catalogue does not know,
 * always stop start-up.
 */
export const REQUIRE_EVERY_HANDLER = true;

export class JobHandlerSetupError extends Error {
  override readonly name = 'JobHandlerSetupError';
}

interface Registered {
  instance: JobHandlerInstance<JobName>;
  describe: string;
}

/**
 * Finds every provider decorated with @JobHandler (DiscoveryService + Reflector) in whatever
 * modules the process composed, and checks the set against the catalogue.
 */
@Injectable()
export class JobHandlerRegistry {
  private handlers: Map<JobName, Registered> | null = null;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  /** Discovers the handlers (once) and throws on duplicates or unknown job names. */
  discover(): Map<JobName, Registered> {
    if (this.handlers) return this.handlers;
    const found = new Map<JobName, Registered[]>();
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const candidates = [wrapper.instance?.constructor, wrapper.metatype, wrapper.token].filter((c): c is NonNullable<typeof c> => typeof c === 'function');
      let job: string | undefined;
      for (const c of candidates) {
        job = this.reflector.get<string | undefined>(JOB_HANDLER_KEY, c as never);
        if (job) break;
      }
      if (!job) continue;
      const describe = `${(candidates[0] as { name?: string }).name ?? String(wrapper.name)} (in ${wrapper.host?.metatype?.name ?? 'an unknown module'})`;
      if (!(job in JOB_POLICIES)) {
        problems.push(`${describe} handles '${job}', which is not a job in the catalogue (libs/jobs/src/job-catalogue.ts)`);
        continue;
      }
      if (!wrapper.isDependencyTreeStatic()) {
        problems.push(`${describe} handles '${job}' but is request-scoped; job handlers must be singletons`);
        continue;
      }
      const instance = wrapper.instance as JobHandlerInstance<JobName> | undefined;
      if (!instance || typeof instance.handle !== 'function') {
        problems.push(`${describe} handles '${job}' but has no handle(payload, context) method`);
        continue;
      }
      const list = found.get(job as JobName) ?? [];
      list.push({ instance, describe });
      found.set(job as JobName, list);
    }
    for (const [job, list] of found) {
      if (list.length > 1) problems.push(`job '${job}' has ${list.length} handlers: ${list.map((h) => h.describe).join(', ')}; keep exactly one`);
    }
    if (problems.length) throw new JobHandlerSetupError(`Job handlers are not set up correctly:\n  - ${problems.join('\n  - ')}`);
    this.handlers = new Map([...found].map(([job, list]) => [job, list[0]]));
    return this.handlers;
  }

  /** Jobs in the catalogue without a handler in this process. */
  missing(): JobName[] {
    const handlers = this.discover();
    return JOB_NAMES.filter((j) => !handlers.has(j));
  }

  /**
   * The check a process that runs workers makes at start-up. With REQUIRE_EVERY_HANDLER (or
   * `strict`), a missing handler stops start-up with a message naming the jobs.
   */
  assertComplete(strict = REQUIRE_EVERY_HANDLER): JobName[] {
    const missing = this.missing();
    if (strict && missing.length) {
      throw new JobHandlerSetupError(
        `No handler for job(s): ${missing.join(', ')}. Every job in JOB_POLICIES needs exactly one provider decorated with ` +
          `@JobHandler('<job>') in a module this process imports (apps/worker/src/worker.module.ts for the worker).`,
      );
    }
    return missing;
  }

  get(job: JobName): JobHandlerInstance<JobName> | undefined {
    return this.discover().get(job)?.instance;
  }
}
