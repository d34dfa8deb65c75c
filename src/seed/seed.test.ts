import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../test/support/db.ts';
import { isValidSnils } from '../modules/registry/snils.ts';
import { generateHouseholds, type HouseholdRow, type RegionIndex } from './generate.ts';
import { buildGeography } from './geography.ts';
import { MUNICIPALITIES } from './region-data.ts';
import { DEMO_RESIDENTS, seedRegion } from './seed.service.ts';

const PERSONS = 2_000;
const TODAY = '2025-06-01';

// The shared region file is the source of truth; the copy in the repo stands in when it is absent.
const sharedFile = new URL('../../../shared/domain/volgograd-region.json', import.meta.url);
const municipalities: { name_ru: string; population_approx: number }[] = existsSync(sharedFile)
  ? JSON.parse(readFileSync(sharedFile, 'utf8')).municipalities
  : MUNICIPALITIES.map((m) => ({ name_ru: m.name_ru, population_approx: m.population }));

const { db, url } = await testDatabase();
const summary = await seedRegion(db, url, { persons: PERSONS, seed: 42, referenceDate: TODAY });

/** Rows matching a condition that must never hold. */
async function violations(condition: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from (${sql.raw(condition)}) v`.execute(
    db,
  );
  return rows[0]?.n ?? -1;
}

/** Per person: age on TODAY, household id, the household's minors and per-capita income. */
const PEOPLE = `
  with m as (select hm.household_id, p.*, extract(year from age(date '${TODAY}', p.birth_date))::int as age
               from persons p join household_members hm on hm.person_id = p.id),
       h as (select household_id, count(*) filter (where age < 18) as minors,
                    sum(monthly_income) / count(*) as per_capita
               from m group by household_id)
  select m.*, h.minors, h.per_capita from m join h using (household_id)`;

describe('seedRegion', () => {
  it('seeds the requested number of residents', async () => {
    assert.equal(summary.persons, PERSONS);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from persons`.execute(db);
    assert.equal(rows[0]?.n, PERSONS);
  });

  it('creates every district of the region, with residents in proportion to its population', async () => {
    const districts = await db
      .selectFrom('districts')
      .leftJoin('persons', 'persons.district_id', 'districts.id')
      .select([
        'districts.name_ru',
        'districts.population',
        (eb) => eb.fn.count<number>('persons.id').as('n'),
      ])
      .groupBy(['districts.id'])
      .execute();
    const total = municipalities.reduce((s, m) => s + m.population_approx, 0);
    for (const m of municipalities) {
      const d = districts.find((x) => x.name_ru === m.name_ru);
      assert.ok(d, `district ${m.name_ru}`);
      assert.equal(d.population, m.population_approx);
      const expected = (PERSONS * m.population_approx) / total;
      assert.ok(
        Math.abs(Number(d.n) - expected) <= Math.max(2, expected * 0.05),
        `${m.name_ru}: ${d.n} vs ${expected}`,
      );
    }
    assert.equal(districts.length, municipalities.length);
  });

  it('gives every district settlements, a social protection centre and an MFC', async () => {
    const bad = await violations(`
      select d.id from districts d
       where not exists (select 1 from settlements s where s.district_id = d.id)
          or not exists (select 1 from offices o where o.district_id = d.id and o.kind = 'social_protection_centre')
          or not exists (select 1 from offices o where o.district_id = d.id and o.kind = 'mfc')`);
    assert.equal(bad, 0);
    assert.equal(
      await violations(
        `select id from offices o where not exists (select 1 from office_measures m where m.office_id = o.id)`,
      ),
      0,
    );
  });

  it('issues valid, unique SNILS', async () => {
    const rows = await db.selectFrom('persons').select('snils').execute();
    assert.ok(rows.every((r) => isValidSnils(r.snils)));
    assert.equal(new Set(rows.map((r) => r.snils)).size, rows.length);
  });

  it('puts every person in one household with exactly one head', async () => {
    assert.equal(
      await violations(`select household_id from household_members group by household_id
                          having count(*) filter (where relationship = 'head') <> 1`),
      0,
    );
    assert.equal(
      await violations(`select id from persons p where not exists
                                     (select 1 from household_members m where m.person_id = p.id)`),
      0,
    );
    assert.equal(
      await violations(`select id from households h where not exists
                                     (select 1 from household_members m where m.household_id = h.id)`),
      0,
    );
  });

  it('keeps recipient categories consistent with age, household and income', async () => {
    const rules: [string, string][] = [
      ['labour veterans are older adults', `'labour_veteran' = any(categories) and age < 55`],
      ['large families have 3+ children under 18', `'large_family' = any(categories) and minors < 3`],
      [
        'low income is below the subsistence minimum',
        `'low_income' = any(categories) and per_capita >= 14000`,
      ],
      [
        'pensioners are of pension age or disabled',
        `'pensioner' = any(categories) and age < (case sex when 'F' then 58 else 63 end) and not 'disabled' = any(categories)`,
      ],
      ['orphans are children', `'orphan' = any(categories) and age >= 18`],
      [
        'a disability group means disabled',
        `disability_group is not null and not 'disabled' = any(categories)`,
      ],
      [
        'disabled adults have a group',
        `'disabled' = any(categories) and age >= 18 and disability_group is null`,
      ],
    ];
    for (const [rule, condition] of rules) {
      assert.equal(await violations(`select id from (${PEOPLE}) p where ${condition}`), 0, rule);
    }
    // And the categories actually occur.
    for (const c of ['pensioner', 'labour_veteran', 'disabled', 'large_family', 'low_income', 'unemployed']) {
      assert.ok((await violations(`select id from persons where '${c}' = any(categories)`)) > 0, c);
    }
  });

  it('describes every measure with documents and life situations', async () => {
    assert.ok(summary.measures >= 30);
    assert.equal(
      await violations(`select id from measures m where not exists
                                     (select 1 from measure_documents d where d.measure_id = m.id)`),
      0,
    );
    assert.equal(
      await violations(`select id from measures m where not exists
                                     (select 1 from measure_life_situations s where s.measure_id = m.id)`),
      0,
    );
  });

  it('includes the demo residents', async () => {
    for (const demo of DEMO_RESIDENTS) {
      const p = await db.selectFrom('persons').selectAll().where('snils', '=', demo.snils).executeTakeFirst();
      assert.ok(p, demo.snils);
      assert.equal(p.last_name, demo.last_name);
      assert.equal(p.birth_date, demo.birth_date);
      for (const c of demo.categories) assert.ok(p.categories.includes(c), `${demo.last_name}: ${c}`);
    }
  });

  it('restores constraints, indexes and sequences after the bulk load', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_constraint
       where contype = 'f' and conrelid = 'household_members'::regclass`.execute(db);
    assert.equal(rows[0]?.n, 2);
    const index = await sql`select 1 from pg_indexes where indexname = 'persons_name'`.execute(db);
    assert.equal(index.rows.length, 1);
    const district = await db.selectFrom('districts').select('id').executeTakeFirstOrThrow();
    const added = await db
      .insertInto('households')
      .values({ district_id: district.id, settlement_id: null, address: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal(added.id, summary.households + 1);
    await db.deleteFrom('households').where('id', '=', added.id).execute();
  });

  it('refuses to seed twice without reset, and reseeds with reset', async () => {
    await assert.rejects(seedRegion(db, url, { persons: 100 }), /already has persons.*reset/);
    const again = await seedRegion(db, url, { persons: 300, seed: 3, referenceDate: TODAY, reset: true });
    assert.equal(again.persons, 300);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from persons`.execute(db);
    assert.equal(rows[0]?.n, 300);
  });
});

describe('generateHouseholds', () => {
  const geo = buildGeography();
  let settlementId = 0;
  const region: RegionIndex = {
    districts: geo.districts.map((d, i) => ({
      ...d,
      id: i + 1,
      settlements: geo.settlements
        .filter((s) => s.district_code === d.code)
        .map((s) => ({ ...s, id: ++settlementId })),
    })),
  };
  const take = (seed: number) => {
    const out: HouseholdRow[] = [];
    for (const h of generateHouseholds(region, { persons: 500, seed, referenceDate: TODAY })) out.push(h);
    return out;
  };

  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(take(5), take(5));
    assert.notDeepEqual(take(5), take(6));
  });
});
