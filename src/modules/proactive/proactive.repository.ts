// SQL of proactive work: sweeps (a measure evaluated for the whole registry) and the proposals they
// leave for specialists. Only this module's tables, except persons' district for district scoping.
import { sql } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import { districtFilter } from '../../platform/auth/scope.ts';
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { SweepStatus } from './proactive.schema.ts';

// ---------------------------------------------------------------- sweeps

export async function insertSweep(
  db: DbOrTrx,
  s: { measureId: number; asOf: string; startedBy: number | null; autoAssign: boolean },
): Promise<number> {
  const row = await db
    .insertInto('sweeps')
    .values({ measure_id: s.measureId, as_of: s.asOf, started_by: s.startedBy, auto_assign: s.autoAssign })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findSweep(db: DbOrTrx, id: number) {
  return await db.selectFrom('sweeps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSweeps(db: DbOrTrx, limit: number) {
  return await db.selectFrom('sweeps').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/**
 * Takes a sweep to 'running' from any state but 'done', starting its counters afresh — except
 * proposals_created, which keeps what an interrupted run already committed for this sweep.
 * Returns undefined when the sweep is done (a repeated job is then a no-op).
 */
export async function claimSweep(db: DbOrTrx, id: number, total: number) {
  return await db
    .updateTable('sweeps')
    .set({
      status: 'running',
      total,
      processed: 0,
      eligible: 0,
      proposals_created: sql<number>`(select count(*)::int from proposals where sweep_id = ${id})`,
      started_at: sql<Date>`now()`,
      finished_at: null,
      error: null,
    })
    .where('id', '=', id)
    .where('status', '<>', 'done')
    .returningAll()
    .executeTakeFirst();
}

/** Adds one batch's figures; called in the batch's transaction, so counters match committed work. */
export async function addProgress(
  db: DbOrTrx,
  id: number,
  d: { processed: number; eligible: number; created: number },
): Promise<void> {
  await db
    .updateTable('sweeps')
    .set((eb) => ({
      processed: eb('processed', '+', d.processed),
      eligible: eb('eligible', '+', d.eligible),
      proposals_created: eb('proposals_created', '+', d.created),
    }))
    .where('id', '=', id)
    .execute();
}

export async function finishSweep(
  db: DbOrTrx,
  id: number,
  status: Extract<SweepStatus, 'done' | 'failed'>,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('sweeps')
    .set({ status, error, finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------- proposals

export interface NewProposal {
  person_id: number;
  measure_id: number;
  sweep_id: number | null;
  amount: number | null;
  rule_version_id: number;
  parameters: Record<string, number>;
  explanation: unknown;
}

/** Of these persons, those who already have an open proposal for the measure. */
export async function withOpenProposal(
  db: DbOrTrx,
  measureId: number,
  personIds: number[],
): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('proposals')
    .select('person_id')
    .where('measure_id', '=', measureId)
    .where('status', '=', 'open')
    .where('person_id', '=', sql<number>`any(${personIds}::bigint[])`)
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/**
 * One INSERT for the whole batch, as a single JSON parameter (no bind-parameter limit). The unique
 * open-proposal index makes a repeated or concurrent run insert nothing; only new rows come back.
 */
export async function insertProposals(
  db: DbOrTrx,
  rows: NewProposal[],
): Promise<{ id: number; person_id: number }[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await sql<{ id: number; person_id: number }>`
    insert into proposals (person_id, measure_id, sweep_id, amount, rule_version_id, parameters, explanation)
    select r.person_id, r.measure_id, r.sweep_id, r.amount, r.rule_version_id, r.parameters, r.explanation
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        person_id bigint, measure_id int, sweep_id bigint, amount numeric, rule_version_id int,
        parameters jsonb, explanation jsonb)
    on conflict do nothing
    returning id, person_id`.execute(db);
  return inserted;
}

const proposalColumns = [
  'proposals.id',
  'proposals.person_id',
  'proposals.measure_id',
  'proposals.sweep_id',
  'proposals.status',
  'proposals.amount',
  'proposals.rule_version_id',
  'proposals.parameters',
  'proposals.explanation',
  'proposals.created_at',
  'proposals.decided_at',
  'proposals.assignment_id',
  'persons.district_id',
] as const;

/** Open proposals in the districts of the scope, oldest first; joins persons for the district only. */
export async function openProposals(
  db: DbOrTrx,
  scope: DistrictScope,
  page: { limit: number; offset: number; measureId?: number | undefined },
) {
  let query = db
    .selectFrom('proposals')
    .innerJoin('persons', 'persons.id', 'proposals.person_id')
    .select(proposalColumns)
    .where('proposals.status', '=', 'open')
    .where((eb) => districtFilter(eb, 'persons.district_id', scope));
  if (page.measureId !== undefined) query = query.where('proposals.measure_id', '=', page.measureId);
  return await query.orderBy('proposals.id').limit(page.limit).offset(page.offset).execute();
}

export async function countOpenProposals(db: DbOrTrx, scope: DistrictScope): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .innerJoin('persons', 'persons.id', 'proposals.person_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('proposals.status', '=', 'open')
    .where((eb) => districtFilter(eb, 'persons.district_id', scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One proposal; `lock` takes a row lock so two specialists cannot decide it at once. */
export async function findProposal(db: DbOrTrx, id: number, lock = false) {
  let query = db
    .selectFrom('proposals')
    .innerJoin('persons', 'persons.id', 'proposals.person_id')
    .leftJoin('sweeps', 'sweeps.id', 'proposals.sweep_id')
    .select(proposalColumns)
    .select('sweeps.as_of')
    .where('proposals.id', '=', id);
  if (lock) query = query.forUpdate('proposals');
  return await query.executeTakeFirst();
}

export async function decideProposal(
  db: DbOrTrx,
  id: number,
  d: { status: 'accepted' | 'declined'; decidedBy: number | null; assignmentId: number | null },
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({
      status: d.status,
      decided_by: d.decidedBy,
      decided_at: sql<Date>`now()`,
      assignment_id: d.assignmentId,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

/** Proposals of a sweep that ended in an assignment (automatically or by a specialist since). */
export async function countAccepted(db: DbOrTrx, sweepId: number): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sweep_id', '=', sweepId)
    .where('status', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Claims the right to tell a finished sweep's residents; false when it was already done. */
export async function claimInforming(trx: DbOrTrx, sweepId: number): Promise<boolean> {
  const row = await trx
    .updateTable('sweeps')
    .set({ informed_at: sql<Date>`now()` })
    .where('id', '=', sweepId)
    .where('status', '=', 'done')
    .where('informed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Residents with an open proposal from this sweep (accepted ones were told when assigned). */
export async function openProposalPersons(db: DbOrTrx, sweepId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('proposals')
    .select('person_id')
    .where('sweep_id', '=', sweepId)
    .where('status', '=', 'open')
    .execute();
  return rows.map((r) => r.person_id);
}

/** The most recently finished sweep of a measure, or undefined when none has finished. */
export async function latestDoneSweep(db: DbOrTrx, measureId: number) {
  return await db
    .selectFrom('sweeps')
    .select(['id', 'as_of', 'finished_at'])
    .where('measure_id', '=', measureId)
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Persons with an open proposal for the measure, as a subquery (target groups of campaigns). */
export function openProposalPersonsOf(db: DbOrTrx, measureId: number) {
  return db
    .selectFrom('proposals')
    .select('proposals.person_id')
    .where('proposals.measure_id', '=', measureId)
    .where('proposals.status', '=', 'open');
}
