// Rules-engine and proactive-sweep benchmark on a region-sized registry: a throwaway embedded PostgreSQL
// (bench settings, as bench/seed.ts), the synthetic region, the rule sets from rules/, then:
//   1. every catalog measure decided for every resident (facts streamed once): persons/s per measure;
//   2. one measure swept end to end (streaming from PostgreSQL, writing proposals), then the inform job;
//   3. one resident's full entitlement check (factsForPerson + evaluateAll), p50 over 1 000 residents;
//   4. three rules by hand in TypeScript over the same facts, and as one SQL count each: the engine's
//      time as a ratio to both;
// with peak memory (RSS, sampled). Each figure is printed beside its target.
//   node --import ./src/platform/loader/register.ts bench/sweep.ts [--persons 2500000] [--measure CODE,CODE]
import { parseArgs } from 'node:util';
import { type RawBuilder, sql } from 'kysely';
import { createSweep, informSweepResidents, runSweep } from '../src/modules/proactive/sweep.service.ts';
import { factsForPerson, sampleResidentIds, streamFacts } from '../src/modules/registry/facts.service.ts';
import type { Facts } from '../src/modules/rules/rules.facts.ts';
import { evaluateAll, importRules, ruleBookAsOf } from '../src/modules/rules/rules.service.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const TARGET = { sweepSeconds: 20, singleMs: 10, handRatio: 3, memoryBytes: 2 * 1024 ** 3 };

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '2500000' },
    seed: { type: 'string', default: '1' },
    // A measure offered proactively with a moderate number of recipients, and a heavy one (10% of residents).
    measure: { type: 'string', default: 'LARGE-FAMILY-UNIFORM,CHILD-BENEFIT' },
    'as-of': { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
});
const persons = Number(values.persons);
const asOf = values['as-of'];
const sweepMeasures = values.measure.split(',').map((m) => m.trim().toUpperCase());

// ---------------------------------------------------------------- memory and output

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 50);
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const n = (v: number) => Math.round(v).toLocaleString('en');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const out = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------- three rules by hand

type Params = Record<string, number>;
interface Hand {
  code: string;
  kind: string;
  decide(f: Facts, p: Params): { eligible: boolean; amount: number | null };
  /** The same count in one SQL statement over the registry tables. */
  sql(p: Params): RawBuilder<{ n: number }>;
}

const ageSql = sql`((${Number(asOf.replaceAll('-', ''))}::int - to_char(p.birth_date, 'YYYYMMDD')::int) / 10000)`;
const householdsSql = sql`
  select m.household_id, round(sum(p.monthly_income) / count(*), 2) as pci, count(*) as size,
         count(*) filter (where m.relationship = 'child' and ${ageSql} < 18) as kids,
         max(${ageSql}) filter (where m.relationship = 'child') as oldest_child
    from household_members m join persons p on p.id = m.person_id group by m.household_id`;

const HAND: Hand[] = [
  {
    code: 'STATE-AID-LOWINC',
    kind: 'income test',
    decide: (f, p) => {
      const pm = p.subsistence_minimum_per_capita!;
      const ok =
        f.person.age >= 18 &&
        f.household.per_capita_income < pm &&
        !f.assignments.includes('STATE-AID-LOWINC');
      if (!ok) return { eligible: false, amount: null };
      const gap = (pm - f.household.per_capita_income) * f.household.size;
      return {
        eligible: true,
        amount: Math.round(Math.min(gap, p.state_social_assistance_max!) * 100) / 100,
      };
    },
    sql: (p) => sql<{ n: number }>`
      with hh as (${householdsSql})
      select count(*)::int as n from persons p
        left join household_members m on m.person_id = p.id left join hh on hh.household_id = m.household_id
       where ${ageSql} >= 18 and coalesce(hh.pci, p.monthly_income) < ${p.subsistence_minimum_per_capita}::numeric
         and not exists (select 1 from assignments a join measures ms on ms.id = a.measure_id
               where a.person_id = p.id and ms.code = 'STATE-AID-LOWINC' and a.status = 'active'
                 and a.start_date <= ${asOf}::date and (a.end_date is null or a.end_date >= ${asOf}::date))`,
  },
  {
    code: 'VETERAN-EDV',
    kind: 'age + category test',
    decide: (f, p) =>
      f.person.categories.includes('labour_veteran') &&
      f.person.age >= (f.person.sex === 'M' ? p.social_support_age_men! : p.social_support_age_women!)
        ? { eligible: true, amount: p.labour_veteran_edv! }
        : { eligible: false, amount: null },
    sql: (p) => sql<{ n: number }>`
      select count(*)::int as n from persons p
       where 'labour_veteran' = any(p.categories)
         and ${ageSql} >= case when p.sex = 'M' then ${p.social_support_age_men}::numeric else ${p.social_support_age_women}::numeric end`,
  },
  {
    code: 'CHILD-BENEFIT',
    kind: 'children test',
    decide: (f, p) => {
      const h = f.household;
      const ok =
        f.person.age >= 18 &&
        h.children_ages.every((a) => a < f.person.age) &&
        h.children_under_18 >= 1 &&
        h.per_capita_income <= p.subsistence_minimum_per_capita!;
      if (!ok) return { eligible: false, amount: null };
      const rate = h.single_parent ? p.child_benefit_single_parent! : p.child_benefit_base!;
      return { eligible: true, amount: rate * h.children_under_18 };
    },
    sql: (p) => sql<{ n: number }>`
      with hh as (${householdsSql})
      select count(*)::int as n from persons p
        join household_members m on m.person_id = p.id join hh on hh.household_id = m.household_id
       where ${ageSql} >= 18 and coalesce(hh.oldest_child, -1) < ${ageSql} and hh.kids >= 1
         and hh.pci <= ${p.subsistence_minimum_per_capita}::numeric`,
  },
];

