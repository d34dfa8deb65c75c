// Sweeps at the service level: who gets a proposal, counters, re-runs and crashes, auto-assign, the job.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { Db } from '../../platform/db/database.ts';
import { commandSweep } from '../../proactive.cli.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment, suspendAssignment } from '../registry/assignments.service.ts';
import { streamFacts } from '../registry/facts.service.ts';
import type { RuleDefinition } from '../rules/rules.format.ts';
import * as rules from '../rules/rules.service.ts';
import { proactiveTasks } from './proactive.tasks.ts';
import { createSweep, informSweepResidents, runSweep, SWEEP_TASK } from './sweep.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 400);
const { db } = database;
const author = await staffUser(db, 'author', 'ministry_analyst');
const reviewer = await staffUser(db, 'reviewer', 'ministry_analyst');
const AS_OF = new Date().toISOString().slice(0, 10);

/** Publishes "aged at least N" with a fixed amount for a catalog measure, through the four eyes. */
export async function publishAgeRule(db: Db, code: string, minAge: number, amount: number | null) {
  const definition: RuleDefinition = {
    conditions: [
      {
        id: 'old_enough',
        expr: `person.age >= ${minAge.toFixed(1)}`,
        pass: { ru: 'Возраст {{person.age|years}}', en: 'Age {{person.age|years}}' },
        fail: { ru: 'Слишком молод', en: 'Too young' },
      },
    ],
    ...(amount === null
      ? {}
      : { amount: { expr: amount.toFixed(1), explain: { ru: 'Сумма', en: 'Amount' } } }),
  };
  const id = await rules.createDraft(db, {
    measureCode: code,
    effectiveFrom: '2020-01-01',
    definition,
    tests: [
      { name: 'old', as_of: '2025-01-01', facts: { person: { age: minAge } }, expect: { eligible: true } },
    ],
    note: 'test rule',
    actorId: author,
  });
  await rules.propose(db, id, author);
  await rules.approve(db, id, reviewer);
  return id;
}

async function residentsAged(minAge: number): Promise<number[]> {
  const ids: number[] = [];
  for await (const batch of streamFacts(db, { asOf: AS_OF }))
    for (const r of batch) if (r.facts.person.age >= minAge) ids.push(r.personId);
  return ids;
}

