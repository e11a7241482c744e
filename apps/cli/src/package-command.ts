import { readFileSync, statSync } from 'node:fs';
import { DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';

import { DataSource } from 'typeorm';
import { checkPackage, InteropModule, PackageImportService, PackageInvalidError } from '@lms/interop';
import { Outbox } from '@lms/jobs';
import { AppConfig, DomainError, loadConfig, type Principal, PlatformModule, type Role } from '@lms/platform';
import { migrations } from '../../../migrations/index.js';
import type { CliIo } from './courses-command.js';

export const PACKAGE_USAGE = `  package <zip>                          check a SCORM 1.2 / 2004 or cmi5 package zip; exit 1 with every problem by file and element
  import-package <course> <zip> <email>  import it into the course's draft as the author with this e-mail (docs/interop.md)`;

@Global()
@Module({ providers: [Outbox], exports: [Outbox] })
class PackageCliOutboxModule {}

/** The author the CLI acts as: their grants decide, as for the API. */
@Injectable()
class CliPrincipals {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async byEmail(email: string): Promise<Principal | null> {
    const [user] = (await this.ds.query(`SELECT id, email, org_unit_id FROM app_user WHERE email = lower($1) AND status = 'active'`, [email])) as Array<{ id: string; email: string; org_unit_id: string }>;
    if (!user) return null;
    const grants = (await this.ds.query(`SELECT role, scope_org_unit_id FROM role_grant WHERE user_id = $1`, [user.id])) as Array<{ role: Role; scope_org_unit_id: string | null }>;
    return { userId: user.id, email: user.email, orgUnitId: user.org_unit_id, grants: grants.map((g) => ({ role: g.role, scopeOrgUnitId: g.scope_org_unit_id })) };
  }
}

@Module({})
class PackageCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: PackageCliModule, imports: [PlatformModule.forRoot({ config, migrations }), PackageCliOutboxModule, InteropModule], providers: [CliPrincipals] };
  }
}

function readZip(path: string | undefined, io: CliIo): Buffer | null {
  if (!path) return null;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    return readFileSync(path);
  } catch {
    io.err(`${path}: cannot be read\n`);
    return null;
  }
}

function printProblems(e: PackageInvalidError, io: CliIo): void {
  for (const p of (e.extra.errors as Array<{ field: string; message: string }>) ?? []) io.err(`${p.field}: ${p.message}\n`);
}

/** `courses package <zip>` and `courses import-package <course> <zip> <email>`; returns the exit code. */
export async function runPackageCommand(command: string, args: string[], io: CliIo): Promise<number> {
  if (command === 'package') {
    if (args.length !== 1) return usage(io);
    const zip = readZip(args[0], io);
    if (!zip) return 1;
    // No database needed to check a package.
    try {
      const { pkg, zip: opened } = await checkPackage(zip);
      io.out(`${args[0]}: ${pkg.standard}${pkg.edition ? ` (${pkg.edition} edition)` : ''} "${pkg.title}", ${opened.files.length} files, ${pkg.activities.length} activities:\n`);
      for (const a of pkg.activities) io.out(`  ${a.kind} ${a.identifier}: ${a.title} -> ${a.launch}\n`);
      return 0;
    } catch (e) {
      if (e instanceof PackageInvalidError) {
        printProblems(e, io);
        return 1;
      }
      throw e;
    }
  }
  if (args.length !== 3) return usage(io);
  const [slug, path, email] = args;
  const zip = readZip(path, io);
  if (!zip) return 1;
  const config = loadConfig(io.env);
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.createApplicationContext(PackageCliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    const principal = await app.get(CliPrincipals).byEmail(email);
    if (!principal) {
      io.err(`no active account has the e-mail ${email}\n`);
      return 1;
    }
    const result = await app.get(PackageImportService).import(principal, slug, zip);
    io.out(`Imported ${result.standard} package "${result.title}" (${result.fileCount} files) into the draft of ${slug}: ${result.activities.map((a) => a.lessonSlug).join(', ')}\n`);
    return 0;
  } catch (e) {
    if (e instanceof PackageInvalidError) {
      printProblems(e, io);
      io.err('Nothing was imported.\n');
      return 1;
    }
    if (e instanceof DomainError) {
      io.err(`Nothing was imported: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await app.close();
  }
}

function usage(io: CliIo): number {
  io.err(`usage:\n${PACKAGE_USAGE}\n`);
  return 2;
}

