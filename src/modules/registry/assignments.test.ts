// Assignments: creation and duplicates, the state machine with its events, reads with measure titles,
// and mass extension with its revert, at the scale of thousands of assignments in one statement.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import {
  activeAssignmentsFor,
  assignmentEvents,
  assignmentsForPerson,
  createAssignment,
  endAssignment,
  findAssignment,
  listMassExtensions,
  massExtend,
  type NewAssignment,
  resumeAssignment,
  revertMassExtension,
  suspendAssignment,
} from './assignments.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 200);
const { db } = database;
const actor = await staffUser(db, 'assign.clerk', 'specialist', ['volgograd']);
const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
const persons = (await db.selectFrom('persons').select('id').orderBy('id').execute()).map((p) => p.id);
const EDV = await measureId('VETERAN-EDV');
const TAXI = await measureId('SOCIAL-TAXI');

const create = (a: Partial<NewAssignment> & { personId: number }) =>
  db.transaction().execute((trx) =>
    createAssignment(trx, {
      measureId: EDV,
      basis: 'application',
      amount: 1500,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      ruleVersionId: null,
      parameters: { veteran_edv_amount: 1500 },
      actorId: actor,
      ...a,
    }),
  );
const change = (date: string, reason = 'test') => ({ date, reason, actorId: actor });

describe('creating an assignment', () => {
  test('records the assignment and a created event', async () => {
    const id = await create({ personId: persons[0]! });
    const a = await findAssignment(db, id);
    assert.equal(a?.status, 'active');
    assert.equal(a?.amount, 1500);
    assert.deepEqual(a?.parameters, { veteran_edv_amount: 1500 });
    assert.equal(a?.decided_by, actor);
    const events = await assignmentEvents(db, [id]);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['created'],
    );
    assert.equal(events[0]?.details.start_date, '2025-01-01');
  });

  test('refuses a second live assignment of the same measure, allows it after the first ends', async () => {
    const personId = persons[1]!;
    const first = await create({ personId });
    await assert.rejects(create({ personId, startDate: '2025-06-01' }), { code: 'duplicate_assignment' });
    await create({ personId, measureId: TAXI }); // another measure is fine
    await db.transaction().execute((trx) => endAssignment(trx, first, change('2025-03-31')));
    await create({ personId, startDate: '2025-04-01' });
  });

  test('refuses bad periods and amounts', async () => {
    const personId = persons[2]!;
    await assert.rejects(create({ personId, endDate: '2024-12-31' }), { code: 'invalid_period' });
    await assert.rejects(create({ personId, amount: -1 }), { code: 'invalid_amount' });
    await assert.rejects(create({ personId, startDate: '2025-13-01' }), { code: 'invalid_date' });
  });

  test('two clerks assigning at once: one assignment, one refusal', async () => {
    const personId = persons[3]!;
    const results = await Promise.allSettled([create({ personId }), create({ personId })]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
  });
});

