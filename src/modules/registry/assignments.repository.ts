// SQL for assignments (facts of assignment, EGISSO), their events and mass extensions.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { AssignmentBasis, AssignmentEventKind, AssignmentStatus } from './registry.schema.ts';

export interface NewAssignmentRow {
  person_id: number;
  measure_id: number;
  basis: AssignmentBasis;
  amount: number;
  start_date: string;
  end_date: string | null;
  rule_version_id: number | null;
  parameters: Record<string, unknown>;
  decided_by: number | null;
}

const columns = [
  'a.id',
  'a.person_id',
  'a.measure_id',
  'a.status',
  'a.basis',
  'a.amount',
  'a.start_date',
  'a.end_date',
  'a.rule_version_id',
  'a.parameters',
  'a.decided_by',
  'a.decided_at',
] as const;

/** Serialises decisions about one person and measure, so two clerks cannot assign it twice at once. */
export async function lockPersonMeasure(trx: Trx, personId: number, measureId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`assignment:${personId}:${measureId}`}, 0))`.execute(
    trx,
  );
}

/** A live (active or suspended) assignment of the measure whose period reaches `from` or later. */
export async function findLive(db: DbOrTrx, personId: number, measureId: number, from: string) {
  return await db
    .selectFrom('assignments as a')
    .select(columns)
    .where('a.person_id', '=', personId)
    .where('a.measure_id', '=', measureId)
    .where('a.status', '<>', 'ended')
    .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', from)]))
    .executeTakeFirst();
}

export async function insertAssignment(trx: Trx, row: NewAssignmentRow): Promise<number> {
  const inserted = await trx
    .insertInto('assignments')
    .values({ ...row, parameters: JSON.stringify(row.parameters) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findAssignment(db: DbOrTrx, id: number, forUpdate = false) {
  let query = db.selectFrom('assignments as a').select(columns).where('a.id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return await query.executeTakeFirst();
}

export type AssignmentRow = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;

export async function updateState(
  trx: Trx,
  id: number,
  change: { status: AssignmentStatus; end_date?: string | null },
): Promise<void> {
  await trx
    .updateTable('assignments')
    .set({ ...change, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function insertEvent(
  trx: Trx,
  event: {
    assignment_id: number;
    kind: AssignmentEventKind;
    actor_id: number | null;
    details: Record<string, unknown>;
    batch_id?: number | null;
  },
): Promise<void> {
  await trx
    .insertInto('assignment_events')
    .values({ ...event, details: JSON.stringify(event.details) })
    .execute();
}

/** The latest suspension or resumption, to keep their dates in order. */
export async function lastPauseEvent(db: DbOrTrx, assignmentId: number) {
  return await db
    .selectFrom('assignment_events')
    .select(['kind', 'details'])
    .where('assignment_id', '=', assignmentId)
    .where('kind', 'in', ['suspended', 'resumed'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function activeOn(db: DbOrTrx, personId: number, asOf: string) {
  return await db
    .selectFrom('assignments as a')
    .select(columns)
    .where('a.person_id', '=', personId)
    .where('a.status', '=', 'active')
    .where('a.start_date', '<=', asOf)
    .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', asOf)]))
    .orderBy('a.start_date')
    .execute();
}

export async function forPerson(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('assignments as a')
    .select(columns)
    .where('a.person_id', '=', personId)
    .orderBy('a.start_date', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

export async function eventsFor(db: DbOrTrx, assignmentIds: number[]) {
  if (assignmentIds.length === 0) return [];
  return await db
    .selectFrom('assignment_events')
    .select(['id', 'assignment_id', 'kind', 'batch_id', 'at', 'actor_id', 'details'])
    .where('assignment_id', 'in', assignmentIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

// ------------------------------------------------------------ mass extensions

export async function insertMassExtension(
  trx: Trx,
  row: { measure_codes: string[]; months: number; reason: string; created_by: number | null },
): Promise<number> {
  const inserted = await trx
    .insertInto('mass_extensions')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * One statement: every active assignment of the measures still running on asOf gets its end date
 * moved by `months`, and an 'extended' event records the old and new dates under the batch id.
 */
export async function extendAll(
  trx: Trx,
  p: {
    batchId: number;
    measureIds: number[];
    months: number;
    asOf: string;
    actorId: number | null;
    reason: string;
  },
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with target as (
      select id, end_date from assignments
       where measure_id = any(${p.measureIds}::int[]) and status = 'active'
         and end_date is not null and end_date >= ${p.asOf}::date
       for update
    ),
    moved as (
      update assignments a
         set end_date = (t.end_date + make_interval(months => ${p.months}))::date, updated_at = now()
        from target t where a.id = t.id
      returning a.id, t.end_date as old_end_date, a.end_date as new_end_date
    ),
    logged as (
      insert into assignment_events (assignment_id, kind, batch_id, actor_id, details)
      select id, 'extended', ${p.batchId}, ${p.actorId},
             jsonb_build_object('old_end_date', old_end_date, 'new_end_date', new_end_date, 'reason', ${p.reason}::text)
        from moved
      returning 1
    )
    select count(*)::int as n from logged`.execute(trx);
  return rows[0]?.n ?? 0;
}

export async function setAffected(trx: Trx, batchId: number, affected: number): Promise<void> {
  await trx.updateTable('mass_extensions').set({ affected }).where('id', '=', batchId).execute();
}

export async function lockMassExtension(trx: Trx, batchId: number) {
  return await trx
    .selectFrom('mass_extensions')
    .select(['id', 'reverted_at'])
    .where('id', '=', batchId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Restores the end dates a batch moved, from its 'extended' events. An assignment whose end date
 * changed since (ended early, extended again) is left alone: the later decision stands.
 */
export async function revertAll(
  trx: Trx,
  p: { batchId: number; actorId: number | null },
): Promise<{ reverted: number; skipped: number }> {
  const { rows } = await sql<{ reverted: number; skipped: number }>`
    with extended as (
      select assignment_id, (details ->> 'old_end_date')::date as old_end_date,
             (details ->> 'new_end_date')::date as new_end_date
        from assignment_events where batch_id = ${p.batchId} and kind = 'extended'
    ),
    restored as (
      update assignments a set end_date = e.old_end_date, updated_at = now()
        from extended e
       where a.id = e.assignment_id and a.end_date = e.new_end_date
      returning a.id, e.old_end_date, e.new_end_date
    ),
    logged as (
      insert into assignment_events (assignment_id, kind, batch_id, actor_id, details)
      select id, 'reverted', ${p.batchId}, ${p.actorId},
             jsonb_build_object('restored_end_date', old_end_date, 'reverted_end_date', new_end_date)
        from restored
      returning 1
    )
    select (select count(*) from logged)::int as reverted,
           ((select count(*) from extended) - (select count(*) from logged))::int as skipped`.execute(trx);
  return rows[0] ?? { reverted: 0, skipped: 0 };
}

export async function markReverted(trx: Trx, batchId: number, actorId: number | null): Promise<void> {
  await trx
    .updateTable('mass_extensions')
    .set({ reverted_by: actorId, reverted_at: sql<Date>`now()` })
    .where('id', '=', batchId)
    .execute();
}

export async function listMassExtensions(db: DbOrTrx) {
  return await db
    .selectFrom('mass_extensions')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
