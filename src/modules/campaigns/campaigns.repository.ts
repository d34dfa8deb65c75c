// SQL of informing campaigns: the campaign rows and their frozen target groups. Only this module's
// tables; the group itself is drawn by the registry's query of person ids (composed here as a
// subquery, so half a million ids never leave PostgreSQL).
import { type Expression, type Insertable, sql } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { CampaignsTables } from './campaigns.schema.ts';

export type NewCampaignRow = Insertable<CampaignsTables['campaigns']>;

const columns = [
  'id',
  'title',
  'status',
  'filter',
  'district_ids',
  'measure_id',
  'subject_ru',
  'subject_en',
  'body_ru',
  'body_en',
  'scheduled_at',
  'created_by',
  'created_at',
  'launched_at',
  'finished_at',
  'cancelled_at',
  'cancelled_by',
  'recipients',
  'queued',
] as const;

/** Inserts a campaign; undefined when its submission key is taken (the same form sent twice). */
export async function insertCampaign(trx: Trx, row: NewCampaignRow): Promise<number | undefined> {
  const inserted = await trx
    .insertInto('campaigns')
    .values(row)
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function idBySubmissionKey(db: DbOrTrx, key: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .select('id')
    .where('submission_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

/** Copies the group (a query of person ids) into the campaign's recipients; returns how many. */
export async function freezeRecipients(
  trx: Trx,
  campaignId: number,
  personIds: Expression<unknown>,
): Promise<number> {
  const result = await sql`
    insert into campaign_recipients (campaign_id, person_id)
    select ${campaignId}::bigint, g.id from (${personIds}) as g(id)`.execute(trx);
  const count = Number(result.numAffectedRows ?? 0);
  await trx.updateTable('campaigns').set({ recipients: count }).where('id', '=', campaignId).execute();
  return count;
}

export async function findCampaign(db: DbOrTrx, id: number) {
  return await db.selectFrom('campaigns').select(columns).where('id', '=', id).executeTakeFirst();
}

export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

/** Campaigns a scope may see, newest first: a district scope sees those drawn only from its districts. */
export async function listCampaigns(db: DbOrTrx, scope: DistrictScope, limit: number) {
  let q = db.selectFrom('campaigns').select(columns);
  if (!scope.all)
    q = q
      .where('district_ids', 'is not', null)
      .where(sql<boolean>`district_ids <@ ${scope.districtIds}::int[]`);
  return await q.orderBy('id', 'desc').limit(limit).execute();
}

/** Takes a scheduled campaign to 'running'; undefined when it is not scheduled (launched or cancelled). */
export async function claimLaunch(trx: Trx, id: number) {
  return await trx
    .updateTable('campaigns')
    .set({ status: 'running', launched_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .returning(columns)
    .executeTakeFirst();
}

/** Recipients' ids in pages (keyset on the primary key), for handing to the notifications service. */
export async function recipientIdsAfter(
  db: DbOrTrx,
  campaignId: number,
  afterPersonId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('campaign_recipients')
    .select('person_id')
    .where('campaign_id', '=', campaignId)
    .where('person_id', '>', afterPersonId)
    .orderBy('person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.person_id);
}

/** The campaign's recipients as a subquery of person ids (response figures). */
export function recipientIds(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('campaign_recipients').select('person_id').where('campaign_id', '=', campaignId);
}

export async function setQueued(trx: Trx, id: number, queued: number): Promise<void> {
  await trx.updateTable('campaigns').set({ queued }).where('id', '=', id).execute();
}

/** Cancels a campaign that has not started; false when it is no longer scheduled. */
export async function cancel(trx: Trx, id: number, by: number): Promise<boolean> {
  const row = await trx
    .updateTable('campaigns')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by: by })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function runningIds(db: DbOrTrx): Promise<number[]> {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'running').execute();
  return rows.map((r) => r.id);
}

/** Marks a running campaign done; false when it was not running. */
export async function markDone(db: DbOrTrx, id: number): Promise<boolean> {
  const row = await db
    .updateTable('campaigns')
    .set({ status: 'done', finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
