// Merging two records of one resident: survey responses and invitations follow the survivor.
// An invitation is unique per wave and person, and a response may point at its invitation, so when
// both records were invited to the same wave the invitation that was answered wins:
//   - the survivor was not invited to that wave: the duplicate's invitation moves;
//   - the duplicate's invitation has no response: it is removed (its link stops working; the
//     survivor's own link still does);
//   - only the duplicate's invitation has a response: the survivor's unanswered one is removed and
//     the duplicate's moves, so the response keeps its invitation and strata;
//   - both answered: the survivor's invitation stays, the duplicate's response is detached from its
//     invitation (invitation_id null; it keeps its background) and that invitation is removed. The
//     wave then holds two responses of one person — true, and visible to the analyst by person_id.
// Removed rows are kept whole in the merge record and restored by the undo with the same ids.
import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import {
  mergeUndoConflict,
  moveBackById,
  moveById,
  type PersonReferences,
  removeRows,
} from '../registry/registry.merge.ts';

interface InvitationState {
  id: number;
  wave_id: number;
  answered: boolean;
}

async function invitationsOf(trx: Trx, personId: number): Promise<InvitationState[]> {
  const { rows } = await sql<InvitationState>`
    select i.id, i.wave_id, exists (select 1 from survey_responses r where r.invitation_id = i.id) as answered
    from survey_invitations i where i.person_id = ${personId} order by i.id`.execute(trx);
  return rows.map((r) => ({ id: Number(r.id), wave_id: Number(r.wave_id), answered: r.answered }));
}

/** survey_invitations.id is generated always: put removed rows back with their own ids. */
async function restoreInvitations(trx: Trx, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into survey_invitations overriding system value
    select * from jsonb_populate_recordset(null::survey_invitations, ${JSON.stringify(rows)}::jsonb)`.execute(
    trx,
  );
}

export const surveysMerge: PersonReferences = {
  name: 'surveys',
  covers: [
    { table: 'survey_invitations', column: 'person_id' },
    { table: 'survey_responses', column: 'person_id' },
  ],
  async move(trx, from, into) {
    const theirs = await invitationsOf(trx, from);
    const ours = new Map((await invitationsOf(trx, into)).map((i) => [i.wave_id, i]));
    const toRemove: number[] = [];
    const detached: { response: number; invitation: number }[] = [];
    for (const inv of theirs) {
      const survivor = ours.get(inv.wave_id);
      if (!survivor) continue;
      if (!inv.answered) toRemove.push(inv.id);
      else if (!survivor.answered) toRemove.push(survivor.id);
      else {
        const { rows } = await sql<{ id: number }>`
          update survey_responses set invitation_id = null where invitation_id = ${inv.id} returning id`.execute(
          trx,
        );
        for (const r of rows) detached.push({ response: Number(r.id), invitation: inv.id });
        toRemove.push(inv.id);
      }
    }
    const removed = toRemove.length
      ? await removeRows(trx, 'survey_invitations', sql`t.id = any(${toRemove}::bigint[])`)
      : [];
    const invitations = await moveById(trx, 'survey_invitations', 'person_id', from, into);
    const responses = await moveById(trx, 'survey_responses', 'person_id', from, into);
    if (!invitations.length && !responses.length && !removed.length) return null;
    return { invitations, responses, removed, detached };
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'survey_responses', 'person_id', (moved.responses ?? []) as number[], from, into);
    // Moved invitations go back first, so the survivor's removed invitation to the same wave fits again.
    await moveBackById(
      trx,
      'survey_invitations',
      'person_id',
      (moved.invitations ?? []) as number[],
      from,
      into,
    );
    await restoreInvitations(trx, (moved.removed ?? []) as unknown[]);
    for (const d of (moved.detached ?? []) as { response: number; invitation: number }[]) {
      const r = await sql`
        update survey_responses set invitation_id = ${d.invitation}
        where id = ${d.response} and invitation_id is null and person_id = ${from}`.execute(trx);
      if (Number(r.numAffectedRows ?? 0) !== 1) throw mergeUndoConflict('survey_responses');
    }
  },
};
