// Proactive sweeps: one measure evaluated for every resident as of a date. Facts stream from the
// registry batch by batch (memory stays flat at any region size); `decide` is the hot path, and only
// residents who are eligible, not yet assigned and without an open proposal are explained (`evaluate`)
// and proposed — or, with auto-assign, assigned. Each batch commits its proposals, assignments, inbox
// messages and progress together, so an interrupted sweep can simply run again: the unique open-proposal
// index and the facts' own assignment list make the second run add nothing twice.
import { record } from '../../platform/audit/audit.service.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { formatMoney, type Locale, translate } from '../../platform/i18n/i18n.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { measureRefs, measuresWithChannels } from '../catalog/catalog.service.ts';
import { type NewMessage, sendSameToInbox, sendToInbox } from '../inbox/inbox.service.ts';
import { createAssignment } from '../registry/assignments.service.ts';
import { type PersonFactsRecord, streamFacts } from '../registry/facts.service.ts';
import { deceasedAmong } from '../registry/registry.life-events.ts';
import { countAllPersons } from '../registry/registry.service.ts';
import { type CompiledRule, ruleBookAsOf } from '../rules/rules.service.ts';
import * as repo from './proactive.repository.ts';
import type { StoredExplanation } from './proactive.service.ts';

export const SWEEP_TASK = 'proactive:sweep';
/** Tells the residents of a finished sweep's open proposals; enqueued when the sweep is marked done. */
export const INFORM_TASK = 'proactive:inform';
const BATCH_SIZE = 10_000;
const INBOX_CHUNK = 5_000;

export interface SweepFigures {
  total: number;
  processed: number;
  eligible: number;
  proposalsCreated: number;
}

export interface SweepOptions {
  /** Assign directly instead of proposing (only for measures offered through the 'proactive' channel). */
  autoAssign?: boolean;
  batchSize?: number;
}

/** The measures a sweep may run for, and whether each may be assigned without a specialist. */
export async function sweepableMeasures(db: Db) {
  return (await measuresWithChannels(db)).map((m) => ({
    ...m,
    autoAssignable: m.channels.includes('proactive'),
  }));
}

async function withMeasures<T extends { measure_id: number }>(db: Db, rows: T[]) {
  const refs = await measureRefs(db, { ids: [...new Set(rows.map((r) => r.measure_id))] });
  const byId = new Map(refs.map((m) => [m.id, m]));
  return rows.map((r) => ({ ...r, measure: byId.get(r.measure_id)! }));
}

export async function recentSweeps(db: Db, limit = 20) {
  return await withMeasures(db, await repo.listSweeps(db, limit));
}

/** A sweep with its measure and how many of its proposals ended in an assignment. */
export async function sweepWithMeasure(db: Db, id: number) {
  const sweep = await repo.findSweep(db, id);
  if (!sweep) throw notFound('Sweep');
  const [withMeasure] = await withMeasures(db, [sweep]);
  return { sweep: withMeasure!, accepted: await repo.countAccepted(db, id) };
}

interface NewSweep {
  measureCode: string;
  asOf: string;
  autoAssign: boolean;
  actorId: number | null;
  ip?: string;
}

/** Creates the sweep row (queued) and records who started it; the caller runs it or enqueues it. */
export async function createSweep(trx: Trx, s: NewSweep): Promise<number> {
  const measure = (await measuresWithChannels(trx)).find((m) => m.code === s.measureCode);
  if (!measure) throw new AppError('unknown_measure', 422, `No active measure ${s.measureCode}`);
  if (s.autoAssign && !measure.channels.includes('proactive'))
    throw new AppError('not_auto_assignable', 422, `${s.measureCode} is not offered proactively`);
  const sweepId = await repo.insertSweep(trx, {
    measureId: measure.id,
    asOf: s.asOf,
    startedBy: s.actorId,
    autoAssign: s.autoAssign,
  });
  await record(trx, {
    actor: s.actorId === null ? { kind: 'system' } : { kind: 'staff', id: s.actorId },
    action: 'sweep.started',
    subject: { kind: 'sweep', id: sweepId },
    ip: s.ip ?? null,
    details: { measure: s.measureCode, asOf: s.asOf, autoAssign: s.autoAssign },
  });
  return sweepId;
}

/** Creates the sweep and enqueues its job in the caller's transaction (both or neither). */
export async function startSweep(trx: Trx, s: NewSweep): Promise<number> {
  const sweepId = await createSweep(trx, s);
  await enqueue(trx, SWEEP_TASK, { sweepId }, { maxAttempts: 3 });
  return sweepId;
}

/**
 * Runs a sweep to the end. A sweep already done is a no-op (returns its figures); a queued, failed or
 * interrupted one starts over. Errors are written to the sweep (status 'failed') and rethrown.
 */
