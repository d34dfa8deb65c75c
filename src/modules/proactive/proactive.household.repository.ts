// SQL for proposals made on life events (proactive.household.ts), beyond what sweeps need.
import type { DbOrTrx } from '../../platform/db/database.ts';

/** The person's open proposals, locked so that no specialist decides one meanwhile. */
export async function openProposalIdsOf(db: DbOrTrx, personId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('proposals')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}
