// SQL behind life events reported by other agencies (births, deaths, disability decisions).
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { CategoryCode, Relationship, Sex } from './registry.schema.ts';

/** The person a life event names, locked against a concurrent change when `lock` is set. */
export async function personBySnils(db: DbOrTrx, snils: string, lock = false) {
  let query = db
    .selectFrom('persons')
    .select([
      'id',
      'snils',
      'sex',
      'birth_date',
      'district_id',
      'settlement_id',
      'address',
      'categories',
      'disability_group',
      'died_on',
    ])
    .where('snils', '=', snils);
  if (lock) query = query.forUpdate();
  return await query.executeTakeFirst();
}

export async function membershipOf(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('household_members')
    .select(['household_id', 'relationship'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export async function memberIds(db: DbOrTrx, householdId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('household_members')
    .select('person_id')
    .where('household_id', '=', householdId)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => r.person_id);
}

export async function insertHousehold(
  trx: Trx,
  h: { district_id: number; settlement_id: number | null; address: string },
): Promise<number> {
  const row = await trx.insertInto('households').values(h).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMember(
  trx: Trx,
  m: { household_id: number; person_id: number; relationship: Relationship },
): Promise<void> {
  await trx.insertInto('household_members').values(m).execute();
}

/** Removes the person from their household; the history trigger keeps the membership row. */
export async function deleteMembership(trx: Trx, personId: number): Promise<number | undefined> {
  const row = await trx
    .deleteFrom('household_members')
    .where('person_id', '=', personId)
    .returning('household_id')
    .executeTakeFirst();
  return row?.household_id;
}

export interface NewChild {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: Sex;
  district_id: number;
  settlement_id: number | null;
  address: string;
}

export async function insertChild(trx: Trx, child: NewChild): Promise<number> {
  const row = await trx.insertInto('persons').values(child).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setDiedOn(trx: Trx, personId: number, diedOn: string): Promise<void> {
  await trx
    .updateTable('persons')
    .set({ died_on: diedOn, updated_at: sql<Date>`now()` })
    .where('id', '=', personId)
    .execute();
}

export async function setDisability(
  trx: Trx,
  personId: number,
  group: number | null,
  categories: CategoryCode[],
): Promise<void> {
  await trx
    .updateTable('persons')
    .set({ disability_group: group, categories, updated_at: sql<Date>`now()` })
    .where('id', '=', personId)
    .execute();
}

/** Of these persons, the deceased (a partial index keeps this cheap for a whole sweep batch). */
export async function deceasedAmong(db: DbOrTrx, personIds: number[]): Promise<number[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('persons')
    .select('id')
    .where('died_on', 'is not', null)
    .where('id', '=', sql<number>`any(${personIds}::bigint[])`)
    .execute();
  return rows.map((r) => r.id);
}