export async function runSweep(
  db: Db,
  sweepId: number,
  onProgress?: (figures: SweepFigures) => void,
  options: SweepOptions = {},
): Promise<SweepFigures & { skipped: boolean }> {
  const sweep = await repo.findSweep(db, sweepId);
  if (!sweep) throw notFound('Sweep');
  if (sweep.status === 'done') return { ...figuresOf(sweep), skipped: true };
  const claimed = await repo.claimSweep(db, sweepId, await countAllPersons(db));
  if (!claimed) return { ...figuresOf(sweep), skipped: true };
  const figures = figuresOf(claimed);
  onProgress?.(figures);
  // One batch's writes stay in flight while the next batch is decided, so PostgreSQL writes one
  // batch's proposals while Node evaluates the next; at most two batches are held.
  let writing: Promise<BatchResult> | undefined;
  const account = async (batch: Promise<BatchResult>) => {
    const done = await batch;
    figures.processed += done.processed;
    figures.eligible += done.eligible;
    figures.proposalsCreated += done.created;
    onProgress?.({ ...figures });
  };
  try {
    // The mode is the sweep's own (chosen when it was started); a caller may override it.
    const ctx = await batchContext(db, sweep, options.autoAssign ?? sweep.auto_assign);
    const batchSize = options.batchSize ?? BATCH_SIZE;
    for await (const batch of streamFacts(db, { asOf: sweep.as_of, batchSize })) {
      const previous = writing;
      writing = processBatch(db, ctx, batch);
      writing.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
      if (previous) await account(previous);
    }
    if (writing) await account(writing);
    await db.transaction().execute(async (trx) => {
      await repo.finishSweep(trx, sweepId, 'done', null);
      await enqueue(trx, INFORM_TASK, { sweepId }, { jobKey: `${INFORM_TASK}:${sweepId}` });
    });
    return { ...figures, skipped: false };
  } catch (error) {
    await writing?.catch(() => {}); // let the batch in flight settle before the sweep is marked failed
    await repo.finishSweep(db, sweepId, 'failed', (error as Error).message.slice(0, 2000));
    throw error;
  }
}

/** The measure, its rule in force on the sweep's date, and the auto-assign policy check. */
async function batchContext(
  db: Db,
  sweep: { id: number; measure_id: number; as_of: string; started_by: number | null },
  autoAssign: boolean,
): Promise<BatchContext> {
  const measure = (await measuresWithChannels(db)).find((m) => m.id === sweep.measure_id);
  if (!measure) throw new AppError('measure_inactive', 422, `Measure #${sweep.measure_id} is not active`);
  if (autoAssign && !measure.channels.includes('proactive'))
    throw new AppError('not_auto_assignable', 422, `${measure.code} is not offered proactively`);
  const book = await ruleBookAsOf(db, sweep.as_of, [measure.code]);
  const rule = book.byMeasure.get(measure.code);
  if (!rule || rule.ruleVersionId === null)
    throw new AppError('no_rule', 422, `${measure.code} has no published rule in force on ${sweep.as_of}`);
  return {
    sweepId: sweep.id,
    asOf: sweep.as_of,
    actorId: sweep.started_by,
    measure,
    rule,
    ruleVersionId: rule.ruleVersionId,
    params: book.params,
    autoAssign,
    messages: new Map(),
  };
}

interface BatchResult {
  processed: number;
  eligible: number;
  created: number;
}

interface BatchContext {
  sweepId: number;
  asOf: string;
  actorId: number | null;
  measure: { id: number; code: string; title_ru: string; title_en: string };
  rule: CompiledRule;
  ruleVersionId: number;
  params: Record<string, number>;
  autoAssign: boolean;
  /** Inbox texts already built, by outcome and amount. */
  messages: Map<string, Omit<NewMessage, 'personId'>>;
}

