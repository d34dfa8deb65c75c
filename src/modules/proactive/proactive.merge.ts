// Merging two records of one resident: proactive proposals follow the survivor. One open proposal
// per person and measure: when both have one open for a measure, the duplicate's is removed (the
// undo restores it).
import { sql } from 'kysely';
import {
  moveBackById,
  moveById,
  type PersonReferences,
  removeRows,
  restoreRows,
} from '../registry/registry.merge.ts';

export const proactiveMerge: PersonReferences = {
  name: 'proposals',
  covers: [{ table: 'proposals', column: 'person_id' }],
  async move(trx, from, into) {
    const removed = await removeRows(
      trx,
      'proposals',
      sql`t.person_id = ${from} and t.status = 'open' and exists (
        select 1 from proposals s where s.person_id = ${into} and s.measure_id = t.measure_id and s.status = 'open')`,
    );
    const ids = await moveById(trx, 'proposals', 'person_id', from, into);
    return ids.length || removed.length ? { ids, removed } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'proposals', 'person_id', moved.ids as number[], from, into);
    await restoreRows(trx, 'proposals', moved.removed as unknown[]);
  },
};
