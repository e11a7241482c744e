// Benchmark: certificates issued per second by one worker — the real 'certificates.issue' handler
// (reads the enrolment, numbers, signs the VC-JWT, renders the PDF, inserts with ON CONFLICT and
// writes the outbox event, on real PostgreSQL) — next to a bare render+sign loop of the same data in
// the same run. Target: the handler reaches ≥ 0.7 of the bare loop's rate.
// Also prints the event-loop delay while the jobs run at once, against the lock-renewal margin (≤ 0.1).
// Two rounds in alternating order, best of each. Own scratch database, dropped afterwards.
// Run: `npm run bench -- certificates` or `node dist/bench/certificates.bench.js` after `npm run build`.
// Env: BENCH_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_CERTIFICATES (per round and per side, default 300).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@lms/identity';
import { Outbox, WORKER_LOCK_MS } from '@lms/jobs';
import {
  CertificateFacts,
  CertificateIssuer,
  CertificatePdfRenderer,
  CertificateRepository,
  formatSerial,
  IssueCertificateHandler,
  IssuerKeys,
  statusEntryFor,
} from '@lms/credentials';
import { withMigratedDatabase } from './support.js';

const N = Number(process.env.BENCH_CERTIFICATES ?? 300);
const WARM_UP = 20;

const NAMES = ['Милица Ђорђевић', 'Đorđe Šćepanović', 'Ana Marković', 'Јован Јовановић', 'Žaklina Čolić', 'Nikola Petrović'];
const LOCALES = ['sr-Cyrl', 'sr-Latn', 'en'];

