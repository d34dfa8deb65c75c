// Merging two records of one resident: the contract every module that keeps rows about a person
// fulfils (a `<module>.merge.ts` exporting a PersonReferences), small helpers for it, and the
// registry's own part — the person row itself, households and assignments.
//
// A merge moves each row that names the duplicate to the survivor and records exactly what it did;
// an undo re-creates the duplicate with the same id and moves exactly those rows back. A row that
// cannot move (the survivor already has the one row a person may have) is removed whole and put
// back by the undo; a conflict that needs a person's decision refuses the merge.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './registry.repository.ts';

/** What one module did in a merge: JSON kept in the merge record, enough to undo it exactly. */
export type MovedRows = Record<string, unknown>;

export interface PersonReferences {
  /** A stable name for the merge record, e.g. "applications". */
  name: string;
  /** Every (table, column) naming a person this part handles; a test checks none is missing. */
  covers: readonly { table: string; column: string }[];
  /** Moves the duplicate's rows to the survivor; null when there was nothing to move. */
  move(trx: Trx, from: number, into: number): Promise<MovedRows | null>;
  /** Reverses what move returned. Throws mergeUndoConflict when the rows have changed since. */
  undo(trx: Trx, moved: MovedRows, from: number, into: number): Promise<void>;
}

export const mergeUndoConflict = (table: string) =>
  new AppError(
    'merge_undo_conflict',
    409,
    `The rows of ${table} moved by this merge have changed since; the merge cannot be undone automatically`,
    { table },
  );

export const mergeConflict = (code: string, message: string) => new AppError(code, 409, message);

// Table and column names below are always literals of the calling module, never user input.

/** Moves rows keyed by `id` from one person to another; returns the ids moved. */
export async function moveById(
  trx: Trx,
  table: string,
  column: string,
  from: number,
  into: number,
  extra = sql`true`,
): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    update ${sql.table(table)} set ${sql.ref(column)} = ${into}
    where ${sql.ref(column)} = ${from} and ${extra}
    returning id`.execute(trx);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Moves exactly those rows back; refuses when any of them no longer belongs to the survivor. */
export async function moveBackById(
  trx: Trx,
  table: string,
  column: string,
  ids: readonly number[],
  from: number,
  into: number,
): Promise<void> {
  if (ids.length === 0) return;
  const result = await sql`
    update ${sql.table(table)} set ${sql.ref(column)} = ${from}
    where id = any(${[...ids]}::bigint[]) and ${sql.ref(column)} = ${into}`.execute(trx);
  if (Number(result.numAffectedRows ?? 0) !== ids.length) throw mergeUndoConflict(table);
}

/** Deletes rows and returns them whole (as JSON), for restoreRows. */
export async function removeRows(trx: Trx, table: string, where: ReturnType<typeof sql>): Promise<unknown[]> {
  const { rows } = await sql<{ row: unknown }>`
    delete from ${sql.table(table)} as t where ${where} returning to_jsonb(t) as row`.execute(trx);
  return rows.map((r) => r.row);
}

/** Puts rows removed by removeRows back exactly as they were (same ids, same values). */
export async function restoreRows(trx: Trx, table: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into ${sql.table(table)}
    select * from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
    trx,
  );
}

// ---------------------------------------------------------------- the person row

/** Locks both records (in id order, so two merges never deadlock); returns those that exist. */
export async function lockPersons(trx: Trx, ids: readonly number[]) {
  const { rows } = await sql<{ id: number; district_id: number }>`
    select id, district_id from persons where id = any(${[...ids]}::bigint[]) order by id for update`.execute(
    trx,
  );
  return rows.map((r) => ({ id: Number(r.id), district_id: r.district_id }));
}

/** Deletes the duplicate person (its references moved already) and returns the row as it was. */
export async function removePerson(trx: Trx, id: number): Promise<unknown> {
  const [row] = await removeRows(trx, 'persons', sql`t.id = ${id}`);
  if (!row) throw new AppError('not_found', 404, 'Person not found');
  return row;
}

/** Re-creates a person removed by a merge, with the same id and every value as it was. */
export async function restorePerson(trx: Trx, row: unknown): Promise<void> {
  const id = Number((row as { id: unknown }).id);
  const taken = await sql<{ n: number }>`
    select count(*)::int as n from persons
    where id = ${id} or snils = ${(row as { snils: string }).snils}`.execute(trx);
  if ((taken.rows[0]?.n ?? 0) > 0)
    throw new AppError(
      'merge_undo_conflict',
      409,
      'A person with this id or SNILS exists again; the merge cannot be undone automatically',
      { table: 'persons' },
    );
  await restoreRows(trx, 'persons', [row]);
}

// ---------------------------------------------------------------- registry's own rows

/** Assignments (facts of assignment) follow the person; two of one measure are the survivor's to sort out. */
export const assignmentsMerge: PersonReferences = {
  name: 'assignments',
  covers: [{ table: 'assignments', column: 'person_id' }],
  async move(trx, from, into) {
    const ids = await moveById(trx, 'assignments', 'person_id', from, into);
    return ids.length ? { ids } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'assignments', 'person_id', moved.ids as number[], from, into);
  },
};

/**
 * A person belongs to at most one household. The duplicate's membership moves to a survivor who has
 * none; when the survivor has one, the duplicate's is removed (and restored by the undo).
 */
export const householdMerge: PersonReferences = {
  name: 'household_members',
  covers: [{ table: 'household_members', column: 'person_id' }],
  async move(trx, from, into) {
    const { rows } = await sql<{ household_id: number }>`
      select household_id from household_members where person_id = ${from}`.execute(trx);
    const own = rows[0];
    if (!own) return null;
    const survivor = await sql`select 1 from household_members where person_id = ${into}`.execute(trx);
    if (survivor.rows.length === 0) {
      await sql`update household_members set person_id = ${into} where person_id = ${from}`.execute(trx);
      return { movedHousehold: Number(own.household_id) };
    }
    return { removed: await removeRows(trx, 'household_members', sql`t.person_id = ${from}`) };
  },
  async undo(trx, moved, from, into) {
    if (moved.movedHousehold !== undefined) {
      const result = await sql`
        update household_members set person_id = ${from}
        where person_id = ${into} and household_id = ${moved.movedHousehold as number}`.execute(trx);
      if (Number(result.numAffectedRows ?? 0) !== 1) throw mergeUndoConflict('household_members');
    }
    if (Array.isArray(moved.removed)) await restoreRows(trx, 'household_members', moved.removed);
  },
};

/** A record with its household, for the duplicate review page; the caller audits the read with its reason. */
export async function personForReview(db: DbOrTrx, id: number) {
  const person = await repo.findPerson(db, id);
  if (!person) return undefined;
  return { person, household: await repo.findHouseholdMembers(db, id) };
}
