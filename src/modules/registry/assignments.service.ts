// Facts of assignment (EGISSO): who receives which measure, how much, for which period and on what
// basis. Every change is an assignment_events row; the registry_history trigger keeps the old rows.
//
// States: active ⇄ suspended, and either → ended. A suspension is dated: the ledger accrues nothing
// for a month spent wholly in suspension. Writes take the caller's transaction; a mass extension
// opens its own, as it is one operation over many assignments.
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import * as repo from './assignments.repository.ts';
import type { AssignmentBasis, AssignmentStatus } from './registry.schema.ts';

export type Assignment = repo.AssignmentRow;

export interface NewAssignment {
  personId: number;
  measureId: number;
  basis: AssignmentBasis;
  amount: number;
  startDate: string;
  endDate?: string | null;
  ruleVersionId: number | null;
  parameters: Record<string, unknown>;
  actorId: number | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertDate(value: string | null | undefined, what: string): void {
  if (value != null && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))))
    throw new AppError('invalid_date', 422, `${what} must be a date (YYYY-MM-DD), got "${value}"`);
}

/** Creates an assignment; refuses a second live one of the same measure for the person. */
export async function createAssignment(trx: Trx, a: NewAssignment): Promise<number> {
  assertDate(a.startDate, 'Start date');
  assertDate(a.endDate, 'End date');
  if (a.endDate && a.endDate < a.startDate)
    throw new AppError('invalid_period', 422, 'The end date is before the start date');
  if (!(a.amount >= 0)) throw new AppError('invalid_amount', 422, 'The amount must not be negative');
  await repo.lockPersonMeasure(trx, a.personId, a.measureId);
  const live = await repo.findLive(trx, a.personId, a.measureId, a.startDate);
  if (live)
    throw new AppError(
      'duplicate_assignment',
      409,
      `The person already has assignment ${live.id} of this measure (${live.status}, from ${live.start_date})`,
      { assignmentId: live.id },
    );
  const id = await repo.insertAssignment(trx, {
    person_id: a.personId,
    measure_id: a.measureId,
    basis: a.basis,
    amount: a.amount,
    start_date: a.startDate,
    end_date: a.endDate ?? null,
    rule_version_id: a.ruleVersionId,
    parameters: a.parameters,
    decided_by: a.actorId,
  });
  await repo.insertEvent(trx, {
    assignment_id: id,
    kind: 'created',
    actor_id: a.actorId,
    details: {
      basis: a.basis,
      amount: a.amount,
      start_date: a.startDate,
      end_date: a.endDate ?? null,
      rule_version_id: a.ruleVersionId,
    },
  });
  return id;
}

export interface StateChange {
  /** The day the change takes effect (for an end: the last day of the assignment). */
  date: string;
  reason: string;
  actorId: number | null;
}

/** Which states each change may start from. */
const ALLOWED: Record<'suspended' | 'resumed' | 'ended', AssignmentStatus[]> = {
  suspended: ['active'],
  resumed: ['suspended'],
  ended: ['active', 'suspended'],
};

async function lockFor(trx: Trx, id: number, kind: keyof typeof ALLOWED, change: StateChange) {
  assertDate(change.date, 'Date');
  if (!change.reason.trim()) throw new AppError('reason_required', 422, 'Give the reason for the change');
  const row = await repo.findAssignment(trx, id, true);
  if (!row) throw notFound('Assignment');
  if (!ALLOWED[kind].includes(row.status))
    throw new AppError('invalid_transition', 409, `An assignment that is ${row.status} cannot be ${kind}`, {
      status: row.status,
    });
  if (change.date < row.start_date)
    throw new AppError('invalid_date', 422, `The date is before the assignment starts (${row.start_date})`);
  return row;
}

export async function suspendAssignment(trx: Trx, id: number, change: StateChange): Promise<void> {
  const row = await lockFor(trx, id, 'suspended', change);
  await assertAfterLastPause(trx, id, change.date);
  if (row.end_date && change.date > row.end_date)
    throw new AppError('invalid_date', 422, `The assignment ends on ${row.end_date}`);
  await repo.updateState(trx, id, { status: 'suspended' });
  await event(trx, id, 'suspended', change);
}

export async function resumeAssignment(trx: Trx, id: number, change: StateChange): Promise<void> {
  await lockFor(trx, id, 'resumed', change);
  await assertAfterLastPause(trx, id, change.date);
  await repo.updateState(trx, id, { status: 'active' });
  await event(trx, id, 'resumed', change);
}

/** Ends an assignment on `date` (its last day); an earlier end date it already had is kept. */
export async function endAssignment(trx: Trx, id: number, change: StateChange): Promise<void> {
  const row = await lockFor(trx, id, 'ended', change);
  const endDate = row.end_date && row.end_date < change.date ? row.end_date : change.date;
  await repo.updateState(trx, id, { status: 'ended', end_date: endDate });
  await event(trx, id, 'ended', { ...change, date: endDate }, { previous_end_date: row.end_date });
}

