// Summarises V8 .cpuprofile files (node --cpu-prof): the top frames by self time, as a Markdown
// table. Usage: node scripts/cpu-profile-top.mjs <file-or-dir> [count=20]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [target, countArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: node scripts/cpu-profile-top.mjs <file-or-dir> [count]');
  process.exit(2);
}
const files = statSync(target).isDirectory() ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)) : [target];
const self = new Map();
let total = 0;
for (const f of files) {
  const p = JSON.parse(readFileSync(f, 'utf8'));
  const dt = (p.endTime - p.startTime) / Math.max(1, p.samples.length);
  for (const n of p.nodes) {
    const c = n.callFrame;
    const where = c.url ? `${relative(process.cwd(), c.url.replace(/^file:\/\//, ''))}:${c.lineNumber + 1}` : '';
    const key = `${c.functionName || '(anonymous)'} ${where}`.trim();
    const ms = ((n.hitCount ?? 0) * dt) / 1000;
    self.set(key, (self.get(key) ?? 0) + ms);
    total += ms;
  }
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(countArg ?? 20));
console.log('| self % | self ms | frame |\n| ---: | ---: | --- |');
for (const [k, ms] of top) console.log(`| ${((100 * ms) / total).toFixed(1)} | ${Math.round(ms)} | \`${k.replace(/\|/g, '\\|')}\` |`);
