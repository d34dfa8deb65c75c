// The demo accessibility audits: recorded once, and they give the indicator a figure this month.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDatabase } from '../../test/support/db.ts';
import { seedSmallRegion } from '../../test/support/fixtures.ts';
import { indicatorValues } from '../modules/quality/quality.service.ts';
import { regionToday } from '../platform/time.ts';
import { ensureDemoAccessibilityAudits } from './demo.accessibility.ts';
import { ensureDemoAccounts } from './demo.service.ts';

test('demo accessibility audits are recorded once and give the indicator a figure', async () => {
  const database = await testDatabase();
  await seedSmallRegion(database, 40);
  await ensureDemoAccounts(database.db, mkdtempSync(join(tmpdir(), 'opora-demo-')));
  // Six offices (the second audited twice) and three pages.
  assert.equal(await ensureDemoAccessibilityAudits(database.db), 10);
  assert.equal(await ensureDemoAccessibilityAudits(database.db), 0, 'a second start adds nothing');
  const month = regionToday().slice(0, 7);
  const [v] = await indicatorValues(
    database.db,
    { from: month, to: month },
    {
      codes: ['accessibility.offices_pages_accessible'],
    },
  );
  // Every office passes but the fifth: 8 of 9 subjects.
  assert.deepEqual([v!.numerator, v!.denominator], [8, 9]);
});
