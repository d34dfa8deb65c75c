import { sql } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';

/** Counts one hit in the current fixed window and returns the window's total. */
export async function countHit(db: DbOrTrx, key: string, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

export async function deleteOldWindows(db: DbOrTrx, before: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