// ---------------------------------------------------------------- the runs

async function decideEveryMeasure(db: Db) {
  const book = await ruleBookAsOf(db, asOf);
  const engine = new Map(book.rules.map((r) => [r.measureCode, { ms: 0, eligible: 0 }]));
  // Engine against hand-written code: both timed on the same batch, twice in alternating order, the
  // faster run of each kept, so a garbage-collection pause does not land on one side only.
  const duel = new Map(HAND.map((h) => [h.code, { engineMs: 0, handMs: 0, eligible: 0 }]));
  let residents = 0;
  let waitMs = 0;
  const started = performance.now();
  const it = streamFacts(db, { asOf })[Symbol.asyncIterator]();
  for (;;) {
    const t0 = performance.now();
    const next = await it.next();
    waitMs += performance.now() - t0;
    if (next.done) break;
    const batch = next.value;
    residents += batch.length;
    for (const rule of book.rules) {
      const m = engine.get(rule.measureCode)!;
      const t = performance.now();
      for (const r of batch) if (rule.decide(r.facts, book.params).eligible) m.eligible++;
      m.ms += performance.now() - t;
    }
    for (const h of HAND) {
      const rule = book.byMeasure.get(h.code);
      if (rule) timeDuel(duel.get(h.code)!, batch, rule.decide, h.decide, book.params);
    }
    sample();
  }
  return { book, engine, duel, residents, waitMs, totalMs: performance.now() - started };
}

type Decide = (f: Facts, p: Params) => { eligible: boolean; amount: number | null };

function timeDuel(
  into: { engineMs: number; handMs: number; eligible: number },
  batch: { facts: Facts }[],
  engine: Decide,
  hand: Decide,
  params: Params,
): void {
  const run = (decide: Decide) => {
    let eligible = 0;
    const t = performance.now();
    for (const r of batch) if (decide(r.facts, params).eligible) eligible++;
    return { ms: performance.now() - t, eligible };
  };
  const e1 = run(engine);
  const h1 = run(hand);
  const h2 = run(hand);
  const e2 = run(engine);
  into.engineMs += Math.min(e1.ms, e2.ms);
  into.handMs += Math.min(h1.ms, h2.ms);
  into.eligible += h1.eligible;
}

async function sweepOne(db: Db, sweepMeasure: string) {
  const sweepId = await db
    .transaction()
    .execute((trx) =>
      createSweep(trx, { measureCode: sweepMeasure, asOf, autoAssign: false, actorId: null }),
    );
  const started = performance.now();
  const figures = await runSweep(db, sweepId, sample);
  const seconds = (performance.now() - started) / 1000;
  // Telling residents is the sweep's follow-up job (one statement for all of them), timed apart.
  const informStarted = performance.now();
  const told = await informSweepResidents(db, sweepId);
  return { ...figures, seconds, told, informSeconds: (performance.now() - informStarted) / 1000 };
}

async function singleChecks(db: Db, book: Awaited<ReturnType<typeof ruleBookAsOf>>) {
  const ids = await sampleResidentIds(db, 1000, 42);
  const times: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    evaluateAll(book, await factsForPerson(db, id, asOf));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: times[times.length - 1]! };
}

async function sqlCounts(db: Db, params: Params) {
  const result = new Map<string, { ms: number; eligible: number }>();
  for (const h of HAND) {
    const t = performance.now();
    const { rows } = await h.sql(params).execute(db);
    result.set(h.code, { ms: performance.now() - t, eligible: rows[0]!.n });
  }
  return result;
}

// ---------------------------------------------------------------- main

const bench = await startBenchDatabase('sweep');

