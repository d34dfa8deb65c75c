// The registry as of a past moment: rows rebuilt from registry_history, facts reproduced after the
// person's income and household changed, the rebuilt facts equal to the SQL facts for everyone now,
// and the change history staff see.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { snilsFor } from '../../seed/generate.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment, suspendAssignment } from './assignments.service.ts';
import { factsForPerson } from './facts.service.ts';
import {
  assignmentAsOf,
  changeHistory,
  factsForPersonAt,
  householdMembersAsOf,
  personAsOf,
} from './history.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 250);
const { db } = database;
const actor = await staffUser(db, 'history.clerk', 'specialist', ['volgograd']);
const district = await db
  .selectFrom('districts')
  .select('id')
  .where('code', '=', 'volgograd')
  .executeTakeFirstOrThrow();
const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
let nextSnils = 800_000;

async function person(birth: string, income: number): Promise<number> {
  const row = await db
    .insertInto('persons')
    .values({
      snils: snilsFor(nextSnils++),
      last_name: 'Петрова',
      first_name: 'Ольга',
      patronymic: null,
      birth_date: birth,
      sex: 'F',
      district_id: district.id,
      settlement_id: null,
      address: 'ул. Лесная, 5',
      phone: null,
      email: null,
      monthly_income: income,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function newHousehold(): Promise<number> {
  const row = await db
    .insertInto('households')
    .values({ district_id: district.id, settlement_id: null, address: 'ул. Лесная, 5' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A moment strictly between what happened before and what happens after. */
async function moment(): Promise<Date> {
  await sleep(5);
  const at = new Date();
  await sleep(5);
  return at;
}

const asOf = '2025-06-01';

describe('facts as recorded at a past moment', () => {
  test('after income and household changes, facts as of before them are the original ones', async () => {
    const mother = await person('1988-04-01', 18_000);
    const son = await person('2015-09-01', 0);
    const daughter = await person('2019-02-01', 0);
    const grandfather = await person('1950-01-01', 21_000);
    const home = await newHousehold();
    await db
      .insertInto('household_members')
      .values([
        { household_id: home, person_id: mother, relationship: 'head' },
        { household_id: home, person_id: son, relationship: 'child' },
        { household_id: home, person_id: daughter, relationship: 'child' },
        { household_id: home, person_id: grandfather, relationship: 'parent' },
      ])
      .execute();
    const assignment = await db.transaction().execute(async (trx) =>
      createAssignment(trx, {
        personId: mother,
        measureId: await measureId('CHILD-BENEFIT'),
        basis: 'application',
        amount: 3000,
        startDate: '2025-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: actor,
      }),
    );
    const original = await factsForPerson(db, mother, asOf);
    assert.equal(original.household.size, 4);
    assert.deepEqual(original.assignments, ['CHILD-BENEFIT']);
    const before = await moment();

    // The mother's income rises; the son moves to his father's household; the grandfather's
    // membership is deleted; a partner moves in (a new person); the benefit is suspended.
    await db.updateTable('persons').set({ monthly_income: 45_000 }).where('id', '=', mother).execute();
    const fathers = await newHousehold();
    await db
      .updateTable('household_members')
      .set({ household_id: fathers })
      .where('person_id', '=', son)
      .execute();
    await db.deleteFrom('household_members').where('person_id', '=', grandfather).execute();
    const partner = await person('1985-01-01', 60_000);
    await db
      .insertInto('household_members')
      .values({ household_id: home, person_id: partner, relationship: 'spouse' })
      .execute();
    await db
      .transaction()
      .execute((trx) =>
        suspendAssignment(trx, assignment, { date: '2025-03-01', reason: 'income', actorId: actor }),
      );

    const now = await factsForPerson(db, mother, asOf);
    assert.notDeepEqual(now, original);
    assert.equal(now.household.size, 3);
    assert.deepEqual(now.assignments, []);

    assert.deepEqual(await factsForPersonAt(db, mother, asOf, before), original);
    assert.deepEqual(await factsForPersonAt(db, mother, asOf, new Date()), now);

    assert.equal((await personAsOf(db, mother, before))?.monthly_income, 18_000);
    assert.deepEqual(
      (await householdMembersAsOf(db, mother, before)).map((m) => [m.person_id, m.relationship]),
      [
        [mother, 'head'],
        [son, 'child'],
        [daughter, 'child'],
        [grandfather, 'parent'],
      ],
    );
    assert.deepEqual(
      (await householdMembersAsOf(db, son, new Date())).map((m) => m.person_id),
      [son],
      'the son is alone in his new household now',
    );
    assert.equal((await assignmentAsOf(db, assignment, before))?.status, 'active');
    assert.equal((await assignmentAsOf(db, assignment, new Date()))?.status, 'suspended');
  });

  test('a person created after the moment did not exist then', async () => {
    const before = await moment();
    const later = await person('1990-01-01', 1000);
    assert.equal(await personAsOf(db, later, before), undefined);
    await assert.rejects(factsForPersonAt(db, later, asOf, before), { code: 'not_found' });
    assert.ok(await personAsOf(db, later, new Date()));
  });

  test('rebuilt facts equal the SQL facts for every seeded resident', async () => {
    const ids = (await db.selectFrom('persons').select('id').orderBy('id').execute()).map((p) => p.id);
    const at = new Date();
    for (const id of ids)
      assert.deepEqual(
        await factsForPersonAt(db, id, asOf, at),
        await factsForPerson(db, id, asOf),
        `person ${id}`,
      );
  });
});

describe('change history', () => {
  test('lists what changed when, newest first, with the values before and after', async () => {
    const p = await person('1970-01-01', 10_000);
    const home = await newHousehold();
    await db
      .insertInto('household_members')
      .values({ household_id: home, person_id: p, relationship: 'head' })
      .execute();
    await sleep(5);
    await db
      .updateTable('persons')
      .set({ monthly_income: 12_000, address: 'ул. Новая, 1' })
      .where('id', '=', p)
      .execute();
    await sleep(5);
    await db.updateTable('persons').set({ monthly_income: 15_000 }).where('id', '=', p).execute();
    await db
      .updateTable('household_members')
      .set({ relationship: 'other' })
      .where('person_id', '=', p)
      .execute();
    const history = await changeHistory(db, p);
    assert.deepEqual(
      history.map((h) => [h.table, h.changes.map((c) => [c.field, c.from, c.to])]),
      [
        ['household_members', [['relationship', 'head', 'other']]],
        ['persons', [['monthly_income', 12_000, 15_000]]],
        [
          'persons',
          [
            ['address', 'ул. Лесная, 5', 'ул. Новая, 1'],
            ['monthly_income', 10_000, 12_000],
          ],
        ],
      ],
    );
    assert.ok(history[0]!.at instanceof Date);
  });
});
