// Indicators benchmark: five years of case history generated straight into the tables (INSERT … SELECT
// from generate_series, triggers off, like a bulk load), the aggregates rebuilt once set-based, then
//   - the ministry dashboard's service calls (target < 300 ms) and a district's (< 100 ms), beside the
//     naive query over raw cases for the same main figures;
//   - the incremental refresh cost per 1,000 new events (new submissions and decisions).
//   npm run bench:indicators -- [--applications 10000000] [--persons 20000] [--runs 5]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { naiveDashboardScan } from '../src/modules/applications/applications.quality.ts';
import {
  indicatorBreakdown,
  indicatorSeries,
  indicatorValues,
  listIndicators,
  rebuildAggregates,
  refreshAggregates,
} from '../src/modules/quality/quality.service.ts';
import type { IndicatorFilter } from '../src/modules/quality/quality.types.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { startBenchDatabase } from './support.ts';

const MINISTRY_TARGET_MS = 300;
const DISTRICT_TARGET_MS = 100;

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '10000000' },
    persons: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
  },
});
const total = Number(values.applications);
const persons = Number(values.persons);
const runs = Number(values.runs);
if (!Number.isInteger(total) || total < 1000) throw new Error('--applications must be an integer ≥ 1000');

const log = (s: string) => process.stderr.write(`${s}\n`);
const ms = (t0: number) => Math.round(performance.now() - t0);

// The history ends yesterday; five years back.
const END = new Date();
const START = new Date(END.getTime() - 5 * 365 * 86_400_000);

/**
 * One chunk of applications. t ∈ [0, 1) is the position in the five years: the portal grows from 30 % to
 * 60 % and proactive cases from 3 % to 10 %; 15 % are priority; most cases are decided within 0–28
 * calendar days (about 1 in 6 after the 14-day deadline); 4 % are withdrawn; a recent case is open half
 * the time, an old one 0.3 % (stuck, overdue); 10 % stood waiting for the resident 1–5 days.
 */
