// The demo start: accounts once, and a Volgograd queue with cases in every state, made once.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDatabase } from '../../test/support/db.ts';
import { seedSmallRegion } from '../../test/support/fixtures.ts';
import { urgencyOf } from '../modules/applications/applications.states.ts';
import { importRules } from '../modules/rules/rules.service.ts';
import { regionToday } from '../platform/time.ts';
import { ensureDemoCases } from './demo.cases.ts';
import { ensureDemoAccounts } from './demo.service.ts';

test('demo cases fill the Volgograd queue once, with overdue, waiting and decided cases', async () => {
  const database = await testDatabase();
  await seedSmallRegion(database, 300);
  await importRules(database.db);
  await ensureDemoAccounts(database.db, mkdtempSync(join(tmpdir(), 'opora-demo-')));
  assert.equal(await ensureDemoCases(database.db), 10);
  assert.equal(await ensureDemoCases(database.db), 0, 'a second start adds nothing');
  const cases = await database.db
    .selectFrom('applications')
    .select(['state', 'deadline_on', 'priority'])
    .execute();
  const states = new Set(cases.map((c) => c.state));
  for (const s of ['registered', 'under_review', 'waiting_resident', 'approved', 'refused'])
    assert.ok(states.has(s as never), s);
  const today = regionToday();
  assert.ok(
    cases.some((c) => urgencyOf(c, today) === 'overdue'),
    'some cases are overdue',
  );
  assert.ok(
    cases.some((c) => c.priority),
    'some cases have priority',
  );
});
