// The SQL behind rule facts: one statement per batch of persons computes ages, household aggregates
// and active assignments in PostgreSQL, so a sweep over the whole region never goes row by row.
//
// Shaped by measurement on 2.5 M residents (2 cores):
// - ages come from width_bucket over precomputed birthday thresholds (~3x cheaper than to_char);
// - the joins read household_members and assignments by the batch's person id range (index range
//   scans) rather than by a semi-join, which the planner turned into sequential scans;
// - household members inside the batch are taken from the batch itself; only members outside it
//   (households straddling a batch boundary, or not numbered together) are read from persons again;
// - each person comes back as one '|'-separated text line: parsing 14 columns per row in node-pg
//   cost twice the CPU of splitting one string, and the Node core also evaluates the rules.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

const MAX_AGE = 150;

/**
 * Birthday thresholds for width_bucket: for k = MAX_AGE … 1, the day after asOf minus k years
 * (29 February falls back to 28 February). A person is at least k on asOf iff born before that day,
 * so the age is MAX_AGE minus the number of thresholds on or before the birth date.
 */
export function ageThresholds(asOf: string): string[] {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const out: string[] = [];
  for (let k = MAX_AGE; k >= 1; k--) {
    const lastDay = new Date(Date.UTC(y - k, m, 0)).getUTCDate();
    const day = new Date(Date.UTC(y - k, m - 1, Math.min(d, lastDay) + 1));
    out.push(day.toISOString().slice(0, 10));
  }
  return out;
}

const ageSql = (birth: RawBuilder<unknown>, thresholds: RawBuilder<unknown>) =>
  sql`(${MAX_AGE} - width_bucket(${birth}, ${thresholds}))`;

export interface Selection {
  asOf: string;
  afterId: number;
  /** Inclusive upper bound on person id, if any. */
  upTo?: number | undefined;
  limit: number;
  districtIds?: number[] | undefined;
  /** Only these persons (the ledger's accruals). */
  personIds?: number[] | undefined;
}

function factsQuery(s: Selection) {
  const th = sql`${ageThresholds(s.asOf)}::date[]`;
  const age = (birth: string) => ageSql(sql.ref(birth), th);
  const asOf = sql`${s.asOf}::date`;
  const filtered = s.districtIds !== undefined || s.personIds !== undefined;
  const where = sql.join(
    [
      sql`p.id > ${s.afterId}`,
      ...(s.upTo !== undefined ? [sql`p.id <= ${s.upTo}`] : []),
      ...(s.districtIds ? [sql`p.district_id = any(${s.districtIds}::int[])`] : []),
      ...(s.personIds ? [sql`p.id = any(${s.personIds}::bigint[])`] : []),
    ],
    sql` and `,
  );
  // Without a filter the batch is every person in (afterId, hi], so the id range alone says who is
  // in it; with a filter, membership must be checked against the batch.
  const inRange = (col: string) =>
    sql`${sql.ref(col)} > ${s.afterId} and ${sql.ref(col)} <= (select hi from hi)`;
  const inBatch = (col: string) =>
    filtered ? sql`${inRange(col)} and ${sql.ref(col)} in (select id from batch)` : inRange(col);
  const outsideBatch = filtered
    ? sql`not exists (select 1 from batch b where b.id = mm.person_id)`
    : sql`not (${inRange('mm.person_id')})`;
  return sql<{ f: string }>`
    with batch as (
      select p.id, p.district_id, p.settlement_id, p.birth_date, p.sex, p.categories,
             p.disability_group, p.monthly_income
        from persons p where ${where} order by p.id limit ${s.limit}
    ),
    hi as (select max(id) as hi from batch),
    homes as (select m.person_id, m.household_id from household_members m where ${inBatch('m.person_id')}),
    members as (
      select m.household_id, m.person_id, m.relationship from household_members m
       where m.household_id = any(array(select household_id from homes))
    ),
    people as (
      select mm.household_id, mm.relationship, b.birth_date, b.monthly_income
        from members mm join batch b on b.id = mm.person_id
      union all
      select mm.household_id, mm.relationship, p.birth_date, p.monthly_income
        from members mm join persons p on p.id = mm.person_id where ${outsideBatch}
    ),
    households as (
      -- Members born after asOf did not exist yet on that day.
      select household_id, count(*)::int as size,
             round(sum(monthly_income) / count(*), 2)::float8 as per_capita_income,
             array_to_string(array_agg(${age('birth_date')}) filter (where relationship = 'child'), ',') as children,
             count(*) filter (where relationship in ('head', 'spouse') and ${age('birth_date')} >= 18) as parents
        from people where birth_date <= ${asOf} group by household_id
    ),
    held as (
      select a.person_id, array_to_string(array_agg(distinct a.measure_id), ',') as measure_ids
        from assignments a
       where ${inBatch('a.person_id')} and a.status = 'active'
         and a.start_date <= ${asOf} and (a.end_date is null or a.end_date >= ${asOf})
       group by a.person_id
    )
    select concat_ws('|', b.id, b.district_id, d.code, coalesce(s.is_remote, false)::int,
             ${age('b.birth_date')}, b.sex, array_to_string(b.categories, ','),
             coalesce(b.disability_group, 0), b.monthly_income, coalesce(h.size, 1),
             coalesce(h.per_capita_income, b.monthly_income::float8), coalesce(h.children, ''),
             coalesce(h.parents = 1 and h.children is not null, false)::int,
             coalesce(held.measure_ids, '')) as f
      from batch b
      join districts d on d.id = b.district_id
      left join settlements s on s.id = b.settlement_id
      left join homes on homes.person_id = b.id
      left join households h on h.household_id = homes.household_id
      left join held on held.person_id = b.id
     order by b.id`;
}

/**
 * One text line per person, in id order: id|district_id|district|remote|age|sex|categories|
 * disability_group|monthly_income|size|per_capita_income|children_ages|single_parent|measure_ids
 * (lists comma-separated, booleans 0/1, every field non-null so positions are fixed).
 */
export async function factsLines(db: DbOrTrx, selection: Selection): Promise<string[]> {
  const { rows } = await factsQuery(selection).execute(db);
  return rows.map((r) => r.f);
}

export async function personFactsLine(db: DbOrTrx, personId: number, asOf: string) {
  const lines = await factsLines(db, { asOf, afterId: personId - 1, upTo: personId, limit: 1 });
  return lines[0];
}

/** Lowest and highest person id, to split a sweep into id ranges. */
export async function personIdRange(db: DbOrTrx): Promise<{ lo: number; hi: number } | undefined> {
  const row = await db
    .selectFrom('persons')
    .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
    .executeTakeFirst();
  return row?.lo == null || row.hi == null ? undefined : { lo: Number(row.lo), hi: Number(row.hi) };
}

/** A deterministic pseudo-random sample: persons ordered by a seeded hash of their id. */
export async function sampleIds(db: DbOrTrx, n: number, seed: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select id from persons order by hashint8extended(id, ${seed}), id limit ${n}`.execute(db);
  return rows.map((r) => r.id);
}
