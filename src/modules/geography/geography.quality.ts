// What the quality indicators read from geography: the population of remote settlements by district.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

export async function remotePopulationByDistrict(
  db: DbOrTrx,
): Promise<{ districtId: number; population: number }[]> {
  const { rows } = await sql<{ districtId: number; population: number }>`
    select district_id as "districtId", sum(population)::int as population
      from settlements where is_remote group by district_id order by district_id`.execute(db);
  return rows;
}
