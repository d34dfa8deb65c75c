// The accrual ledger: monthly accruals at the rule's amount with dated parameters (indexation), the
// assignment's own amount without a rule, suspension months, idempotence, and recalculation that only
// ever adds arrears or overpayments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { Trx } from '../../platform/db/database.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import * as rules from '../rules/rules.service.ts';
import {
  createAssignment,
  endAssignment,
  resumeAssignment,
  suspendAssignment,
} from './assignments.service.ts';
import { accrueMonth, ledgerEntries, monthEnd, recalculate } from './ledger.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 120);
const { db } = database;
const author = await staffUser(db, 'ledger.author', 'ministry_analyst');
const reviewer = await staffUser(db, 'ledger.reviewer', 'ministry_analyst');
const clerk = await staffUser(db, 'ledger.clerk', 'specialist', ['volgograd']);
const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
const persons = (await db.selectFrom('persons').select('id').orderBy('id').execute()).map((p) => p.id);

// A dated parameter with an indexation on 1 April, and a published rule reading it.
await db
  .insertInto('rule_parameters')
  .values({ code: 'test_edv_amount', unit: 'rub', title_ru: 'ЕДВ (тест)', title_en: 'EDV (test)' })
  .execute();
await db
  .insertInto('rule_parameter_values')
  .values([
    { parameter_code: 'test_edv_amount', effective_from: '2025-01-01', value: 1000, source: 'test' },
    { parameter_code: 'test_edv_amount', effective_from: '2025-04-01', value: 1100, source: 'test' },
  ])
  .execute();
const versionId = await rules.createDraft(db, {
  measureCode: 'VETERAN-EDV',
  effectiveFrom: '2025-01-01',
  definition: {
    conditions: [
      {
        id: 'adult',
        expr: 'person.age >= 18.0',
        pass: { ru: 'Взрослый', en: 'Adult' },
        fail: { ru: 'Не взрослый', en: 'Not adult' },
      },
    ],
    amount: { expr: 'params.test_edv_amount', explain: { ru: 'Сумма', en: 'Amount' } },
  },
  tests: [{ name: 'amount', as_of: '2025-02-01', expect: { eligible: true, amount: 1000 } }],
  note: 'ledger test',
  actorId: author,
});
await rules.propose(db, versionId, author);
await rules.approve(db, versionId, reviewer);

const tx = <T>(fn: (trx: Trx) => Promise<T>) => db.transaction().execute(fn);
const assign = async (personId: number, code: string, startDate: string, endDate: string | null = null) =>
  await tx(async (trx) =>
    createAssignment(trx, {
      personId,
      measureId: await measureId(code),
      basis: 'application',
      amount: 700,
      startDate,
      endDate,
      ruleVersionId: null,
      parameters: { note: 'decided by hand' },
      actorId: clerk,
    }),
  );
const entries = async (assignmentId: number) =>
  (await ledgerEntries(db, [assignmentId], 100))
    .map((e) => ({ period: e.period, kind: e.kind, amount: e.amount }))
    .sort((a, b) => a.period.localeCompare(b.period) || a.kind.localeCompare(b.kind));
const change = (date: string) => ({ date, reason: 'test', actorId: clerk });

const edv = await assign(persons[0]!, 'VETERAN-EDV', '2025-01-15');
const paused = await assign(persons[1]!, 'VETERAN-EDV', '2025-01-01');
const noRule = await assign(persons[2]!, 'HOMEFRONT-EDV', '2025-01-01');
const oneOff = await assign(persons[3]!, 'SANATORIUM', '2025-01-01');
const ended = await assign(persons[4]!, 'VETERAN-EDV', '2025-01-01');
const later = await assign(persons[5]!, 'VETERAN-EDV', '2025-06-01');

