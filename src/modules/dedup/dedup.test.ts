// Duplicate detection on a small region with planted duplicates, and merges: every reference moves,
// the duplicate disappears from search, the undo restores every row exactly, both are audited; and
// no table naming a person can be forgotten by the merge.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { searchPersonsForStaff } from '../registry/registry.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { runDedup } from './dedup.detect.ts';
import { NOT_MOVED, PERSON_REFERENCES } from './dedup.merge.ts';
import * as dedup from './dedup.service.ts';

const database = await testDatabase();
const { db, url } = database;
await seedSmallRegion(database, 300);
const volgograd = await db
  .selectFrom('districts')
  .select('id')
  .where('code', '=', 'volgograd')
  .executeTakeFirstOrThrow();
const specialistId = await staffUser(db, 'dedup.spec', 'specialist', ['volgograd']);
const outsiderId = await staffUser(db, 'dedup.outsider', 'specialist', ['olkhovsky']);
const actor = (userId: number, districtIds: number[]): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName: 'x',
  role: 'specialist',
  districtIds,
  sessionId: 'test',
});
const specialist = actor(specialistId, [volgograd.id]);
const outsider = actor(outsiderId, []);

let serial = 0;
/** A valid SNILS that the seed does not use. */
function freshSnils(): string {
  const nine = String(987_000_000 + ++serial * 7);
  return nine + snilsChecksum(nine);
}