/** Suspensions and resumptions must be dated in order, or the ledger could not tell the months apart. */
async function assertAfterLastPause(trx: Trx, id: number, date: string): Promise<void> {
  const last = await repo.lastPauseEvent(trx, id);
  const lastDate = last?.details.date;
  if (typeof lastDate === 'string' && date < lastDate)
    throw new AppError('invalid_date', 422, `The date is before the last ${last?.kind} (${lastDate})`);
}

async function event(
  trx: Trx,
  id: number,
  kind: 'suspended' | 'resumed' | 'ended',
  change: StateChange,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await repo.insertEvent(trx, {
    assignment_id: id,
    kind,
    actor_id: change.actorId,
    details: { date: change.date, reason: change.reason, ...extra },
  });
}

/** Assignments in force on asOf: status active and the period covering the day. */
export async function activeAssignmentsFor(
  db: DbOrTrx,
  personId: number,
  asOf: string,
): Promise<Assignment[]> {
  return await repo.activeOn(db, personId, asOf);
}

export type AssignmentWithMeasure = Assignment & {
  measure_code: string;
  measure_title_ru: string;
  measure_title_en: string;
};

/** Every assignment of the person, newest first, with the measure's code and titles. */
export async function assignmentsForPerson(db: DbOrTrx, personId: number): Promise<AssignmentWithMeasure[]> {
  const rows = await repo.forPerson(db, personId);
  const measures = new Map(
    (await measureRefs(db, { ids: [...new Set(rows.map((r) => r.measure_id))] })).map((m) => [m.id, m]),
  );
  return rows.map((r) => {
    const m = measures.get(r.measure_id);
    return {
      ...r,
      measure_code: m?.code ?? `#${r.measure_id}`,
      measure_title_ru: m?.title_ru ?? '',
      measure_title_en: m?.title_en ?? '',
    };
  });
}

export const assignmentEvents = repo.eventsFor;

export async function findAssignment(db: DbOrTrx, id: number): Promise<Assignment | undefined> {
  return await repo.findAssignment(db, id);
}

// ------------------------------------------------------------ mass extension

export interface MassExtension {
  measureCodes: string[];
  months: number;
  reason: string;
  actorId: number | null;
  /** Assignments still running on this day (end date on or after it) are extended. */
  asOf: string;
}

/**
 * Prolongs every active assignment of the measures, without applications, by `months` — in one
 * transaction and one statement, whatever the number. Reversible through revertMassExtension.
 */
export async function massExtend(db: Db, m: MassExtension): Promise<{ batchId: number; affected: number }> {
  assertDate(m.asOf, 'Date');
  if (!Number.isInteger(m.months) || m.months < 1 || m.months > 36)
    throw new AppError('invalid_months', 422, 'Months must be a whole number from 1 to 36');
  if (!m.reason.trim()) throw new AppError('reason_required', 422, 'Give the reason for the extension');
  const codes = [...new Set(m.measureCodes)];
  const measures = await measureRefs(db, { codes });
  const unknown = codes.filter((c) => !measures.some((x) => x.code === c));
  if (codes.length === 0 || unknown.length > 0)
    throw new AppError('unknown_measure', 422, `Unknown measure: ${unknown.join(', ') || '(none given)'}`, {
      unknown,
    });
  return await db.transaction().execute(async (trx) => {
    const batchId = await repo.insertMassExtension(trx, {
      measure_codes: codes,
      months: m.months,
      reason: m.reason,
      created_by: m.actorId,
    });
    const affected = await repo.extendAll(trx, {
      batchId,
      measureIds: measures.map((x) => x.id),
      months: m.months,
      asOf: m.asOf,
      actorId: m.actorId,
      reason: m.reason,
    });
    await repo.setAffected(trx, batchId, affected);
    return { batchId, affected };
  });
}

/**
 * Restores the end dates a mass extension moved ('reverted' events). A batch is reverted once;
 * assignments changed since the extension keep their later end date and are counted as skipped.
 */
export async function revertMassExtension(
  db: Db,
  batchId: number,
  actorId: number | null,
): Promise<{ reverted: number; skipped: number }> {
  return await db.transaction().execute(async (trx) => {
    const batch = await repo.lockMassExtension(trx, batchId);
    if (!batch) throw notFound('Mass extension');
    if (batch.reverted_at)
      throw new AppError('already_reverted', 409, 'This mass extension has already been reverted');
    const result = await repo.revertAll(trx, { batchId, actorId });
    await repo.markReverted(trx, batchId, actorId);
    return result;
  });
}

export const listMassExtensions = repo.listMassExtensions;