describe('suspending, resuming and ending', () => {
  test('follows the state machine and records each step', async () => {
    const id = await create({ personId: persons[4]! });
    await assert.rejects(
      db.transaction().execute((trx) => resumeAssignment(trx, id, change('2025-02-01'))),
      { code: 'invalid_transition' },
    );
    await db
      .transaction()
      .execute((trx) => suspendAssignment(trx, id, change('2025-03-10', 'documents due')));
    assert.equal((await findAssignment(db, id))?.status, 'suspended');
    await assert.rejects(
      db.transaction().execute((trx) => suspendAssignment(trx, id, change('2025-03-11'))),
      { code: 'invalid_transition' },
    );
    await assert.rejects(
      db.transaction().execute((trx) => resumeAssignment(trx, id, change('2025-03-01'))),
      { code: 'invalid_date' },
      'a resumption cannot predate the suspension',
    );
    await db.transaction().execute((trx) => resumeAssignment(trx, id, change('2025-05-05')));
    await db.transaction().execute((trx) => endAssignment(trx, id, change('2025-08-31', 'moved away')));
    const ended = await findAssignment(db, id);
    assert.equal(ended?.status, 'ended');
    assert.equal(ended?.end_date, '2025-08-31');
    await assert.rejects(
      db.transaction().execute((trx) => resumeAssignment(trx, id, change('2025-09-01'))),
      { code: 'invalid_transition' },
    );
    const events = await assignmentEvents(db, [id]);
    assert.deepEqual(
      events.map((e) => [e.kind, e.details.date ?? null]),
      [
        ['created', null],
        ['suspended', '2025-03-10'],
        ['resumed', '2025-05-05'],
        ['ended', '2025-08-31'],
      ],
    );
    assert.equal(events[1]?.details.reason, 'documents due');
    assert.equal(events[1]?.actor_id, actor);
  });

  test('a change needs a reason and a date within the assignment', async () => {
    const id = await create({ personId: persons[5]! });
    await assert.rejects(
      db.transaction().execute((trx) => suspendAssignment(trx, id, change('2025-02-01', ' '))),
      { code: 'reason_required' },
    );
    await assert.rejects(
      db.transaction().execute((trx) => suspendAssignment(trx, id, change('2024-12-31'))),
      { code: 'invalid_date' },
    );
    await assert.rejects(
      db.transaction().execute((trx) => suspendAssignment(trx, 987_654_321, change('2025-02-01'))),
      { code: 'not_found' },
    );
  });

  test('ending after the planned end keeps the planned end date', async () => {
    const id = await create({ personId: persons[6]!, endDate: '2025-06-30' });
    await db.transaction().execute((trx) => endAssignment(trx, id, change('2025-09-30')));
    assert.equal((await findAssignment(db, id))?.end_date, '2025-06-30');
  });
});

describe('reading assignments', () => {
  test('active ones on a day, and all of them with measure titles', async () => {
    const personId = persons[7]!;
    const a = await create({ personId, startDate: '2025-01-01', endDate: '2025-06-30' });
    const b = await create({ personId, measureId: TAXI, startDate: '2025-03-01', endDate: null });
    await db.transaction().execute((trx) => suspendAssignment(trx, b, change('2025-04-01')));
    assert.deepEqual(
      (await activeAssignmentsFor(db, personId, '2025-02-01')).map((x) => x.id),
      [a],
    );
    assert.deepEqual(await activeAssignmentsFor(db, personId, '2025-07-01'), []);
    const all = await assignmentsForPerson(db, personId);
    assert.deepEqual(
      all.map((x) => [x.id, x.measure_code, x.status]),
      [
        [b, 'SOCIAL-TAXI', 'suspended'],
        [a, 'VETERAN-EDV', 'active'],
      ],
    );
    assert.match(all[0]!.measure_title_ru, /\S/);
    assert.match(all[0]!.measure_title_en, /\S/);
  });
});

