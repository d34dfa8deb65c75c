// SQL of the analysis of a wave's responses: the wave, its response counts, the complete responses,
// and the sample's strata and invitation counts for weighting. Only this module's tables.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { Answers } from './surveys.answers.ts';

export async function findWave(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('survey_waves as w')
    .innerJoin('questionnaire_versions as v', 'v.id', 'w.version_id')
    .innerJoin('questionnaires as q', 'q.id', 'v.questionnaire_id')
    .select([
      'w.id',
      'w.title',
      'w.version_id',
      'w.mode',
      'w.opens_on',
      'w.closes_on',
      'w.satisfaction_question',
      'v.questionnaire_id',
      'v.number as version_number',
      'q.title as questionnaire_title',
    ])
    .where('w.id', '=', id)
    .executeTakeFirst();
}

/** Responses of a wave by status. */
export async function statusCounts(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_responses')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('wave_id', '=', waveId)
    .groupBy('status')
    .execute();
}

/** The complete responses of a wave, oldest first (a stable order for exports). */
export async function completeResponses(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_responses')
    .select(['id', 'version_id', 'answers', 'background', 'person_id'])
    .where('wave_id', '=', waveId)
    .where('status', '=', 'complete')
    .orderBy('id')
    .execute();
}

/**
 * What changes when the complete responses change: their number, the newest id and the latest update
 * (collection sets updated_at on every save). Cheap: one index range of the wave.
 */
export async function completeFingerprint(db: DbOrTrx, waveId: number): Promise<string> {
  const row = await db
    .selectFrom('survey_responses')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<string | null>`max(id)::text`.as('last'),
      sql<string | null>`max(updated_at)::text`.as('updated'),
    ])
    .where('wave_id', '=', waveId)
    .where('status', '=', 'complete')
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.last ?? ''}:${row.updated ?? ''}`;
}

/** The stratum keys of the wave's samples (the latest sample first). */
export async function sampleStrata(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_samples')
    .select(['id', 'strata'])
    .where('wave_id', '=', waveId)
    .orderBy('id', 'desc')
    .execute();
}

/** The wave's invitations counted by their strata (jsonb as drawn). */
export async function invitationStrata(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_invitations')
    .select(['strata', sql<number>`count(*)::int`.as('n')])
    .where('wave_id', '=', waveId)
    .groupBy('strata')
    .execute();
}

// ---------------------------------------------------------------- for tests and fixtures

/** Inserts responses as they would be stored by collection (tests and benchmarks). */
export async function insertResponses(
  trx: Trx,
  rows: {
    wave_id: number;
    version_id: number;
    answers: Answers;
    background?: Record<string, string>;
    status?: 'complete' | 'in_progress';
    person_id?: number | null;
    invitation_id?: number | null;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('survey_responses')
    .values(
      rows.map((r) => ({
        wave_id: r.wave_id,
        version_id: r.version_id,
        channel: 'portal' as const,
        person_id: r.person_id ?? null,
        invitation_id: r.invitation_id ?? null,
        background: JSON.stringify(r.background ?? {}),
        answers: JSON.stringify(r.answers),
        status: r.status ?? 'complete',
        completed_at: (r.status ?? 'complete') === 'complete' ? new Date() : null,
      })),
    )
    .execute();
}
