// Proposals left by sweeps, decided by specialists and district heads in their own districts. Showing
// a proposal shows a person, so every listed person is an audited registry read; accepting one creates
// the assignment (basis 'proactive', with the proposal's rule version and parameters) and tells the
// resident through the inbox, all in one transaction. Also the answers of the mass-extension flow,
// whose work (and its record in assignment events) is the registry's massExtend.
import { record } from '../../platform/audit/audit.service.ts';
import { inScope, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { formatMoney, type Locale, type MessageKey, translate } from '../../platform/i18n/i18n.ts';
import { measureRefs, measuresWithChannels } from '../catalog/catalog.service.ts';
import { sendToInbox } from '../inbox/inbox.service.ts';
import {
  createAssignment,
  listMassExtensions,
  massExtend,
  revertMassExtension,
} from '../registry/assignments.service.ts';
import { personForStaff } from '../registry/registry.service.ts';
import * as repo from './proactive.repository.ts';

export const PAGE_SIZE = 20;

/** What a sweep stored to explain itself (the engine's Evaluation), as the pages read it. */
export interface StoredExplanation {
  eligible: boolean;
  amount: number | null;
  version: number;
  conditions: { id: string; passed: boolean; text: { ru: string; en: string } }[];
  amountText?: { ru: string; en: string } | null;
}

export interface ProposalView {
  id: number;
  personId: number;
  personName: string;
  measure: { code: string; title_ru: string; title_en: string };
  amount: number | null;
  createdAt: Date;
  explanation: StoredExplanation;
}

async function measuresById(trx: Trx, ids: number[]) {
  return new Map((await measureRefs(trx, { ids })).map((m) => [m.id, m]));
}

/** Reads the person for a proposal through the registry (scope checked, read audited). */
async function readPerson(trx: Trx, actor: StaffActor, personId: number, ip: string) {
  const read = await personForStaff(trx, actor, personId, ip);
  if (read.denied) return undefined;
  const p = read.person;
  return { name: [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' '), person: p };
}

/** One page of open proposals in the actor's districts; each person shown is an audited read. */
export async function listProposals(trx: Trx, actor: StaffActor, ip: string, page: number) {
  const scope = scopeOf(actor);
  const [rows, total] = await Promise.all([
    repo.openProposals(trx, scope, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    repo.countOpenProposals(trx, scope),
  ]);
  const measures = await measuresById(trx, [...new Set(rows.map((r) => r.measure_id))]);
  const views: ProposalView[] = [];
  // Sequential on purpose: audit appends share one transaction and a chain lock.
  for (const row of rows) {
    const person = await readPerson(trx, actor, row.person_id, ip);
    if (!person) continue;
    views.push(toView(row, person.name, measures.get(row.measure_id)!));
  }
  return { proposals: views, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

function toView(
  row: Awaited<ReturnType<typeof repo.openProposals>>[number],
  personName: string,
  measure: { code: string; title_ru: string; title_en: string },
): ProposalView {
  return {
    id: row.id,
    personId: row.person_id,
    personName,
    measure,
    amount: row.amount,
    createdAt: row.created_at,
    explanation: row.explanation as StoredExplanation,
  };
}

/** A proposal with its person, for deciding it; a proposal outside the actor's districts is refused. */
export async function proposalForStaff(trx: Trx, actor: StaffActor, id: number, ip: string) {
  const row = await repo.findProposal(trx, id);
  if (!row) throw notFound('Proposal');
  const person = await readPerson(trx, actor, row.person_id, ip);
  if (!person) throw forbidden();
  const measure = (await measuresById(trx, [row.measure_id])).get(row.measure_id)!;
  return { ...toView(row, person.name, measure), status: row.status, person: person.person };
}

async function lockOpen(trx: Trx, actor: StaffActor, id: number) {
  const row = await repo.findProposal(trx, id, true);
  if (!row) throw notFound('Proposal');
  if (!inScope(scopeOf(actor), row.district_id)) throw forbidden();
  if (row.status !== 'open') throw new AppError('proposal_decided', 409, 'The proposal is already decided');
  const measure = (await measuresById(trx, [row.measure_id])).get(row.measure_id)!;
  return { row, measure };
}

const today = () => new Date().toISOString().slice(0, 10);

export async function acceptProposal(trx: Trx, actor: StaffActor, id: number, ip: string): Promise<number> {
  const { row, measure } = await lockOpen(trx, actor, id);
  // Not before the date the sweep found the person eligible, nor in the past.
  const startDate = row.as_of && row.as_of > today() ? row.as_of : today();
  const assignmentId = await createAssignment(trx, {
    personId: row.person_id,
    measureId: row.measure_id,
    basis: 'proactive',
    amount: row.amount ?? 0,
    startDate,
    ruleVersionId: row.rule_version_id,
    parameters: row.parameters,
    actorId: actor.userId,
  });
  await repo.decideProposal(trx, id, { status: 'accepted', decidedBy: actor.userId, assignmentId });
  const message = (locale: Locale) => ({
    subject: translate(locale, 'proactive.inbox.assignedSubject'),
    body: translate(
      locale,
      row.amount === null ? 'proactive.inbox.assignedBody' : 'proactive.inbox.assignedAmountBody',
      {
        measure: locale === 'ru' ? measure.title_ru : measure.title_en,
        amount: row.amount === null ? '' : formatMoney(locale, row.amount),
      },
    ),
  });
  await inform(trx, row.person_id, message);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'proposal.accepted',
    subject: { kind: 'proposal', id },
    districtId: row.district_id,
    ip,
    details: { assignmentId, measure: measure.code },
  });
  return assignmentId;
}

/** Declining keeps the reason in the audit log and tells the resident why. */
export async function declineProposal(
  trx: Trx,
  actor: StaffActor,
  id: number,
  reason: string,
  ip: string,
): Promise<void> {
  const { row, measure } = await lockOpen(trx, actor, id);
  await repo.decideProposal(trx, id, { status: 'declined', decidedBy: actor.userId, assignmentId: null });
  await inform(trx, row.person_id, (locale) => ({
    subject: translate(locale, 'proactive.inbox.declinedSubject'),
    body: translate(locale, 'proactive.inbox.declinedBody', {
      measure: locale === 'ru' ? measure.title_ru : measure.title_en,
      reason,
    }),
  }));
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'proposal.declined',
    subject: { kind: 'proposal', id },
    districtId: row.district_id,
    ip,
    details: { reason, measure: measure.code },
  });
}

