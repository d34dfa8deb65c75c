// SQL of sampling: the frame (one statement joining the registry's recipients query with the
// applications module's latest-channel query, less the residents already invited to the wave),
// samples and invitations, and the invitations' response counts by stratum.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { latestChannelQuery } from '../applications/applications.survey-frame.ts';
import { type RecipientFilter, recipientsQuery } from '../registry/registry.survey-frame.ts';

export interface FrameGroup {
  district_id: number;
  /** Full years on the frame's day. */
  age: number;
  /** null: never applied. */
  channel: string | null;
  population: number;
  /** The group's person ids, comma-separated in id order (only when asked for). */
  ids: string | null;
}

/**
 * Adult recipients on `onDate` matching the filter, with the latest application's channel, less those
 * already invited to `excludeWaveId`, grouped by (district, age, channel): one statement, and rows per
 * group rather than per person, so half a million recipients cross the wire as a few thousand rows.
 */
export async function frameGroups(
  db: DbOrTrx,
  filter: RecipientFilter,
  onDate: string,
  excludeWaveId: number | null,
  withIds: boolean,
): Promise<FrameGroup[]> {
  return (await frameGroupsQuery(db, filter, onDate, excludeWaveId, withIds).execute()) as FrameGroup[];
}

/** The statement of frameGroups, not run (the benchmark explains it). */
export function frameGroupsQuery(
  db: DbOrTrx,
  filter: RecipientFilter,
  onDate: string,
  excludeWaveId: number | null,
  withIds: boolean,
) {
  const adult = sql<string>`(${onDate}::date - interval '18 years')::date`;
  const age = sql<number>`extract(year from age(${onDate}::date, f.birth_date))::int`;
  let q = db
    .selectFrom(recipientsQuery(db, filter, onDate).as('f'))
    .leftJoin(latestChannelQuery(db).as('c'), 'c.person_id', 'f.person_id')
    .select([
      'f.district_id',
      age.as('age'),
      'c.channel',
      sql<number>`count(*)::int`.as('population'),
      (withIds
        ? sql<string | null>`string_agg(f.person_id::text, ',' order by f.person_id)`
        : sql<string | null>`null`
      ).as('ids'),
    ])
    .where(sql<boolean>`f.birth_date <= ${adult}`);
  if (excludeWaveId !== null)
    q = q.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('survey_invitations as i')
            .select(sql`1`.as('one'))
            .where('i.wave_id', '=', excludeWaveId)
            .whereRef('i.person_id', '=', 'f.person_id'),
        ),
      ),
    );
  return q.groupBy(['f.district_id', sql`2`, 'c.channel']);
}

export async function insertSample(
  trx: Trx,
  row: {
    wave_id: number;
    seed: number;
    strata: string[];
    allocation: 'proportional' | 'equal';
    size: number;
    population: number;
    frame: Record<string, unknown>;
    created_by: number;
  },
): Promise<number> {
  const r = await trx
    .insertInto('survey_samples')
    .values({ ...row, frame: JSON.stringify(row.frame) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Inserts invitations in one statement; returns their ids by person. */
export async function insertInvitations(
  trx: Trx,
  waveId: number,
  sampleId: number,
  rows: { personId: number; strata: Record<string, string>; tokenSha256: string }[],
): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map();
  const out = await sql<{ id: number; person_id: number }>`
    insert into survey_invitations (wave_id, sample_id, person_id, strata, token_sha256)
    select ${waveId}, ${sampleId}, t.person_id, t.strata, t.token_sha256
    from unnest(${rows.map((r) => r.personId)}::bigint[], ${rows.map((r) => JSON.stringify(r.strata))}::jsonb[],
                ${rows.map((r) => r.tokenSha256)}::text[]) as t(person_id, strata, token_sha256)
    returning id, person_id`.execute(trx);
  return new Map(out.rows.map((r) => [Number(r.person_id), Number(r.id)]));
}

export async function samplesOf(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_samples')
    .select(['id', 'seed', 'strata', 'allocation', 'size', 'population', 'frame', 'created_at'])
    .where('wave_id', '=', waveId)
    .orderBy('id')
    .execute();
}

/** Invitations of a wave by stratum (jsonb as drawn): invited, responses started, completed. */
export async function invitationCounts(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_invitations as i')
    .leftJoin('survey_responses as r', 'r.invitation_id', 'i.id')
    .select([
      'i.strata',
      sql<number>`count(*)::int`.as('invited'),
      sql<number>`count(r.id)::int`.as('started'),
      sql<number>`count(r.id) filter (where r.status = 'complete')::int`.as('completed'),
    ])
    .where('i.wave_id', '=', waveId)
    .groupBy('i.strata')
    .execute();
}

/** Serialises drawings for one wave (the invitations' unique (wave, person) would refuse the second). */
export async function lockWave(trx: Trx, waveId: number): Promise<void> {
  await trx.selectFrom('survey_waves').select('id').where('id', '=', waveId).forUpdate().execute();
}

/** A wave's invitations (id, person, strata), in the order drawn; for the demo's responses. */
export async function invitationsOfWave(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_invitations')
    .select(['id', 'person_id', 'strata'])
    .where('wave_id', '=', waveId)
    .orderBy('id')
    .execute();
}
