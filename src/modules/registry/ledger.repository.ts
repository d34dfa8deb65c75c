// SQL for the accrual ledger. Entries are only ever inserted: a correction is a new entry.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { AccrualKind } from './registry.schema.ts';

/**
 * True when the assignment is payable on at least one day of the month [period, monthEnd]: its period
 * overlaps the month and a suspension (from its date until the resumption's date) does not cover
 * all of the overlap. `a` is the assignments row.
 */
export function payableIn(period: RawBuilder<unknown>, monthEnd: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(
    a.start_date <= ${monthEnd} and (a.end_date is null or a.end_date >= ${period})
    and not exists (
      select 1 from (
        select e.kind, (e.details ->> 'date')::date as since,
               lead((e.details ->> 'date')::date) over (order by e.id) as until
          from assignment_events e
         where e.assignment_id = a.id and e.kind in ('suspended', 'resumed')
      ) pause
       where pause.kind = 'suspended'
         and pause.since <= greatest(a.start_date, ${period})
         and (pause.until is null or pause.until > least(coalesce(a.end_date, ${monthEnd}), ${monthEnd}))
    ))`;
}

export interface Candidate {
  id: number;
  person_id: number;
  measure_id: number;
  amount: number;
  rule_version_id: number | null;
  parameters: Record<string, unknown>;
}

/** The next assignments after `afterId` owed a regular accrual for the month and not yet given one. */
export async function unaccrued(
  db: DbOrTrx,
  p: { measureIds: number[]; period: string; monthEnd: string; afterId: number; limit: number },
): Promise<Candidate[]> {
  const { rows } = await sql<Candidate>`
    select a.id, a.person_id, a.measure_id, a.amount, a.rule_version_id, a.parameters
      from assignments a
     where a.measure_id = any(${p.measureIds}::int[]) and a.id > ${p.afterId}
       and ${payableIn(sql`${p.period}::date`, sql`${p.monthEnd}::date`)}
       and not exists (select 1 from accruals x
                        where x.assignment_id = a.id and x.period = ${p.period}::date and x.kind = 'accrual')
     order by a.id limit ${p.limit}`.execute(db);
  return rows;
}

export interface NewEntry {
  assignment_id: number;
  period: string;
  kind: AccrualKind;
  amount: number;
  rule_version_id: number | null;
  parameters: Record<string, unknown>;
  reason: string;
}

/** Inserts entries; a second regular accrual for the same month is skipped, not an error. */
export async function insertEntries(db: DbOrTrx, entries: NewEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = await db
    .insertInto('accruals')
    .values(entries.map((e) => ({ ...e, parameters: JSON.stringify(e.parameters) })))
    .onConflict((oc) => oc.columns(['assignment_id', 'period']).where('kind', '=', 'accrual').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/** Whether the assignment is payable in each month, with what has been booked for it. */
export async function monthsOf(
  trx: Trx,
  assignmentId: number,
  months: { period: string; monthEnd: string }[],
) {
  if (months.length === 0) return [];
  const { rows } = await sql<{ period: string; payable: boolean; booked: number }>`
    select m.period::text as period, ${payableIn(sql.ref('m.period'), sql.ref('m.month_end'))} as payable,
           coalesce((select sum(x.amount) from accruals x where x.assignment_id = a.id and x.period = m.period), 0)::float8 as booked
      from assignments a,
           unnest(${months.map((m) => m.period)}::date[], ${months.map((m) => m.monthEnd)}::date[]) as m(period, month_end)
     where a.id = ${assignmentId}
     order by m.period`.execute(trx);
  return rows;
}

export async function lastAccruedPeriod(db: DbOrTrx, assignmentId: number): Promise<string | undefined> {
  const { rows } = await sql<{ period: string | null }>`
    select max(period)::text as period from accruals where assignment_id = ${assignmentId} and kind = 'accrual'`.execute(
    db,
  );
  return rows[0]?.period ?? undefined;
}

export async function entriesFor(db: DbOrTrx, assignmentIds: number[], limit: number) {
  if (assignmentIds.length === 0) return [];
  return await db
    .selectFrom('accruals')
    .select([
      'id',
      'assignment_id',
      'period',
      'kind',
      'amount',
      'rule_version_id',
      'parameters',
      'reason',
      'created_at',
    ])
    .where('assignment_id', 'in', assignmentIds)
    .orderBy('period', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
