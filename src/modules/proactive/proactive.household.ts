// Proposals for one family or one person when the registry learns of a life event (a birth, a
// disability decision from another agency), instead of waiting for the next region-wide sweep. They
// are the same proposals a sweep leaves (sweep_id null): specialists see and decide them on
// /staff/proposals, and the resident is told in the inbox as after a sweep.
import { record } from '../../platform/audit/audit.service.ts';
import type { Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type Locale, translate } from '../../platform/i18n/i18n.ts';
import { measureRefs, situationWithMeasures } from '../catalog/catalog.service.ts';
import { sendToInbox } from '../inbox/inbox.service.ts';
import { assignmentsForPerson } from '../registry/assignments.service.ts';
import { factsForPersons } from '../registry/facts.service.ts';
import { deceasedAmong } from '../registry/registry.life-events.ts';
import { contactsOf } from '../registry/registry.service.ts';
import { ruleBookAsOf } from '../rules/rules.service.ts';
import * as householdRepo from './proactive.household.repository.ts';
import * as repo from './proactive.repository.ts';
import type { StoredExplanation } from './proactive.service.ts';

export interface LifeEventOffer {
  /** Who may be offered a measure, in order of preference (for a birth: the mother first). */
  personIds: number[];
  /** Life situations (catalog codes) whose measures are evaluated, e.g. 'child_birth', 'disability'. */
  situations: string[];
  /** The day eligibility is decided on. */
  asOf: string;
  /**
   * One proposal per measure for all of personIds together (a family measure): none when any of
   * them already receives the measure or has an open proposal for it; otherwise the first eligible.
   */
  oncePerFamily: boolean;
  /** Written to the audit log as the reason (the agency's event id). */
  reason: string;
}

export interface ProposalMade {
  id: number;
  personId: number;
  measureCode: string;
  amount: number | null;
}

/**
 * Evaluates the situations' measures with the rules in force on asOf and proposes each eligible
 * measure that is not received yet (an active or suspended assignment) and not proposed already.
 * Deceased persons are never offered anything. A rule that cannot be evaluated for these facts is
 * left out, as the other measures are still worth offering.
 */
export async function proposeOnLifeEvent(trx: Trx, offer: LifeEventOffer): Promise<ProposalMade[]> {
  const dead = await deceasedAmong(trx, offer.personIds);
  const people = [...new Set(offer.personIds)].filter((id) => !dead.has(id));
  if (people.length === 0) return [];
  const codes = new Set<string>();
  for (const situation of offer.situations) {
    const found = await situationWithMeasures(trx, situation).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return undefined; // not in this catalog
      throw error;
    });
    for (const m of found?.measures ?? []) codes.add(m.code);
  }
  const book = await ruleBookAsOf(trx, offer.asOf, [...codes]);
  const measures = new Map((await measureRefs(trx, { codes: [...codes] })).map((m) => [m.code, m]));
  const facts = await factsForPersons(trx, people, offer.asOf);
  const receiving = await liveMeasures(trx, people, offer.asOf);

  const rows: (repo.NewProposal & { measureCode: string })[] = [];
  for (const rule of book.rules) {
    const measure = measures.get(rule.measureCode);
    if (!measure || rule.ruleVersionId === null) continue;
    const open = await repo.withOpenProposal(trx, measure.id, people);
    const taken = (id: number) => open.has(id) || receiving.get(id)?.has(measure.code) === true;
    if (offer.oncePerFamily && people.some(taken)) continue;
    for (const personId of people) {
      const personFacts = facts.get(personId);
      if (!personFacts || taken(personId)) continue;
      let evaluation: ReturnType<typeof rule.evaluate>;
      try {
        if (!rule.decide(personFacts, book.params).eligible) continue;
        evaluation = rule.evaluate(personFacts, book.params);
      } catch (error) {
        if (error instanceof AppError && error.code === 'rule_error') break;
        throw error;
      }
      const { measureCode: _m, ruleVersionId: _r, parameters, ...explanation } = evaluation;
      rows.push({
        person_id: personId,
        measure_id: measure.id,
        sweep_id: null,
        amount: explanation.amount,
        rule_version_id: rule.ruleVersionId,
        parameters,
        explanation: explanation satisfies StoredExplanation,
        measureCode: measure.code,
      });
      if (offer.oncePerFamily) break;
    }
  }
  // The unique open-proposal index decides a race with a sweep: only rows inserted here come back.
  // One insert per measure, so the rows that come back (person ids) match their measure.
  const made: ProposalMade[] = [];
  for (const measureId of new Set(rows.map((r) => r.measure_id))) {
    const mine = rows.filter((r) => r.measure_id === measureId);
    const inserted = await repo.insertProposals(
      trx,
      mine.map(({ measureCode: _, ...row }) => row),
    );
    for (const p of inserted) {
      const row = mine.find((r) => r.person_id === p.person_id)!;
      made.push({ id: p.id, personId: p.person_id, measureCode: row.measureCode, amount: row.amount });
    }
  }
  await tell(trx, made, measures);
  const districts = await contactsOf(
    trx,
    made.map((p) => p.personId),
  );
  for (const p of made)
    await record(trx, {
      actor: { kind: 'system' },
      action: 'proposal.created',
      subject: { kind: 'proposal', id: p.id },
      districtId: districts.get(p.personId)?.district_id ?? null,
      details: { reason: offer.reason, measure: p.measureCode, person: p.personId },
    });
  return made;
}

/** Measures each person has a live assignment of (active or suspended, not ended by asOf). */
async function liveMeasures(trx: Trx, personIds: number[], asOf: string) {
  const out = new Map<number, Set<string>>();
  for (const id of personIds) {
    const live = (await assignmentsForPerson(trx, id)).filter(
      (a) => a.status !== 'ended' && (a.end_date === null || a.end_date >= asOf),
    );
    out.set(id, new Set(live.map((a) => a.measure_code)));
  }
  return out;
}

/** The same message a sweep's residents get: a measure may be due, no application needed. */
async function tell(
  trx: Trx,
  made: ProposalMade[],
  measures: Map<string, { title_ru: string; title_en: string }>,
): Promise<void> {
  const text = (locale: Locale, code: string) => {
    const m = measures.get(code);
    return translate(locale, 'proactive.inbox.proposedBody', {
      measure: (locale === 'ru' ? m?.title_ru : m?.title_en) ?? code,
    });
  };
  await sendToInbox(
    trx,
    made.map((p) => ({
      personId: p.personId,
      subject: {
        ru: translate('ru', 'proactive.inbox.proposedSubject'),
        en: translate('en', 'proactive.inbox.proposedSubject'),
      },
      body: { ru: text('ru', p.measureCode), en: text('en', p.measureCode) },
    })),
  );
}

/**
 * Declines the open proposals of a person who has died: nobody is to accept them afterwards.
 * Returns how many were closed.
 */
export async function closeProposalsOfDeceased(trx: Trx, personId: number, reason: string): Promise<number> {
  const ids = await householdRepo.openProposalIdsOf(trx, personId);
  for (const id of ids) {
    await repo.decideProposal(trx, id, { status: 'declined', decidedBy: null, assignmentId: null });
    await record(trx, {
      actor: { kind: 'system' },
      action: 'proposal.declined',
      subject: { kind: 'proposal', id },
      details: { reason, cause: 'death' },
    });
  }
  return ids.length;
}
