// Assignments for imports of district offices' files (modules/imports): the live assignments of
// many persons at once (to check a file before writing), and a bulk write with the semantics of
// createAssignment (assignments.service.ts) — the same per person-and-measure lock, the same
// "one live assignment of a measure" refusal, a 'created' event per assignment — in three
// statements per batch instead of four round trips per row.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { NewAssignment } from './assignments.service.ts';

/** Active or suspended assignments of the persons (the ones createAssignment would refuse to repeat). */
export async function liveAssignmentsOf(db: DbOrTrx, personIds: number[]) {
  if (personIds.length === 0) return [];
  return await db
    .selectFrom('assignments')
    .select(['id', 'person_id', 'measure_id', 'end_date'])
    .where(sql<boolean>`person_id = any(${personIds}::bigint[])`)
    .where('status', '<>', 'ended')
    .execute();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Creates many assignments at once, as createAssignment would one by one. The caller has checked
 * that the batch itself holds no two overlapping assignments of a measure for a person. Throws
 * AppError('duplicate_assignment', 409) naming the person and measure when the registry has one.
 */
export async function createAssignmentsInBulk(trx: Trx, list: NewAssignment[]): Promise<number[]> {
  if (list.length === 0) return [];
  for (const a of list) {
    if (!ISO_DATE.test(a.startDate) || (a.endDate != null && !ISO_DATE.test(a.endDate)))
      throw new AppError('invalid_date', 422, `Dates must be YYYY-MM-DD (${a.startDate}, ${a.endDate})`);
    if (a.endDate && a.endDate < a.startDate)
      throw new AppError('invalid_period', 422, 'The end date is before the start date');
    if (!(a.amount >= 0)) throw new AppError('invalid_amount', 422, 'The amount must not be negative');
  }
  const rows = list.map((a) => ({
    person_id: a.personId,
    measure_id: a.measureId,
    basis: a.basis,
    amount: a.amount,
    start_date: a.startDate,
    end_date: a.endDate ?? null,
    rule_version_id: a.ruleVersionId,
    parameters: a.parameters,
    decided_by: a.actorId,
  }));
  const json = JSON.stringify(rows);
  // The same lock keys as lockPersonMeasure, taken in a fixed order so two writers cannot deadlock.
  await sql`
    select pg_advisory_xact_lock(hashtextextended('assignment:' || k.person_id || ':' || k.measure_id, 0))
      from (select distinct person_id, measure_id
              from jsonb_to_recordset(${json}::jsonb) as x(person_id bigint, measure_id integer)
             order by person_id, measure_id) k`.execute(trx);
  const { rows: live } = await sql<{
    id: number;
    person_id: number;
    measure_id: number;
    status: string;
    start_date: string;
  }>`
    select a.id, a.person_id, a.measure_id, a.status, a.start_date
      from jsonb_to_recordset(${json}::jsonb) as x(person_id bigint, measure_id integer, start_date date)
      join assignments a on a.person_id = x.person_id and a.measure_id = x.measure_id
     where a.status <> 'ended' and (a.end_date is null or a.end_date >= x.start_date)
     limit 1`.execute(trx);
  const found = live[0];
  if (found)
    throw new AppError(
      'duplicate_assignment',
      409,
      `Person ${found.person_id} already has assignment ${found.id} of this measure (${found.status}, from ${found.start_date})`,
      { assignmentId: found.id, personId: found.person_id, measureId: found.measure_id },
    );
  const { rows: inserted } = await sql<{ id: number }>`
    with x as (
      select * from jsonb_to_recordset(${json}::jsonb) as x(
        person_id bigint, measure_id integer, basis text, amount numeric, start_date date, end_date date,
        rule_version_id integer, parameters jsonb, decided_by integer)
    ),
    made as (
      insert into assignments (person_id, measure_id, basis, amount, start_date, end_date, rule_version_id,
                               parameters, decided_by)
      select person_id, measure_id, basis, amount, start_date, end_date, rule_version_id,
             coalesce(parameters, '{}'), decided_by
        from x
      returning id, basis, amount, start_date, end_date, rule_version_id, decided_by
    ),
    logged as (
      insert into assignment_events (assignment_id, kind, actor_id, details)
      select id, 'created', decided_by,
             jsonb_build_object('basis', basis, 'amount', amount, 'start_date', start_date,
                                'end_date', end_date, 'rule_version_id', rule_version_id)
        from made
      returning assignment_id
    )
    select assignment_id as id from logged order by assignment_id`.execute(trx);
  return inserted.map((r) => r.id);
}
