// SQL of the questionnaire designer's drafts. Only this module's tables.
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { Form } from './surveys.form.ts';

const columns = ['id', 'questionnaire_id', 'form', 'revision', 'updated_by', 'updated_at'] as const;

export async function findDraft(db: DbOrTrx, id: number) {
  return await db.selectFrom('questionnaire_drafts').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function lockDraft(trx: Trx, id: number) {
  return await trx
    .selectFrom('questionnaire_drafts')
    .select(columns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function draftOfQuestionnaire(db: DbOrTrx, questionnaireId: number) {
  return await db
    .selectFrom('questionnaire_drafts')
    .select(columns)
    .where('questionnaire_id', '=', questionnaireId)
    .executeTakeFirst();
}

/** Inserts a draft; undefined when the questionnaire got a draft meanwhile. */
export async function insertDraft(
  trx: Trx,
  row: { questionnaire_id: number | null; form: Form; updated_by: number },
): Promise<number | undefined> {
  const inserted = await trx
    .insertInto('questionnaire_drafts')
    .values({ ...row, form: JSON.stringify(row.form) })
    .onConflict((oc) => oc.column('questionnaire_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function updateDraft(
  trx: Trx,
  id: number,
  row: { form: Form; revision: number; updated_by: number; questionnaire_id?: number },
) {
  await trx
    .updateTable('questionnaire_drafts')
    .set({ ...row, form: JSON.stringify(row.form), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteDraft(trx: Trx, id: number) {
  await trx.deleteFrom('questionnaire_drafts').where('id', '=', id).execute();
}

/** Drafts not yet published (new questionnaires being designed), newest first. */
export async function unpublishedDrafts(db: DbOrTrx, limit: number) {
  return await db
    .selectFrom('questionnaire_drafts')
    .select(columns)
    .where('questionnaire_id', 'is', null)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}