async function processBatch(db: Db, ctx: BatchContext, batch: PersonFactsRecord[]): Promise<BatchResult> {
  let eligible = 0;
  const candidates: PersonFactsRecord[] = [];
  for (const resident of batch) {
    if (!ctx.rule.decide(resident.facts, ctx.params).eligible) continue;
    eligible++;
    if (!resident.facts.assignments.includes(ctx.measure.code)) candidates.push(resident);
  }
  const created = await db.transaction().execute(async (trx) => {
    const open = await repo.withOpenProposal(
      trx,
      ctx.measure.id,
      candidates.map((c) => c.personId),
    );
    // The deceased stay in the registry, and so in the facts, but are offered nothing.
    const dead = await deceasedAmong(
      trx,
      candidates.map((c) => c.personId),
    );
    const rows = candidates
      .filter((c) => !open.has(c.personId) && !dead.has(c.personId))
      .map((c) => {
        // The measure, rule version and parameters have columns of their own: not stored twice.
        const {
          measureCode: _m,
          ruleVersionId: _r,
          parameters,
          ...explanation
        } = ctx.rule.evaluate(c.facts, ctx.params);
        return {
          person_id: c.personId,
          measure_id: ctx.measure.id,
          sweep_id: ctx.sweepId,
          amount: explanation.amount,
          rule_version_id: ctx.ruleVersionId,
          parameters,
          explanation: explanation satisfies StoredExplanation,
        };
      });
    const inserted = await repo.insertProposals(trx, rows);
    const byPerson = new Map(rows.map((r) => [r.person_id, r]));
    const assigned = ctx.autoAssign ? await assignInserted(trx, ctx, inserted, byPerson) : new Set<number>();
    // Residents assigned here are told now, with their amount; residents with an open proposal are all
    // told the same thing after the sweep, by the inform job in one statement.
    const messages = inserted
      .filter((p) => assigned.has(p.person_id))
      .map((p) => proposalMessage(ctx, p.person_id, byPerson.get(p.person_id)?.amount ?? null, true));
    // Chunked: a multi-row insert binds five values per message, and PostgreSQL allows 65 535.
    for (let i = 0; i < messages.length; i += INBOX_CHUNK)
      await sendToInbox(trx, messages.slice(i, i + INBOX_CHUNK));
    await repo.addProgress(trx, ctx.sweepId, {
      processed: batch.length,
      eligible,
      created: inserted.length,
    });
    return inserted.length;
  });
  return { processed: batch.length, eligible, created };
}

/**
 * Automatic policy: the proposal just claimed is accepted at once, recording the rule version used.
 * A person whose assignment of the measure is suspended (not in the facts' active list, but still
 * live) keeps an open proposal for a specialist instead. Returns who was assigned.
 */
async function assignInserted(
  trx: Trx,
  ctx: BatchContext,
  inserted: { id: number; person_id: number }[],
  byPerson: Map<number, repo.NewProposal>,
): Promise<Set<number>> {
  const assigned = new Set<number>();
  for (const p of inserted) {
    const row = byPerson.get(p.person_id);
    let assignmentId: number;
    try {
      assignmentId = await createAssignment(trx, {
        personId: p.person_id,
        measureId: ctx.measure.id,
        basis: 'proactive',
        amount: row?.amount ?? 0,
        startDate: ctx.asOf,
        ruleVersionId: ctx.ruleVersionId,
        parameters: row?.parameters ?? {},
        actorId: ctx.actorId,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'duplicate_assignment') continue;
      throw error;
    }
    await repo.decideProposal(trx, p.id, { status: 'accepted', decidedBy: ctx.actorId, assignmentId });
    assigned.add(p.person_id);
  }
  return assigned;
}

/**
 * The resident's message: the same text for everyone told of a proposal, and for everyone assigned
 * the same amount, so each distinct text is built once per sweep (formatting money is costly).
 */
function proposalMessage(
  ctx: BatchContext,
  personId: number,
  amount: number | null,
  assigned: boolean,
): NewMessage {
  const key = assigned ? `assigned:${amount}` : 'proposed';
  let text = ctx.messages.get(key);
  if (!text) {
    const build = (locale: Locale) => {
      const measure = locale === 'ru' ? ctx.measure.title_ru : ctx.measure.title_en;
      if (!assigned)
        return {
          subject: translate(locale, 'proactive.inbox.proposedSubject'),
          body: translate(locale, 'proactive.inbox.proposedBody', { measure }),
        };
      return {
        subject: translate(locale, 'proactive.inbox.assignedSubject'),
        body:
          amount === null
            ? translate(locale, 'proactive.inbox.assignedBody', { measure })
            : translate(locale, 'proactive.inbox.assignedAmountBody', {
                measure,
                amount: formatMoney(locale, amount),
              }),
      };
    };
    const ru = build('ru');
    const en = build('en');
    text = { subject: { ru: ru.subject, en: en.subject }, body: { ru: ru.body, en: en.body } };
    ctx.messages.set(key, text);
  }
  return { personId, ...text };
}

/**
 * Tells every resident with an open proposal from a finished sweep, in one statement. Safe to run
 * twice: the sweep is marked informed in the same transaction as the messages.
 */
export async function informSweepResidents(db: Db, sweepId: number): Promise<number> {
  const sweep = await repo.findSweep(db, sweepId);
  if (!sweep) throw notFound('Sweep');
  const measure = (await measuresWithChannels(db)).find((m) => m.id === sweep.measure_id);
  if (!measure) return 0;
  const ctx = { measure, messages: new Map() } as unknown as BatchContext;
  const { personId: _, ...text } = proposalMessage(ctx, 0, null, false);
  return await db.transaction().execute(async (trx) => {
    if (!(await repo.claimInforming(trx, sweepId))) return 0;
    return await sendSameToInbox(trx, await repo.openProposalPersons(trx, sweepId), text);
  });
}

function figuresOf(s: { total: number; processed: number; eligible: number; proposals_created: number }) {
  return {
    total: s.total,
    processed: s.processed,
    eligible: s.eligible,
    proposalsCreated: s.proposals_created,
  };
}
