import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, dataSourceOptions, EmbeddedDatabase, loadConfig, pendingSchemaChanges, runMigrationsLocked } from '@lms/platform';
import { entities } from './entities.js';
import { migrations } from './index.js';

/**
 * Migration commands against DATABASE_URL (or the embedded database when it is unset):
 *   run                  apply pending migrations (under the advisory lock)
 *   revert               undo the last migration
 *   generate <Name>      write migrations/<ts>-<Name>.ts with what the entities need, and register it
 *   check                exit 1 when the entities need a schema change that no migration makes (drift)
 */
async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const embedded = config.databaseUrl ? undefined : await EmbeddedDatabase.open(config.dataDir);
  const ds = await new DataSource(dataSourceOptions(config, entities, migrations, embedded)).initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await runMigrationsLocked(ds);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
        return 0;
      }
      case 'revert':
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        return 0;
      case 'check': {
        await runMigrationsLocked(ds);
        const { up } = await pendingSchemaChanges(ds);
        if (up.length === 0) {
          console.log('schema matches the entities: no migration needed');
          return 0;
        }
        console.error(`Migration drift: the entities need ${up.length} change(s) that no migration makes:\n${up.join(';\n')};\nRun: npm run migration:generate -- <Name>`);
        return 1;
      }
      case 'generate': {
        if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
          console.error('usage: npm run migration:generate -- <PascalCaseName>');
          return 2;
        }
        await runMigrationsLocked(ds);
        const { up, down } = await pendingSchemaChanges(ds);
        if (up.length === 0) {
          console.log('nothing to generate: the schema matches the entities');
          return 0;
        }
        const ts = Date.now();
        const cls = `${name}${ts}`;
        const q = (s: string): string => `    await queryRunner.query(${JSON.stringify(s)});`;
        const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${cls} implements MigrationInterface {
  name = '${cls}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(q).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down.reverse().map(q).join('\n')}
  }
}
`;
        const dir = join(process.cwd(), 'migrations');
        mkdirSync(dir, { recursive: true });
        const file = `${ts}-${name}`;
        writeFileSync(join(dir, `${file}.ts`), body);
        const indexPath = join(dir, 'index.ts');
        let index = readFileSync(indexPath, 'utf8');
        index = index.replace(/(export const migrations: MigrationList = \[)([\s\S]*?)(\];)/, (_m, a: string, list: string, c: string) => {
          const items = list.trim() ? `${list.trimEnd()}\n  ${cls},\n` : `\n  ${cls},\n`;
          return `${a}${items}${c}`;
        });
        const at = index.indexOf('\n/**');
        index = `${index.slice(0, at)}\nimport { ${cls} } from './${file}.js';${index.slice(at)}`;
        writeFileSync(indexPath, index);
        console.log(`wrote migrations/${file}.ts (${up.length} statements) and registered it in migrations/index.ts`);
        return 0;
      }
      default:
        console.error('usage: migrate.cli.js run | revert | check | generate <Name>');
        return 2;
    }
  } finally {
    await ds.destroy();
    await embedded?.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  });
