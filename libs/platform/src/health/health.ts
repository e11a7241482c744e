import { Injectable } from '@nestjs/common';

export interface HealthCheck {
  name: string;
  /** Resolve when healthy; throw (with a short reason) when not. */
  check(): Promise<void>;
  /**
   * Default true: a failing check makes the process "not ready" (503). A non-critical check is
   * reported in the body but does not take the process out of a load balancer (e.g. the API's
   * view of the worker heartbeat: the API still serves requests while no worker runs).
   */
  critical?: boolean;
}

export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<string, { status: 'up' | 'down'; error?: string; ms: number; critical: boolean }>;
}

/** Modules register readiness checks here (database, Redis, worker heartbeat). */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(check: HealthCheck): void {
    this.checks.set(check.name, check);
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (c) => {
        const started = performance.now();
        const critical = c.critical !== false;
        try {
          await Promise.race([
            c.check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
          ]);
          return [c.name, { status: 'up' as const, ms: Math.round(performance.now() - started), critical }] as const;
        } catch (e) {
          return [c.name, { status: 'down' as const, error: (e as Error).message, ms: Math.round(performance.now() - started), critical }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, r]) => r.status === 'up' || !r.critical) ? 'ok' : 'error', checks };
  }
}
