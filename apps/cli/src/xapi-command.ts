import { DynamicModule, Global, Module } from '@nestjs/common';
import { InteropModule, LrsEndpointService } from '@lms/interop';
import { Outbox } from '@lms/jobs';
import { DomainError, loadConfig, PlatformModule, type AppConfig } from '@lms/platform';
import { migrations } from '../../../migrations/index.js';
import type { CliIo } from './courses-command.js';

export const XAPI_USAGE = `  xapi-backfill <from> <to> [endpoint-id]  queue the xAPI statements stored in [from, to) (ISO dates or times) for the
                                           external LRSs (or one), skipping statements already queued for them (docs/xapi.md)`;

/** The outbox writer without the job runtime: the API or worker relays the queued batches. */
@Global()
@Module({ providers: [Outbox], exports: [Outbox] })
class XapiCliOutboxModule {}

@Module({})
class XapiCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: XapiCliModule, imports: [PlatformModule.forRoot({ config, migrations }), XapiCliOutboxModule, InteropModule] };
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A date (midnight UTC) or a time with its zone; null when it is neither. */
export function parseInstant(raw: string): Date | null {
  if (!DATE.test(raw)) return null;
  const d = new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `courses xapi-backfill <from> <to> [endpoint-id]`; returns the exit code. */
export async function runXapiCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length < 2 || args.length > 3) {
    io.err(`usage:\n${XAPI_USAGE}\n`);
    return 2;
  }
  const [fromRaw, toRaw, endpointId] = args;
  const from = parseInstant(fromRaw);
  const to = parseInstant(toRaw);
  if (!from || !to) {
    io.err(`from and to must be dates (2026-01-31) or times with a zone (2026-01-31T08:00:00Z)\n`);
    return 2;
  }
  if (from >= to) {
    io.err(`from must be before to\n`);
    return 2;
  }
  if (endpointId !== undefined && !UUID.test(endpointId)) {
    io.err(`endpoint-id must be a UUID (GET /api/v1/admin/lrs-endpoints lists them)\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.createApplicationContext(XapiCliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    const { queued } = await app.get(LrsEndpointService).backfill(from, to, endpointId);
    io.out(`Queued ${queued} statement deliveries stored from ${from.toISOString()} to ${to.toISOString()}${endpointId ? ` for endpoint ${endpointId}` : ''}; the workers send them.\n`);
    return 0;
  } catch (e) {
    if (e instanceof DomainError) {
      io.err(`Nothing was queued: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await app.close();
  }
}
