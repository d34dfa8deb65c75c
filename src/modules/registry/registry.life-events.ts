// Life events that other agencies report unasked (interagency.events.ts applies them): a birth adds a
// child to the mother's household, a death is dated and ends the person's assignments, a disability
// decision sets the group. Each change is audited as the system's, with the event as the reason; the
// history trigger keeps the rows as they were before every UPDATE and DELETE.
import { record } from '../../platform/audit/audit.service.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { assignmentsForPerson, endAssignment } from './assignments.service.ts';
import * as repo from './registry.life-events.repository.ts';
import type { CategoryCode, Sex } from './registry.schema.ts';
import { isValidSnils } from './snils.ts';

export type LifeEventPerson = NonNullable<Awaited<ReturnType<typeof repo.personBySnils>>>;

/** Why the change was made: the agency's event id, written to the audit log as the reason. */
export interface LifeEventCause {
  eventId: string;
}

const SYSTEM = { kind: 'system' } as const;

/**
 * The registry's person with this SNILS; AppError `unknown_snils` (422) when there is none, or
 * `invalid_snils` when the number fails its checksum. `role` names the person in the message.
 */
export async function requirePersonBySnils(
  db: DbOrTrx,
  snils: string,
  role: string,
  lock = false,
): Promise<LifeEventPerson> {
  assertSnils(snils, role);
  const person = await repo.personBySnils(db, snils, lock);
  if (!person)
    throw new AppError('unknown_snils', 422, `No person with SNILS ${snils} (${role}) in the registry`, {
      snils,
      role,
    });
  return person;
}

export function assertSnils(snils: string, role: string): void {
  if (!/^\d{11}$/.test(snils) || !isValidSnils(snils))
    throw new AppError('invalid_snils', 422, `The SNILS of the ${role} (${snils}) is not a valid number`, {
      snils,
      role,
    });
}

export async function findPersonBySnilsForEvent(db: DbOrTrx, snils: string) {
  return await repo.personBySnils(db, snils);
}

/** Ids of the person's household members (the person included), in id order; just the person if none. */
export async function householdMemberIdsOf(db: DbOrTrx, personId: number): Promise<number[]> {
  const membership = await repo.membershipOf(db, personId);
  return membership ? await repo.memberIds(db, membership.household_id) : [personId];
}

/** Of these persons, the ones recorded as deceased: nobody offers them anything. */
export async function deceasedAmong(db: DbOrTrx, personIds: number[]): Promise<Set<number>> {
  return new Set(await repo.deceasedAmong(db, [...new Set(personIds)]));
}

// ------------------------------------------------------------ birth

export interface BirthRecord {
  child: {
    snils: string;
    lastName: string;
    firstName: string;
    patronymic: string | null;
    birthDate: string;
    sex: Sex;
  };
  /** Found beforehand with requirePersonBySnils. */
  mother: LifeEventPerson;
}

export interface BirthRecorded {
  childId: number;
  /** False when a person with the child's SNILS was already in the registry. */
  childCreated: boolean;
  householdId: number;
  householdCreated: boolean;
  /** False when the child was already in a household (kept there). */
  joinedHousehold: boolean;
}

/**
 * Puts the newborn in the registry at the mother's place and in her household as a 'child' (a
 * household of the mother is created when she has none). A child already in the registry is not
 * created again; it joins the mother's household only if it is in none.
 */
