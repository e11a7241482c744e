import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * One door to the outbox: only libs/jobs writes outbox_event rows and sends the relay's NOTIFY
 * (Outbox.add / Outbox.addMany). A domain that inserted rows itself would skip the after-commit
 * nudge and tie itself to the table's shape.
 */
describe('the outbox has one door', () => {
  it('no code outside libs/jobs writes outbox_event or calls pg_notify', () => {
    const offenders = ['libs', 'apps']
      .flatMap((d) => sources(join(ROOT, d)))
      .filter((f) => !relative(ROOT, f).startsWith(join('libs', 'jobs')))
      .flatMap((f) => {
        const text = readFileSync(f, 'utf8');
        return /INSERT\s+INTO\s+outbox_event|pg_notify\s*\(/i.test(text) ? [relative(ROOT, f)] : [];
      });
    expect(offenders).toEqual([]);
  });
});
