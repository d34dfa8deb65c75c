// SQL of the notifications module: the outbox (messages and their per-resident rows), residents'
// settings, the per-channel throttle and the letter batches. Only this module's tables.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { Channel, Lang, NotificationEvent, NotificationStatus, Params } from './notifications.schema.ts';

export async function insertMessage(
  db: DbOrTrx,
  m: { event: NotificationEvent; params: Params; campaignId?: number | undefined },
): Promise<number> {
  const row = await db
    .insertInto('notification_messages')
    .values({ event: m.event, params: JSON.stringify(m.params), campaign_id: m.campaignId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A message to one person: both rows in one statement (notify is on hot paths such as submission). */
export async function insertSingle(
  db: DbOrTrx,
  m: { event: NotificationEvent; params: Params; personId: number },
): Promise<void> {
  await sql`
    with message as (
      insert into notification_messages (event, params) values (${m.event}, ${JSON.stringify(m.params)}::jsonb)
      returning id
    )
    insert into notifications (message_id, person_id) select id, ${m.personId}::bigint from message`.execute(
    db,
  );
}

/**
 * One row per distinct person in one statement. With `skipOptedOut`, residents who opted out of
 * campaigns get a 'skipped' row (so the campaign's figures show them) instead of a queued one.
 * Returns how many were queued.
 */
export async function insertNotifications(
  db: DbOrTrx,
  messageId: number,
  personIds: number[],
  skipOptedOut: boolean,
): Promise<number> {
  if (personIds.length === 0) return 0;
  const result = await sql<{ queued: number }>`
    with inserted as (
      insert into notifications (message_id, person_id, status, last_error)
      select ${messageId}::bigint, p.id,
        case when s.person_id is null then 'queued' else 'skipped' end,
        case when s.person_id is null then null else 'unsubscribed from campaigns' end
      from (select distinct unnest(${personIds}::bigint[]) as id) p
      left join notification_settings s
        on s.person_id = p.id and s.campaigns_opt_out and ${skipOptedOut}::boolean
      returning status
    )
    select count(*) filter (where status = 'queued')::int as queued from inserted`.execute(db);
  return result.rows[0]?.queued ?? 0;
}

// ------------------------------------------------------------ settings

export async function settingsOf(db: DbOrTrx, personIds: number[]) {
  if (personIds.length === 0) return [];
  return await db
    .selectFrom('notification_settings')
    .select(['person_id', 'campaigns_opt_out', 'lang'])
    .where('person_id', '=', sql<number>`any(${personIds}::bigint[])`)
    .execute();
}

export async function saveSettings(
  db: DbOrTrx,
  personId: number,
  s: { campaignsOptOut?: boolean; lang?: Lang },
): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values({
      person_id: personId,
      ...(s.campaignsOptOut !== undefined ? { campaigns_opt_out: s.campaignsOptOut } : {}),
      ...(s.lang ? { lang: s.lang } : {}),
    })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({
        ...(s.campaignsOptOut !== undefined ? { campaigns_opt_out: s.campaignsOptOut } : {}),
        ...(s.lang ? { lang: s.lang } : {}),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

// ------------------------------------------------------------ the dispatcher

export interface Unassigned {
  id: number;
  person_id: number;
}

/** Queued rows without a channel yet, locked for this transaction (others skip them). */
export async function lockUnassigned(db: DbOrTrx, now: Date, limit: number): Promise<Unassigned[]> {
  const result = await sql<Unassigned>`
    select id, person_id from notifications
    where channel is null and status = 'queued' and next_attempt_at <= ${now}
    order by next_attempt_at, id
    limit ${limit}
    for update skip locked`.execute(db);
  return result.rows;
}

export async function assignChannels(
  db: DbOrTrx,
  rows: Array<{
    id: number;
    channel: Channel;
    destination: string | null;
    lang: Lang;
    nextAttemptAt: Date | null;
  }>,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update notifications n
    set channel = v.channel, destination = v.destination, lang = v.lang,
        next_attempt_at = coalesce(v.next_attempt_at, n.next_attempt_at)
    from unnest(
      ${rows.map((r) => r.id)}::bigint[],
      ${rows.map((r) => r.channel)}::text[],
      ${rows.map((r) => r.destination)}::text[],
      ${rows.map((r) => r.lang)}::text[],
      ${rows.map((r) => r.nextAttemptAt?.toISOString() ?? null)}::timestamptz[]
    ) as v(id, channel, destination, lang, next_attempt_at)
    where n.id = v.id`.execute(db);
}

/** Rows that vanished between queueing and sending (no such person): failed with the reason. */
export async function failRows(db: DbOrTrx, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notifications')
    .set({ status: 'failed', last_error: error })
    .where('id', '=', sql<number>`any(${ids}::bigint[])`)
    .execute();
}

/**
 * Takes up to `wanted` of the channel's budget for the one-second window `now` falls in. The row lock
 * on the channel's throttle serialises claimers, so the rate holds over every dispatcher together.
 * Returns what was granted and what is left of this second's budget.
 */
export async function takeBudget(
  db: DbOrTrx,
  channel: Channel,
  now: Date,
  rate: number,
  wanted: number,
): Promise<{ granted: number; left: number }> {
  const window = new Date(Math.floor(now.getTime() / 1000) * 1000);
  await sql`
    insert into notification_throttle (channel, window_start, used) values (${channel}, ${window}, 0)
    on conflict (channel) do nothing`.execute(db);
  const row = await sql<{ window_start: Date; used: number }>`
    select window_start, used from notification_throttle where channel = ${channel} for update`.execute(db);
  const current = row.rows[0]!;
  const used = current.window_start.getTime() === window.getTime() ? current.used : 0;
  const granted = Math.max(0, Math.min(wanted, rate - used));
  await sql`
    update notification_throttle set window_start = ${window}, used = ${used + granted}
    where channel = ${channel}`.execute(db);
  return { granted, left: rate - used - granted };
}

/** Gives back budget the channel did not use (fewer rows were due than granted). */
export async function returnBudget(db: DbOrTrx, channel: Channel, now: Date, unused: number): Promise<void> {
  if (unused <= 0) return;
  const window = new Date(Math.floor(now.getTime() / 1000) * 1000);
  await sql`
    update notification_throttle set used = greatest(0, used - ${unused})
    where channel = ${channel} and window_start = ${window}`.execute(db);
}

export interface Claimed {
  id: number;
  person_id: number;
  message_id: number;
  channel: Channel;
  destination: string | null;
  lang: Lang;
  attempts: number;
}

/**
 * Claims due rows of one channel: status 'sending' with a lease (next_attempt_at = leaseUntil). A row
 * whose lease ran out (its dispatcher died mid-send) is due again. SKIP LOCKED: two dispatchers never
 * claim the same row.
 */
export async function claimDue(
  db: DbOrTrx,
  channel: Channel,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const result = await sql<Claimed>`
    update notifications n set status = 'sending', next_attempt_at = ${leaseUntil}
    from (
      select id from notifications
      where channel = ${channel} and channel is not null and status in ('queued', 'sending')
        and next_attempt_at <= ${now}
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked
    ) due
    where n.id = due.id
    returning n.id, n.person_id, n.message_id, n.channel, n.destination, n.lang, n.attempts`.execute(db);
  return result.rows;
}

/** Whether any row of the channel is due at `now` (claimed rows are not: their lease is ahead). */
export async function anyDue(db: DbOrTrx, channel: Channel, now: Date): Promise<boolean> {
  const result = await sql`
    select 1 from notifications
    where channel = ${channel} and channel is not null and status in ('queued', 'sending')
      and next_attempt_at <= ${now}
    limit 1`.execute(db);
  return result.rows.length > 0;
}

export async function messagesByIds(db: DbOrTrx, ids: number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('notification_messages')
    .select(['id', 'event', 'params', 'campaign_id'])
    .where('id', '=', sql<number>`any(${[...new Set(ids)]}::bigint[])`)
    .execute();
}

export interface Outcome {
  id: number;
  status: Extract<NotificationStatus, 'queued' | 'sent' | 'failed'>;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  providerId: string | null;
}

/** Records what happened to claimed rows, in one statement; only rows still in 'sending'. */
export async function recordOutcomes(db: DbOrTrx, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql`
    update notifications n
    set status = v.status, attempts = v.attempts, next_attempt_at = v.next_attempt_at,
        last_error = v.last_error, sent_at = v.sent_at, provider_id = v.provider_id
    from unnest(
      ${outcomes.map((o) => o.id)}::bigint[],
      ${outcomes.map((o) => o.status)}::text[],
      ${outcomes.map((o) => o.attempts)}::int[],
      ${outcomes.map((o) => o.nextAttemptAt.toISOString())}::timestamptz[],
      ${outcomes.map((o) => o.lastError)}::text[],
      ${outcomes.map((o) => o.sentAt?.toISOString() ?? null)}::timestamptz[],
      ${outcomes.map((o) => o.providerId)}::text[]
    ) as v(id, status, attempts, next_attempt_at, last_error, sent_at, provider_id)
    where n.id = v.id and n.status = 'sending'`.execute(db);
}

/** Quiet hours: queued SMS due before `until` wait for it (so their row says when they will go). */
export async function deferChannel(db: DbOrTrx, channel: Channel, until: Date): Promise<number> {
  const result = await sql`
    update notifications set next_attempt_at = ${until}
    where channel = ${channel} and status = 'queued' and next_attempt_at < ${until}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** When the dispatcher has work next: the earliest due row of a digital channel (or unassigned). */
export async function nextDue(db: DbOrTrx): Promise<Date | undefined> {
  const result = await sql<{ at: Date | null }>`
    select least(
      (select min(next_attempt_at) from notifications where status = 'queued' and channel is null),
      (select min(next_attempt_at) from notifications
        where channel = 'portal' and status in ('queued', 'sending')),
      (select min(next_attempt_at) from notifications
        where channel = 'email' and status in ('queued', 'sending')),
      (select min(next_attempt_at) from notifications
        where channel = 'sms' and status in ('queued', 'sending'))
    ) as at`.execute(db);
  return result.rows[0]?.at ?? undefined;
}

// ------------------------------------------------------------ printed letters

export interface PostRow {
  id: number;
  person_id: number;
  message_id: number;
  lang: Lang;
}

/** Letters waiting to be printed (queued before `before`). */
export async function postRows(db: DbOrTrx, before: Date): Promise<PostRow[]> {
  const result = await sql<PostRow>`
    select id, person_id, message_id, coalesce(lang, 'ru') as lang from notifications
    where channel = 'post' and status = 'queued' and created_at < ${before}
    order by id`.execute(db);
  return result.rows;
}

/** Of these letters, those still waiting, locked for this transaction. */
export async function lockPostRowsByIds(db: DbOrTrx, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const result = await sql<{ id: number }>`
    select id from notifications
    where id = any(${ids}::bigint[]) and channel = 'post' and status = 'queued'
    for update skip locked`.execute(db);
  return result.rows.map((r) => r.id);
}

export async function letterBatchExists(db: DbOrTrx, districtId: number, date: string): Promise<boolean> {
  const row = await db
    .selectFrom('letter_batches')
    .select('id')
    .where('district_id', '=', districtId)
    .where('batch_date', '=', date)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertLetterBatch(
  db: DbOrTrx,
  b: { districtId: number; date: string; letters: number; sha256: string; size: number },
): Promise<number | undefined> {
  const row = await db
    .insertInto('letter_batches')
    .values({
      district_id: b.districtId,
      batch_date: b.date,
      letters: b.letters,
      sha256: b.sha256,
      size_bytes: b.size,
    })
    .onConflict((oc) => oc.columns(['district_id', 'batch_date']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function markPrinted(db: DbOrTrx, ids: number[], batchId: number, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notifications')
    .set({
      status: 'sent',
      sent_at: at,
      attempts: sql`attempts + 1`,
      provider_id: `letters:${batchId}`,
      last_error: null,
    })
    .where('id', '=', sql<number>`any(${ids}::bigint[])`)
    .execute();
}

export async function letterBatches(db: DbOrTrx, districtIds: number[] | 'all', limit = 100) {
  let q = db
    .selectFrom('letter_batches')
    .select(['id', 'district_id', 'batch_date', 'letters', 'sha256', 'size_bytes', 'created_at']);
  if (districtIds !== 'all') {
    if (districtIds.length === 0) return [];
    q = q.where('district_id', 'in', districtIds);
  }
  return await q.orderBy('batch_date', 'desc').orderBy('district_id').limit(limit).execute();
}

export async function letterBatch(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('letter_batches')
    .select(['id', 'district_id', 'batch_date', 'letters', 'sha256', 'size_bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ------------------------------------------------------------ figures

export async function deliveryStats(db: DbOrTrx, campaignId: number | undefined) {
  const result = await sql<{ channel: string; status: string; count: number }>`
    select coalesce(n.channel, 'pending') as channel, n.status, count(*)::int as count
    from notifications n
    ${campaignId === undefined ? sql`` : sql`join notification_messages m on m.id = n.message_id and m.campaign_id = ${campaignId}`}
    group by 1, 2
    order by 1, 2`.execute(db);
  return result.rows;
}

export async function recentFailures(db: DbOrTrx, limit: number) {
  return await db
    .selectFrom('notifications as n')
    .innerJoin('notification_messages as m', 'm.id', 'n.message_id')
    .select(['n.id', 'n.channel', 'n.attempts', 'n.last_error', 'n.created_at', 'm.event'])
    .where('n.status', '=', 'failed')
    .orderBy('n.next_attempt_at', 'desc')
    .limit(limit)
    .execute();
}