/** A school, a course version with competencies and a 24-month validity, `count` people with completed enrolments. */
async function seed(ds: DataSource, count: number): Promise<string[]> {
  const [school] = (await ds.query(
    `INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH-SCHOOL', 'Национална академија за јавну управу', 'school', '', 0) RETURNING id`,
  )) as Array<{ id: string }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [school.id]);
  const [unit] = (await ds.query(`INSERT INTO org_unit (code, name, kind, path, depth) VALUES ('BENCH-UNIT', 'Ministry', 'institution', '', 0) RETURNING id`)) as Array<{
    id: string;
  }>;
  await ds.query(`UPDATE org_unit SET path = '/' || id || '/' WHERE id = $1`, [unit.id]);
  const [course] = (await ds.query(`INSERT INTO course (slug, school_org_unit_id) VALUES ('ai-in-public-administration', $1) RETURNING id`, [school.id])) as Array<{
    id: string;
  }>;
  const [version] = (await ds.query(
    `INSERT INTO course_version (course_id, version, status, content_hash, default_language, languages, title, summary, audience, level,
                                 estimated_minutes, framework_key, competencies, aligned_with, completion, certificate_validity_months, published_at)
     VALUES ($1, 1, 'published', 'bench', 'en', '{en,sr-Latn,sr-Cyrl}', $2, $3, 'all-staff', 'foundation', 90, 'dacps', $4, '[]', '{}', 24, now())
     RETURNING id`,
    [
      course.id,
      JSON.stringify({
        en: 'Artificial intelligence in public administration: foundations',
        'sr-Latn': 'Veštačka inteligencija u javnoj upravi: osnove',
        'sr-Cyrl': 'Вештачка интелигенција у јавној управи: основе',
      }),
      JSON.stringify({ en: 'What AI is, where it helps public services, and how to use it responsibly.' }),
      JSON.stringify([
        { code: 'DACPS-AI-1', level: 2 },
        { code: 'DACPS-DATA-2', level: 1 },
        { code: 'DACPS-ETH-1', level: 2 },
      ]),
    ],
  )) as Array<{ id: string }>;
  const rows = (await ds.query(
    `WITH people AS (
       INSERT INTO app_user (email, display_name, org_unit_id, locale)
       SELECT 'person' || g || '@bench.lms', ($4::text[])[1 + g % array_length($4::text[], 1)] || ' ' || g, $1, ($5::text[])[1 + g % 3]
         FROM generate_series(1, $6) g
       RETURNING id)
     INSERT INTO enrolment (user_id, course_id, course_version_id, status, source, progress, started_at, completed_at)
     SELECT id, $2, $3, 'completed', 'self', 100, now(), now() FROM people
     RETURNING id`,
    [unit.id, course.id, version.id, NAMES, LOCALES, count],
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  await withMigratedDatabase('certificates', { env: { PUBLIC_URL: 'https://lms.example.org' } }, async ({ ds, config }) => {
    const enrolments = await seed(ds, WARM_UP + 4 * N);
    await ds.query('VACUUM ANALYZE');
    const repository = new CertificateRepository(ds);
    const keys = new IssuerKeys(ds, config, new AuditLog(ds));
    const issuer = new CertificateIssuer(ds, config, repository, keys, new CertificatePdfRenderer(), new Outbox());
    const handler = new IssueCertificateHandler(issuer);

    // The same data for the bare loop: what the handler reads for each enrolment, numbered in memory.
    const snapshots = await Promise.all(enrolments.slice(0, N).map(async (id) => (await repository.loadForIssue(id))?.snapshot));
    const facts: CertificateFacts[] = snapshots.map((s, i) => {
      const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const status = statusEntryFor(1_000_000 + i);
      return {
        ...s!,
        certificateId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        serial: formatSerial(issuedAt, 900_000 + i),
        verificationCode: randomBytes(20).toString('base64url'),
        statusList: status.list,
        statusIndex: status.index,
        issuedAt,
      };
    });

    let queue = enrolments.slice();
    const takeEnrolments = (n: number): string[] => {
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      return batch;
    };
    // Warm-up (JIT, parsed fonts, the issuer key): both paths.
    for (const id of takeEnrolments(WARM_UP)) await handler.handle({ enrolmentId: id }, { id: `warm-${id}`, attempt: 1 });
    for (const f of facts.slice(0, WARM_UP)) await issuer.produceArtifacts(f);

    const bareMs: number[] = [];
    const handlerMs: number[] = [];
    const concurrentMs: number[] = [];
    const concurrency = config.workerConcurrency;
    const runBare = async (): Promise<void> => {
      const t0 = performance.now();
      for (const f of facts) await issuer.produceArtifacts(f);
      bareMs.push(performance.now() - t0);
    };
    const runHandler = async (): Promise<void> => {
      const batch = takeEnrolments(N);
      const t0 = performance.now();
      for (const id of batch) await handler.handle({ enrolmentId: id }, { id: `bench-${id}`, attempt: 1 });
      handlerMs.push(performance.now() - t0);
    };
    // The worker as deployed: BullMQ runs WORKER_CONCURRENCY (default 5) jobs at once in one process,
    // so one job's database round trips overlap another's rendering. Rendering itself stays serial.
    const runConcurrent = async (): Promise<void> => {
      const batch = takeEnrolments(N);
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < batch.length) {
            const id = batch[next++];
            await handler.handle({ enrolmentId: id }, { id: `bench-${id}`, attempt: 1 });
          }
        }),
      );
      concurrentMs.push(performance.now() - t0);
    };
    // The event-loop delay while the worker's jobs run concurrently: BullMQ renews a job's lock every
    // WORKER_LOCK_MS / 2 from a timer, so a delay near that margin would lose locks mid-render.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    await runBare();
    await runHandler();
    loopDelay.enable();
    await runConcurrent();
    await runConcurrent();
    loopDelay.disable();
    await runHandler();
    await runBare();

    const [{ certificates, events, documents }] = (await ds.query(
      `SELECT (SELECT count(*)::int FROM certificate) AS certificates,
              (SELECT count(*)::int FROM outbox_event WHERE name = 'certificate.issued') AS events,
              (SELECT count(*)::int FROM certificate_document) AS documents`,
    )) as Array<{ certificates: number; events: number; documents: number }>;
    const expected = WARM_UP + 4 * N;
    if (certificates !== expected || events !== expected || documents !== expected) {
      throw new Error(`expected ${expected} certificates, events and PDFs; found ${certificates}, ${events}, ${documents}`);
    }
    const rate = (ms: number): number => (N * 1000) / ms;
    const bareRate = rate(Math.min(...bareMs));
    const sequentialRate = rate(Math.min(...handlerMs));
    const workerRate = rate(Math.min(...concurrentMs));
    const fmt = (ms: number): string => `${rate(ms).toFixed(1)}/s`;
    const verdict = (r: number): string => `${r.toFixed(2)} (target ≥ 0.7) ${r >= 0.7 ? 'OK' : 'UNDER TARGET'}`;
    console.log(
      `certificates.bench: one worker issued ${N} certificates through the 'certificates.issue' handler (read, number, sign, render, ` +
        `insert PDF + certificate, outbox, commit on PostgreSQL) at ${workerRate.toFixed(1)}/s with its ${concurrency} concurrent jobs ` +
        `and ${sequentialRate.toFixed(1)}/s one job at a time, vs a bare render+sign loop of the same data ${bareRate.toFixed(1)}/s ` +
        `(best of 2; runs ${concurrentMs.map(fmt).join(', ')} | ${handlerMs.map(fmt).join(', ')} vs ${bareMs.map(fmt).join(', ')}): ` +
        `ratio ${verdict(workerRate / bareRate)}; one job at a time ${verdict(sequentialRate / bareRate)}; ` +
        `${(Math.min(...bareMs) / N).toFixed(1)} ms of render+sign a certificate`,
    );
    const renewalMarginMs = WORKER_LOCK_MS / 2;
    const maxDelayMs = loopDelay.max / 1e6;
    const delayRatio = maxDelayMs / renewalMarginMs;
    console.log(
      `certificates.bench: event-loop delay while ${concurrency} jobs issue at once: max ${maxDelayMs.toFixed(0)} ms, ` +
        `p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, mean ${(loopDelay.mean / 1e6).toFixed(1)} ms; ` +
        `max / lock-renewal margin (${renewalMarginMs} ms) ${delayRatio.toFixed(3)} (target ≤ 0.1) ${delayRatio <= 0.1 ? 'OK' : 'UNDER TARGET'}`,
    );
  });
}

main().catch((e: unknown) => {
  console.error('certificates.bench failed:', e);
  process.exit(1);
});
