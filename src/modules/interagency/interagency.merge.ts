// Merging two records of one resident: interagency requests about the person, and the log of
// agency events applied to them, follow the survivor.
import { sql } from 'kysely';
import {
  mergeUndoConflict,
  moveBackById,
  moveById,
  type PersonReferences,
} from '../registry/registry.merge.ts';

export const interagencyMerge: PersonReferences = {
  name: 'interagency',
  covers: [
    { table: 'interagency_requests', column: 'person_id' },
    { table: 'applied_agency_events', column: 'person_id' },
  ],
  async move(trx, from, into) {
    const requests = await moveById(trx, 'interagency_requests', 'person_id', from, into);
    const { rows } = await sql<{ event_id: string }>`
      update applied_agency_events set person_id = ${into} where person_id = ${from}
      returning event_id`.execute(trx);
    const events = rows.map((r) => r.event_id).sort();
    return requests.length || events.length ? { requests, events } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'interagency_requests', 'person_id', moved.requests as number[], from, into);
    const events = moved.events as string[];
    if (events.length) {
      const r = await sql`
        update applied_agency_events set person_id = ${from}
        where person_id = ${into} and event_id = any(${events}::text[])`.execute(trx);
      if (Number(r.numAffectedRows ?? 0) !== events.length) throw mergeUndoConflict('applied_agency_events');
    }
  },
};
