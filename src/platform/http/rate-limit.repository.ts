import { sql } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';

/** Counts one hit for the key, opening a new window if the last one has ended. */
export async function countHit(db: DbOrTrx, key: string, windowSeconds: number) {
  const expired = sql<boolean>`rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds})`;
  return await db
    .insertInto('rate_limits')
    .values({ key, window_start: sql`now()` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when ${expired} then 1 else rate_limits.hits + 1 end`,
        window_start: sql`case when ${expired} then now() else rate_limits.window_start end`,
      }),
    )
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
}

export async function deleteOldWindows(db: DbOrTrx, before: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