describe('monthly accruals', () => {
  test('the month end is the last day, leap years included', () => {
    assert.equal(monthEnd('2024-02-01'), '2024-02-29');
    assert.equal(monthEnd('2025-02-01'), '2025-02-28');
    assert.equal(monthEnd('2025-12-01'), '2025-12-31');
  });

  test('one accrual per payable assignment at the rule amount, recording version and parameters', async () => {
    assert.deepEqual(await accrueMonth(db, '2025-01-01'), { created: 4 });
    const [entry] = await ledgerEntries(db, [edv]);
    assert.equal(entry?.kind, 'accrual');
    assert.equal(entry?.amount, 1000, 'started mid-month: the month is paid in full');
    assert.equal(entry?.rule_version_id, versionId);
    assert.deepEqual(entry?.parameters, { test_edv_amount: 1000 });
    const [fallback] = await ledgerEntries(db, [noRule]);
    assert.equal(fallback?.amount, 700, 'no rule for the measure: the assignment amount');
    assert.deepEqual(fallback?.parameters, { note: 'decided by hand' });
    assert.deepEqual(await ledgerEntries(db, [oneOff]), [], 'one-off measures are not accrued monthly');
    assert.deepEqual(await ledgerEntries(db, [later]), [], 'not started yet');
  });

  test('running a month again adds nothing', async () => {
    assert.deepEqual(await accrueMonth(db, '2025-01-01'), { created: 0 });
  });

  test('indexation arrives with the dated parameter', async () => {
    await tx((trx) => endAssignment(trx, ended, change('2025-02-10')));
    await accrueMonth(db, '2025-02-01');
    await accrueMonth(db, '2025-03-01');
    await accrueMonth(db, '2025-04-01');
    assert.deepEqual(
      (await entries(edv)).map((e) => [e.period, e.amount]),
      [
        ['2025-01-01', 1000],
        ['2025-02-01', 1000],
        ['2025-03-01', 1000],
        ['2025-04-01', 1100],
      ],
    );
    assert.deepEqual(
      (await entries(ended)).map((e) => e.period),
      ['2025-01-01', '2025-02-01'],
      'ended on 10 February: February is paid, March is not',
    );
  });

  test('months wholly in suspension accrue nothing; the month of resumption accrues again', async () => {
    await tx((trx) => suspendAssignment(trx, paused, change('2025-05-01')));
    await accrueMonth(db, '2025-05-01');
    await accrueMonth(db, '2025-06-01');
    await tx((trx) => resumeAssignment(trx, paused, change('2025-07-10')));
    await accrueMonth(db, '2025-07-01');
    assert.deepEqual(
      (await entries(paused)).map((e) => e.period),
      ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-07-01'],
    );
  });

  test('two runs of a month at once still give one accrual per assignment', async () => {
    const [a, b] = await Promise.all([accrueMonth(db, '2025-08-01'), accrueMonth(db, '2025-08-01')]);
    const rows = await db
      .selectFrom('accruals')
      .select(['assignment_id'])
      .where('period', '=', '2025-08-01')
      .where('kind', '=', 'accrual')
      .execute();
    assert.equal(a.created + b.created, rows.length);
    assert.equal(new Set(rows.map((r) => r.assignment_id)).size, rows.length);
    assert.ok(rows.length >= 3);
  });

  test('refuses a period that is not a first day', async () => {
    await assert.rejects(accrueMonth(db, '2025-07-15'), { code: 'invalid_period' });
  });
});

describe('recalculation', () => {
  test('a retroactive parameter change books arrears, once', async () => {
    await db
      .insertInto('rule_parameter_values')
      .values({
        parameter_code: 'test_edv_amount',
        effective_from: '2025-02-01',
        value: 1050,
        source: 'correction',
      })
      .execute();
    const result = await recalculate(db, {
      assignmentId: edv,
      fromPeriod: '2025-01-01',
      reason: 'Корректировка индексации',
      actorId: clerk,
    });
    assert.deepEqual(result, { entries: 2, total: 100 });
    const arrears = (await ledgerEntries(db, [edv], 100)).filter((e) => e.kind === 'arrears');
    assert.deepEqual(arrears.map((e) => [e.period, e.amount, e.reason]).sort(), [
      ['2025-02-01', 50, 'Корректировка индексации'],
      ['2025-03-01', 50, 'Корректировка индексации'],
    ]);
    assert.deepEqual(arrears[0]?.parameters, { test_edv_amount: 1050 });
    assert.deepEqual(
      await recalculate(db, { assignmentId: edv, fromPeriod: '2025-01-01', reason: 'again', actorId: clerk }),
      { entries: 0, total: 0 },
    );
  });

  test('a retroactive suspension books an overpayment for the month, never editing entries', async () => {
    const before = await ledgerEntries(db, [edv], 100);
    await tx((trx) => suspendAssignment(trx, edv, change('2025-03-01')));
    await tx((trx) => resumeAssignment(trx, edv, change('2025-04-01')));
    const result = await recalculate(db, {
      assignmentId: edv,
      fromPeriod: '2025-02-01',
      reason: 'Приостановка задним числом',
      actorId: clerk,
    });
    assert.deepEqual(result, { entries: 1, total: -1050 });
    const march = (await entries(edv)).filter((e) => e.period === '2025-03-01');
    assert.deepEqual(march, [
      { period: '2025-03-01', kind: 'accrual', amount: 1000 },
      { period: '2025-03-01', kind: 'arrears', amount: 50 },
      { period: '2025-03-01', kind: 'overpayment', amount: -1050 },
    ]);
    const after = await ledgerEntries(db, [edv], 100);
    for (const old of before)
      assert.deepEqual(
        after.find((e) => e.id === old.id),
        old,
        'existing entries are untouched',
      );
    const events = await db
      .selectFrom('assignment_events')
      .select(['kind', 'details'])
      .where('assignment_id', '=', edv)
      .where('kind', '=', 'recalculated')
      .execute();
    assert.equal(events.length, 2);
  });

  test('nothing to do before the first accrual; only monthly measures; a reason is required', async () => {
    assert.deepEqual(
      await recalculate(db, { assignmentId: later, fromPeriod: '2025-01-01', reason: 'r', actorId: clerk }),
      { entries: 0, total: 0 },
    );
    await assert.rejects(
      recalculate(db, { assignmentId: oneOff, fromPeriod: '2025-01-01', reason: 'r', actorId: clerk }),
      { code: 'not_monthly' },
    );
    await assert.rejects(
      recalculate(db, { assignmentId: edv, fromPeriod: '2025-01-01', reason: ' ', actorId: clerk }),
      { code: 'reason_required' },
    );
    await assert.rejects(
      recalculate(db, { assignmentId: 987_654, fromPeriod: '2025-01-01', reason: 'r', actorId: clerk }),
      { code: 'not_found' },
    );
  });
});
