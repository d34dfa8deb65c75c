// Facts for rules: one person by hand-built households, the batch stream against the single-person
// path over a seeded region (batch boundaries cutting households included), and the dry-run sample.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { Trx } from '../../platform/db/database.ts';
import { snilsFor } from '../../seed/generate.ts';
import { createMeasure, measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment, endAssignment, suspendAssignment } from './assignments.service.ts';
import { ageThresholds } from './facts.repository.ts';
import { factsForPerson, type PersonFactsRecord, sampleResidentIds, streamFacts } from './facts.service.ts';
import type { Relationship } from './registry.schema.ts';

const database = await testDatabase();
await seedSmallRegion(database, 300);
const { db } = database;
const actor = await staffUser(db, 'facts.clerk', 'specialist', ['volgograd']);
const volgograd = await db
  .selectFrom('districts')
  .select(['id', 'code'])
  .where('code', '=', 'volgograd')
  .executeTakeFirstOrThrow();
const remote = await db
  .selectFrom('settlements')
  .select(['id', 'district_id'])
  .where('is_remote', '=', true)
  .executeTakeFirstOrThrow();
const measure = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;

let nextSnils = 900_000;
type Member = { birth: string; income?: number; relationship?: Relationship; categories?: string[] };

/** Inserts persons (and a household when there are relationships); returns their ids in order. */
async function household(
  members: Member[],
  place: { district_id: number; settlement_id: number | null } = {
    district_id: volgograd.id,
    settlement_id: null,
  },
): Promise<number[]> {
  return await db.transaction().execute(async (trx: Trx) => {
    const ids: number[] = [];
    for (const m of members) {
      const row = await trx
        .insertInto('persons')
        .values({
          snils: snilsFor(nextSnils++),
          last_name: 'Тестова',
          first_name: 'Анна',
          patronymic: null,
          birth_date: m.birth,
          sex: 'F',
          ...place,
          address: 'ул. Мира, 1',
          phone: null,
          email: null,
          categories: (m.categories ?? []) as never,
          monthly_income: m.income ?? 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    if (members.some((m) => m.relationship)) {
      const h = await trx
        .insertInto('households')
        .values({ ...place, address: 'ул. Мира, 1' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('household_members')
        .values(
          members.map((m, i) => ({ household_id: h.id, person_id: ids[i]!, relationship: m.relationship! })),
        )
        .execute();
    }
    return ids;
  });
}

describe('facts for one person', () => {
  test('a single mother with her mother and three children', async () => {
    const [mother, , , student] = await household([
      { birth: '1990-05-10', income: 20_000, relationship: 'head', categories: ['low_income'] },
      { birth: '2020-06-01', relationship: 'child' }, // 5 on 2025-06-01
      { birth: '2007-06-02', relationship: 'child' }, // 17: the birthday is the day after
      { birth: '2006-01-01', income: 3000, relationship: 'child' }, // 19, a student
      { birth: '1955-01-01', income: 15_000.5, relationship: 'parent' },
    ]);
    const facts = await factsForPerson(db, mother!, '2025-06-01');
    assert.deepEqual(facts.person, {
      age: 35,
      sex: 'F',
      categories: ['low_income'],
      disability_group: 0,
      monthly_income: 20_000,
      district: 'volgograd',
      remote: false,
    });
    assert.deepEqual(facts.household, {
      size: 5,
      per_capita_income: 7600.1, // 38 000.50 / 5
      children_ages: [5, 17, 19],
      children_under_18: 2,
      children_under_23: 3,
      youngest_child_age: 5,
      single_parent: true,
    });
    assert.deepEqual(facts.assignments, []);
    // Household facts are the household's, whoever is asked about.
    assert.deepEqual((await factsForPerson(db, student!, '2025-06-01')).household, facts.household);
  });

  test('two parents are not a single parent; adult children do not make the parent count', async () => {
    const [head] = await household([
      { birth: '1980-01-01', relationship: 'head' },
      { birth: '1982-01-01', relationship: 'spouse' },
      { birth: '2015-01-01', relationship: 'child' },
    ]);
    assert.equal((await factsForPerson(db, head!, '2025-06-01')).household.single_parent, false);
    const [widow] = await household([
      { birth: '1960-01-01', relationship: 'head' },
      { birth: '1990-01-01', relationship: 'child' },
    ]);
    // One adult head and a (grown-up) child: single parent by the definition; rules add age conditions.
    assert.equal((await factsForPerson(db, widow!, '2025-06-01')).household.single_parent, true);
  });

  test('a person in no household is a household of one; per-capita income is their own', async () => {
    const [alone] = await household([{ birth: '1970-03-15', income: 12_345.67 }], {
      district_id: remote.district_id,
      settlement_id: remote.id,
    });
    const facts = await factsForPerson(db, alone!, '2025-06-01');
    assert.equal(facts.person.remote, true);
    assert.deepEqual(facts.household, {
      size: 1,
      per_capita_income: 12_345.67,
      children_ages: [],
      children_under_18: 0,
      children_under_23: 0,
      youngest_child_age: -1,
      single_parent: false,
    });
  });

  test('per-capita income is rounded to kopecks', async () => {
    const [a] = await household([
      { birth: '1980-01-01', income: 100, relationship: 'head' },
      { birth: '1980-01-01', income: 0, relationship: 'spouse' },
      { birth: '1980-01-01', income: 0.01, relationship: 'other' },
    ]);
    assert.equal((await factsForPerson(db, a!, '2025-06-01')).household.per_capita_income, 33.34);
  });

  test('ages in full years, 29 February included; members not yet born are left out', async () => {
    const [parent, leapling] = await household([
      { birth: '1980-01-01', relationship: 'head' },
      { birth: '2008-02-29', relationship: 'child' },
      { birth: '2026-01-15', relationship: 'child' },
    ]);
    const on = async (asOf: string) => await factsForPerson(db, leapling!, asOf);
    assert.equal((await on('2026-02-28')).person.age, 17);
    assert.equal((await on('2026-03-01')).person.age, 18);
    assert.equal((await on('2028-02-28')).person.age, 19);
    assert.equal((await on('2028-02-29')).person.age, 20);
    const before = await factsForPerson(db, parent!, '2025-12-31');
    assert.deepEqual(before.household.children_ages, [17]);
    assert.equal(before.household.size, 2);
    assert.deepEqual((await factsForPerson(db, parent!, '2026-03-01')).household.children_ages, [0, 18]);
  });

  test('assignments: active ones on the day, not suspended, ended, future or expired ones', async () => {
    const [p] = await household([{ birth: '1950-01-01' }]);
    const assign = (code: string, startDate: string, endDate: string | null = null) =>
      db.transaction().execute(async (trx) =>
        createAssignment(trx, {
          personId: p!,
          measureId: await measure(code),
          basis: 'application',
          amount: 100,
          startDate,
          endDate,
          ruleVersionId: null,
          parameters: {},
          actorId: actor,
        }),
      );
    await assign('VETERAN-EDV', '2024-01-01');
    await assign('SOCIAL-TAXI', '2024-01-01', '2025-06-01');
    const suspended = await assign('VETERAN-HCS-COMP', '2024-01-01');
    const ended = await assign('SANATORIUM', '2024-01-01');
    await assign('DAY-CARE', '2025-06-02');
    await assign('HOME-CARE', '2024-01-01', '2025-05-31');
    const change = { date: '2025-01-01', reason: 'test', actorId: actor };
    await db.transaction().execute((trx) => suspendAssignment(trx, suspended, change));
    await db.transaction().execute((trx) => endAssignment(trx, ended, change));
    const facts = await factsForPerson(db, p!, '2025-06-01');
    assert.deepEqual(facts.assignments, ['SOCIAL-TAXI', 'VETERAN-EDV']);
  });

  test('a measure created after codes were cached still reads with its code', async () => {
    const [p] = await household([{ birth: '1960-01-01' }]);
    await factsForPerson(db, p!, '2026-01-01'); // fills the code cache
    const fresh = await createMeasure(db, {
      code: 'FACTS-NEW-MEASURE',
      title_ru: 'Новая мера',
      title_en: 'New measure',
      summary_ru: '-',
      summary_en: '-',
      description_ru: '-',
      description_en: '-',
      eligibility_ru: '-',
      eligibility_en: '-',
      legal_basis_ru: '-',
      legal_basis_en: '-',
      sphere_code: (await db.selectFrom('spheres').select('code').executeTakeFirstOrThrow()).code,
      department_code: (await db.selectFrom('departments').select('code').executeTakeFirstOrThrow()).code,
      form: 'cash',
      periodicity: 'one_off',
      channels: ['proactive'],
      decision_days: 10,
      amount_note_ru: '',
      amount_note_en: '',
      is_active: true,
      life_situations: [],
    });
    await db.transaction().execute((trx) =>
      createAssignment(trx, {
        personId: p!,
        measureId: fresh,
        basis: 'emergency',
        amount: 100,
        startDate: '2026-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: actor,
      }),
    );
    assert.deepEqual((await factsForPerson(db, p!, '2026-01-01')).assignments, ['FACTS-NEW-MEASURE']);
  });

  test('an unknown person is a 404', async () => {
    await assert.rejects(factsForPerson(db, 99_999_999, '2025-06-01'), { code: 'not_found' });
  });
});

describe('age thresholds', () => {
  test('width_bucket ages equal full years by the calendar, over leap days and year ends', async () => {
    const fullYears = (birth: string, asOf: string) =>
      Math.trunc((Number(asOf.replaceAll('-', '')) - Number(birth.replaceAll('-', ''))) / 10_000);
    const births = ['2000-02-29', '2000-03-01', '2001-02-28', '1999-12-31', '2000-01-01', '1930-06-15'];
    for (const asOf of ['2024-02-28', '2024-02-29', '2024-03-01', '2025-02-28', '2025-03-01', '2025-12-31']) {
      const { rows } = await (await import('kysely')).sql<{ birth: string; age: number }>`
        select b::date::text as birth, 150 - width_bucket(b::date, ${ageThresholds(asOf)}::date[]) as age
          from unnest(${births}::text[]) b`.execute(db);
      for (const r of rows) assert.equal(r.age, fullYears(r.birth, asOf), `${r.birth} on ${asOf}`);
    }
  });
});

describe('streaming facts for the whole registry', () => {
  const all = async (opts: Parameters<typeof streamFacts>[1]) => {
    const out: PersonFactsRecord[] = [];
    for await (const batch of streamFacts(db, opts)) {
      assert.ok(batch.length <= (opts.batchSize ?? 10_000));
      const ids = batch.map((r) => r.personId);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'each batch is in id order',
      );
      out.push(...batch);
    }
    return out.sort((a, b) => a.personId - b.personId);
  };
  const asOf = '2025-06-01';

  test('small batches and two lanes give every person once, with the same facts as one by one', async () => {
    const persons = await db.selectFrom('persons').select(['id', 'district_id']).orderBy('id').execute();
    const streamed = await all({ asOf, batchSize: 37, lanes: 2 });
    assert.deepEqual(
      streamed.map((r) => r.personId),
      persons.map((p) => p.id),
    );
    for (const r of streamed) {
      assert.equal(r.districtId, persons.find((p) => p.id === r.personId)!.district_id);
      assert.deepEqual(r.facts, await factsForPerson(db, r.personId, asOf), `person ${r.personId}`);
    }
    const oneLane = await all({ asOf, batchSize: 1000, lanes: 1 });
    assert.deepEqual(oneLane, streamed);
  });

  test('a district filter streams only that district, with the same facts', async () => {
    const inDistrict = await db
      .selectFrom('persons')
      .select('id')
      .where('district_id', '=', volgograd.id)
      .orderBy('id')
      .execute();
    const streamed = await all({ asOf, districtIds: [volgograd.id], batchSize: 23 });
    assert.deepEqual(
      streamed.map((r) => r.personId),
      inDistrict.map((p) => p.id),
    );
    for (const r of streamed.slice(0, 60))
      assert.deepEqual(r.facts, await factsForPerson(db, r.personId, asOf));
  });

  test('a consumer may stop early', async () => {
    for await (const batch of streamFacts(db, { asOf, batchSize: 10 })) {
      assert.equal(batch.length, 10);
      break;
    }
  });

  test('shared lists are frozen, so one consumer cannot change another person’s facts', async () => {
    const people = await all({ asOf, batchSize: 500 });
    const withCategories = people.find((r) => r.facts.person.categories.length > 0)!;
    assert.throws(() => (withCategories.facts.person.categories as string[]).push('x'));
  });
});

describe('deterministic sample', () => {
  test('the same seed gives the same residents; another seed others', async () => {
    const a = await sampleResidentIds(db, 25, 1);
    assert.equal(a.length, 25);
    assert.equal(new Set(a).size, 25);
    assert.deepEqual(await sampleResidentIds(db, 25, 1), a);
    assert.notDeepEqual(await sampleResidentIds(db, 25, 2), a);
  });
});
