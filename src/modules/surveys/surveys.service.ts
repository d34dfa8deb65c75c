// Questionnaires and interview guides. A researcher uploads an XLSForm; it is parsed and checked
// (surveys.xlsform.ts) and, when nothing is wrong, stored as a new version of the questionnaire with
// the same form_id (or a new questionnaire), with the model as jsonb, the file and its SHA-256, and an
// audit entry — all in the caller's transaction. Uploading the same file again returns the version it
// already made. Versions are immutable: responses keep the version id they answered.
import { createHash } from 'node:crypto';
import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, forbidden, notFound, ValidationError } from '../../platform/errors.ts';
import type { MessageKey, Translate } from '../../platform/i18n/i18n.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import type { Form } from './surveys.form.ts';
import * as repo from './surveys.repository.ts';
import type { GuideTopic } from './surveys.schema.ts';
import { exportXlsForm, type FormProblem, importXlsForm } from './surveys.xlsform.ts';

/** Who designs questionnaires and guides: researchers, ministry analysts, administrators. */
export const SURVEY_DESIGNERS: readonly StaffRole[] = ['researcher', 'ministry_analyst', 'administrator'];
/** An XLSForm is a few dozen kilobytes; 5 MB leaves room for long choice lists. */
export const MAX_FORM_BYTES = 5 * 1024 * 1024;
const MAX_TITLE = 200;

function assertDesigner(actor: StaffActor) {
  if (!SURVEY_DESIGNERS.includes(actor.role)) throw forbidden();
}

// ---------------------------------------------------------------- import problems as text

/** Where a problem is and what is wrong, in the reader's language (for the error table). */
export function problemText(t: Translate, p: FormProblem): { where: string; reason: string } {
  const where =
    p.row === null
      ? t('surveys.problem.whereSheet', { sheet: p.sheet })
      : p.column === null
        ? t('surveys.problem.whereRow', { sheet: p.sheet, row: p.row })
        : t('surveys.problem.where', {
            sheet: p.sheet,
            row: p.row,
            column: p.column,
            header: p.header ?? '',
          });
  const params = { ...p.params };
  if (p.code === 'expression')
    params.reason = t(`surveys.expr.${String(p.params.reason)}` as MessageKey, {
      detail: String(p.params.detail ?? ''),
    });
  return { where, reason: t(`surveys.problem.${p.code}` as MessageKey, params) };
}

// ---------------------------------------------------------------- questionnaires

export type ImportOutcome =
  | {
      ok: true;
      questionnaireId: number;
      versionId: number;
      number: number;
      /** False when this very file was already a version: nothing new was stored. */
      created: boolean;
    }
  | { ok: false; problems: FormProblem[] };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Imports an XLSForm as a new version: of `questionnaireId` when given, else of the questionnaire with
 * the file's form_id, else of a new questionnaire. Returns the problems instead when the file is wrong.
 */
export async function importQuestionnaire(
  trx: Trx,
  actor: StaffActor,
  file: Buffer,
  options: { questionnaireId?: number; ip?: string | null } = {},
): Promise<ImportOutcome> {
  assertDesigner(actor);
  if (file.length > MAX_FORM_BYTES) throw new AppError('too_large', 413, 'The file is too large');
  const parsed = await importXlsForm(file);
  if (!parsed.ok) return parsed;
  const { form } = parsed;
  const formId = form.settings.formId;
  const title = titleOf(form);

  let questionnaire: { id: number; form_id: string | null } | undefined;
  if (options.questionnaireId !== undefined) {
    questionnaire = await repo.lockQuestionnaire(trx, options.questionnaireId);
    if (!questionnaire) throw notFound('Questionnaire');
    if (formId !== null && questionnaire.form_id !== null && formId !== questionnaire.form_id)
      throw new AppError('form_id_mismatch', 422, 'The file is a different questionnaire (form_id)', {
        expected: questionnaire.form_id,
        found: formId,
      });
  } else if (formId !== null) {
    const existing = await repo.questionnaireByFormId(trx, formId);
    if (existing) questionnaire = await repo.lockQuestionnaire(trx, existing.id);
  }
  if (!questionnaire) {
    const id = await repo.insertQuestionnaire(trx, { form_id: formId, title, created_by: actor.userId });
    // Another upload created it between our look-up and insert: version that one.
    questionnaire =
      id !== undefined
        ? { id, form_id: formId }
        : await repo.lockQuestionnaire(trx, (await repo.questionnaireByFormId(trx, formId!))!.id);
    if (!questionnaire) throw notFound('Questionnaire');
  }

  const digest = sha256(file);
  const same = await repo.versionBySha(trx, questionnaire.id, digest);
  if (same)
    return {
      ok: true,
      questionnaireId: questionnaire.id,
      versionId: same.id,
      number: same.number,
      created: false,
    };

  const version = await repo.insertVersion(trx, {
    questionnaire_id: questionnaire.id,
    form_version: form.settings.version,
    title,
    form,
    source: Buffer.from(file),
    source_sha256: digest,
    created_by: actor.userId,
  });
  await repo.setQuestionnaireTitle(trx, questionnaire.id, title);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'questionnaire.version_imported',
    subject: { kind: 'questionnaire', id: questionnaire.id },
    ip: options.ip ?? null,
    details: {
      versionId: version.id,
      number: version.number,
      formId,
      formVersion: form.settings.version,
      sha256: digest,
    },
  });
  return {
    ok: true,
    questionnaireId: questionnaire.id,
    versionId: version.id,
    number: version.number,
    created: true,
  };
}

