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
