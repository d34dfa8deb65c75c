// SQL of questionnaires, their versions and interview guides. Only this module's tables.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { Form } from './surveys.form.ts';
import type { GuideTopic } from './surveys.schema.ts';

export async function questionnaireByFormId(db: DbOrTrx, formId: string) {
  return await db
    .selectFrom('questionnaires')
    .select(['id', 'form_id', 'title'])
    .where('form_id', '=', formId)
    .executeTakeFirst();
}

/** Locks the questionnaire row so two uploads of new versions number them one after the other. */
export async function lockQuestionnaire(trx: Trx, id: number) {
  return await trx
    .selectFrom('questionnaires')
    .select(['id', 'form_id', 'title'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts a questionnaire; undefined when its form_id was taken meanwhile. */
export async function insertQuestionnaire(
  trx: Trx,
  row: { form_id: string | null; title: string; created_by: number },
): Promise<number | undefined> {
  const inserted = await trx
    .insertInto('questionnaires')
    .values(row)
    .onConflict((oc) => oc.column('form_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function setQuestionnaireTitle(trx: Trx, id: number, title: string) {
  await trx.updateTable('questionnaires').set({ title }).where('id', '=', id).execute();
}

const versionColumns = [
  'id',
  'questionnaire_id',
  'number',
  'form_version',
  'title',
  'source_sha256',
  'created_by',
  'created_at',
] as const;

export async function versionBySha(db: DbOrTrx, questionnaireId: number, sha256: string) {
  return await db
    .selectFrom('questionnaire_versions')
    .select(versionColumns)
    .where('questionnaire_id', '=', questionnaireId)
    .where('source_sha256', '=', sha256)
    .executeTakeFirst();
}

export async function insertVersion(
  trx: Trx,
  row: {
    questionnaire_id: number;
    form_version: string | null;
    title: string;
    form: Form;
    source: Buffer;
    source_sha256: string;
    created_by: number;
  },
) {
  return await trx
    .insertInto('questionnaire_versions')
    .values({
      ...row,
      form: JSON.stringify(row.form),
      number: sql<number>`(select coalesce(max(number), 0) + 1 from questionnaire_versions where questionnaire_id = ${row.questionnaire_id})`,
    })
    .returning(versionColumns)
    .executeTakeFirstOrThrow();
}

export async function findQuestionnaire(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('questionnaires')
    .select(['id', 'form_id', 'title', 'created_by', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Questionnaires, newest first, with their latest version's number and upload time. */
export async function listQuestionnaires(db: DbOrTrx, limit: number) {
  return await db
    .selectFrom('questionnaires as q')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('questionnaire_versions as v')
          .select(['v.id as version_id', 'v.number', 'v.created_at as version_at'])
          .whereRef('v.questionnaire_id', '=', 'q.id')
          .orderBy('v.number', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .select(['q.id', 'q.form_id', 'q.title', 'latest.version_id', 'latest.number', 'latest.version_at'])
    .orderBy('q.id', 'desc')
    .limit(limit)
    .execute();
}

export async function listVersions(db: DbOrTrx, questionnaireId: number) {
  return await db
    .selectFrom('questionnaire_versions')
    .select(versionColumns)
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('number', 'desc')
    .execute();
}

export async function findVersion(db: DbOrTrx, versionId: number) {
  return await db
    .selectFrom('questionnaire_versions')
    .select([...versionColumns, 'form'])
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function versionSource(db: DbOrTrx, versionId: number) {
  return await db
    .selectFrom('questionnaire_versions')
    .select(['source', 'source_sha256'])
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function latestVersionId(db: DbOrTrx, questionnaireId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('questionnaire_versions')
    .select('id')
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------- interview guides

export async function insertGuide(
  trx: Trx,
  row: { title: string; purpose: string; topics: GuideTopic[]; created_by: number },
): Promise<number> {
  const inserted = await trx
    .insertInto('interview_guides')
    .values({ ...row, topics: JSON.stringify(row.topics) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findGuide(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('interview_guides')
    .select(['id', 'title', 'purpose', 'topics', 'created_by', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listGuides(db: DbOrTrx, limit: number) {
  return await db
    .selectFrom('interview_guides')
    .select(['id', 'title', 'purpose', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
