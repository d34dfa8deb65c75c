// The registry as it was recorded at a past moment, rebuilt from registry_history, so that a past
// decision can be reproduced after the person's data changed, and staff can see what changed when.
//
// Known limit: the trigger records UPDATE and DELETE, not INSERT. A person or assignment created
// after the moment is recognised by created_at; a household membership has no such column, so a
// membership inserted later for a person who was then in no household looks as if it always existed.
import type { DbOrTrx } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Facts } from '../rules/rules.facts.ts';
import { measureCodeLookup, toFacts } from './facts.service.ts';
import * as repo from './history.repository.ts';
import type { AssignmentStatus, Relationship, Sex } from './registry.schema.ts';

export interface PersonSnapshot {
  id: number;
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: Sex;
  district_id: number;
  settlement_id: number | null;
  address: string;
  categories: string[];
  disability_group: number | null;
  monthly_income: number;
  created_at: string;
}

export interface MemberSnapshot {
  household_id: number;
  person_id: number;
  relationship: Relationship;
  person: PersonSnapshot;
}

export interface AssignmentSnapshot {
  id: number;
  person_id: number;
  measure_id: number;
  status: AssignmentStatus;
  amount: number;
  start_date: string;
  end_date: string | null;
  rule_version_id: number | null;
  parameters: Record<string, unknown>;
  created_at: string;
}

const KEYS: Record<repo.HistoryTable, string> = {
  persons: 'id',
  households: 'id',
  household_members: 'person_id',
  assignments: 'id',
};

/**
 * Rows as they were at `at`, by key; rows created after `at` (by created_at) did not exist yet.
 * Rows are to_jsonb shapes: numerics are JSON numbers, dates ISO strings, as in the trigger's old_row.
 */
async function rowsAt(db: DbOrTrx, table: repo.HistoryTable, ids: number[], at: Date) {
  const [changes, current] = await Promise.all([
    repo.firstChangesAfter(db, table, ids, at),
    repo.currentRows(db, table, KEYS[table], ids),
  ]);
  const out = new Map<number, repo.Row>();
  for (const id of ids) {
    const row = changes.get(id)?.old_row ?? current.get(id);
    if (!row) continue;
    if (typeof row.created_at === 'string' && new Date(row.created_at) > at) continue;
    out.set(id, row);
  }
  return out;
}

export async function personAsOf(
  db: DbOrTrx,
  personId: number,
  at: Date,
): Promise<PersonSnapshot | undefined> {
  return (await rowsAt(db, 'persons', [personId], at)).get(personId) as PersonSnapshot | undefined;
}

export async function assignmentAsOf(
  db: DbOrTrx,
  id: number,
  at: Date,
): Promise<AssignmentSnapshot | undefined> {
  return (await rowsAt(db, 'assignments', [id], at)).get(id) as AssignmentSnapshot | undefined;
}

/** The person's household at `at`, every member with their own record as it was then. */
export async function householdMembersAsOf(
  db: DbOrTrx,
  personId: number,
  at: Date,
): Promise<MemberSnapshot[]> {
  const mine = (await rowsAt(db, 'household_members', [personId], at)).get(personId);
  if (!mine || !(await personAsOf(db, personId, at))) return [];
  const householdId = Number(mine.household_id);
  // Members then: those in the household now, and those recorded as having left it since.
  const candidates = [
    ...new Set([
      ...(await repo.currentMemberIds(db, householdId)),
      ...(await repo.formerMemberIds(db, householdId, at)),
    ]),
  ];
  const [memberships, persons] = await Promise.all([
    rowsAt(db, 'household_members', candidates, at),
    rowsAt(db, 'persons', candidates, at),
  ]);
  const members: MemberSnapshot[] = [];
  for (const id of candidates.sort((a, b) => a - b)) {
    const m = memberships.get(id);
    const person = persons.get(id) as PersonSnapshot | undefined;
    if (!m || !person || Number(m.household_id) !== householdId) continue;
    members.push({
      household_id: householdId,
      person_id: id,
      relationship: m.relationship as Relationship,
      person,
    });
  }
  return members;
}

/** Full years on asOf by the calendar (the same rule as the facts query); 0 before birth. */
export function fullYears(birthDate: string, asOf: string): number {
  return Math.max(
    0,
    Math.trunc((Number(asOf.replaceAll('-', '')) - Number(birthDate.replaceAll('-', ''))) / 10_000),
  );
}

/**
 * Facts as of `asOf`, computed from the registry as it was recorded at `at` — the same definitions
 * as facts.service.ts, applied to rebuilt rows rather than by the SQL.
 */