async function inform(
  trx: Trx,
  personId: number,
  message: (locale: Locale) => { subject: string; body: string },
): Promise<void> {
  const ru = message('ru');
  const en = message('en');
  await sendToInbox(trx, [
    { personId, subject: { ru: ru.subject, en: en.subject }, body: { ru: ru.body, en: en.body } },
  ]);
}

// ---------------------------------------------------------------- mass extensions

export const EXTENSION_STEPS = ['measures', 'months', 'reason'] as const;
export type ExtensionStep = (typeof EXTENSION_STEPS)[number];
export interface ExtensionAnswers {
  measureCodes: string[];
  months: number;
  reason: string;
}

/** Measures whose assignments run for a period (one-off payments have nothing to extend). */
export async function extendableMeasures(db: DbOrTrx) {
  return (await measuresWithChannels(db)).filter((m) => m.periodicity !== 'one_off');
}

/** The problem with one step's answer, as the field to mark and the message key. */
export function extensionProblem(
  step: ExtensionStep,
  answers: Record<string, string | string[]>,
  measureCodes: string[],
): { field: string; message: MessageKey } | undefined {
  const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);
  switch (step) {
    case 'measures': {
      const chosen = list(answers.measures);
      return chosen.length > 0 && chosen.every((c) => measureCodes.includes(c))
        ? undefined
        : { field: 'measures', message: 'proactive.extensions.measuresMissing' };
    }
    case 'months': {
      const n = Number(answers.months);
      return typeof answers.months === 'string' && Number.isInteger(n) && n >= 1 && n <= 36
        ? undefined
        : { field: 'months', message: 'proactive.extensions.monthsInvalid' };
    }
    case 'reason': {
      const r = answers.reason;
      return typeof r === 'string' && r.length > 0 && r.length <= 500
        ? undefined
        : { field: 'reason', message: 'proactive.extensions.reasonMissing' };
    }
  }
}

export function completeExtension(
  answers: Record<string, string | string[]>,
  measureCodes: string[],
): { value: ExtensionAnswers } | { missing: ExtensionStep } {
  for (const step of EXTENSION_STEPS)
    if (extensionProblem(step, answers, measureCodes)) return { missing: step };
  const m = answers.measures;
  return {
    value: {
      measureCodes: Array.isArray(m) ? m : [m as string],
      months: Number(answers.months),
      reason: answers.reason as string,
    },
  };
}

export async function runExtension(db: Db, a: ExtensionAnswers, actorId: number, asOf: string) {
  return await massExtend(db, {
    measureCodes: a.measureCodes,
    months: a.months,
    reason: a.reason,
    actorId,
    asOf,
  });
}

export async function revertExtension(db: Db, batchId: number, actorId: number): Promise<void> {
  await revertMassExtension(db, batchId, actorId);
}

export const pastExtensions = listMassExtensions;

// ---------------------------------------------------------------- for informing campaigns

/**
 * Residents the rules engine found eligible for a measure they do not receive, as a subquery of
 * person ids: those with an open proposal for it. A sweep proposes everyone eligible and unassigned
 * who has no open proposal yet, so after the latest finished sweep the open proposals (its own and
 * those still undecided from earlier sweeps) are that group. Undefined when no sweep of the measure
 * has finished: there is nothing to go on until one runs.
 */
export async function eligibleNotReceiving(db: DbOrTrx, measureId: number) {
  const sweep = await repo.latestDoneSweep(db, measureId);
  if (!sweep) return undefined;
  return {
    sweep: { id: sweep.id, asOf: sweep.as_of, finishedAt: sweep.finished_at },
    personIds: repo.openProposalPersonsOf(db, measureId),
  };
}
