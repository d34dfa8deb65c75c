// Several modules' reads in one statement: each part's rows come back under its own name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { readParts } from './statement.ts';

const { db } = await testDatabase();

test('readParts answers each part with its own rows, and a part with none with an empty list', async () => {
  const read = await readParts<{
    numbers: { n: number; label: string; tags: string[]; missing: number | null };
    none: { id: number };
  }>(db, {
    numbers: sql`select g as n, 'n' || g as label, array['a', 'b'] as tags, null::int as missing
                 from generate_series(1, 3) g`,
    none: sql`select 1 as id where false`,
  });
  assert.deepEqual(
    read.numbers.sort((a, b) => a.n - b.n),
    [1, 2, 3].map((n) => ({ n, label: `n${n}`, tags: ['a', 'b'], missing: null })),
  );
  assert.deepEqual(read.none, []);
});
