// What the surveys module needs from applications: the channel of each resident's latest
// application (portal, in_person, mfc, post, proactive), a background variable of surveys.
// Drafts never reached the office, so they do not count as applying.
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database, DbOrTrx } from '../../platform/db/database.ts';
import type { ApplicationChannel } from './applications.schema.ts';

export interface LatestChannelRow {
  person_id: number;
  channel: ApplicationChannel;
}

/**
 * (person_id, channel) of every resident's latest submitted application, as a query (not run) to
 * join with a frame in one statement; `personIds` narrows it to some residents.
 */
export function latestChannelQuery(
  db: DbOrTrx,
  personIds?: readonly number[],
): SelectQueryBuilder<Database, 'applications', LatestChannelRow> {
  let q = db
    .selectFrom('applications')
    .distinctOn('applications.person_id')
    .select(['applications.person_id', 'applications.channel'])
    .where('applications.state', '<>', 'draft')
    .orderBy('applications.person_id')
    .orderBy(sql`coalesce(applications.submitted_at, applications.created_at)`, 'desc')
    .orderBy('applications.id', 'desc');
  if (personIds) q = q.where(sql<boolean>`applications.person_id = any(${[...personIds]}::bigint[])`);
  return q as unknown as SelectQueryBuilder<Database, 'applications', LatestChannelRow>;
}

/** The latest application's channel per person, for the given persons (absent: never applied). */
export async function latestChannelsOf(
  db: DbOrTrx,
  personIds: readonly number[],
): Promise<Map<number, ApplicationChannel>> {
  if (personIds.length === 0) return new Map();
  const rows = await latestChannelQuery(db, personIds).execute();
  return new Map(rows.map((r) => [r.person_id, r.channel]));
}
