// Statements marked PREPARED run as prepared statements, parsed once per connection; others do not.
// Every query goes through the pool's wrapper (wrapQuery): errors as pg gives them, garbage that dies young.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { createPool, PREPARED, PREPARED_MARK } from './database.ts';

const { db, url } = await testDatabase();

test('a marked statement is prepared once on its connection and answers each time with its own values', async () => {
  await db.connection().execute(async (conn) => {
    const marked = (n: number) =>
      sql<{ doubled: number }>`${PREPARED} select ${n}::int * 2 as doubled`.execute(conn);
    assert.equal((await marked(2)).rows[0]?.doubled, 4);
    assert.equal((await marked(21)).rows[0]?.doubled, 42);
    // Kysely's builder marks it at the end.
    const built = await conn
      .selectFrom('districts')
      .select('id')
      .where('id', '=', sql<number>`any(${[1, 2]}::int[])`)
      .modifyEnd(PREPARED)
      .execute();
    assert.ok(built.length <= 2);
    await sql`select ${'not marked'}::text as plain`.execute(conn);
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      conn,
    );
    assert.equal(
      rows.filter((r) => r.statement.includes('* 2 as doubled')).length,
      1,
      'one statement for both runs',
    );
    assert.equal(rows.filter((r) => r.statement.includes('"districts"')).length, 1);
    assert.ok(
      rows.every((r) => r.statement.includes(PREPARED_MARK)),
      'only marked statements are kept prepared',
    );
  });
});

test('a failing statement rejects with PostgreSQL’s error, and the connection answers the next one', async () => {
  await db.connection().execute(async (conn) => {
    await assert.rejects(sql`select 1 / ${0}::int`.execute(conn), (e: Error & { code?: string }) => {
      assert.equal(e.code, '22012'); // division_by_zero
      return true;
    });
    await assert.rejects(sql`${PREPARED} select 1 / ${0}::int as marked`.execute(conn), { code: '22012' });
    assert.equal((await sql<{ n: number }>`select ${7}::int as n`.execute(conn)).rows[0]?.n, 7);
  });
});

test('a query’s garbage dies young: 2,000 queries leave little for a full collection to free', async () => {
  // pg's own promise path let each query's garbage survive two young-generation collections: old
  // space grew by 2.4–5.6 MB per 2,000 queries in this test that way, 0.7 MB through the wrapper
  // (database.ts, wrapQuery). Measured after a full collection, then after 2,000 queries with a
  // young-generation collection every 50.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'minor' | 'major' }) => void;
  const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
  const pool = createPool(url, 1);
  const client = await pool.connect();
  try {
    const growth: number[] = [];
    for (let round = 0; round < 3; round++) {
      gc({ type: 'major' });
      const before = oldSpace();
      for (let i = 0; i < 40; i++) {
        for (let j = 0; j < 50; j++) await client.query('select 1 as one', []);
        gc({ type: 'minor' });
      }
      growth.push(oldSpace() - before);
    }
    growth.sort((a, b) => a - b);
    assert.ok(growth[1]! < 1_500_000, `old space grew by ${growth.join(', ')} bytes`);
  } finally {
    client.release();
    await pool.end();
  }
});
