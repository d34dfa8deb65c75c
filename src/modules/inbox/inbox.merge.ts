// Merging two records of one resident: the portal inbox follows the survivor.
import { moveBackById, moveById, type PersonReferences } from '../registry/registry.merge.ts';

export const inboxMerge: PersonReferences = {
  name: 'inbox_messages',
  covers: [{ table: 'inbox_messages', column: 'person_id' }],
  async move(trx, from, into) {
    const ids = await moveById(trx, 'inbox_messages', 'person_id', from, into);
    return ids.length ? { ids } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'inbox_messages', 'person_id', moved.ids as number[], from, into);
  },
};
