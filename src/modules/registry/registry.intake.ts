// The applicant's essentials for a batch of submissions (the intake's group commit): one read for all.
import { sql } from 'kysely';
import { type DbOrTrx, PREPARED } from '../../platform/db/database.ts';

/** As personEssentials() for each id; persons that do not exist are absent from the result. */
export async function personsEssentials(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('persons')
    .select(['id', 'district_id', 'categories', 'disability_group'])
    .where('id', '=', sql<number>`any(${ids}::bigint[])`)
    .modifyEnd(PREPARED)
    .execute();
}