async function generate(
  db: Db,
  from: number,
  to: number,
  districtIds: number[],
  measureIds: number[],
  p0: number,
  np: number,
  window: [Date, Date] = [START, END],
) {
  await sql`
    insert into applications (person_id, district_id, measure_id, channel, state, priority, decision_days,
      registered_on, deadline_on, paused_days, decision, decided_at, submitted_at)
    select ${p0}::bigint + floor(r.rp * ${np})::bigint,
           (${districtIds}::int[])[1 + floor(r.rd * ${districtIds.length})::int],
           (${measureIds}::int[])[1 + floor(r.rm * ${measureIds.length})::int],
           c.channel, s.state, r.rpr < 0.15, 10,
           t.reg, t.reg + 14, case when r.rpa < 0.1 then 1 + floor(r.rpa * 50)::int else 0 end,
           case when s.state in ('approved', 'refused') then jsonb_build_object(
             'outcome', s.state, 'on', (t.reg + t.delay)::text,
             'measureTitle', jsonb_build_object('ru', 'Мера', 'en', 'Measure'),
             'legalBasis', jsonb_build_object('ru', case when r.rl < 0.97 then 'ФЗ-178' else '' end, 'en', 'FZ-178'),
             'note', '', 'decidedBy', 'bench') end,
           case when s.state in ('approved', 'refused') then (t.reg + t.delay) + interval '10 hours' end,
           t.sub
      from generate_series(${from}::bigint, ${to - 1}::bigint) g
      cross join lateral (select g as gg, random() as rt, random() as rc, random() as rs, random() as rp, random() as rd,
                                 random() as rm, random() as rpr, random() as rpa, random() as rdl, random() as rl,
                                 random() as rr) r
      cross join lateral (select ${window[0]}::timestamptz + r.rt * (${window[1]}::timestamptz - ${window[0]}::timestamptz) as sub) t0
      cross join lateral (select t0.sub, (t0.sub at time zone 'Europe/Volgograd')::date + (r.rr < 0.3)::int as reg,
                                 floor(power(r.rdl, 1.5) * 28)::int as delay) t
      cross join lateral (select case
          when r.rc < 0.30 + 0.30 * r.rt then 'portal'
          when r.rc < 0.33 + 0.37 * r.rt then 'proactive'
          when r.rc < 0.36 + 0.37 * r.rt then 'post'
          when r.rc < 0.56 + 0.37 * r.rt then 'mfc'
          else 'in_person' end as channel) c
      cross join lateral (select case
          when r.rs < 0.04 then 'withdrawn'
          when t.reg + t.delay >= ${END}::date and r.rs < 0.5 then 'under_review'
          when r.rs < 0.043 then 'under_review'
          when r.rs < 0.20 then 'refused'
          else 'approved' end as state) s`.execute(db);
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the cache and the plans
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const bench = await startBenchDatabase('indicators');
try {
  const db = createDb(bench.url, 4);
  try {
    await migrateToLatest(db);
    let t0 = performance.now();
    await seedRegion(db, bench.url, { persons, seed: 1 });
    log(`seeded ${persons} residents in ${ms(t0)} ms`);
    const districtIds = (await db.selectFrom('districts').select('id').execute()).map((d) => d.id);
    const measureIds = (
      await db.selectFrom('measures').select('id').where('is_active', '=', true).execute()
    ).map((m) => m.id);
    const range = await sql<{
      lo: number;
      n: number;
    }>`select min(id)::int as lo, count(*)::int as n from persons`.execute(db);
    const { lo: p0, n: np } = range.rows[0]!;

    // The bulk load bypasses the changed-case triggers; the rebuild below reads every case once.
    await sql`alter table applications disable trigger quality_mark_cases_insert`.execute(db);
    t0 = performance.now();
    const CHUNK = 500_000;
    for (let from = 0; from < total; from += CHUNK) {
      await generate(db, from, Math.min(total, from + CHUNK), districtIds, measureIds, p0, np);
      log(`  generated ${Math.min(total, from + CHUNK).toLocaleString('en')} applications (${ms(t0)} ms)`);
    }
    const generateMs = ms(t0);
    await sql`alter table applications enable trigger quality_mark_cases_insert`.execute(db);
    await sql`analyze applications`.execute(db);

    t0 = performance.now();
    await rebuildAggregates(db);
    const rebuildMs = ms(t0);
    await sql`analyze quality_cube, quality_case_facts`.execute(db);
    const cubeRows = (await sql<{ n: number }>`select count(*)::int as n from quality_cube`.execute(db))
      .rows[0]!.n;

    // The dashboards: the last twelve full months.
    const month = (d: Date) => d.toISOString().slice(0, 7);
    const to = month(new Date(END.getFullYear(), END.getMonth() - 1, 15));
    const from = month(new Date(END.getFullYear(), END.getMonth() - 12, 15));
    const ministry: IndicatorFilter = { from, to };
    const district: IndicatorFilter = { from, to, districtId: districtIds[0]! };
    const dashboard = async (f: IndicatorFilter) => {
      await indicatorValues(db, f);
      await indicatorBreakdown(db, 'timeliness.decided_on_time', 'district', f);
      await indicatorBreakdown(db, 'accessibility.submitted_electronically', 'channel', f);
      await indicatorSeries(db, 'timeliness.decision_days_median', f);
      await indicatorSeries(db, 'accessibility.submitted_electronically', f);
    };
    const [a, b] = [`${from}-01`, `${month(new Date(END.getFullYear(), END.getMonth(), 15))}-01`];
    if (process.env.QUALITY_PROFILE)
      for (const f of [ministry, district])
        for (const d of listIndicators()) {
          const t = performance.now();
          await indicatorValues(db, f, { codes: [d.code] });
          log(
            `  ${f.districtId ? 'district' : 'ministry'} ${d.code} ${Math.round(performance.now() - t)} ms`,
          );
        }
    const ministryMs = await median(() => dashboard(ministry));
    const districtMs = await median(() => dashboard(district));
    const naiveMinistryMs = await median(() => naiveDashboardScan(db, a, b));
    const naiveDistrictMs = await median(() => naiveDashboardScan(db, a, b, districtIds[0]));

    // Refresh: 500 new submissions and 500 decisions of open cases = 1,000 changed cases, three times.
    const refreshTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      // New submissions of the last day; decisions of open cases (mostly recent ones).
      await generate(db, 0, 500, districtIds, measureIds, p0, np, [
        new Date(END.getTime() - 86_400_000),
        END,
      ]);
      await sql`update applications set state = 'approved', decided_at = now(),
                  decision = jsonb_build_object('outcome', 'approved', 'on', current_date::text,
                    'legalBasis', jsonb_build_object('ru', 'ФЗ-178', 'en', 'FZ-178'))
                where id in (select id from applications where state = 'under_review' limit 500)`.execute(db);
      t0 = performance.now();
      const r = await refreshAggregates(db);
      const took = performance.now() - t0;
      refreshTimes.push((took / r.cases) * 1000);
    }
    refreshTimes.sort((x, y) => x - y);
    const perThousand = Math.round(refreshTimes[1]!);

    const verdict = (t: number, target: number) =>
      `${((t / target) * 100).toFixed(0)}% of the ${target} ms target (${t <= target ? 'met' : 'MISSED'})`;
    console.log(
      [
        `Indicators over ${total.toLocaleString('en')} applications, five years (${from} … ${to} on the dashboards)`,
        `  generate (INSERT … SELECT)        ${generateMs} ms`,
        `  rebuild facts + cube (set-based)  ${rebuildMs} ms; ${cubeRows.toLocaleString('en')} cube rows`,
        `  ministry dashboard (service)      ${ministryMs} ms  ${verdict(ministryMs, MINISTRY_TARGET_MS)}`,
        `    naive scan over raw cases       ${naiveMinistryMs} ms  (${(naiveMinistryMs / ministryMs).toFixed(0)}× slower, main figures only)`,
        `  district dashboard (service)      ${districtMs} ms  ${verdict(districtMs, DISTRICT_TARGET_MS)}`,
        `    naive scan over raw cases       ${naiveDistrictMs} ms  (${(naiveDistrictMs / districtMs).toFixed(0)}× slower, main figures only)`,
        `  refresh per 1,000 changed cases   ${perThousand} ms (median of 3 rounds of 500 new + 500 decided)`,
      ].join('\n'),
    );
  } finally {
    await db.destroy();
  }
} finally {
  await bench.stop();
}
