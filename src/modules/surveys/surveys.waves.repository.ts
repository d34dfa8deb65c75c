// SQL of survey waves and the response counts per wave. Only this module's tables.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { WaveMode } from './surveys.schema.ts';

const waveColumns = [
  'w.id',
  'w.version_id',
  'w.title',
  'w.mode',
  'w.token',
  'w.opens_on',
  'w.closes_on',
  'w.satisfaction_question',
  'w.created_by',
  'w.created_at',
  'v.questionnaire_id',
] as const;

export async function insertWave(
  trx: Trx,
  row: {
    version_id: number;
    title: string;
    mode: WaveMode;
    token: string;
    opens_on: string;
    closes_on: string;
    satisfaction_question: string | null;
    created_by: number;
  },
): Promise<number> {
  const inserted = await trx.insertInto('survey_waves').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

function selectWaves(db: DbOrTrx) {
  return db
    .selectFrom('survey_waves as w')
    .innerJoin('questionnaire_versions as v', 'v.id', 'w.version_id')
    .select(waveColumns);
}

export async function findWave(db: DbOrTrx, id: number) {
  return await selectWaves(db).where('w.id', '=', id).executeTakeFirst();
}

export async function waveByToken(db: DbOrTrx, token: string) {
  return await selectWaves(db).where('w.token', '=', token).executeTakeFirst();
}

export async function wavesOfQuestionnaire(db: DbOrTrx, questionnaireId: number) {
  return await selectWaves(db)
    .where('v.questionnaire_id', '=', questionnaireId)
    .orderBy('w.id', 'desc')
    .execute();
}

/** Waves open on a date (ISO), newest first. */
export async function openWaves(db: DbOrTrx, onDate: string, limit: number) {
  return await selectWaves(db)
    .where('w.opens_on', '<=', onDate)
    .where('w.closes_on', '>=', onDate)
    .orderBy('w.id', 'desc')
    .limit(limit)
    .execute();
}

/** Responses of a wave by status and channel. */
export async function responseCounts(db: DbOrTrx, waveId: number) {
  return await db
    .selectFrom('survey_responses')
    .select(['status', 'channel', sql<number>`count(*)::int`.as('n')])
    .where('wave_id', '=', waveId)
    .groupBy(['status', 'channel'])
    .execute();
}
