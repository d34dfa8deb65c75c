import type { DbOrTrx } from '../../platform/db/database.ts';

export async function listDistricts(db: DbOrTrx) {
  return await db
    .selectFrom('districts')
    .select(['id', 'code', 'kind', 'name_ru', 'name_en', 'population', 'remoteness', 'internet_coverage'])
    .orderBy('population', 'desc')
    .execute();
}

export async function findDistrictsByCodes(db: DbOrTrx, codes: string[]) {
  if (codes.length === 0) return [];
  return await db.selectFrom('districts').select(['id', 'code']).where('code', 'in', codes).execute();
}

export async function districtsByIds(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('districts')
    .select(['id', 'code', 'name_ru', 'name_en'])
    .where('id', 'in', ids)
    .orderBy('name_ru')
    .execute();
}

/** The district's social protection centre: the office that signs its letters. */
export async function districtCentre(db: DbOrTrx, districtId: number) {
  return await db
    .selectFrom('offices as o')
    .innerJoin('districts as d', 'd.id', 'o.district_id')
    .select([
      'o.name_ru',
      'o.name_en',
      'o.address_ru',
      'o.address_en',
      'o.phone',
      'd.name_ru as district_ru',
      'd.name_en as district_en',
    ])
    .where('o.district_id', '=', districtId)
    .where('o.kind', '=', 'social_protection_centre')
    .orderBy('o.id')
    .limit(1)
    .executeTakeFirst();
}

const officeColumns = [
  'o.id',
  'o.district_id',
  'o.settlement_id',
  'o.kind',
  'o.name_ru',
  'o.name_en',
  'o.address_ru',
  'o.address_en',
  'o.phone',
  'o.hours',
  'd.name_ru as district_ru',
  'd.name_en as district_en',
] as const;

/** Offices with their district's name; all of them, or those of the given districts. */
export async function listOffices(db: DbOrTrx, filter: { ids?: number[]; districtIds?: number[] } = {}) {
  let q = db
    .selectFrom('offices as o')
    .innerJoin('districts as d', 'd.id', 'o.district_id')
    .select(officeColumns)
    .orderBy('d.name_ru')
    .orderBy('o.kind', 'desc')
    .orderBy('o.name_ru');
  if (filter.ids) q = q.where('o.id', 'in', filter.ids.length ? filter.ids : [-1]);
  if (filter.districtIds)
    q = q.where('o.district_id', 'in', filter.districtIds.length ? filter.districtIds : [-1]);
  return await q.execute();
}

export async function settlementsOfDistrict(db: DbOrTrx, districtId: number) {
  return await db
    .selectFrom('settlements')
    .select(['id', 'district_id', 'kind', 'name_ru', 'name_en', 'population', 'is_remote'])
    .where('district_id', '=', districtId)
    .orderBy('name_ru')
    .execute();
}
