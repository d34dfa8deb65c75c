// Statements marked PREPARED run as prepared statements, parsed once per connection; others do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { PREPARED, PREPARED_MARK } from './database.ts';

const { db } = await testDatabase();

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
