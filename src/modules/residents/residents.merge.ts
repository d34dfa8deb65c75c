// Merging two records of one resident: the portal (ESIA) account follows the survivor when the
// survivor has none. Two accounts are two Gosuslugi identities — not a merge a specialist can
// decide from the registry, so it is refused.
import { sql } from 'kysely';
import { mergeConflict, moveBackById, moveById, type PersonReferences } from '../registry/registry.merge.ts';

export const residentsMerge: PersonReferences = {
  name: 'resident_accounts',
  covers: [{ table: 'resident_accounts', column: 'person_id' }],
  async move(trx, from, into) {
    const both = await sql<{ n: number }>`
      select count(*)::int as n from resident_accounts where person_id in (${from}, ${into})`.execute(trx);
    if ((both.rows[0]?.n ?? 0) > 1)
      throw mergeConflict(
        'merge_two_accounts',
        'Both records have a portal account; they cannot be merged here',
      );
    const ids = await moveById(trx, 'resident_accounts', 'person_id', from, into);
    return ids.length ? { ids } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'resident_accounts', 'person_id', moved.ids as number[], from, into);
  },
};
