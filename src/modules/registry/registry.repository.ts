import { type Expression, sql } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import { districtFilter } from '../../platform/auth/scope.ts';
import type { DbOrTrx } from '../../platform/db/database.ts';

export async function findPersonIdBySnils(db: DbOrTrx, snils: string) {
  return await db
    .selectFrom('persons')
    .select(['id', 'district_id'])
    .where('snils', '=', snils)
    .executeTakeFirst();
}

export async function findPerson(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('persons as p')
    .innerJoin('districts as d', 'd.id', 'p.district_id')
    .leftJoin('settlements as s', 's.id', 'p.settlement_id')
    .select([
      'p.id',
      'p.snils',
      'p.last_name',
      'p.first_name',
      'p.patronymic',
      'p.birth_date',
      'p.sex',
      'p.district_id',
      'd.name_ru as district_ru',
      'd.name_en as district_en',
      's.name_ru as settlement_ru',
      's.name_en as settlement_en',
      'p.address',
      'p.phone',
      'p.email',
      'p.preferred_channel',
      'p.categories',
      'p.disability_group',
      'p.monthly_income',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function findHouseholdMembers(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('household_members as me')
    .innerJoin('household_members as m', 'm.household_id', 'me.household_id')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.last_name', 'p.first_name', 'p.patronymic', 'p.birth_date', 'm.relationship'])
    .where('me.person_id', '=', personId)
    .orderBy('p.birth_date')
    .execute();
}

export interface NewPerson {
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  district_id: number;
  address: string;
  email?: string | null;
  phone?: string | null;
}

export async function insertPerson(db: DbOrTrx, person: NewPerson): Promise<number> {
  const row = await db.insertInto('persons').values(person).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function countPersons(db: DbOrTrx, scope: DistrictScope): Promise<number> {
  const row = await db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => districtFilter(eb, 'district_id', scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Names and districts of several persons at once (work queues list many cases). */
export async function personNames(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('persons')
    .select(['id', 'last_name', 'first_name', 'patronymic', 'birth_date', 'district_id'])
    .where('id', 'in', ids)
    .execute();
}

/** Candidates for a name search at the counter, within the reader's districts. */
export async function searchPersons(
  db: DbOrTrx,
  scope: DistrictScope,
  q: { lastName: string; firstName?: string; birthDate?: string },
  limit = 20,
) {
  let query = db
    .selectFrom('persons')
    .select(['id', 'snils', 'last_name', 'first_name', 'patronymic', 'birth_date', 'district_id', 'address'])
    .where('last_name', 'ilike', q.lastName.replace(/[%_\\]/g, '\\$&'))
    .where((eb) => districtFilter(eb, 'district_id', scope));
  if (q.firstName) query = query.where('first_name', 'ilike', `${q.firstName.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.birthDate) query = query.where('birth_date', '=', q.birthDate);
  return await query.orderBy('last_name').orderBy('first_name').limit(limit).execute();
}

/** The few facts a submission needs about its applicant (district for scoping, categories for priority). */
export async function personEssentials(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('persons')
    .select(['id', 'district_id', 'categories', 'disability_group'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** How to reach several persons (the notification service chooses a channel from this). */
export async function contactsOf(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('persons')
    .select([
      'id',
      'last_name',
      'first_name',
      'patronymic',
      'district_id',
      'address',
      'phone',
      'email',
      'preferred_channel',
    ])
    .where('id', '=', sql<number>`any(${ids}::bigint[])`)
    .execute();
}

export async function updatePreferredChannel(
  db: DbOrTrx,
  personId: number,
  channel: 'portal' | 'email' | 'sms' | 'post',
): Promise<void> {
  await db
    .updateTable('persons')
    .set({ preferred_channel: channel, updated_at: new Date() })
    .where('id', '=', personId)
    .where('preferred_channel', '!=', channel)
    .execute();
}

/** A target-group filter over the registry (informing campaigns); every part is optional. */
export interface PersonFilter {
  /** Undefined: every district. */
  districtIds?: number[] | undefined;
  /** Born on or after / on or before (ISO dates), from an age range. */
  bornFrom?: string | undefined;
  bornTo?: string | undefined;
  /** In any of these recipient categories. */
  categories?: string[] | undefined;
  /** Has (true) or has not (false) an active assignment of the measure on the day. */
  assignment?: { measureId: number; active: boolean; asOf: string } | undefined;
  /** Only persons whose id this subquery (another module's, e.g. open proposals) returns. */
  within?: Expression<unknown> | undefined;
}

/** The ids of persons matching a filter, as a query: counted, or copied by INSERT … SELECT. */
export function matchingPersonIds(db: DbOrTrx, f: PersonFilter) {
  let q = db.selectFrom('persons as p').select('p.id');
  if (f.districtIds)
    q = q.where(
      f.districtIds.length === 0
        ? sql<boolean>`false`
        : sql<boolean>`p.district_id = any(${f.districtIds}::int[])`,
    );
  if (f.bornFrom) q = q.where('p.birth_date', '>=', f.bornFrom);
  if (f.bornTo) q = q.where('p.birth_date', '<=', f.bornTo);
  if (f.categories?.length) q = q.where(sql<boolean>`p.categories && ${f.categories}::text[]`);
  const a = f.assignment;
  if (a)
    q = q.where((eb) => {
      const live = eb
        .selectFrom('assignments as a')
        .select(sql`1`.as('one'))
        .whereRef('a.person_id', '=', 'p.id')
        .where('a.measure_id', '=', a.measureId)
        .where('a.status', '=', 'active')
        .where('a.start_date', '<=', a.asOf)
        .where((w) => w.or([w('a.end_date', 'is', null), w('a.end_date', '>=', a.asOf)]));
      return a.active ? eb.exists(live) : eb.not(eb.exists(live));
    });
  if (f.within) q = q.where(sql<boolean>`p.id in (${f.within})`);
  return q;
}

export async function countMatchingPersons(db: DbOrTrx, f: PersonFilter): Promise<number> {
  const row = await db
    .selectFrom(matchingPersonIds(db, f).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
