// The unified registry of residents and households. Staff reads of personal data go through here,
// so each one is checked against the reader's districts and written to the audit log.

import { record } from '../../platform/audit/audit.service.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { inScope, scopeOf } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getVersion } from '../rules/rules.service.ts';
import { assignmentsForPerson } from './assignments.service.ts';
import { changeHistory } from './history.service.ts';
import { ledgerEntries } from './ledger.service.ts';
import * as repo from './registry.repository.ts';
import { isValidSnils, normalizeSnils } from './snils.ts';

export type PersonRecord = NonNullable<Awaited<ReturnType<typeof repo.findPerson>>>;
export type HouseholdMember = Awaited<ReturnType<typeof repo.findHouseholdMembers>>[number];

export function parseSnils(input: string): string {
  const digits = normalizeSnils(input);
  if (!digits || !isValidSnils(digits))
    throw new AppError('invalid_snils', 422, 'SNILS checksum does not match');
  return digits;
}

/** A resident's own record, for the portal (the resident is the subject, so no staff scope applies). */
export async function personForResident(db: DbOrTrx, personId: number) {
  const person = await repo.findPerson(db, personId);
  if (!person) throw notFound('Person');
  return { person, household: await repo.findHouseholdMembers(db, personId) };
}

/**
 * A staff read of a person: district scope checked, the read audited in the same transaction.
 * A refusal is returned, not thrown, so its audit entry commits; the caller turns it into a 403.
 */
export async function personForStaff(trx: Trx, actor: StaffActor, personId: number, ip: string) {
  const person = await repo.findPerson(trx, personId);
  if (!person) throw notFound('Person');
  if (!inScope(scopeOf(actor), person.district_id)) {
    await record(trx, {
      actor: { kind: 'staff', id: actor.userId },
      action: 'person.read.denied',
      subject: { kind: 'person', id: personId },
      districtId: person.district_id,
      ip,
    });
    return { denied: true as const };
  }
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'person.read',
    subject: { kind: 'person', id: personId },
    districtId: person.district_id,
    ip,
  });
  return { denied: false as const, person, household: await repo.findHouseholdMembers(trx, personId) };
}

/**
 * The full registry record for staff: the audited read of personForStaff, then — in the same
 * transaction, only when allowed — assignments, recent ledger entries, the rule versions they cite
 * and the change history.
 */
export async function personRecordForStaff(trx: Trx, actor: StaffActor, personId: number, ip: string) {
  const read = await personForStaff(trx, actor, personId, ip);
  if (read.denied) return read;
  const assignments = await assignmentsForPerson(trx, personId);
  const ledger = await ledgerEntries(
    trx,
    assignments.map((a) => a.id),
    24,
  );
  const history = await changeHistory(trx, personId, 30);
  const versionIds = new Set(
    [...assignments, ...ledger].map((x) => x.rule_version_id).filter((id): id is number => id !== null),
  );
  const versions = new Map<number, { version: number; measureCode: string; effectiveFrom: string }>();
  for (const id of versionIds) {
    const v = await getVersion(trx, id);
    if (v)
      versions.set(id, { version: v.version, measureCode: v.measure_code, effectiveFrom: v.effective_from });
  }
  return { ...read, assignments, ledger, history, versions };
}

export type PersonRecordForStaff = Extract<
  Awaited<ReturnType<typeof personRecordForStaff>>,
  { denied: false }
>;

/** Finds a person by SNILS for staff; returns the id only, the read itself is audited on the person page. */
export async function findPersonIdBySnils(db: DbOrTrx, snilsInput: string): Promise<number | undefined> {
  const found = await repo.findPersonIdBySnils(db, parseSnils(snilsInput));
  return found?.id;
}

export async function findPersonBySnilsDigits(db: DbOrTrx, snils: string) {
  return await repo.findPersonIdBySnils(db, snils);
}

export async function countPersonsInScope(db: DbOrTrx, actor: StaffActor): Promise<number> {
  return await repo.countPersons(db, scopeOf(actor));
}

export const createPerson = repo.insertPerson;
export type { NewPerson } from './registry.repository.ts';

export type PersonContact = Awaited<ReturnType<typeof repo.contactsOf>>[number];

/** id → name, address, district and contacts, for the notification service (not a staff read). */
export async function contactsOf(db: DbOrTrx, ids: number[]): Promise<Map<number, PersonContact>> {
  const rows = await repo.contactsOf(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The resident's own choice of how to be told (My notifications on the portal). */
export const setPreferredChannel = repo.updatePreferredChannel;

export async function countAllPersons(db: DbOrTrx): Promise<number> {
  return await repo.countPersons(db, { all: true });
}

export type PersonName = Awaited<ReturnType<typeof repo.personNames>>[number];

/** id → name for lists of cases; the caller audits the list it shows. */
export async function personNames(db: DbOrTrx, ids: number[]): Promise<Map<number, PersonName>> {
  const rows = await repo.personNames(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r]));
}

export function fullName(p: { last_name: string; first_name: string; patronymic: string | null }): string {
  return [p.last_name, p.first_name, p.patronymic].filter(Boolean).join(' ');
}

/** A name search at the counter, limited to the specialist's districts and audited as one read. */
export async function searchPersonsForStaff(
  trx: Trx,
  actor: StaffActor,
  q: { lastName: string; firstName?: string; birthDate?: string },
  ip: string,
) {
  const found = await repo.searchPersons(trx, scopeOf(actor), q);
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'person.search',
    ip,
    details: {
      lastName: q.lastName,
      firstName: q.firstName ?? null,
      birthDate: q.birthDate ?? null,
      found: found.length,
    },
  });
  return found;
}

/** District and categories of a person, in one light read (the hot path of online submission). */
export async function personEssentials(db: DbOrTrx, id: number) {
  const person = await repo.personEssentials(db, id);
  if (!person) throw notFound('Person');
  return person;
}

export type PersonFilter = repo.PersonFilter;
/**
 * Target groups (informing campaigns): the ids of persons matching a filter, as a query to count or
 * to copy in SQL (no personal data leaves the database, so building a group is not a personal read).
 */
export const matchingPersonIds = repo.matchingPersonIds;
export const countMatchingPersons = repo.countMatchingPersons;