const measureId = async (code: string) => (await measureRefs(db, { codes: [code] }))[0]!.id;
const sweepRow = (id: number) =>
  db.selectFrom('sweeps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const proposalsOf = (measure: number) =>
  db.selectFrom('proposals').selectAll().where('measure_id', '=', measure).orderBy('id').execute();
const newSweep = (measureCode: string, autoAssign = false) =>
  db
    .transaction()
    .execute((trx) => createSweep(trx, { measureCode, asOf: AS_OF, autoAssign, actorId: author }));
const personCount = async () =>
  Number(
    (
      await db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a sweep proposes the measure to eligible residents who do not receive it', async () => {
  const versionId = await publishAgeRule(db, 'SANATORIUM', 60, 1000);
  const sanatorium = await measureId('SANATORIUM');
  const eligible = await residentsAged(60);
  const assigned = eligible.slice(0, 3);
  for (const personId of assigned)
    await db.transaction().execute((trx) =>
      createAssignment(trx, {
        personId,
        measureId: sanatorium,
        basis: 'application',
        amount: 1000,
        startDate: '2020-01-01',
        ruleVersionId: versionId,
        parameters: {},
        actorId: author,
      }),
    );

  test('proposals only for eligible, non-assigned residents; counters and inbox match', async () => {
    assert.ok(eligible.length > 10, 'the seed has residents of 60 and over');
    const seen: number[] = [];
    const sweepId = await newSweep('SANATORIUM');
    const result = await runSweep(db, sweepId, (p) => seen.push(p.processed), { batchSize: 100 });
    const proposals = await proposalsOf(sanatorium);
    const expected = eligible.filter((id) => !assigned.includes(id)).sort((a, b) => a - b);
    assert.deepEqual(
      proposals.map((p) => p.person_id).sort((a, b) => a - b),
      expected,
    );
    assert.ok(
      proposals.every((p) => p.status === 'open' && p.rule_version_id === versionId && p.amount === 1000),
    );
    const explanation = proposals[0]!.explanation as { eligible: boolean; conditions: { id: string }[] };
    assert.equal(explanation.eligible, true);
    assert.equal(explanation.conditions[0]!.id, 'old_enough');

    const row = await sweepRow(sweepId);
    const total = await personCount();
    assert.equal(row.status, 'done');
    assert.deepEqual(
      [row.total, row.processed, row.eligible, row.proposals_created],
      [total, total, eligible.length, expected.length],
    );
    assert.deepEqual(result, {
      total,
      processed: total,
      eligible: eligible.length,
      proposalsCreated: expected.length,
      skipped: false,
    });
    assert.ok(seen.length >= Math.ceil(total / 100), 'progress is reported every batch');

    const unannounced = await db
      .selectFrom('inbox_messages')
      .select('id')
      .where('person_id', 'in', expected)
      .execute();
    assert.equal(unannounced.length, 0, 'residents are told after the sweep, by its own job');
    assert.equal(await informSweepResidents(db, sweepId), expected.length);
    assert.equal(await informSweepResidents(db, sweepId), 0, 'telling twice tells nobody twice');
    const queued = await sql<{ key: string }>`select key from graphile_worker.jobs
      where task_identifier = 'proactive:inform'`.execute(db);
    assert.ok(
      queued.rows.some((j) => j.key === `proactive:inform:${sweepId}`),
      'the inform job was queued with the sweep',
    );
    const messages = await db
      .selectFrom('inbox_messages')
      .select(['person_id', 'body_ru', 'body_en'])
      .where('person_id', 'in', expected)
      .execute();
    assert.equal(messages.length, expected.length, 'one message per new proposal');
    assert.match(messages[0]!.body_ru, /специалист свяжется/);
  });

  test('running the same sweep again is a no-op; a new sweep adds nothing', async () => {
    const before = (await proposalsOf(sanatorium)).length;
    const [done] = await db.selectFrom('sweeps').select('id').where('measure_id', '=', sanatorium).execute();
    const again = await runSweep(db, done!.id);
    assert.equal(again.skipped, true);
    const second = await newSweep('SANATORIUM');
    const result = await runSweep(db, second);
    assert.equal(result.proposalsCreated, 0);
    assert.equal(result.eligible, eligible.length);
    assert.equal((await proposalsOf(sanatorium)).length, before);
  });
});

describe('an interrupted sweep can be run again without duplicates', async () => {
  await publishAgeRule(db, 'SOCIAL-TAXI', 70, null);
  const taxi = await measureId('SOCIAL-TAXI');
  const eligible = await residentsAged(70);

  test('a crash after the first batch leaves committed work; the re-run completes it exactly', async () => {
    const sweepId = await newSweep('SOCIAL-TAXI');
    let batches = 0;
    await assert.rejects(
      runSweep(
        db,
        sweepId,
        () => {
          if (++batches === 2) throw new Error('worker killed');
        },
        { batchSize: 150 },
      ),
      /worker killed/,
    );
    let row = await sweepRow(sweepId);
    assert.equal(row.status, 'failed');
    assert.equal(row.error, 'worker killed');
    const partial = (await proposalsOf(taxi)).length;
    assert.ok(partial > 0 && partial < eligible.length, 'the first batch was committed');
    // As if the worker died without even marking the sweep: it stays 'running'.
    await db.updateTable('sweeps').set({ status: 'running' }).where('id', '=', sweepId).execute();

    const result = await runSweep(db, sweepId, undefined, { batchSize: 150 });
    row = await sweepRow(sweepId);
    const proposals = await proposalsOf(taxi);
    assert.equal(row.status, 'done');
    assert.equal(row.error, null);
    assert.equal(proposals.length, eligible.length);
    assert.equal(new Set(proposals.map((p) => p.person_id)).size, eligible.length, 'no duplicates');
    assert.equal(row.proposals_created, eligible.length, 'counts what both runs created');
    assert.equal(result.processed, row.total);
    assert.ok(
      proposals.every((p) => p.amount === null),
      'a measure without an amount',
    );
  });
});

describe('automatic assignment', async () => {
  const versionId = await publishAgeRule(db, 'HOMEFRONT-EDV', 75, 500);
  const homefront = await measureId('HOMEFRONT-EDV');
  const eligible = await residentsAged(75);

  test('assigns directly with basis proactive and the rule version, and says so in the inbox', async () => {
    // One of them has the measure suspended: not received now, but not to be assigned twice either.
    const [paused, ...others] = eligible;
    await db.transaction().execute(async (trx) => {
      const id = await createAssignment(trx, {
        personId: paused!,
        measureId: homefront,
        basis: 'application',
        amount: 500,
        startDate: '2020-01-01',
        ruleVersionId: versionId,
        parameters: {},
        actorId: author,
      });
      await suspendAssignment(trx, id, { date: '2021-01-01', reason: 'moved away', actorId: author });
    });
    const sweepId = await newSweep('HOMEFRONT-EDV', true);
    const result = await runSweep(db, sweepId, undefined, { autoAssign: true });
    assert.equal(result.proposalsCreated, eligible.length);
    const assignments = await db
      .selectFrom('assignments')
      .select(['person_id', 'basis', 'rule_version_id', 'amount', 'start_date', 'status'])
      .where('measure_id', '=', homefront)
      .where('basis', '=', 'proactive')
      .execute();
    assert.deepEqual(
      assignments.map((a) => a.person_id).sort((a, b) => a - b),
      [...others].sort((a, b) => a - b),
    );
    assert.ok(
      assignments.every(
        (a) => a.basis === 'proactive' && a.rule_version_id === versionId && a.amount === 500,
      ),
    );
    assert.ok(assignments.every((a) => a.start_date === AS_OF && a.status === 'active'));
    const proposals = await proposalsOf(homefront);
    const open = proposals.filter((p) => p.status === 'open');
    assert.deepEqual(
      open.map((p) => p.person_id),
      [paused],
      'left to a specialist',
    );
    assert.ok(
      proposals.every((p) => p.status === 'open' || (p.status === 'accepted' && p.assignment_id !== null)),
    );
    assert.equal((await sweepRow(sweepId)).proposals_created, eligible.length);
    const messages = (personId: number) =>
      db
        .selectFrom('inbox_messages')
        .select(['subject_ru', 'body_ru'])
        .where('person_id', '=', personId)
        .where('body_ru', 'like', '%труженикам тыла%')
        .execute();
    const [assignedMessage] = await messages(others[0]!);
    assert.match(assignedMessage!.subject_ru, /назначена/);
    assert.match(assignedMessage!.body_ru, /500/);
    await informSweepResidents(db, sweepId);
    const [pausedMessage] = await messages(paused!);
    assert.match(pausedMessage!.body_ru, /специалист свяжется/);

    // A second run finds them all receiving the measure already (or with a proposal still open).
    const again = await runSweep(db, await newSweep('HOMEFRONT-EDV', true), undefined, { autoAssign: true });
    assert.equal(again.proposalsCreated, 0);
  });

  test('a measure not offered proactively cannot be assigned automatically', async () => {
    await assert.rejects(newSweep('SANATORIUM', true), /not offered proactively/);
    const sweepId = await newSweep('SANATORIUM');
    await assert.rejects(runSweep(db, sweepId, undefined, { autoAssign: true }), /not offered proactively/);
    assert.equal((await sweepRow(sweepId)).status, 'failed');
  });

  test('a measure without a rule in force fails the sweep with the reason', async () => {
    const sweepId = await newSweep('DAY-CARE');
    await assert.rejects(runSweep(db, sweepId), /no published rule/);
    assert.match((await sweepRow(sweepId)).error ?? '', /DAY-CARE has no published rule/);
  });
});

describe('the job and the command', () => {
  test('the job runs a sweep once; running it twice changes nothing', async () => {
    await publishAgeRule(db, 'VETERAN-DENTAL', 80, null);
    const sweepId = await newSweep('VETERAN-DENTAL');
    const task = proactiveTasks(db)[SWEEP_TASK]!;
    const helpers = { logger: { info() {} } } as never;
    await task({ sweepId }, helpers);
    const first = await sweepRow(sweepId);
    await task({ sweepId }, helpers);
    const second = await sweepRow(sweepId);
    assert.equal(first.status, 'done');
    assert.deepEqual(second, first);
  });

  test('the job carries the sweep id only; an auto-assign sweep keeps its mode on its row', async () => {
    await publishAgeRule(db, 'CAPREPAIR-COMP', 70, 300);
    const sweepId = await newSweep('CAPREPAIR-COMP', true);
    assert.equal((await sweepRow(sweepId)).auto_assign, true);
    await proactiveTasks(db)[SWEEP_TASK]!({ sweepId }, { logger: { info() {} } } as never);
    const proposals = await db
      .selectFrom('proposals')
      .select(['status', 'assignment_id'])
      .where('sweep_id', '=', sweepId)
      .execute();
    assert.ok(proposals.length > 0, 'the seed has residents of 70 and over');
    assert.ok(
      proposals.every((p) => p.status === 'accepted' && p.assignment_id !== null),
      'assigned, not left to a specialist',
    );
    assert.equal((await sweepRow(sweepId)).status, 'done');
  });

  test('opora sweep runs a sweep and prints its figures', async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await commandSweep(db, ['--measure', 'veteran-dental', '--as-of', AS_OF]);
    } finally {
      process.stderr.write = write;
    }
    const out = lines.join('');
    assert.match(out, /Sweep #\d+ of VETERAN-DENTAL/);
    assert.match(out, /new proposals\s+0/);
    await assert.rejects(commandSweep(db, ['--measure', 'X']), /--as-of/);
  });
});