interface Planted {
  last: string;
  first: string;
  patronymic?: string | null;
  birth: string;
  sex: 'M' | 'F';
  address: string;
  snils?: string;
  phone?: string | null;
}
async function plant(p: Planted): Promise<{ id: number; snils: string }> {
  const snils = p.snils ?? freshSnils();
  const row = await db
    .insertInto('persons')
    .values({
      snils,
      last_name: p.last,
      first_name: p.first,
      patronymic: p.patronymic === undefined ? 'Петрович' : p.patronymic,
      birth_date: p.birth,
      sex: p.sex,
      district_id: volgograd.id,
      address: p.address,
      phone: p.phone ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, snils };
}

const pairOf = async (a: number, b: number) =>
  await db
    .selectFrom('dedup_candidates')
    .selectAll()
    .where('person_a', '=', Math.min(a, b))
    .where('person_b', '=', Math.max(a, b))
    .executeTakeFirst();

describe('detection', async () => {
  const home = 'Волгоград, ул. Мира, д. 5, кв. 12';
  const typoA = await plant({
    last: 'Кузьмина',
    first: 'Ольга',
    patronymic: 'Петровна',
    birth: '1961-04-12',
    sex: 'F',
    address: home,
  });
  const typoB = await plant({
    last: 'Кузьмена',
    first: 'Ольга',
    patronymic: 'Петровна',
    birth: '1961-04-12',
    sex: 'F',
    address: home,
  });
  const latinA = await plant({
    last: 'Соколов',
    first: 'Дмитрий',
    patronymic: 'Андреевич',
    birth: '1975-09-30',
    sex: 'M',
    address: 'Волгоград, пр. Ленина, д. 77, кв. 3',
  });
  const latinB = await plant({
    last: 'Sokolov',
    first: 'Dmitrii',
    patronymic: null,
    birth: '1975-09-30',
    sex: 'M',
    address: 'Волгоград, пр. Ленина, д.77, кв.3',
  });
  const swapA = await plant({
    last: 'Морозова',
    first: 'Анна',
    patronymic: 'Сергеевна',
    birth: '1990-02-02',
    sex: 'F',
    address: 'Волгоград, ул. Садовая, д. 9',
  });
  const swapB = await plant({
    last: 'Анна',
    first: 'Морозова',
    patronymic: 'Сергеевна',
    birth: '1990-02-02',
    sex: 'F',
    address: 'Волгоград, ул. Садовая, д. 9',
  });
  const snilsA = await plant({
    last: 'Зайцев',
    first: 'Пётр',
    birth: '1955-07-21',
    sex: 'M',
    address: 'Волгоград, ул. Кирова, д. 1',
  });
  const at = [...snilsA.snils].findIndex((d, i) => d !== snilsA.snils[i + 1]);
  const s = snilsA.snils;
  const swappedDigits = `${s.slice(0, at)}${s[at + 1]}${s[at]}${s.slice(at + 2)}`;
  assert.notEqual(swappedDigits, snilsA.snils);
  const snilsB = await plant({
    last: 'Зайцев',
    first: 'Петр',
    birth: '1955-07-21',
    sex: 'M',
    address: 'Волгоград, ул. Гагарина, д. 30',
    snils: swappedDigits,
  });
  // Namesakes: one name, one birth date, different homes and phones — two people.
  const namesakeA = await plant({
    last: 'Попов',
    first: 'Сергей',
    patronymic: 'Иванович',
    birth: '1980-01-01',
    sex: 'M',
    address: 'Волгоград, ул. Мира, д. 1',
    phone: '+79000000001',
  });
  const namesakeB = await plant({
    last: 'Попов',
    first: 'Сергей',
    patronymic: 'Иванович',
    birth: '1980-01-01',
    sex: 'M',
    address: 'Волгоград, ул. Рабочая, д. 14',
    phone: '+79000000002',
  });
  // Twins at one address with different first names — two people.
  const twinA = await plant({
    last: 'Орлов',
    first: 'Иван',
    birth: '2015-05-05',
    sex: 'M',
    address: 'Волгоград, ул. Мира, д. 8',
  });
  const twinB = await plant({
    last: 'Орлов',
    first: 'Илья',
    birth: '2015-05-05',
    sex: 'M',
    address: 'Волгоград, ул. Мира, д. 8',
  });

  const first = await runDedup(db, url);

  test('finds typo, transliteration, swapped-name and SNILS-typo duplicates, with reasons', async () => {
    assert.ok(first.persons >= 300);
    const typo = await pairOf(typoA.id, typoB.id);
    assert.ok(typo?.reasons.includes('name_typo'), 'typo');
    const latin = await pairOf(latinA.id, latinB.id);
    assert.ok(latin?.reasons.includes('transliteration'), 'transliteration');
    const swap = await pairOf(swapA.id, swapB.id);
    assert.ok(swap?.reasons.includes('swapped_names'), 'swapped');
    const snils = await pairOf(snilsA.id, snilsB.id);
    assert.ok(snils?.reasons.includes('snils_typo'), 'snils typo');
    assert.equal(typo?.status, 'pending');
  });

  test('does not pair namesakes born on one day at different addresses, nor twins', async () => {
    assert.equal(await pairOf(namesakeA.id, namesakeB.id), undefined);
    assert.equal(await pairOf(twinA.id, twinB.id), undefined);
  });

  test('a second run adds nothing; a pair found not to be a duplicate is not proposed again', async () => {
    const pair = await pairOf(swapA.id, swapB.id);
    assert.ok(pair);
    await db.transaction().execute((trx) => dedup.markNotDuplicate(trx, specialist, pair.id, '127.0.0.1'));
    const again = await runDedup(db, url);
    assert.equal(again.stored, 0);
    assert.equal((await pairOf(swapA.id, swapB.id))?.status, 'not_duplicate');
    const list = await db.transaction().execute((trx) => dedup.pendingList(trx, specialist, 1, '127.0.0.1'));
    assert.ok(!list.pairs.some((p) => p.id === pair.id));
    assert.ok(list.pairs.some((p) => p.a_id === Math.min(typoA.id, typoB.id)));
  });

  test('a specialist of another district neither sees nor reads the pairs', async () => {
    const list = await db.transaction().execute((trx) => dedup.pendingList(trx, outsider, 1, '127.0.0.1'));
    assert.equal(list.total, 0);
    const pair = await pairOf(typoA.id, typoB.id);
    await assert.rejects(
      db.transaction().execute((trx) => dedup.pairForReview(trx, outsider, pair!.id, '127.0.0.1')),
      { code: 'not_found' },
    );
  });
});

/** Every row naming either person, in every table the merge handles, as sorted JSON. */
async function snapshot(db: Db, ids: number[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables = [{ table: 'persons', column: 'id' }, ...PERSON_REFERENCES.flatMap((p) => p.covers)];
  for (const { table, column } of tables) {
    const { rows } = await sql<{ row: unknown }>`
      select to_jsonb(t) as row from ${sql.table(table)} t where ${sql.ref(`t.${column}`)} = any(${ids}::bigint[])`.execute(
      db,
    );
    out[`${table}.${column}`] = rows.map((r) => JSON.stringify(r.row)).sort();
  }
  return out;
}

describe('merge and undo', async () => {
  const measures = await db.selectFrom('measures').select('id').orderBy('id').limit(2).execute();
  const [m1, m2] = [measures[0]!.id, measures[1]!.id];
  // A draft rule version, only for the proposals to cite.
  const version = await db
    .insertInto('rule_versions')
    .values({ measure_id: m1, version: 99, effective_from: '2025-01-01', definition: '{}' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const keep = await plant({
    last: 'Васильева',
    first: 'Мария',
    patronymic: 'Олеговна',
    birth: '1950-10-10',
    sex: 'F',
    address: 'Волгоград, ул. Мира, д. 20',
  });
  const dup = await plant({
    last: 'Васильева',
    first: 'Мария',
    patronymic: 'Олеговна',
    birth: '1950-10-10',
    sex: 'F',
    address: 'Волгоград, ул. Мира, д. 20',
  });

  // The survivor has a household; the duplicate has one of its own, an assignment, an application,
  // proposals (one clashing with the survivor's open one), inbox, outbox, settings, a campaign
  // (shared with the survivor and not) and a portal account.
  const household = async (person: number) => {
    const h = await db
      .insertInto('households')
      .values({ district_id: volgograd.id, settlement_id: null, address: 'Волгоград, ул. Мира, д. 20' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('household_members')
      .values({ household_id: h.id, person_id: person, relationship: 'head' })
      .execute();
  };
  await household(keep.id);
  await household(dup.id);
  await sql`insert into assignments (person_id, measure_id, basis, amount, start_date)
            values (${dup.id}, ${m1}, 'application', 1000, '2025-01-01')`.execute(db);
  await sql`insert into applications (person_id, district_id, measure_id, channel, state, decision_days, registered_on)
            values (${dup.id}, ${volgograd.id}, ${m1}, 'in_person', 'registered', 10, '2025-02-03')`.execute(
    db,
  );
  for (const [person, measure] of [
    [keep.id, m1],
    [dup.id, m1],
    [dup.id, m2],
  ] as const)
    await sql`insert into proposals (person_id, measure_id, rule_version_id, explanation)
                values (${person}, ${measure}, ${version.id}, '{}'::jsonb)`.execute(db);
  await sql`insert into inbox_messages (person_id, subject_ru, subject_en, body_ru, body_en)
            values (${dup.id}, 'Тема', 'Subject', 'Текст', 'Text')`.execute(db);
  await sql`insert into notifications (message_id, person_id) values (1, ${dup.id}), (2, ${dup.id})`.execute(
    db,
  );
  await sql`insert into notification_settings (person_id, lang) values (${dup.id}, 'en'), (${keep.id}, 'ru')`.execute(
    db,
  );
  await sql`insert into campaign_recipients (campaign_id, person_id)
            values (101, ${dup.id}), (101, ${keep.id}), (102, ${dup.id})`.execute(db);
  await sql`insert into resident_accounts (person_id, oidc_subject) values (${dup.id}, ${`sub-${dup.id}`})`.execute(
    db,
  );

  await sql`insert into interagency_requests (message_id, person_id, district_id, agency, request_type, due_on)
            values (gen_random_uuid(), ${dup.id}, ${volgograd.id}, 'sfr', 'PENSION_STATUS', '2025-03-01')`.execute(
    db,
  );
  await sql`insert into applied_agency_events (event_id, kind, registered_on, person_id, payload)
            values ('evt-merge-1', 'disability', '2025-01-10', ${dup.id}, '{}'::jsonb)`.execute(db);
  await runDedup(db, url);
  const pair = await pairOf(keep.id, dup.id);
  const before = await snapshot(db, [keep.id, dup.id]);
  const count = async (table: string, person: number) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)} where person_id = ${person}`.execute(db);
    return rows[0]!.n;
  };

  test('the pair is found', () => assert.ok(pair?.reasons.includes('name_birth_date')));

  let mergeId = 0;
  test('merge moves every reference to the kept record and removes the duplicate', async () => {
    mergeId = await db
      .transaction()
      .execute((trx) => dedup.mergePair(trx, specialist, pair!.id, keep.id, '127.0.0.1'));
    const gone = await db.selectFrom('persons').select('id').where('id', '=', dup.id).executeTakeFirst();
    assert.equal(gone, undefined);
    for (const table of [
      'assignments',
      'applications',
      'inbox_messages',
      'notifications',
      'resident_accounts',
      'campaign_recipients',
      'interagency_requests',
      'applied_agency_events',
    ])
      assert.equal(await count(table, dup.id), 0, table);
    assert.equal(await count('assignments', keep.id), 1);
    assert.equal(await count('applications', keep.id), 1);
    assert.equal(await count('notifications', keep.id), 2);
    assert.equal(await count('resident_accounts', keep.id), 1);
    assert.equal(await count('campaign_recipients', keep.id), 2);
    assert.equal(await count('household_members', keep.id), 1);
    assert.equal(await count('proposals', keep.id), 2, 'the clashing open proposal is set aside');
    const found = await db
      .transaction()
      .execute((trx) =>
        searchPersonsForStaff(
          trx,
          specialist,
          { lastName: 'Васильева', firstName: 'Мария', birthDate: '1950-10-10' },
          '127.0.0.1',
        ),
      );
    assert.deepEqual(
      found.map((p) => p.id),
      [keep.id],
    );
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'dedup.merge')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.details as { duplicate: number }).duplicate, dup.id);
    const merged = await db.transaction().execute((trx) => dedup.mergedList(trx, specialist, '127.0.0.1'));
    assert.ok(merged.some((m) => m.id === mergeId && m.duplicate_name === 'Васильева Мария Олеговна'));
  });

  test('the pair cannot be merged twice', async () => {
    await assert.rejects(
      db.transaction().execute((trx) => dedup.mergePair(trx, specialist, pair!.id, keep.id, '127.0.0.1')),
      { code: 'pair_reviewed' },
    );
  });

  test('undo restores every row exactly, and is audited', async () => {
    await db.transaction().execute((trx) => dedup.undoMerge(trx, specialist, mergeId, '127.0.0.1'));
    assert.deepEqual(await snapshot(db, [keep.id, dup.id]), before);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'dedup.merge.undo')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal((await pairOf(keep.id, dup.id))?.status, 'pending');
    await assert.rejects(
      db.transaction().execute((trx) => dedup.undoMerge(trx, specialist, mergeId, '127.0.0.1')),
      { code: 'merge_undone' },
    );
  });

  test('a merge refused midway (two portal accounts) changes nothing', async () => {
    await sql`insert into resident_accounts (person_id, oidc_subject) values (${keep.id}, ${`sub-${keep.id}`})`.execute(
      db,
    );
    const now = await snapshot(db, [keep.id, dup.id]);
    await assert.rejects(
      db.transaction().execute((trx) => dedup.mergePair(trx, specialist, pair!.id, keep.id, '127.0.0.1')),
      { code: 'merge_two_accounts' },
    );
    assert.deepEqual(await snapshot(db, [keep.id, dup.id]), now);
  });
});

describe('foreign-key coverage', () => {
  test('every table that names a person is handled by the merge', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select kcu.table_name, kcu.column_name
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema
      join information_schema.key_column_usage pk
        on pk.constraint_name = rc.unique_constraint_name and pk.constraint_schema = rc.unique_constraint_schema
      where pk.table_name = 'persons' and kcu.table_schema = 'public'
      union
      -- Columns named person_id without a foreign key (the outbox, frozen campaign groups).
      select c.table_name, c.column_name
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'person_id' and t.table_type = 'BASE TABLE'`.execute(
      db,
    );
    assert.ok(rows.length >= 10, 'the query finds the known references');
    const handled = new Set(
      [...PERSON_REFERENCES.flatMap((p) => p.covers), ...NOT_MOVED].map((c) => `${c.table}.${c.column}`),
    );
    const missing = rows.map((r) => `${r.table_name}.${r.column_name}`).filter((k) => !handled.has(k));
    assert.deepEqual(missing, [], `add a <module>.merge.ts for: ${missing.join(', ')}`);
  });
});
