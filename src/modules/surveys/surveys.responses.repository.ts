// SQL of survey responses and the invitations collection redeems. Only this module's tables.
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { Answers } from './surveys.answers.ts';
import type { ResponseChannel } from './surveys.schema.ts';

const responseColumns = [
  'id',
  'wave_id',
  'version_id',
  'channel',
  'person_id',
  'invitation_id',
  'interviewer_id',
  'background',
  'answers',
  'page',
  'status',
  'started_at',
  'updated_at',
  'completed_at',
] as const;

export type ResponseRow = Awaited<ReturnType<typeof findResponse>> & {};

export async function insertResponse(
  trx: Trx,
  row: {
    wave_id: number;
    version_id: number;
    channel: ResponseChannel;
    person_id: number | null;
    invitation_id: number | null;
    interviewer_id: number | null;
    background: Record<string, string>;
    resume_sha256: string | null;
  },
): Promise<number> {
  const inserted = await trx
    .insertInto('survey_responses')
    .values({ ...row, background: JSON.stringify(row.background), answers: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findResponse(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('survey_responses')
    .select(responseColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Locks a response for saving a page, so two tabs posting at once save one after the other. */
export async function lockResponse(trx: Trx, id: number) {
  return await trx
    .selectFrom('survey_responses')
    .select(responseColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function responseByResume(db: DbOrTrx, waveId: number, sha256: string) {
  return await db
    .selectFrom('survey_responses')
    .select(responseColumns)
    .where('wave_id', '=', waveId)
    .where('resume_sha256', '=', sha256)
    .executeTakeFirst();
}

/** The response of a person to a wave (any channel), the latest first. */
export async function responseOfPerson(db: DbOrTrx, waveId: number, personId: number) {
  return await db
    .selectFrom('survey_responses')
    .select(responseColumns)
    .where('wave_id', '=', waveId)
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function responseOfInvitation(db: DbOrTrx, invitationId: number) {
  return await db
    .selectFrom('survey_responses')
    .select(responseColumns)
    .where('invitation_id', '=', invitationId)
    .executeTakeFirst();
}

export async function setResume(trx: Trx, id: number, sha256: string) {
  await trx.updateTable('survey_responses').set({ resume_sha256: sha256 }).where('id', '=', id).execute();
}

/** Saves a page of an unfinished response; false when it was complete already (nothing changes). */
export async function saveAnswers(trx: Trx, id: number, answers: Answers, page: number): Promise<boolean> {
  const updated = await trx
    .updateTable('survey_responses')
    .set({ answers: JSON.stringify(answers), page, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Completes an unfinished response; false when it was complete already. */
export async function completeResponse(trx: Trx, id: number, answers: Answers): Promise<boolean> {
  const now = new Date();
  const updated = await trx
    .updateTable('survey_responses')
    .set({ answers: JSON.stringify(answers), status: 'complete', completed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** An interviewer's unfinished interviews with their waves' titles, newest first. */
export async function unfinishedInterviews(db: DbOrTrx, interviewerId: number, limit: number) {
  return await db
    .selectFrom('survey_responses as r')
    .innerJoin('survey_waves as w', 'w.id', 'r.wave_id')
    .select(['r.id', 'r.wave_id', 'w.title', 'r.person_id', 'r.page', 'r.started_at', 'r.updated_at'])
    .where('r.interviewer_id', '=', interviewerId)
    .where('r.status', '=', 'in_progress')
    .orderBy('r.updated_at', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------- invitations (redeemed here)

export async function invitationBySha(db: DbOrTrx, waveId: number, sha256: string) {
  return await db
    .selectFrom('survey_invitations')
    .select(['id', 'wave_id', 'person_id', 'strata'])
    .where('wave_id', '=', waveId)
    .where('token_sha256', '=', sha256)
    .executeTakeFirst();
}

export async function invitationOfPerson(db: DbOrTrx, waveId: number, personId: number) {
  return await db
    .selectFrom('survey_invitations')
    .select(['id', 'wave_id', 'person_id', 'strata'])
    .where('wave_id', '=', waveId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}
