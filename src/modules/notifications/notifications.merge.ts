// Merging two records of one resident: the outbox follows the survivor; the duplicate's settings
// (language, campaign opt-out) move when the survivor has none, else they are removed (and
// restored by the undo). notifications.person_id has no foreign key and no index, so moving it
// scans the outbox: seconds on a region's outbox, acceptable for a rare, deliberate action.
import { sql } from 'kysely';
import {
  mergeUndoConflict,
  moveBackById,
  moveById,
  type PersonReferences,
  removeRows,
  restoreRows,
} from '../registry/registry.merge.ts';

export const notificationsMerge: PersonReferences = {
  name: 'notifications',
  covers: [
    { table: 'notifications', column: 'person_id' },
    { table: 'notification_settings', column: 'person_id' },
  ],
  async move(trx, from, into) {
    const ids = await moveById(trx, 'notifications', 'person_id', from, into);
    const own = await sql`select 1 from notification_settings where person_id = ${from}`.execute(trx);
    let settings: 'moved' | unknown[] | null = null;
    if (own.rows.length > 0) {
      const survivor = await sql`select 1 from notification_settings where person_id = ${into}`.execute(trx);
      if (survivor.rows.length === 0) {
        await sql`update notification_settings set person_id = ${into} where person_id = ${from}`.execute(
          trx,
        );
        settings = 'moved';
      } else settings = await removeRows(trx, 'notification_settings', sql`t.person_id = ${from}`);
    }
    return ids.length || settings ? { ids, settings } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'notifications', 'person_id', moved.ids as number[], from, into);
    if (moved.settings === 'moved') {
      const r =
        await sql`update notification_settings set person_id = ${from} where person_id = ${into}`.execute(
          trx,
        );
      if (Number(r.numAffectedRows ?? 0) !== 1) throw mergeUndoConflict('notification_settings');
    } else if (Array.isArray(moved.settings)) await restoreRows(trx, 'notification_settings', moved.settings);
  },
};
