// Interagency exchange benchmark on a throwaway embedded PostgreSQL with the synthetic region:
// --requests requests (every request type, round robin over residents) go through the agency
// simulator over real HTTP with --error-rate transient errors (500 INTERNAL on SendRequest and
// GetResponse), sent and polled by the real graphile-worker tasks with retries, until every one is
// answered. Prints requests per second end to end and how many retries it took.
//   node --import ./src/platform/loader/register.ts bench/interagency.ts [--requests 2000]
//        [--persons 20000] [--error-rate 0.1] [--concurrency 8]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { REQUEST_TYPES } from '../src/modules/interagency/interagency.protocol.ts';
import { createRequests } from '../src/modules/interagency/interagency.service.ts';
import { interagencyTasks } from '../src/modules/interagency/interagency.tasks.ts';
import type { Config } from '../src/platform/config.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue, startWorker } from '../src/platform/jobs/jobs.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { dbRegistry } from '../src/simulators/agency/agency.registry.ts';
import { startAgencySimulator } from '../src/simulators/agency/agency.simulator.ts';
import { startBenchDatabase } from './support.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    persons: { type: 'string', default: '20000' },
    'error-rate': { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '8' },
  },
});
const total = Number(values.requests);
const errorRate = Number(values['error-rate']);
const concurrency = Number(values.concurrency);
const n = (v: number) => Math.round(v).toLocaleString('en');
const note = (line: string) => process.stderr.write(`${line}\n`);

const bench = await startBenchDatabase('interagency');
try {
  const db = createDb(bench.url, concurrency + 6);
  try {
    note('migrating…');
    await migrateToLatest(db);
    await migrateJobQueue(bench.url);
    note(`seeding ${n(Number(values.persons))} residents…`);
    await seedRegion(db, bench.url, { persons: Number(values.persons), seed: 1 });
    const sim = await startAgencySimulator({
      registry: dbRegistry(db),
      controlKey: 'bench',
      settings: { errorRate },
    });
    const config = {
      agency: {
        url: sim.url,
        pollIntervalMs: 50,
        retryBaseMs: 50,
        timeoutMs: 5000,
        resendAfterMs: 3_600_000,
      },
      storage: { kind: 'local', dir: mkdtempSync(join(tmpdir(), 'opora-bench-blobs-')) },
    } as Config;
    const persons = await db
      .selectFrom('persons')
      .select(['id', 'district_id'])
      .orderBy('id')
      .limit(total)
      .execute();
    note(`creating ${n(total)} requests…`);
    const started = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < total; i += 500) {
      const batch = Array.from({ length: Math.min(500, total - i) }, (_, k) => {
        const p = persons[(i + k) % persons.length]!;
        return {
          type: REQUEST_TYPES[(i + k) % REQUEST_TYPES.length]!,
          measureDocumentId: null,
          applicationId: null,
          personId: p.id,
          districtId: p.district_id,
          dueOn: '2030-01-01',
        };
      });
      ids.push(...(await db.transaction().execute((trx) => createRequests(trx, batch))));
    }
    const worker = await startWorker({
      connectionString: bench.url,
      tasks: interagencyTasks(db, config),
      concurrency,
    });
    let open = total;
    let ticks = 0;
    try {
      while (open > 0) {
        await new Promise((r) => setTimeout(r, 200));
        const row = await db
          .selectFrom('interagency_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', ['pending', 'sent'])
          .executeTakeFirstOrThrow();
        open = Number(row.n);
        if (++ticks % 25 === 0) {
          const by = await db
            .selectFrom('interagency_requests')
            .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('status')
            .execute();
          const jobs = await sql<{
            task_identifier: string;
            n: number;
            attempts: number;
            last_error: string | null;
          }>`
            select task_identifier, count(*)::int as n, max(attempts) as attempts, max(last_error) as last_error, max(extract(epoch from run_at - now()))::int as due_in, bool_or(locked_at is not null) as locked
            from graphile_worker.jobs group by task_identifier`.execute(db);
          note(
            `open ${n(open)}: ${by.map((b) => `${b.status} ${b.n}`).join(', ')}; gateway ${JSON.stringify(sim.stats())}`,
          );
          note(`  jobs ${JSON.stringify(jobs.rows)}`);
        }
      }
    } finally {
      await worker.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const summary = await db
      .selectFrom('interagency_requests')
      .select([
        'status',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>('attempts').as('attempts'),
      ])
      .groupBy('status')
      .execute();
    const stats = sim.stats();
    await sim.close();
    const answered = Number(summary.find((s) => s.status === 'answered')?.n ?? 0);
    const failed = Number(summary.find((s) => s.status === 'failed')?.n ?? 0);
    const sendAttempts = summary.reduce((a, s) => a + Number(s.attempts), 0);
    console.log(`requests:              ${n(total)} (${REQUEST_TYPES.length} request types, 6 agencies)`);
    console.log(
      `answered:              ${n(answered)}; agency errors (NOT_FOUND etc.): ${n(failed)}; lost: ${n(total - answered - failed)}`,
    );
    console.log(
      `time:                  ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(1)} requests/s end to end`,
    );
    console.log(
      `transient errors:      ${n(stats.transientErrors)} answered 500 by the gateway (error rate ${errorRate})`,
    );
    console.log(
      `send retries:          ${n(sendAttempts - total)} (attempts ${n(sendAttempts)} for ${n(total)} requests)`,
    );
    console.log(
      `gateway:               accepted ${n(stats.accepted)}, delivered ${n(stats.delivered)}, acknowledged ${n(stats.acknowledged)}`,
    );
    if (answered + failed !== total) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
