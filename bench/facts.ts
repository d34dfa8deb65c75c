// Facts streaming benchmark: a throwaway embedded PostgreSQL (bench settings, as bench/seed.ts), the
// synthetic region, ~1 assignment per 3 residents, then streamFacts over everyone, with one lane and two.
// Target: 2.5 million residents well under 15 s on 2 cores (the sweep's whole budget is 20 s).
//   node --import ./src/platform/loader/register.ts bench/facts.ts [--persons 2500000] [--batch 10000]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { streamFacts } from '../src/modules/registry/facts.service.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const TARGET_SECONDS = 15;
const { values } = parseArgs({
  options: { persons: { type: 'string', default: '2500000' }, batch: { type: 'string', default: '10000' } },
});
const persons = Number(values.persons);
const batchSize = Number(values.batch);
const asOf = '2025-06-01';

const bench = await startBenchDatabase('facts');

/** CPU milliseconds used so far by the server processes serving this database. */
async function serverCpu(db: Db): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(f[11]) + Number(f[12])) * 10;
    } catch {} // not Linux, or the process ended
  }
  return ms;
}

async function run(url: string, lanes: number) {
  const db = createDb(url, 6);
  try {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    let n = 0;
    let heap = 0;
    for await (const batch of streamFacts(db, { asOf, batchSize, lanes })) {
      n += batch.length;
      heap = Math.max(heap, process.memoryUsage().heapUsed);
    }
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const seconds = ms / 1000;
    console.log(
      `  lanes=${lanes}: ${n.toLocaleString('en')} residents in ${seconds.toFixed(1)} s ` +
        `(${Math.round(n / seconds).toLocaleString('en')}/s), Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, ` +
        `PostgreSQL CPU ${((await serverCpu(db)) / 1000).toFixed(1)} s, peak heap ${Math.round(heap / 1e6)} MB; ` +
        `${seconds <= TARGET_SECONDS ? 'met' : 'MISSED'} the ${TARGET_SECONDS} s target`,
    );
  } finally {
    await db.destroy();
  }
}

try {
  const url = bench.url;
  const db = createDb(url, 2);
  try {
    await migrateToLatest(db);
    await seedRegion(db, url, { persons, seed: 1, referenceDate: asOf });
    // About a third of residents hold one or two assignments; some suspended or ended.
    await sql`
      insert into assignments (person_id, measure_id, status, basis, amount, start_date, end_date)
      select p.id, m.id, case when p.id % 13 = 0 then 'suspended' when p.id % 17 = 0 then 'ended' else 'active' end,
             'application', 1000, date '2024-01-01' + (p.id % 300)::int,
             case when p.id % 3 = 0 then null else date '2025-12-31' + (p.id % 400)::int end
        from persons p
        join lateral (select id from measures order by md5(p.id::text || id::text) limit 1 + p.id % 2) m on true
       where p.id % 20 < 7`.execute(db);
    await sql`analyze`.execute(db);
  } finally {
    await db.destroy();
  }
  console.log(`streamFacts, batch ${batchSize}, as of ${asOf}:`);
  await run(url, 1);
  await run(url, 2);
} finally {
  await bench.stop();
}