try {
  const url = bench.url;
  const db = createDb(url, 4);
  try {
    await migrateToLatest(db);
    await migrateJobQueue(url); // the sweep enqueues its inform job
    note(`Seeding ${n(persons)} residents…`);
    const seeded = await seedRegion(db, url, { persons, seed: Number(values.seed), referenceDate: asOf });
    const imported = await importRules(db);
    note(
      `Seeded in ${(seeded.timings.total / 1000).toFixed(1)} s; ${imported.versions} rule versions imported`,
    );
    await sql`vacuum analyze`.execute(db);
    // The seed itself is not what is measured: start the memory peak afresh.
    peakRss = process.memoryUsage().rss;

    out(`Rules engine and proactive sweep on ${n(persons)} residents as of ${asOf}`);
    out();
    note('1/4 deciding every measure for every resident…');
    const all = await decideEveryMeasure(db);
    const decideMs = [...all.engine.values()].reduce((s, m) => s + m.ms, 0);
    out(`1. Every measure (${all.book.rules.length}) decided for every resident, facts streamed once`);
    out('   measure                     eligible     persons/s');
    for (const [code, m] of [...all.engine].sort((a, b) => a[0].localeCompare(b[0])))
      out(
        `   ${code.padEnd(26)} ${n(m.eligible).padStart(10)} ${n(all.residents / (m.ms / 1000)).padStart(13)}`,
      );
    out(
      `   total ${(all.totalMs / 1000).toFixed(1)} s: streaming facts ${(all.waitMs / 1000).toFixed(1)} s (waiting on PostgreSQL), ` +
        `decide ${(decideMs / 1000).toFixed(1)} s = ${n((all.residents * all.book.rules.length) / (decideMs / 1000))} decisions/s`,
    );
    out();

    for (const sweepMeasure of sweepMeasures) {
      note(`2/4 sweeping ${sweepMeasure}…`);
      const sweep = await sweepOne(db, sweepMeasure);
      out(
        `2. Sweep of ${sweepMeasure} end to end (stream facts from PostgreSQL, decide, explain, write proposals)`,
      );
      out(
        `   ${sweep.seconds.toFixed(1)} s for ${n(sweep.processed)} residents, ${n(sweep.eligible)} entitled, ` +
          `${n(sweep.proposalsCreated)} proposals — target < ${TARGET.sweepSeconds} s: ${verdict(sweep.seconds < TARGET.sweepSeconds)}`,
      );
      out(`   then the inform job: ${n(sweep.told)} inbox messages in ${sweep.informSeconds.toFixed(1)} s`);
    }
    out();

    note('3/4 single-resident checks…');
    const single = await singleChecks(db, all.book);
    out('3. One resident, every measure (factsForPerson + evaluateAll), 1 000 random residents');
    out(
      `   p50 ${single.p50.toFixed(2)} ms, p95 ${single.p95.toFixed(2)} ms, max ${single.max.toFixed(1)} ms — ` +
        `target p50 < ${TARGET.singleMs} ms: ${verdict(single.p50 < TARGET.singleMs)}`,
    );
    out();

    note('4/4 SQL counts…');
    const counts = await sqlCounts(db, all.book.params);
    out('4. Engine against the same rules by hand (TypeScript, same facts) and as one SQL count');
    for (const h of HAND) {
      const e = all.engine.get(h.code);
      const d = all.duel.get(h.code)!;
      const q = counts.get(h.code)!;
      if (!e) {
        out(`   ${h.code}: no rule in force — skipped`);
        continue;
      }
      const same = e.eligible === d.eligible && e.eligible === q.eligible;
      const ratioHand = d.engineMs / d.handMs;
      out(
        `   ${h.code} (${h.kind}): eligible engine ${n(e.eligible)}, by hand ${n(d.eligible)}, SQL ${n(q.eligible)}${same ? '' : '  MISMATCH'}`,
      );
      out(
        `     engine ${d.engineMs.toFixed(0)} ms, by hand ${d.handMs.toFixed(0)} ms: ${ratioHand.toFixed(2)}x — target within ${TARGET.handRatio}x: ${verdict(ratioHand <= TARGET.handRatio)}`,
      );
      out(
        `     SQL ${q.ms.toFixed(0)} ms: engine decide ${(d.engineMs / q.ms).toFixed(2)}x of SQL; ` +
          `engine with fact streaming ${((d.engineMs + all.waitMs) / q.ms).toFixed(2)}x of SQL`,
      );
    }
    out();
    clearInterval(sampler);
    sample();
    out(
      `Peak memory (RSS) ${mib(peakRss)} — target < ${mib(TARGET.memoryBytes)}: ${verdict(peakRss < TARGET.memoryBytes)}`,
    );
  } finally {
    await db.destroy();
  }
} finally {
  clearInterval(sampler);
  await bench.stop();
}
