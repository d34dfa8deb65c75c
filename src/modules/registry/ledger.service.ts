// The monthly accrual ledger. What is due for a month is the rule's amount with the rule version and
// parameters in force on the month's first day (so indexation arrives through dated parameters) for
// the person's facts as of that day; the assignment's own amount when the measure's rule has none.
// Entries are never edited: a recalculation adds arrears (more was due) or an overpayment (less).
//
// A month is payable when the assignment's period overlaps it and a suspension does not cover all of
// the overlap; a payable month is paid in full (no proration by days).
import type { Db, DbOrTrx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import type { Facts } from '../rules/rules.facts.ts';
import { type RuleBook, ruleBookAsOf } from '../rules/rules.service.ts';
import * as assignments from './assignments.repository.ts';
import { factsForPerson, factsForPersons } from './facts.service.ts';
import * as repo from './ledger.repository.ts';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])-01$/;
const CHUNK = 5000;

function assertPeriod(period: string): void {
  if (!PERIOD.test(period))
    throw new AppError('invalid_period', 422, `A period is a month's first day, got "${period}"`);
}

/** The last day of the month starting on `period`. */
export function monthEnd(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function nextMonth(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

interface Due {
  amount: number;
  ruleVersionId: number | null;
  parameters: Record<string, unknown>;
  /** Set when the rule could not be evaluated and the assignment's amount was used instead. */
  note: string;
}

/** What is due for a month under the rule book in force then. */
export function dueAmount(
  book: RuleBook,
  measureCode: string,
  facts: Facts | undefined,
  a: repo.Candidate,
): Due {
  const rule = book.byMeasure.get(measureCode);
  const own = {
    amount: Number(a.amount),
    ruleVersionId: a.rule_version_id,
    parameters: a.parameters,
    note: '',
  };
  if (!rule || !facts) return own;
  const parameters = Object.fromEntries(rule.paramsUsed.map((code) => [code, book.params[code]]));
  try {
    const amount = rule.decide(facts, book.params).amount;
    if (amount === null) return own;
    return { amount, ruleVersionId: rule.ruleVersionId, parameters, note: '' };
  } catch (error) {
    // One person's rule failing must not stop the month for everyone; the entry says why.
    const reason = error instanceof Error ? error.message : String(error);
    return { ...own, note: `rule not evaluated, assignment amount used: ${reason}` };
  }
}

async function monthlyMeasures(db: DbOrTrx) {
  const monthly = (await measureRefs(db)).filter((m) => m.periodicity === 'monthly');
  return new Map(monthly.map((m) => [m.id, m.code]));
}

/**
 * One regular accrual per assignment payable in the month, for measures paid monthly. Safe to run
 * again: assignments already accrued for the month are skipped (and the unique index holds the line).
 */
export async function accrueMonth(db: Db, period: string): Promise<{ created: number }> {
  assertPeriod(period);
  const measures = await monthlyMeasures(db);
  if (measures.size === 0) return { created: 0 };
  const book = await ruleBookAsOf(db, period, [...measures.values()]);
  let created = 0;
  let afterId = 0;
  for (;;) {
    const batch = await repo.unaccrued(db, {
      measureIds: [...measures.keys()],
      period,
      monthEnd: monthEnd(period),
      afterId,
      limit: CHUNK,
    });
    if (batch.length === 0) return { created };
    // Facts only for measures with a rule in force: the others are paid the assignment's amount.
    const ruled = batch.filter((a) => book.byMeasure.has(measures.get(a.measure_id)!));
    const facts = await factsForPersons(
      db,
      ruled.map((a) => a.person_id),
      period,
    );
    const entries = batch.map((a) => {
      const due = dueAmount(book, measures.get(a.measure_id)!, facts.get(a.person_id), a);
      return entry(a.id, period, 'accrual', due.amount, due);
    });
    created += await repo.insertEntries(db, entries);
    afterId = batch[batch.length - 1]!.id;
  }
}

function entry(assignmentId: number, period: string, kind: repo.NewEntry['kind'], amount: number, due: Due) {
  return {
    assignment_id: assignmentId,
    period,
    kind,
    amount,
    rule_version_id: due.ruleVersionId,
    parameters: due.parameters,
    reason: due.note,
  };
}

export interface Recalculation {
  assignmentId: number;
  fromPeriod: string;
  reason: string;
  actorId: number | null;
}

/**
 * Recomputes each month from fromPeriod to the last accrued one with today's rules, parameters and
 * registry facts as of that month, and books the difference against what the month already has.
 * Running it again adds nothing. Returns the entries added and their sum.
 */
export async function recalculate(db: Db, r: Recalculation): Promise<{ entries: number; total: number }> {
  assertPeriod(r.fromPeriod);
  if (!r.reason.trim()) throw new AppError('reason_required', 422, 'Give the reason for the recalculation');
  return await db.transaction().execute(async (trx) => {
    const a = await assignments.findAssignment(trx, r.assignmentId, true);
    if (!a) throw notFound('Assignment');
    const code = (await monthlyMeasures(trx)).get(a.measure_id);
    if (!code) throw new AppError('not_monthly', 422, 'Only assignments of monthly measures are accrued');
    const last = await repo.lastAccruedPeriod(trx, a.id);
    const months: { period: string; monthEnd: string }[] = [];
    for (let p = r.fromPeriod; last && p <= last; p = nextMonth(p))
      months.push({ period: p, monthEnd: monthEnd(p) });
    const added: repo.NewEntry[] = [];
    for (const m of await repo.monthsOf(trx, a.id, months)) {
      const due = m.payable
        ? dueAmount(
            await ruleBookAsOf(trx, m.period, [code]),
            code,
            await factsForPerson(trx, a.person_id, m.period),
            a,
          )
        : { amount: 0, ruleVersionId: a.rule_version_id, parameters: a.parameters, note: '' };
      const difference = Math.round((due.amount - m.booked) * 100) / 100;
      if (difference === 0) continue;
      const kind = difference > 0 ? 'arrears' : 'overpayment';
      added.push({
        ...entry(a.id, m.period, kind, difference, due),
        reason: [r.reason, due.note].filter(Boolean).join('; '),
      });
    }
    await repo.insertEntries(trx, added);
    const total = Math.round(added.reduce((sum, e) => sum + e.amount * 100, 0)) / 100;
    if (added.length > 0)
      await assignments.insertEvent(trx, {
        assignment_id: a.id,
        kind: 'recalculated',
        actor_id: r.actorId,
        details: {
          from_period: r.fromPeriod,
          to_period: last,
          reason: r.reason,
          entries: added.length,
          total,
        },
      });
    return { entries: added.length, total };
  });
}

/** Recent ledger entries of the assignments, newest month first. */
export async function ledgerEntries(db: DbOrTrx, assignmentIds: number[], limit = 24) {
  return await repo.entriesFor(db, assignmentIds, limit);
}
