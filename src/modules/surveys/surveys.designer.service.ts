// The questionnaire designer: drafts edited question by question in the staff workspace. A draft is
// either new (no questionnaire yet) or opened from a questionnaire's latest version; every change is
// made on a named revision (two designers cannot overwrite each other silently) and is kept only when
// the draft still passes the XLSForm check; publishing imports the draft's XLSForm as the next version
// through importQuestionnaire, the same path as an upload.
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import * as repo from './surveys.designer.repository.ts';
import {
  checkDraft,
  type DesignerErrors,
  type DraftProblem,
  emptyForm,
  isEmptyForm,
} from './surveys.designer.ts';
import type { Form } from './surveys.form.ts';
import * as surveysRepo from './surveys.repository.ts';
import { importQuestionnaire, questionnaire, SURVEY_DESIGNERS } from './surveys.service.ts';

const FORM_ID = /^[a-z][a-z0-9_]{1,63}$/;

function assertDesigner(actor: StaffActor) {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
}

export interface Draft {
  id: number;
  questionnaireId: number | null;
  form: Form;
  revision: number;
  updatedAt: Date;
}

const view = (d: NonNullable<Awaited<ReturnType<typeof repo.findDraft>>>): Draft => ({
  id: d.id,
  questionnaireId: d.questionnaire_id,
  form: d.form,
  revision: d.revision,
  updatedAt: d.updated_at,
});

/** A version string for a new draft: today's date, as designers often number XLSForms. */
const versionToday = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');

/** Starts a questionnaire from nothing: a title and a form_id no questionnaire has yet. */
export async function createDraft(
  trx: Trx,
  actor: StaffActor,
  input: { title: string; formId: string },
): Promise<{ ok: true; id: number } | { ok: false; errors: DesignerErrors }> {
  assertDesigner(actor);
  const title = input.title.trim();
  const formId = input.formId.trim();
  const errors: DesignerErrors = {};
  if (title === '' || title.length > 200) errors.title = { key: 'surveys.designer.error.title' };
  if (!FORM_ID.test(formId)) errors.formId = { key: 'surveys.designer.error.formId' };
  else if (await surveysRepo.questionnaireByFormId(trx, formId))
    errors.formId = { key: 'surveys.designer.error.formIdTaken' };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const id = await repo.insertDraft(trx, {
    questionnaire_id: null,
    form: emptyForm(title, formId, versionToday()),
    updated_by: actor.userId,
  });
  return { ok: true, id: id! };
}

/** The questionnaire's draft, made from its latest version when it has none. */
export async function openDraft(trx: Trx, actor: StaffActor, questionnaireId: number): Promise<number> {
  assertDesigner(actor);
  const existing = await repo.draftOfQuestionnaire(trx, questionnaireId);
  if (existing) return existing.id;
  const q = await questionnaire(trx, questionnaireId);
  const form: Form = { ...q.latest.form, settings: { ...q.latest.form.settings, version: versionToday() } };
  const id = await repo.insertDraft(trx, { questionnaire_id: q.id, form, updated_by: actor.userId });
  return id ?? (await repo.draftOfQuestionnaire(trx, questionnaireId))!.id;
}

export async function draft(db: DbOrTrx, id: number): Promise<Draft> {
  const d = await repo.findDraft(db, id);
  if (!d) throw notFound('Draft');
  return view(d);
}

export async function unpublishedDrafts(db: DbOrTrx, limit = 50): Promise<Draft[]> {
  return (await repo.unpublishedDrafts(db, limit)).map(view);
}

export const staleDraft = () =>
  new AppError(
    'draft_changed',
    409,
    'Someone else changed this draft: look at it again and repeat your change',
  );

async function lockAt(trx: Trx, id: number, revision: number) {
  const d = await repo.lockDraft(trx, id);
  if (!d) throw notFound('Draft');
  if (d.revision !== revision) throw staleDraft();
  return d;
}

export type ChangeOutcome =
  | { ok: true }
  | { ok: false; errors: DesignerErrors }
  | { ok: false; problems: DraftProblem[] };

/**
 * Applies one designer operation to the draft at `revision`. Kept only when the result still passes
 * the XLSForm check; otherwise the field errors (the operation's own) or the check's problems come back.
 */
export async function changeDraft(
  trx: Trx,
  actor: StaffActor,
  id: number,
  revision: number,
  operation: (form: Form) => { ok: true; form: Form } | { ok: false; errors: DesignerErrors },
): Promise<ChangeOutcome> {
  assertDesigner(actor);
  const d = await lockAt(trx, id, revision);
  const applied = operation(d.form);
  if (!applied.ok) return applied;
  const checked = await checkDraft(applied.form);
  if (!checked.form) return { ok: false, problems: checked.problems };
  await repo.updateDraft(trx, id, { form: checked.form, revision: d.revision + 1, updated_by: actor.userId });
  return { ok: true };
}

export type PublishOutcome =
  | { ok: true; questionnaireId: number; number: number }
  | { ok: false; reason: 'empty' | 'unchanged' | 'formIdTaken' }
  | { ok: false; problems: DraftProblem[] };

/** Publishes the draft as the questionnaire's next version (a new questionnaire the first time). */
export async function publishDraft(
  trx: Trx,
  actor: StaffActor,
  id: number,
  revision: number,
  ip: string | null,
): Promise<PublishOutcome> {
  assertDesigner(actor);
  const d = await lockAt(trx, id, revision);
  if (isEmptyForm(d.form)) return { ok: false, reason: 'empty' };
  // A new questionnaire's form_id was free when the draft began; someone may have uploaded it since.
  if (d.questionnaire_id === null && d.form.settings.formId)
    if (await surveysRepo.questionnaireByFormId(trx, d.form.settings.formId))
      return { ok: false, reason: 'formIdTaken' };
  if (d.questionnaire_id !== null) {
    const latest = (await questionnaire(trx, d.questionnaire_id)).latest.form;
    const same = (f: Form) => JSON.stringify({ ...f, settings: { ...f.settings, version: null } });
    if (same(latest) === same(d.form)) return { ok: false, reason: 'unchanged' };
  }
  const checked = await checkDraft(d.form);
  if (!checked.form) return { ok: false, problems: checked.problems };
  const imported = await importQuestionnaire(trx, actor, checked.xlsx, {
    ...(d.questionnaire_id !== null ? { questionnaireId: d.questionnaire_id } : {}),
    ip,
  });
  if (!imported.ok)
    return { ok: false, problems: imported.problems.map((problem) => ({ name: null, problem })) };
  await repo.updateDraft(trx, id, {
    form: d.form,
    revision: d.revision + 1,
    updated_by: actor.userId,
    questionnaire_id: imported.questionnaireId,
  });
  return { ok: true, questionnaireId: imported.questionnaireId, number: imported.number };
}

export async function discardDraft(
  trx: Trx,
  actor: StaffActor,
  id: number,
  revision: number,
): Promise<Draft> {
  assertDesigner(actor);
  const d = await lockAt(trx, id, revision);
  await repo.deleteDraft(trx, id);
  return view(d);
}
