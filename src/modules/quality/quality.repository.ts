// SQL on the quality module's own tables: the changed-case list, the facts, the cube and targets.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { CubeDelta, FactRow } from './quality.aggregates.ts';

/** Takes up to `limit` changed case ids; they return to the list if the transaction rolls back. */
export async function takeDirty(trx: Trx, limit: number): Promise<number[]> {
  const { rows } = await sql<{ application_id: string | number }>`
    delete from quality_dirty_cases
     where application_id in (select application_id from quality_dirty_cases
                               order by application_id limit ${limit} for update skip locked)
    returning application_id`.execute(trx);
  return rows.map((r) => Number(r.application_id)).sort((a, b) => a - b);
}

export async function countDirty(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('quality_dirty_cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Serialises refreshes: the decided-first flag reads other cases' facts. */
export async function tryRefreshLock(trx: Trx): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`select pg_try_advisory_xact_lock(hashtext('quality:refresh')) as ok`.execute(trx);
  return rows[0]!.ok;
}

export async function factsByIds(db: DbOrTrx, ids: readonly number[]): Promise<FactRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('quality_case_facts')
    .selectAll()
    .where('application_id', 'in', ids as number[])
    .execute();
  return rows.map((r) => ({ ...r, application_id: Number(r.application_id) }));
}

export async function deleteFacts(trx: Trx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .deleteFrom('quality_case_facts')
    .where('application_id', 'in', ids as number[])
    .execute();
}

export async function insertFacts(trx: Trx, facts: readonly FactRow[]): Promise<void> {
  if (facts.length === 0) return;
  await sql`
    insert into quality_case_facts
    select * from jsonb_populate_recordset(null::quality_case_facts, ${JSON.stringify(facts)}::jsonb)`.execute(
    trx,
  );
}

/**
 * Of the given decided priority facts, those an ordinary case overtook: same district and measure,
 * registered the same day or later, decided strictly earlier.
 */
export async function overtaken(trx: Trx, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  // LATERAL … LIMIT 1: one index probe per priority case, never a join over every fact.
  const { rows } = await sql<{ id: string | number }>`
    select p.application_id as id
      from quality_case_facts p
      cross join lateral (
        select 1 from quality_case_facts o
         where not o.priority and o.decided_on is not null
           and o.district_id = p.district_id and o.measure_id = p.measure_id
           and o.registered_on >= p.registered_on and o.decided_on < p.decided_on
         limit 1) o
     where p.application_id = any(${ids as number[]}::bigint[])`.execute(trx);
  return new Set(rows.map((r) => Number(r.id)));
}

export async function setDecidedFirst(trx: Trx, facts: readonly FactRow[]): Promise<void> {
  const ids = facts.filter((f) => f.decided_first !== null).map((f) => f.application_id);
  const first = facts.filter((f) => f.decided_first === true).map((f) => f.application_id);
  if (ids.length === 0) return;
  await sql`update quality_case_facts set decided_first = application_id = any(${first}::bigint[])
             where application_id = any(${ids}::bigint[])`.execute(trx);
}

const CUBE_MEASURES = [
  'submitted',
  'electronic',
  'decided',
  'on_time',
  'work_days_sum',
  'file_complete',
  'legal_basis',
  'docs_asked',
  'docs_obtained',
  'priority_decided',
  'decided_first',
] as const;

/**
 * Adds the deltas to the cube: reads the rows they touch, adds in TypeScript (the histograms are
 * arrays, and an SQL array sum per row costs more than the whole read), writes them back. Refreshes
 * are serialised by the refresh lock, so nothing else writes the cube meanwhile.
 */