export async function factsForPersonAt(
  db: DbOrTrx,
  personId: number,
  asOf: string,
  at: Date,
): Promise<Facts> {
  const person = await personAsOf(db, personId, at);
  if (!person) throw notFound('Person');
  const [members, assignmentIds, place, codeOf] = await Promise.all([
    householdMembersAsOf(db, personId, at),
    repo.assignmentIdsOf(db, personId),
    repo.place(db, person.district_id, person.settlement_id),
    measureCodeLookup(db, true),
  ]);
  const assignments = [...(await rowsAt(db, 'assignments', assignmentIds, at)).values()];
  const present = members.filter((m) => m.person.birth_date <= asOf);
  const household = present.length > 0 ? householdFacts(present, asOf) : undefined;
  return toFacts({
    age: fullYears(person.birth_date, asOf),
    sex: person.sex,
    categories: person.categories,
    disability_group: person.disability_group ?? 0,
    monthly_income: person.monthly_income,
    district: place?.code ?? '',
    remote: place?.remote ?? false,
    size: household?.size ?? 1,
    per_capita_income: household?.perCapita ?? person.monthly_income,
    children_ages: household?.children ?? [],
    single_parent: household?.singleParent ?? false,
    assignments: [
      ...new Set(
        assignments
          .filter((a) => a.status === 'active' && String(a.start_date) <= asOf)
          .filter((a) => a.end_date === null || String(a.end_date) >= asOf)
          .map((a) => codeOf(Number(a.measure_id))),
      ),
    ].sort(),
  });
}

function householdFacts(members: MemberSnapshot[], asOf: string) {
  const ages = members.map((m) => fullYears(m.person.birth_date, asOf));
  // Kopecks as integers, so the sum is exact, as it is in PostgreSQL's numeric.
  const cents = members.reduce((sum, m) => sum + Math.round(m.person.monthly_income * 100), 0);
  const children = members.flatMap((m, i) => (m.relationship === 'child' ? [ages[i] as number] : []));
  const parents = members.filter(
    (m, i) => (m.relationship === 'head' || m.relationship === 'spouse') && (ages[i] as number) >= 18,
  ).length;
  return {
    size: members.length,
    perCapita: Math.round(cents / members.length) / 100,
    children: children.sort((a, b) => a - b),
    singleParent: parents === 1 && children.length > 0,
  };
}

// ------------------------------------------------------------ what changed when

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ChangeEntry {
  at: Date;
  table: repo.HistoryTable;
  rowId: number;
  operation: 'UPDATE' | 'DELETE';
  changes: FieldChange[];
}

/** Bookkeeping columns whose change tells staff nothing. */
const QUIET = new Set(['updated_at', 'created_at', 'decided_at']);

/**
 * The person's recorded changes, newest first: their own record, their household membership and
 * their assignments, each as the fields that changed (from → to).
 */
export async function changeHistory(db: DbOrTrx, personId: number, limit = 50): Promise<ChangeEntry[]> {
  const assignmentIds = await repo.assignmentIdsOf(db, personId);
  const found = await repo.changesOf(
    db,
    [
      { table: 'persons', ids: [personId] },
      { table: 'household_members', ids: [personId] },
      { table: 'assignments', ids: assignmentIds },
    ],
    limit,
  );
  const current = new Map<string, repo.Row | undefined>();
  for (const table of ['persons', 'household_members', 'assignments'] as const) {
    const ids = [...new Set(found.filter((f) => f.table_name === table).map((f) => Number(f.row_id)))];
    for (const [id, row] of await repo.currentRows(db, table, KEYS[table], ids))
      current.set(`${table}:${id}`, row);
  }
  // Newest first: the state after a change is the old row of the next newer change of that row, or now.
  const after = new Map<string, repo.Row | undefined>();
  return found.map((f) => {
    const key = `${f.table_name}:${f.row_id}`;
    const next = after.has(key) ? after.get(key) : current.get(key);
    after.set(key, f.old_row);
    return {
      at: f.changed_at,
      table: f.table_name,
      rowId: Number(f.row_id),
      operation: f.operation,
      changes: diff(f.old_row, f.operation === 'DELETE' ? undefined : next),
    };
  });
}

function diff(before: repo.Row, after: repo.Row | undefined): FieldChange[] {
  return Object.keys(before)
    .filter((field) => !QUIET.has(field))
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after?.[field]))
    .map((field) => ({ field, from: before[field], to: after?.[field] ?? null }));
}
