// Applies an event another agency sent unasked (interagency.events.types.ts) to the registry, and
// offers what the change makes due: a birth gives the newborn a place in the mother's household and
// proposes the family measures; a death is dated, ends the person's assignments and closes their
// proposals; a disability decision sets the group and proposes the disability measures.
//
// Idempotent by the agency's event id (applied_agency_events). Everything is checked before the first
// write, so an event that names an unknown person (AppError `unknown_snils`) or carries a bad value
// changes nothing even if the caller commits its transaction to log the failure.
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import {
  closeProposalsOfDeceased,
  type ProposalMade,
  proposeOnLifeEvent,
} from '../proactive/proactive.household.ts';
import {
  assertSnils,
  householdMemberIdsOf,
  recordDeath,
  registerBirth,
  requirePersonBySnils,
  setDisabilityGroup,
} from '../registry/registry.life-events.ts';
import * as repo from './interagency.events.repository.ts';
import type {
  AgencyEvent,
  AppliedEvent,
  BirthEvent,
  DeathEvent,
  DisabilityEvent,
} from './interagency.events.types.ts';

/** Life situations (catalog) whose measures a birth makes worth evaluating for the family. */
export const BIRTH_SITUATIONS = ['child_birth', 'raising_children', 'large_family'];
/** …and a disability decision for the person. */
export const DISABILITY_SITUATIONS = ['disability'];

export async function applyAgencyEvent(trx: Trx, event: AgencyEvent): Promise<AppliedEvent> {
  assertEventShape(event);
  const previous = await repo.findApplied(trx, event.eventId);
  if (previous) return alreadyApplied(previous);
  const apply = await prepare(trx, event);
  if (!(await repo.claim(trx, { ...event, payload: event }))) {
    const now = await repo.findApplied(trx, event.eventId);
    return now ? alreadyApplied(now) : { applied: false, summary: `event ${event.eventId} already applied` };
  }
  const { personId, summary } = await apply();
  await repo.finish(trx, event.eventId, personId, summary);
  return { applied: true, summary };
}

export type AppliedEventRecord = repo.AppliedEventRow;

/** The latest applied events, newest first (id, kind, person, summary, when), for the exchange's pages. */
export async function recentAppliedEvents(db: DbOrTrx, limit = 50): Promise<AppliedEventRecord[]> {
  return await repo.recent(db, limit);
}

function alreadyApplied(row: repo.AppliedEventRow): AppliedEvent {
  return {
    applied: false,
    summary: `${row.kind}: event ${row.event_id} already applied at ${row.applied_at.toISOString()}; nothing changed`,
  };
}

type Apply = () => Promise<{ personId: number | null; summary: string }>;

/** Checks the event against the registry (reading and locking only) and returns the writes to make. */
async function prepare(trx: Trx, event: AgencyEvent): Promise<Apply> {
  switch (event.kind) {
    case 'birth':
      return await prepareBirth(trx, event);
    case 'death':
      return await prepareDeath(trx, event);
    case 'disability':
      return await prepareDisability(trx, event);
    default:
      throw invalid(`unknown event kind "${(event as { kind: unknown }).kind}"`);
  }
}