export async function registerBirth(trx: Trx, b: BirthRecord, cause: LifeEventCause): Promise<BirthRecorded> {
  const { mother } = b;
  let household = await repo.membershipOf(trx, mother.id);
  let householdCreated = false;
  if (!household) {
    const householdId = await repo.insertHousehold(trx, {
      district_id: mother.district_id,
      settlement_id: mother.settlement_id,
      address: mother.address,
    });
    await repo.insertMember(trx, { household_id: householdId, person_id: mother.id, relationship: 'head' });
    household = { household_id: householdId, relationship: 'head' };
    householdCreated = true;
    await record(trx, {
      actor: SYSTEM,
      action: 'household.created',
      subject: { kind: 'household', id: householdId },
      districtId: mother.district_id,
      details: { reason: cause.eventId, head: mother.id },
    });
  }
  const householdId = household.household_id;
  const existing = await repo.personBySnils(trx, b.child.snils, true);
  let childId: number;
  if (existing) childId = existing.id;
  else {
    childId = await repo.insertChild(trx, {
      snils: b.child.snils,
      last_name: b.child.lastName,
      first_name: b.child.firstName,
      patronymic: b.child.patronymic,
      birth_date: b.child.birthDate,
      sex: b.child.sex,
      district_id: mother.district_id,
      settlement_id: mother.settlement_id,
      address: mother.address,
    });
    await record(trx, {
      actor: SYSTEM,
      action: 'person.created',
      subject: { kind: 'person', id: childId },
      districtId: mother.district_id,
      details: { reason: cause.eventId, birthDate: b.child.birthDate, mother: mother.id },
    });
  }
  const joinedHousehold = !(await repo.membershipOf(trx, childId));
  if (joinedHousehold) {
    await repo.insertMember(trx, { household_id: householdId, person_id: childId, relationship: 'child' });
    await record(trx, {
      actor: SYSTEM,
      action: 'household.member_added',
      subject: { kind: 'household', id: householdId },
      districtId: mother.district_id,
      details: { reason: cause.eventId, person: childId, relationship: 'child' },
    });
  }
  return { childId, childCreated: !existing, householdId, householdCreated, joinedHousehold };
}

// ------------------------------------------------------------ death

export interface DeathRecorded {
  endedAssignmentIds: number[];
  /** The household the deceased was taken out of, if any. */
  leftHouseholdId: number | null;
}

/**
 * Dates the death, ends every live assignment with the day of death as its last day (an assignment
 * starting later ends on its start day, the earliest the registry allows), and takes the person out
 * of their household so that the survivors' household facts (size, income per head) are right.
 */
export async function recordDeath(
  trx: Trx,
  person: LifeEventPerson,
  diedOn: string,
  cause: LifeEventCause,
): Promise<DeathRecorded> {
  await repo.setDiedOn(trx, person.id, diedOn);
  const reason = `Death registered on ${diedOn} (agency event ${cause.eventId})`;
  const live = (await assignmentsForPerson(trx, person.id)).filter((a) => a.status !== 'ended');
  for (const a of live)
    await endAssignment(trx, a.id, {
      date: a.start_date > diedOn ? a.start_date : diedOn,
      reason,
      actorId: null,
    });
  const leftHouseholdId = (await repo.deleteMembership(trx, person.id)) ?? null;
  await record(trx, {
    actor: SYSTEM,
    action: 'person.died',
    subject: { kind: 'person', id: person.id },
    districtId: person.district_id,
    details: {
      reason: cause.eventId,
      diedOn,
      previousDiedOn: person.died_on,
      endedAssignments: live.map((a) => a.id),
      leftHousehold: leftHouseholdId,
    },
  });
  return { endedAssignmentIds: live.map((a) => a.id), leftHouseholdId };
}

// ------------------------------------------------------------ disability

export interface DisabilityRecorded {
  changed: boolean;
  previousGroup: number | null;
}

/**
 * Sets the disability group (null: disability no longer established) and keeps the 'disabled'
 * category in step with it, since rules read either. No change, no write.
 */
export async function setDisabilityGroup(
  trx: Trx,
  person: LifeEventPerson,
  group: 1 | 2 | 3 | null,
  cause: LifeEventCause,
): Promise<DisabilityRecorded> {
  const before = person.categories as CategoryCode[];
  const others = before.filter((c) => c !== 'disabled');
  const categories: CategoryCode[] = group === null ? others : [...others, 'disabled'];
  const changed =
    person.disability_group !== group || categories.slice().sort().join() !== before.slice().sort().join();
  if (changed) {
    await repo.setDisability(trx, person.id, group, categories);
    await record(trx, {
      actor: SYSTEM,
      action: 'person.disability_changed',
      subject: { kind: 'person', id: person.id },
      districtId: person.district_id,
      details: { reason: cause.eventId, from: person.disability_group, to: group },
    });
  }
  return { changed, previousGroup: person.disability_group };
}
