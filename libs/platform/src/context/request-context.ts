import { AsyncLocalStorage } from 'node:async_hooks';

/** What a unit of work (an HTTP request, or a job caused by one) carries along its async calls. */
export interface RequestContextStore {
  /** The X-Request-Id of the HTTP request that caused this work. */
  readonly requestId: string | null;
  /** Set while a job runs: its id. */
  readonly jobId?: string;
  /** SQL statements run so far by this unit of work (counted by the TypeORM logger; on the request log line). */
  readonly queries?: { n: number };
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/**
 * The request id follows the work it causes: the HTTP layer opens a context per request, the
 * outbox writes its id next to each event, and the job runner re-opens a context with that id,
 * so the job's log lines name the request that caused them.
 */
export const RequestContext = {
  run<T>(store: RequestContextStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  current(): RequestContextStore | undefined {
    return storage.getStore();
  },
  requestId(): string | null {
    return storage.getStore()?.requestId ?? null;
  },
};

/** A well-formed request id (the same rule as the X-Request-Id header), else null. */
export function validRequestId(value: unknown): string | null {
  return typeof value === 'string' && /^[\w.-]{1,128}$/.test(value) ? value : null;
}
