import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { RequestContext } from '../context/request-context.js';

/** SQL text in a log line: whitespace collapsed, cut at 500 characters. Parameters are never logged (e-mails, hashes). */
export function sqlForLog(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

/**
 * TypeORM's logger: silent except for statements slower than SLOW_QUERY_MS, which go to pino at warn
 * with their duration and SQL text (without parameters). Errors are logged where they are handled
 * (the ProblemFilter, job handlers), not here. Every statement is counted on the current request's
 * context, so the request log line says how many statements the request ran (`queries`).
 */
export class SlowQueryLogger implements TypeOrmLogger {
  private readonly out = new NestLogger('SlowQuery');

  logQuerySlow(time: number, query: string): void {
    this.out.warn({ msg: 'slow query', durationMs: Math.round(time), sql: sqlForLog(query) });
  }

  logQuery(): void {
    const counter = RequestContext.current()?.queries;
    if (counter) counter.n++;
  }
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