async function prepareBirth(trx: Trx, e: BirthEvent): Promise<Apply> {
  assertSnils(e.child.snils, 'child');
  if (e.child.snils === e.motherSnils || e.child.snils === e.fatherSnils)
    throw invalid("the child's SNILS is a parent's");
  if (!e.child.lastName.trim() || !e.child.firstName.trim()) throw invalid("the child's name is missing");
  if (e.child.sex !== 'M' && e.child.sex !== 'F') throw invalid("the child's sex must be M or F");
  assertDate(e.child.birthDate, "the child's birth date");
  const mother = await requirePersonBySnils(trx, e.motherSnils, 'mother', true);
  const father = e.fatherSnils ? await requirePersonBySnils(trx, e.fatherSnils, 'father', true) : null;
  return async () => {
    const cause = { eventId: e.eventId };
    const birth = await registerBirth(trx, { child: e.child, mother }, cause);
    const members = await householdMemberIdsOf(trx, mother.id);
    // The mother first, then the father if he lives with them: a family measure goes to one of them.
    const order = [mother.id, ...(father && members.includes(father.id) ? [father.id] : [])];
    const proposals = await proposeOnLifeEvent(trx, {
      personIds: [...order, ...members.filter((id) => !order.includes(id))],
      situations: BIRTH_SITUATIONS,
      asOf: regionToday(),
      oncePerFamily: true,
      reason: e.eventId,
    });
    const where = birth.joinedHousehold
      ? `added to household ${birth.householdId}${birth.householdCreated ? ' (new)' : ''}`
      : 'already in a household';
    const who = birth.childCreated
      ? `child ${birth.childId}`
      : `child ${birth.childId} (already in the registry)`;
    return { personId: birth.childId, summary: `birth: ${who} ${where}; ${proposalsText(proposals)}` };
  };
}

async function prepareDeath(trx: Trx, e: DeathEvent): Promise<Apply> {
  assertDate(e.diedOn, 'the date of death');
  const person = await requirePersonBySnils(trx, e.snils, 'deceased', true);
  if (e.diedOn < person.birth_date)
    throw invalid(`the date of death is before the birth (${person.birth_date})`);
  return async () => {
    const death = await recordDeath(trx, person, e.diedOn, { eventId: e.eventId });
    const closed = await closeProposalsOfDeceased(trx, person.id, e.eventId);
    const parts = [
      `${count(death.endedAssignmentIds.length, 'assignment')} ended`,
      `${count(closed, 'open proposal')} closed`,
      ...(death.leftHouseholdId === null ? [] : [`removed from household ${death.leftHouseholdId}`]),
    ];
    return {
      personId: person.id,
      summary: `death: person ${person.id} died on ${e.diedOn}; ${parts.join(', ')}`,
    };
  };
}

async function prepareDisability(trx: Trx, e: DisabilityEvent): Promise<Apply> {
  if (e.group !== null && ![1, 2, 3].includes(e.group))
    throw invalid('the disability group must be 1, 2, 3 or none');
  assertDate(e.establishedOn, 'the date the disability was established');
  const person = await requirePersonBySnils(trx, e.snils, 'person', true);
  return async () => {
    const change = await setDisabilityGroup(trx, person, e.group, { eventId: e.eventId });
    const proposals =
      e.group === null
        ? []
        : await proposeOnLifeEvent(trx, {
            personIds: [person.id],
            situations: DISABILITY_SITUATIONS,
            asOf: regionToday(),
            oncePerFamily: false,
            reason: e.eventId,
          });
    const group = (g: number | null) => (g === null ? 'none' : String(g));
    const what = change.changed
      ? `group ${group(e.group)} (was ${group(change.previousGroup)})`
      : `group ${group(e.group)} unchanged`;
    return {
      personId: person.id,
      summary: `disability: person ${person.id} ${what}; ${proposalsText(proposals)}`,
    };
  };
}

function proposalsText(made: ProposalMade[]): string {
  const codes = made.map((p) => p.measureCode);
  return codes.length === 0 ? '0 proposals' : `${count(codes.length, 'proposal')} (${codes.join(', ')})`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertDate(value: string, what: string): void {
  if (
    !ISO_DATE.test(value) ||
    Number.isNaN(Date.parse(value)) ||
    new Date(value).toISOString().slice(0, 10) !== value
  )
    throw invalid(`${what} is not a date (YYYY-MM-DD): "${value}"`);
}

function assertEventShape(e: AgencyEvent): void {
  if (typeof e.eventId !== 'string' || !e.eventId.trim() || e.eventId.length > 200)
    throw invalid('the event id is missing or longer than 200 characters');
  assertDate(e.registeredOn, 'the registration date');
}

const invalid = (message: string) => new AppError('invalid_agency_event', 422, `Agency event: ${message}`);
