// Sliding expiry: a session in use is kept alive, and the request that comes due for it does not
// wait for the write.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { staffUser } from '../../../test/support/fixtures.ts';
import { createDb } from '../db/database.ts';
import { loadSession, startSession, TOUCH_EVERY_MS, touchesWritten } from './session.service.ts';

const { db, url } = await testDatabase();
const userId = await staffUser(db, 'sliding', 'administrator');

const start = () => startSession(db, { kind: 'staff', staffUserId: userId, ip: null, userAgent: null });
/** Pretends the session was last seen `ago` ms ago and is to expire `left` ms from now. */
const age = (token: string, ago: number, left: number) =>
  sql`update sessions set last_seen_at = now() - ${`${ago} milliseconds`}::interval,
        expires_at = now() + ${`${left} milliseconds`}::interval
      where id = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`.execute(db);
const minutesLeft = async (token: string) => {
  const { rows } = await sql<{ left: number }>`
    select extract(epoch from expires_at - now()) / 60 as left from sessions
    where id = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`.execute(db);
  return Number(rows[0]?.left);
};

describe('sessions', () => {
  test('a session in use past the touch interval gets a full idle period again', async () => {
    const token = await start();
    await age(token, TOUCH_EVERY_MS + 1000, 5 * 60_000);
    assert.equal((await loadSession(db, token))?.actor.kind, 'staff');
    await touchesWritten(db);
    assert.ok((await minutesLeft(token)) > 59, 'staff idle period is an hour');
  });

  test('within the touch interval nothing is written', async () => {
    const token = await start();
    await age(token, 1000, 5 * 60_000);
    await loadSession(db, token);
    await touchesWritten(db);
    assert.ok((await minutesLeft(token)) < 5.1);
  });

  test('many sessions due at once are all extended', async () => {
    const tokens = await Promise.all(Array.from({ length: 30 }, start));
    for (const token of tokens) await age(token, TOUCH_EVERY_MS + 1000, 60_000);
    const loaded = await Promise.all(tokens.map((t) => loadSession(db, t)));
    assert.ok(loaded.every((s) => s?.actor.kind === 'staff'));
    await touchesWritten(db);
    for (const token of tokens) assert.ok((await minutesLeft(token)) > 59);
  });

  test('the request does not wait for the write: a locked session row still lets it through', async () => {
    const token = await start();
    await age(token, TOUCH_EVERY_MS + 1000, 5 * 60_000);
    // Another transaction holds the row (as a slow sign-out might): the touch has to wait, the request not.
    const { promise: held, resolve: release } = Promise.withResolvers<void>();
    const { promise: isLocked, resolve: locked } = Promise.withResolvers<void>();
    const holder = db.transaction().execute(async (trx) => {
      await sql`select 1 from sessions where id = encode(sha256(convert_to(${token}, 'UTF8')), 'hex') for update`.execute(
        trx,
      );
      locked();
      await held;
    });
    await isLocked;
    const session = await Promise.race([
      loadSession(db, token),
      new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2000)),
    ]);
    assert.notEqual(session, 'waited', 'the request waited for the session write');
    release();
    await holder;
    await touchesWritten(db);
    assert.ok((await minutesLeft(token)) > 59, 'and the write lands once the row is free');
  });

  test('a session past its expiry is not found, whatever is pending', async () => {
    const token = await start();
    await age(token, TOUCH_EVERY_MS + 1000, -1000);
    assert.equal(await loadSession(db, token), undefined);
  });

  test('the lookup of one session is planned once per connection, not at every request', async () => {
    const one = createDb(url, 1); // one connection, so every lookup meets the same prepared statement
    try {
      const token = await start();
      for (let i = 0; i < 20; i++) assert.equal((await loadSession(one, token))?.actor.kind, 'staff');
      const { rows } = await sql<{ generic: number; custom: number }>`
        select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
        where statement like '%from "sessions" as "s"%'`.execute(one);
      assert.equal(rows.length, 1, 'one prepared session lookup');
      // PostgreSQL tries custom plans five times before it settles on the generic one.
      assert.ok(rows[0]!.custom <= 5, `planned for ${rows[0]!.custom} of 20 lookups`);
      assert.ok(rows[0]!.generic >= 15);
    } finally {
      await one.destroy();
    }
  });
});
