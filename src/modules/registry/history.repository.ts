// Reads of registry_history: the trigger stores each row as it was before an UPDATE or DELETE, with
// changed_at. So the state of a row at a moment is the old row of its first change after that moment,
// or, when it has not changed since, the row as it is now.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

export type HistoryTable = 'persons' | 'households' | 'household_members' | 'assignments';
export type Row = Record<string, unknown>;

/** The first change after `at` of each row: its old row is the row's state at `at`. */
export async function firstChangesAfter(db: DbOrTrx, table: HistoryTable, rowIds: number[], at: Date) {
  if (rowIds.length === 0) return new Map<number, { operation: string; old_row: Row }>();
  const { rows } = await sql<{ row_id: number; operation: string; old_row: Row }>`
    select distinct on (row_id) row_id, operation, old_row
      from registry_history
     where table_name = ${table} and row_id = any(${rowIds}::bigint[]) and changed_at > ${at}
     order by row_id, changed_at, id`.execute(db);
  return new Map(rows.map((r) => [Number(r.row_id), r]));
}

/** Current rows as JSON, shaped like the trigger's old_row (to_jsonb of the row). */
export async function currentRows(db: DbOrTrx, table: HistoryTable, keyColumn: string, ids: number[]) {
  if (ids.length === 0) return new Map<number, Row>();
  const { rows } = await sql<{ key: number; row: Row }>`
    select ${sql.ref(keyColumn)} as key, to_jsonb(t) as row
      from ${sql.table(table)} t where ${sql.ref(keyColumn)} = any(${ids}::bigint[])`.execute(db);
  return new Map(rows.map((r) => [Number(r.key), r.row]));
}

/** Persons whose membership row, as recorded after `at`, was once in the household. */
export async function formerMemberIds(db: DbOrTrx, householdId: number, at: Date): Promise<number[]> {
  const { rows } = await sql<{ row_id: number }>`
    select distinct row_id from registry_history
     where table_name = 'household_members' and changed_at > ${at}
       and (old_row ->> 'household_id')::bigint = ${householdId}`.execute(db);
  return rows.map((r) => Number(r.row_id));
}

export async function currentMemberIds(db: DbOrTrx, householdId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('household_members')
    .select('person_id')
    .where('household_id', '=', householdId)
    .execute();
  return rows.map((r) => r.person_id);
}

export async function assignmentIdsOf(db: DbOrTrx, personId: number): Promise<number[]> {
  const rows = await db.selectFrom('assignments').select('id').where('person_id', '=', personId).execute();
  return rows.map((r) => r.id);
}

/** District code and remoteness of a place, for facts rebuilt from history. */
export async function place(db: DbOrTrx, districtId: number, settlementId: number | null) {
  const { rows } = await sql<{ code: string; remote: boolean }>`
    select d.code, coalesce(s.is_remote, false) as remote
      from districts d left join settlements s on s.id = ${settlementId}
     where d.id = ${districtId}`.execute(db);
  return rows[0];
}

/** Recorded changes of rows, newest first, for the staff view's change history. */
export async function changesOf(db: DbOrTrx, rows: { table: HistoryTable; ids: number[] }[], limit: number) {
  const wanted = rows.filter((r) => r.ids.length > 0);
  if (wanted.length === 0) return [];
  const { rows: found } = await sql<{
    id: number;
    table_name: HistoryTable;
    row_id: number;
    changed_at: Date;
    operation: 'UPDATE' | 'DELETE';
    old_row: Row;
  }>`
    select id, table_name, row_id, changed_at, operation, old_row from registry_history
     where ${sql.join(
       wanted.map((r) => sql`(table_name = ${r.table} and row_id = any(${r.ids}::bigint[]))`),
       sql` or `,
     )}
     order by changed_at desc, id desc limit ${limit}`.execute(db);
  return found;
}
