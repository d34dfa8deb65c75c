// Merging two records of one resident: frozen campaign groups name the survivor instead. Where both
// were in one campaign, the duplicate's row is removed (the undo puts it back).
import { sql } from 'kysely';
import { mergeUndoConflict, type PersonReferences } from '../registry/registry.merge.ts';

export const campaignsMerge: PersonReferences = {
  name: 'campaign_recipients',
  covers: [{ table: 'campaign_recipients', column: 'person_id' }],
  async move(trx, from, into) {
    const removed = await sql<{ campaign_id: number }>`
      delete from campaign_recipients t where t.person_id = ${from}
        and exists (select 1 from campaign_recipients s where s.campaign_id = t.campaign_id and s.person_id = ${into})
      returning campaign_id`.execute(trx);
    const moved = await sql<{ campaign_id: number }>`
      update campaign_recipients set person_id = ${into} where person_id = ${from}
      returning campaign_id`.execute(trx);
    const ids = (rows: { campaign_id: number }[]) =>
      rows.map((r) => Number(r.campaign_id)).sort((a, b) => a - b);
    return removed.rows.length || moved.rows.length
      ? { moved: ids(moved.rows), removed: ids(removed.rows) }
      : null;
  },
  async undo(trx, moved, from, into) {
    const back = moved.moved as number[];
    if (back.length) {
      const r = await sql`
        update campaign_recipients set person_id = ${from}
        where person_id = ${into} and campaign_id = any(${back}::bigint[])`.execute(trx);
      if (Number(r.numAffectedRows ?? 0) !== back.length) throw mergeUndoConflict('campaign_recipients');
    }
    const removed = moved.removed as number[];
    if (removed.length)
      await sql`
        insert into campaign_recipients (campaign_id, person_id)
        select unnest(${removed}::bigint[]), ${from}::bigint`.execute(trx);
  },
};