export async function applyDeltas(trx: Trx, deltas: readonly CubeDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += 5000) {
    const chunk = deltas.slice(i, i + 5000);
    const keys = JSON.stringify(
      chunk.map((d) => ({
        month: d.month,
        district_id: d.district_id,
        channel: d.channel,
        measure_id: d.measure_id,
      })),
    );
    // LATERAL: one primary-key probe per key, whatever the planner guesses of the JSON's size.
    const { rows } = await sql<CubeDelta>`
      select c.* from jsonb_to_recordset(${keys}::jsonb) as k(month date, district_id int, channel text, measure_id int)
      cross join lateral (select * from quality_cube q
                           where q.district_id = k.district_id and q.channel = k.channel
                             and q.measure_id = k.measure_id and q.month = k.month) c`.execute(trx);
    const key = (r: CubeDelta) =>
      `${String(r.month).slice(0, 10)}|${r.district_id}|${r.channel}|${r.measure_id}`;
    const existing = new Map(rows.map((r) => [key(r), r]));
    const merged = chunk.map((d) => {
      const row = existing.get(key(d));
      if (!row) return d;
      const out: CubeDelta = { ...d };
      for (const m of CUBE_MEASURES) out[m] = Number(row[m]) + d[m];
      out.work_days_hist = d.work_days_hist.map((x, j) => x + (row.work_days_hist[j] ?? 0));
      out.priority_hist = d.priority_hist.map((x, j) => x + (row.priority_hist[j] ?? 0));
      return out;
    });
    await sql`
      insert into quality_cube as c
      select * from jsonb_populate_recordset(null::quality_cube, ${JSON.stringify(merged)}::jsonb)
      on conflict (district_id, channel, measure_id, month) do update set
        ${sql.raw(CUBE_MEASURES.map((m) => `${m} = excluded.${m}`).join(', '))},
        work_days_hist = excluded.work_days_hist, priority_hist = excluded.priority_hist`.execute(trx);
  }
}

export type CubeRow = CubeDelta;

export interface CubeCut {
  /** First days of months, inclusive. */
  from: string;
  to: string;
  /** A number/string: that value; 0 / '*': all; 'each': every specific value (a breakdown). */
  district: number | 'each';
  channel: string | 'each';
  measure: number | 'each';
}

export async function cubeRows(db: DbOrTrx, cut: CubeCut): Promise<CubeRow[]> {
  let q = db
    .selectFrom('quality_cube')
    .selectAll()
    .where('month', '>=', cut.from)
    .where('month', '<=', cut.to);
  q = cut.district === 'each' ? q.where('district_id', '<>', 0) : q.where('district_id', '=', cut.district);
  q = cut.channel === 'each' ? q.where('channel', '<>', '*') : q.where('channel', '=', cut.channel);
  q = cut.measure === 'each' ? q.where('measure_id', '<>', 0) : q.where('measure_id', '=', cut.measure);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, work_days_sum: Number(r.work_days_sum) }));
}

/** The first month with any data in the cube, 'YYYY-MM-01', or null when it is empty. */
export async function firstMonth(db: DbOrTrx): Promise<string | null> {
  const r = await db
    .selectFrom('quality_cube')
    .select((eb) => eb.fn.min('month').as('m'))
    .where('district_id', '=', 0)
    .where('channel', '=', '*')
    .where('measure_id', '=', 0)
    .executeTakeFirst();
  return (r?.m as string | null | undefined) ?? null;
}

// ------------------------------------------------------------------ programme targets

export async function insertTarget(
  trx: Trx,
  t: {
    indicator_code: string;
    year: number;
    target: number;
    source: string;
    district_id: number | null;
    entered_by: number;
  },
): Promise<number | undefined> {
  const { rows } = await sql<{ id: number }>`
    insert into programme_targets (indicator_code, year, target, source, district_id, entered_by)
    values (${t.indicator_code}, ${t.year}, ${t.target}, ${t.source}, ${t.district_id}, ${t.entered_by})
    on conflict do nothing returning id`.execute(trx);
  return rows[0]?.id;
}

export async function listTargets(
  db: DbOrTrx,
  f: { indicatorCode?: string; year?: number; years?: number[]; districtId?: number | null } = {},
) {
  let q = db
    .selectFrom('programme_targets')
    .selectAll()
    .orderBy('indicator_code')
    .orderBy('year')
    .orderBy('district_id');
  if (f.indicatorCode) q = q.where('indicator_code', '=', f.indicatorCode);
  if (f.year !== undefined) q = q.where('year', '=', f.year);
  if (f.years) q = q.where('year', 'in', f.years.length ? f.years : [-1]);
  if (f.districtId === null) q = q.where('district_id', 'is', null);
  else if (f.districtId !== undefined)
    q = q.where((eb) => eb.or([eb('district_id', 'is', null), eb('district_id', '=', f.districtId!)]));
  return await q.execute();
}