describe('mass extension', () => {
  test('prolongs active running assignments of the measures, and a revert restores them once', async () => {
    const [p1, p2, p3, p4, p5, p6] = persons.slice(20, 26) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const running = await create({ personId: p1, startDate: '2024-01-01', endDate: '2025-06-30' });
    const monthEnd = await create({ personId: p2, startDate: '2024-01-01', endDate: '2025-08-31' });
    const expired = await create({ personId: p3, startDate: '2024-01-01', endDate: '2025-01-14' });
    const openEnded = await create({ personId: p4, startDate: '2024-01-01', endDate: null });
    const suspended = await create({ personId: p5, startDate: '2024-01-01', endDate: '2025-06-30' });
    await db.transaction().execute((trx) => suspendAssignment(trx, suspended, change('2024-06-01')));
    const otherMeasure = await create({ personId: p6, measureId: TAXI, endDate: '2025-06-30' });

    const { batchId, affected } = await massExtend(db, {
      measureCodes: ['VETERAN-EDV'],
      months: 6,
      reason: 'Паводок: продление без заявлений',
      actorId: actor,
      asOf: '2025-01-15',
    });
    const end = async (id: number) => (await findAssignment(db, id))?.end_date;
    assert.equal(await end(running), '2025-12-30'); // 30 June + 6 months
    assert.equal(await end(monthEnd), '2026-02-28', '31 August + 6 months is the last day of February');
    assert.equal(await end(expired), '2025-01-14', 'ended the day before asOf: not running');
    assert.equal(await end(openEnded), null);
    assert.equal(await end(suspended), '2025-06-30');
    assert.equal(await end(otherMeasure), '2025-06-30');
    const extendedEvents = await db
      .selectFrom('assignment_events')
      .select(['assignment_id', 'details', 'batch_id'])
      .where('batch_id', '=', batchId)
      .execute();
    const extendedIds = extendedEvents.map((e) => e.assignment_id);
    assert.ok(extendedIds.includes(running));
    for (const id of [expired, openEnded, suspended, otherMeasure]) assert.ok(!extendedIds.includes(id));
    const mine = extendedEvents.find((e) => e.assignment_id === running)!;
    assert.deepEqual(mine.details, {
      old_end_date: '2025-06-30',
      new_end_date: '2025-12-30',
      reason: 'Паводок: продление без заявлений',
    });
    assert.equal(affected, extendedEvents.length);
    const listed = (await listMassExtensions(db)).find((x) => x.id === batchId)!;
    assert.equal(listed.affected, affected);
    assert.deepEqual(listed.measure_codes, ['VETERAN-EDV']);

    const result = await revertMassExtension(db, batchId, actor);
    assert.deepEqual(result, { reverted: affected, skipped: 0 });
    assert.equal(await end(running), '2025-06-30');
    await assert.rejects(revertMassExtension(db, batchId, actor), { code: 'already_reverted' });
    assert.ok((await listMassExtensions(db)).find((x) => x.id === batchId)?.reverted_at);
    const kinds = (await assignmentEvents(db, [running])).map((e) => e.kind);
    assert.deepEqual(kinds, ['created', 'extended', 'reverted']);
  });

  test('a revert leaves alone an assignment whose end date changed since', async () => {
    const id = await create({ personId: persons[30]!, measureId: TAXI, endDate: '2025-06-30' });
    const { batchId } = await massExtend(db, {
      measureCodes: ['SOCIAL-TAXI'],
      months: 3,
      reason: 'r',
      actorId: actor,
      asOf: '2025-06-01',
    });
    await db.transaction().execute((trx) => endAssignment(trx, id, change('2025-07-31')));
    const result = await revertMassExtension(db, batchId, actor);
    assert.equal(result.skipped >= 1, true);
    assert.equal((await findAssignment(db, id))?.end_date, '2025-07-31');
  });

  test('refuses unknown measures, bad months and a missing reason', async () => {
    const base = {
      measureCodes: ['VETERAN-EDV'],
      months: 6,
      reason: 'r',
      actorId: actor,
      asOf: '2025-01-01',
    };
    await assert.rejects(massExtend(db, { ...base, measureCodes: ['NOPE'] }), { code: 'unknown_measure' });
    await assert.rejects(massExtend(db, { ...base, measureCodes: [] }), { code: 'unknown_measure' });
    await assert.rejects(massExtend(db, { ...base, months: 0 }), { code: 'invalid_months' });
    await assert.rejects(massExtend(db, { ...base, reason: '' }), { code: 'reason_required' });
    await assert.rejects(revertMassExtension(db, 987_654, actor), { code: 'not_found' });
  });

  test('extends 20 000 assignments in one statement and reverts them', async () => {
    const sanatorium = await measureId('SANATORIUM');
    // Bulk rows straight in SQL: this test is about the extension, not about creating them.
    await sql`
      insert into assignments (person_id, measure_id, basis, amount, start_date, end_date)
      select p.id, ${sanatorium}, 'application', 100, date '2025-01-01', date '2025-03-31'
        from persons p cross join generate_series(1, 100) g
       where p.id <= (select min(id) + 199 from persons)`.execute(db);
    const started = performance.now();
    const { batchId, affected } = await massExtend(db, {
      measureCodes: ['SANATORIUM'],
      months: 1,
      reason: 'bulk',
      actorId: actor,
      asOf: '2025-03-01',
    });
    const ms = performance.now() - started;
    assert.equal(affected, 20_000);
    assert.ok(ms < 20_000, `took ${Math.round(ms)} ms`);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from assignments where measure_id = ${sanatorium} and end_date = '2025-04-30'`.execute(
      db,
    );
    assert.equal(rows[0]?.n, 20_000);
    assert.equal((await revertMassExtension(db, batchId, actor)).reverted, 20_000);
  });
});
