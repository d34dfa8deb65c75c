import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { chainHash, GENESIS_HASH, verifyRows } from './audit.chain.ts';
import { chainPending, record, recordManyPart, recordNow, verifyChain } from './audit.service.ts';

const entry = {
  at: new Date('2026-11-23T10:00:00.000Z'),
  actor_kind: 'staff' as const,
  actor_id: '7',
  action: 'person.read',
  subject_kind: 'person',
  subject_id: '42',
  district_id: 3,
  ip: '127.0.0.1',
  details: { b: 1, a: [1, { z: 2, y: 1 }] },
};

describe('audit chain (pure)', () => {
  test('the hash does not depend on key order in details', () => {
    const reordered = { ...entry, details: { a: [1, { y: 1, z: 2 }], b: 1 } };
    assert.equal(chainHash(GENESIS_HASH, entry), chainHash(GENESIS_HASH, reordered));
  });

  test('a changed field, or a row taken out, breaks the chain at that row', () => {
    const h1 = chainHash(GENESIS_HASH, entry);
    const second = { ...entry, action: 'person.update' };
    const h2 = chainHash(h1, second);
    const rows = [
      { ...entry, id: 1, prev_hash: GENESIS_HASH, hash: h1 },
      { ...second, id: 2, prev_hash: h1, hash: h2 },
    ];
    assert.deepEqual(verifyRows(rows, GENESIS_HASH).verdict, { ok: true, checked: 2 });
    const tampered = [rows[0]!, { ...rows[1]!, subject_id: '43' }];
    assert.deepEqual(verifyRows(tampered, GENESIS_HASH).verdict, { ok: false, checked: 1, brokenAtId: 2 });
    assert.deepEqual(verifyRows([rows[1]!], GENESIS_HASH).verdict, { ok: false, checked: 0, brokenAtId: 2 });
  });
});

describe('audit log in PostgreSQL', async () => {
  const { db } = await testDatabase();

  test('entries written concurrently still form one valid chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordNow(db, {
          actor: { kind: 'staff', id: i },
          action: 'person.read',
          subject: { kind: 'person', id: i },
        }),
      ),
    );
    assert.deepEqual(await verifyChain(db, 7), { ok: true, checked: 0, unlinked: 20 }, 'linked after commit');
    const linked = await Promise.all([chainPending(db, 7), chainPending(db, 7)]);
    assert.equal(linked[0]! + linked[1]!, 20, 'two chainers at once link each entry once');
    assert.deepEqual(await verifyChain(db, 7), { ok: true, checked: 20, unlinked: 0 });
  });

  test('entries and their links cannot be changed or removed, even before linking', async () => {
    await recordNow(db, { actor: { kind: 'system' }, action: 'unlinked.one' });
    await assert.rejects(
      sql`update audit_log set action = 'forged' where action = 'unlinked.one'`.execute(db),
      /append-only/,
      'an entry waiting to be linked is as fixed as a linked one',
    );
    assert.equal(await chainPending(db), 1);
    await assert.rejects(sql`update audit_chain set hash = 'x'`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_chain`.execute(db), /append-only/);
    await assert.rejects(sql`truncate audit_chain`.execute(db), /append-only/);
    assert.deepEqual(await verifyChain(db), { ok: true, checked: 21, unlinked: 0 });
  });

  test('entries written in one statement are all queued and linked (the intake writes 64 at once)', async () => {
    await db.transaction().execute(async (trx) => {
      const part = recordManyPart(
        Array.from({ length: 5 }, (_, i) => ({ actor: { kind: 'system' as const }, action: `batch.${i}` })),
      );
      await sql`with ${sql.raw(part!.name)} as (${part!.query}) select 1`.execute(trx);
    });
    assert.deepEqual(await verifyChain(db), { ok: true, checked: 21, unlinked: 5 });
    assert.equal(await chainPending(db), 5);
    const linked = await sql<{ n: string }>`
      select count(*) as n from audit_chain c join audit_log a on a.id = c.entry_id where a.action like 'batch.%'`
      .execute(db)
      .then((r) => Number(r.rows[0]!.n));
    assert.equal(linked, 5);
  });

  test('an entry rolls back with the action it describes', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await record(trx, { actor: { kind: 'system' }, action: 'doomed' });
        throw new Error('action failed');
      }),
    );
    const doomed = await db.selectFrom('audit_log').where('action', '=', 'doomed').select('id').execute();
    assert.equal(doomed.length, 0);
  });

  test('the database refuses updates and deletes', async () => {
    await assert.rejects(sql`update audit_log set action = 'x'`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_log`.execute(db), /append-only/);
  });

  test('tampering by someone who bypasses the trigger is detected', async () => {
    const target = await db
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id')
      .offset(5)
      .limit(1)
      .executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await sql`update audit_log set actor_id = '999' where id = ${target.id}`.execute(trx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
    });
    await chainPending(db);
    const verdict = await verifyChain(db);
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.brokenAtId, target.id);
  });
});

describe('audit chain: an entry deleted', async () => {
  const { db } = await testDatabase();

  test("an entry deleted behind the trigger's back is detected, even the last one", async () => {
    await recordNow(db, { actor: { kind: 'system' }, action: 'first.one' });
    await recordNow(db, { actor: { kind: 'system' }, action: 'last.one' });
    await chainPending(db);
    const last = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'last.one')
      .executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
      await sql`delete from audit_log where id = ${last.id}`.execute(trx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
    });
    assert.deepEqual(await verifyChain(db), { ok: false, checked: 1, brokenAtId: last.id });
  });
});
