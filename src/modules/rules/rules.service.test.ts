import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { AppError } from '../../platform/errors.ts';
import { RuleProblemsError } from './rules.check.ts';
import { withDefaults } from './rules.format.ts';
import * as rules from './rules.service.ts';
import { readRuleFiles } from './rules.yaml.ts';

const FIXTURES = new URL('./fixtures/rules', import.meta.url).pathname;
const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 20);
const alice = await staffUser(db, 'alice', 'ministry_analyst');
const bob = await staffUser(db, 'bob', 'ministry_analyst');
const scratch = mkdtempSync(join(tmpdir(), 'opora-rules-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const first = await rules.importRules(db, FIXTURES);
const child = readRuleFiles(FIXTURES).measures.find((m) => m.measure === 'CHILD-BENEFIT')!;
const v2 = child.versions[1]!.definition;

const auditCount = async (action: string) =>
  (await db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

const rejects = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe('import and export', () => {
  test('the first import loads everything, a second adds nothing', async () => {
    assert.deepEqual(first, { parameters: 3, values: 6, versions: 3 });
    assert.deepEqual(await rules.importRules(db, FIXTURES), { parameters: 0, values: 0, versions: 0 });
    assert.equal(await auditCount('rules.import'), 1);
    const versions = await rules.listVersions(db, 'CHILD-BENEFIT');
    assert.deepEqual(
      versions.map((v) => [v.version, v.status, v.proposed_by, v.review_note, v.tests.length]),
      [
        [1, 'published', null, 'imported from version control', 1],
        [2, 'published', null, 'imported from version control', 3],
      ],
    );
  });

  test('export writes the same files back', async () => {
    const over = join(scratch, 'over');
    cpSync(FIXTURES, over, { recursive: true });
    await rules.exportRules(db, over);
    assert.deepEqual(readRuleFiles(over), readRuleFiles(FIXTURES));
    // Into an empty directory parameters come sorted by code.
    const fresh = join(scratch, 'fresh');
    await rules.exportRules(db, fresh);
    const sorted = readRuleFiles(FIXTURES);
    sorted.parameters.sort((a, b) => a.code.localeCompare(b.code));
    assert.deepEqual(readRuleFiles(fresh), sorted);
    assert.deepEqual(await rules.importRules(db, fresh), { parameters: 0, values: 0, versions: 0 });
  });

  test('history is never edited: a changed version or dated value is refused', async () => {
    const changed = join(scratch, 'changed');
    cpSync(FIXTURES, changed, { recursive: true });
    const file = join(changed, 'measures', 'SOCIAL-TAXI.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('[1.0, 2.0]', '[1.0, 2.0, 3.0]'));
    await assert.rejects(rules.importRules(db, changed), /SOCIAL-TAXI.yaml, version 1: differs/);
    cpSync(FIXTURES, changed, { recursive: true });
    const params = join(changed, 'parameters.yaml');
    writeFileSync(params, readFileSync(params, 'utf8').replace('value: 1500', 'value: 1600'));
    await assert.rejects(
      rules.importRules(db, changed),
      /child_benefit_amount from 2025-01-01: 1500 in the database, 1600/,
    );
  });

  test('a version whose test case fails is not imported', async () => {
    const failing = join(scratch, 'failing');
    cpSync(FIXTURES, failing, { recursive: true });
    const file = join(failing, 'measures', 'SOCIAL-TAXI.yaml');
    const text = readFileSync(file, 'utf8')
      .replace(/version: 1/g, 'version: 2')
      .replace('group 3 is not', 'group 3 is not (wrongly expected)');
    writeFileSync(
      file,
      text.replace('{ person: { disability_group: 3 } }', '{ person: { disability_group: 2 } }'),
    );
    await assert.rejects(
      rules.importRules(db, failing),
      /version 2, test "group 3 is not \(wrongly expected\)": expected not eligible/,
    );
    assert.equal((await rules.listVersions(db, 'SOCIAL-TAXI')).length, 1);
  });
});

describe('what is in force on a date', () => {
  test('v1 from 2020, v2 from 2025: the last day of 2024 is v1, the first of 2025 is v2', async () => {
    const before = await rules.ruleBookAsOf(db, '2024-12-31');
    const on = await rules.ruleBookAsOf(db, '2025-01-01');
    assert.equal(before.byMeasure.get('CHILD-BENEFIT')?.version, 1);
    assert.equal(on.byMeasure.get('CHILD-BENEFIT')?.version, 2);
    assert.deepEqual(on.rules.map((r) => r.measureCode).sort(), ['CHILD-BENEFIT', 'SOCIAL-TAXI']);
    assert.equal((await rules.ruleBookAsOf(db, '2019-12-31')).rules.length, 0);
  });

  test('parameters by date', async () => {
    assert.equal((await rules.paramsAsOf(db, '2024-12-31')).child_benefit_amount, 1000);
    assert.equal((await rules.paramsAsOf(db, '2025-01-01')).child_benefit_amount, 1500);
    assert.deepEqual(await rules.paramsAsOf(db, '2019-12-31'), {});
  });

  test('only the measures asked for; none for an empty list', async () => {
    assert.deepEqual(
      (await rules.ruleBookAsOf(db, '2025-06-01', ['SOCIAL-TAXI'])).rules.map((r) => r.measureCode),
      ['SOCIAL-TAXI'],
    );
    const empty = await rules.ruleBookAsOf(db, '2025-06-01', []);
    assert.equal(empty.rules.length, 0);
    assert.equal(empty.params.subsistence_minimum_per_capita, 15237);
  });

  test('evaluateAll explains every measure in force', async () => {
    const book = await rules.ruleBookAsOf(db, '2025-06-01');
    const facts = withDefaults({ household: { children_under_18: 1, per_capita_income: 9000 } });
    const byCode = new Map(rules.evaluateAll(book, facts).map((e) => [e.measureCode, e]));
    assert.equal(byCode.get('CHILD-BENEFIT')?.amount, 1500);
    assert.equal(byCode.get('SOCIAL-TAXI')?.eligible, false);
    assert.ok((byCode.get('CHILD-BENEFIT')?.ruleVersionId ?? 0) > 0);
  });
});

describe('drafts and four eyes', () => {
  const tests = [
    {
      name: 'a family with one child',
      as_of: '2026-02-01',
      facts: { household: { children_under_18: 1, per_capita_income: 100 } },
      expect: { eligible: true, amount: 1500 },
    },
  ];
  const draft = (over: Partial<Parameters<typeof rules.createDraft>[1]> = {}) =>
    rules.createDraft(db, {
      measureCode: 'CHILD-BENEFIT',
      effectiveFrom: '2026-01-01',
      definition: v2,
      tests,
      note: 'v3',
      actorId: alice,
      ...over,
    });

  test('invalid definitions are refused as drafts', async () => {
    const broken = { conditions: [{ ...v2.conditions[0]!, expr: 'household.children_under_8 >= 1.0' }] };
    await assert.rejects(
      draft({ definition: broken }),
      (e) => e instanceof RuleProblemsError && /unknown fact household.children_under_8/.test(e.message),
    );
    await assert.rejects(
      draft({ effectiveFrom: '2019-06-01' }),
      /params.child_benefit_amount: has no value in force on 2019-06-01/,
    );
    await assert.rejects(draft({ measureCode: 'NO-SUCH-MEASURE' }), rejects('not_found'));
  });

  test('the proposer cannot approve; a colleague can, and it is in force from its date', async () => {
    const id = await draft();
    assert.equal((await rules.getVersion(db, id))?.version, 3);
    await rules.propose(db, id, alice);
    await assert.rejects(rules.approve(db, id, alice), rejects('four_eyes'));
    await rules.approve(db, id, bob, 'checked against the regional law');
    const v = await rules.getVersion(db, id);
    assert.deepEqual(
      [v?.status, v?.proposed_by, v?.reviewed_by, v?.review_note],
      ['published', alice, bob, 'checked against the regional law'],
    );
    assert.equal(
      (await rules.ruleBookAsOf(db, '2026-01-01')).byMeasure.get('CHILD-BENEFIT')?.ruleVersionId,
      id,
    );
    assert.equal(await auditCount('rules.propose'), 1);
    assert.equal(await auditCount('rules.approve'), 1);
    await assert.rejects(rules.approve(db, id, bob), rejects('rule_status'));
  });

  test('the database itself refuses the same person proposing and reviewing', async () => {
    const id = await draft();
    await rules.propose(db, id, alice);
    await assert.rejects(
      sql`update rule_versions set status = 'published', reviewed_by = ${alice}, reviewed_at = now() where id = ${id}`.execute(
        db,
      ),
      /check constraint/,
    );
    await assert.rejects(rules.reject(db, id, alice, 'my own'), rejects('four_eyes'));
    await rules.reject(db, id, bob, 'duplicate of version 3');
    assert.equal((await rules.getVersion(db, id))?.status, 'rejected');
    await assert.rejects(rules.propose(db, id, alice), rejects('rule_status'));
  });

  test('a proposal is refused when a test case fails, or when there is none', async () => {
    const wrong = [{ ...tests[0]!, expect: { eligible: true, amount: 2000 } }];
    const id = await draft({ tests: wrong });
    await assert.rejects(
      rules.propose(db, id, alice),
      /test "a family with one child": expected amount 2000, got 1500/,
    );
    assert.equal((await rules.getVersion(db, id))?.status, 'draft');
    const none = await draft({ tests: [] });
    await assert.rejects(rules.propose(db, none, alice), /at least one test case/);
  });

  test('runCases and checkDefinition report without refusing', async () => {
    const results = await rules.runCases(db, 'CHILD-BENEFIT', v2, child.tests);
    assert.deepEqual(
      results.map((r) => r.passed),
      [false, true, true, true],
    );
    assert.match(results[0]!.message, /expected eligible, got not eligible \(failed: low_income\)/);
    assert.deepEqual(await rules.checkDefinition(db, v2, '2024-01-01'), []);
    assert.deepEqual(await rules.checkDefinition(db, v2, '2019-01-01'), [
      { where: 'params.child_benefit_amount', message: 'has no value in force on 2019-01-01' },
      { where: 'params.subsistence_minimum_per_capita', message: 'has no value in force on 2019-01-01' },
    ]);
  });

  test('a draft compiles for a dry run before it is proposed', async () => {
    const id = await draft();
    const rule = await rules.compileVersion(db, id);
    const params = await rules.paramsAsOf(db, '2026-01-01');
    assert.deepEqual(
      rule.decide(withDefaults({ household: { children_under_18: 2, per_capita_income: 0 } }), params),
      { eligible: true, amount: 3000 },
    );
  });
});