/** The settings title, else the form_id, else the first question's label. */
function titleOf(form: Form): string {
  const first = form.children[0];
  const fallback = first ? (Object.values(first.label)[0] ?? first.name) : '—';
  return (form.settings.title ?? form.settings.formId ?? fallback).slice(0, MAX_TITLE);
}

export interface QuestionnaireVersion {
  id: number;
  questionnaireId: number;
  number: number;
  formVersion: string | null;
  title: string;
  sha256: string;
  createdBy: number;
  createdAt: Date;
}

export interface QuestionnaireView {
  id: number;
  formId: string | null;
  title: string;
  createdAt: Date;
  /** The latest version, with its model: what new responses are collected against. */
  latest: QuestionnaireVersion & { form: Form };
}

const versionView = (v: Awaited<ReturnType<typeof repo.listVersions>>[number]): QuestionnaireVersion => ({
  id: v.id,
  questionnaireId: v.questionnaire_id,
  number: v.number,
  formVersion: v.form_version,
  title: v.title,
  sha256: v.source_sha256,
  createdBy: v.created_by,
  createdAt: v.created_at,
});

export async function questionnaire(db: DbOrTrx, id: number): Promise<QuestionnaireView> {
  const q = await repo.findQuestionnaire(db, id);
  const latestId = q ? await repo.latestVersionId(db, id) : undefined;
  if (!q || latestId === undefined) throw notFound('Questionnaire');
  return {
    id: q.id,
    formId: q.form_id,
    title: q.title,
    createdAt: q.created_at,
    latest: await version(db, latestId),
  };
}

/** One version with its model (responses are read against the version they keep). */
export async function version(
  db: DbOrTrx,
  versionId: number,
): Promise<QuestionnaireVersion & { form: Form }> {
  const v = await repo.findVersion(db, versionId);
  if (!v) throw notFound('Questionnaire version');
  return { ...versionView(v), form: v.form };
}

/** Versions of a questionnaire, newest first. */
export async function versions(db: DbOrTrx, questionnaireId: number): Promise<QuestionnaireVersion[]> {
  return (await repo.listVersions(db, questionnaireId)).map(versionView);
}

export async function questionnaires(db: DbOrTrx, limit = 200) {
  return (await repo.listQuestionnaires(db, limit)).map((q) => ({
    id: q.id,
    formId: q.form_id,
    title: q.title,
    latestVersionId: q.version_id,
    latestNumber: q.number,
    latestAt: q.version_at,
  }));
}

/**
 * A version as an XLSForm: `canonical` writes the stored model (what the designer will edit); `source`
 * returns the file exactly as uploaded.
 */
export async function exportQuestionnaire(
  db: DbOrTrx,
  versionId: number,
  how: 'canonical' | 'source' = 'canonical',
): Promise<{ fileName: string; bytes: Buffer }> {
  const v = await version(db, versionId);
  const base = (v.form.settings.formId ?? `questionnaire-${v.questionnaireId}`).replace(
    /[^\p{L}\p{N}_.-]+/gu,
    '_',
  );
  const fileName = `${base}-v${v.number}.xlsx`;
  if (how === 'source') {
    const src = await repo.versionSource(db, versionId);
    return { fileName, bytes: src!.source };
  }
  return { fileName, bytes: await exportXlsForm(v.form) };
}

// ---------------------------------------------------------------- interview guides

export interface GuideInput {
  title: string;
  purpose: string;
  topics: GuideTopic[];
}

/**
 * A guide written as an outline: `# Topic` lines start topics, other lines are open questions, lines
 * starting with `-` are probes of the question above. Blank lines are ignored.
 */
export function parseGuideOutline(text: string): GuideTopic[] {
  const topics: GuideTopic[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) topics.push({ title: line.replace(/^#+\s*/, ''), questions: [] });
    else if (line.startsWith('-'))
      topics
        .at(-1)
        ?.questions.at(-1)
        ?.probes.push(line.replace(/^-+\s*/, ''));
    else {
      if (topics.length === 0) topics.push({ title: '', questions: [] });
      topics.at(-1)!.questions.push({ text: line, probes: [] });
    }
  }
  return topics;
}

export async function createGuide(
  trx: Trx,
  actor: StaffActor,
  input: GuideInput,
  ip: string | null = null,
): Promise<number> {
  assertDesigner(actor);
  const title = input.title.trim();
  const errors: Record<string, MessageKey> = {};
  if (!title) errors.title = 'surveys.guide.titleMissing';
  else if (title.length > MAX_TITLE) errors.title = 'surveys.guide.titleTooLong';
  if (input.topics.length === 0) errors.topics = 'surveys.guide.noTopics';
  else if (input.topics.some((t) => !t.title.trim())) errors.topics = 'surveys.guide.topicWithoutTitle';
  else if (input.topics.some((t) => t.questions.length === 0))
    errors.topics = 'surveys.guide.topicWithoutQuestions';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const id = await repo.insertGuide(trx, {
    title,
    purpose: input.purpose.trim(),
    topics: input.topics,
    created_by: actor.userId,
  });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'interview_guide.created',
    subject: { kind: 'interview_guide', id },
    ip,
    details: { title, topics: input.topics.length },
  });
  return id;
}

export async function guide(db: DbOrTrx, id: number) {
  const g = await repo.findGuide(db, id);
  if (!g) throw notFound('Interview guide');
  return {
    id: g.id,
    title: g.title,
    purpose: g.purpose,
    topics: g.topics,
    createdBy: g.created_by,
    createdAt: g.created_at,
  };
}

export async function guides(db: DbOrTrx, limit = 200) {
  return await repo.listGuides(db, limit);
}