export async function deleteTarget(trx: Trx, id: number) {
  return await trx.deleteFrom('programme_targets').where('id', '=', id).returningAll().executeTakeFirst();
}

// ------------------------------------------------------------------ the set-based rebuild

/** Blocks until no refresh runs (the rebuild must not interleave with one). */
export async function waitRefreshLock(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('quality:refresh'))`.execute(trx);
}

// Histograms from the fine groups (one row per month, district, channel, measure, priority and bucket),
// so the 122 bucket sums run over those rows, not over every case.
const bucketSums = (cond: string) =>
  sql.raw(
    `array[${Array.from({ length: 61 }, (_, i) => `coalesce(sum(n) filter (where ${cond}bucket = ${i}), 0)::int`).join(', ')}]`,
  );
const HIST_SQL = bucketSums('');
const PRIORITY_HIST_SQL = bucketSums('priority and ');

/**
 * Rebuilds facts and cube in one transaction from `facts` (columns as CaseFact) and the working-day
 * index (day → working days up to and including it), with the same rules as factFromCase and
 * cubeDeltas (the test compares the two paths). Changed-case ids are left for the next refresh,
 * which applies them as differences, so nothing committed meanwhile is lost.
 */
export async function rebuildSetBased(
  trx: Trx,
  facts: RawBuilder<unknown>,
  workdays: { days: string[]; n: number[] },
  electronic: readonly string[],
): Promise<void> {
  await sql`create temp table quality_workdays (day date primary key, n integer not null) on commit drop`.execute(
    trx,
  );
  await sql`insert into quality_workdays select unnest(${workdays.days}::date[]), unnest(${workdays.n}::int[])`.execute(
    trx,
  );
  await sql`truncate quality_cube, quality_case_facts`.execute(trx);
  await sql`
    insert into quality_case_facts
    select c.id, c."districtId", c."measureId", c.channel, c.priority,
           date_trunc('month', c."submittedOn"::date)::date,
           case when x.dec then date_trunc('month', c."decidedOn"::date)::date end,
           c."registeredOn"::date,
           case when x.dec then c."decidedOn"::date end,
           case when x.dec then c."deadlineOn" is not null and c."decidedOn"::date <= c."deadlineOn"::date end,
           case when x.dec then greatest(0, w2.n - w1.n - c."pausedDays") end,
           case when x.dec then c."fileComplete" end,
           case when x.dec then c."legalBasis" end,
           case when x.dec then c."docsAsked" else 0 end,
           case when x.dec then c."docsObtained" else 0 end,
           null
      from (${facts}) c
      cross join lateral (select c."decidedOn" is not null and c."registeredOn" is not null as dec) x
      left join quality_workdays w1 on w1.day = c."registeredOn"::date
      left join quality_workdays w2 on w2.day = c."decidedOn"::date`.execute(trx);
  // A priority case was decided first unless an ordinary case of its district and measure, registered
  // the same day or later, was decided before it. One sort instead of a look-up per priority case:
  // walking each district and measure from the latest registration back, the running minimum of the
  // ordinary cases' decision dates is the earliest decision among those registered on or after the
  // row's day (ordinary rows sort before priority rows of the same day). Measured at 10 million cases:
  // the per-case look-up ran for over 25 minutes; this is one pass.
  await sql`
    update quality_case_facts p set decided_first = s.first
      from (select application_id, priority,
                   not coalesce(min(case when not priority then decided_on end) over w < decided_on, false) as first
              from quality_case_facts
             where decided_on is not null
            window w as (partition by district_id, measure_id order by registered_on desc, priority
                         rows between unbounded preceding and current row)) s
     where s.priority and p.application_id = s.application_id`.execute(trx);
  await sql`
    insert into quality_cube (month, district_id, channel, measure_id, submitted, electronic, decided, on_time,
      work_days_sum, work_days_hist, priority_hist, file_complete, legal_basis, docs_asked, docs_obtained,
      priority_decided, decided_first)
    with x as (
        select submitted_month as month, district_id, channel, measure_id, false as priority,
               1 as submitted, (channel = any(${electronic as string[]}::text[]))::int as electronic,
               0 as decided, 0 as on_time, null::int as work_days, 0 as file_complete, 0 as legal_basis,
               0 as docs_asked, 0 as docs_obtained, 0 as priority_decided, 0 as decided_first
          from quality_case_facts where submitted_month is not null
        union all
        select decided_month, district_id, channel, measure_id, priority,
               0, 0, 1, coalesce(on_time::int, 0), work_days, coalesce(file_complete::int, 0),
               coalesce(legal_basis::int, 0), docs_asked, docs_obtained, priority::int,
               coalesce((priority and decided_first)::int, 0)
          from quality_case_facts where decided_month is not null and work_days is not null),
    fine as (
        select month, district_id, channel, measure_id, priority, least(work_days, 60) as bucket,
               count(work_days) as n, sum(submitted) as submitted, sum(electronic) as electronic,
               sum(decided) as decided, sum(on_time) as on_time, sum(work_days) as work_days_sum,
               sum(file_complete) as file_complete, sum(legal_basis) as legal_basis, sum(docs_asked) as docs_asked,
               sum(docs_obtained) as docs_obtained, sum(priority_decided) as priority_decided,
               sum(decided_first) as decided_first
          from x group by 1, 2, 3, 4, 5, 6)
    select month,
           case when grouping(district_id) = 1 then 0 else district_id end,
           case when grouping(channel) = 1 then '*' else channel end,
           case when grouping(measure_id) = 1 then 0 else measure_id end,
           sum(submitted)::int, sum(electronic)::int, sum(decided)::int, sum(on_time)::int,
           coalesce(sum(work_days_sum), 0), ${HIST_SQL}, ${PRIORITY_HIST_SQL},
           sum(file_complete)::int, sum(legal_basis)::int, sum(docs_asked)::int, sum(docs_obtained)::int,
           sum(priority_decided)::int, sum(decided_first)::int
      from fine
     group by month, cube(district_id, channel, measure_id)`.execute(trx);
}

// ------------------------------------------------------------------ the accessibility register

export interface AuditRow {
  id: number;
  office_id: number | null;
  page_path: string | null;
  audited_on: string;
  meets_requirements: boolean;
  findings: string;
  source: string;
  recorded_by: number;
  recorded_at: Date;
}

export async function insertAudit(
  trx: Trx,
  row: {
    office_id: number | null;
    page_path: string | null;
    audited_on: string;
    meets_requirements: boolean;
    findings: string;
    source: string;
    recorded_by: number;
  },
): Promise<number> {
  const r = await trx
    .insertInto('accessibility_audits')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/**
 * Each subject's latest audit on or before `onOrBefore` (the latest day; the one recorded last on that
 * day), or every audit when `all`. Offices limited to `officeIds` when given; pages only if `pages`.
 */
export async function latestAudits(
  db: DbOrTrx,
  onOrBefore: string,
  filter: { officeIds?: readonly number[]; pages?: boolean } = {},
): Promise<AuditRow[]> {
  const offices =
    filter.officeIds === undefined ? sql`true` : sql`office_id = any(${filter.officeIds as number[]}::int[])`;
  const pages = filter.pages === false ? sql`false` : sql`page_path is not null`;
  const { rows } = await sql<AuditRow>`
    select distinct on (office_id, page_path) id, office_id, page_path, audited_on, meets_requirements,
           findings, source, recorded_by, recorded_at
      from accessibility_audits
     where audited_on <= ${onOrBefore}::date
       and ((office_id is not null and ${offices}) or ${pages})
     order by office_id, page_path, audited_on desc, id desc`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Every audit on or before the date, oldest first (the indicator replays them month end by month end). */
export async function auditsUpTo(db: DbOrTrx, onOrBefore: string): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('accessibility_audits')
    .selectAll()
    .where('audited_on', '<=', onOrBefore)
    .orderBy('audited_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
