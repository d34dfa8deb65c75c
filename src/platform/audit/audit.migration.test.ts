// Migration 0023 moves the chain's links out of audit_log: a region's existing log, linked and not
// yet linked, must come through whole and go on verifying (and the step must be reversible).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { migrations } from '../../migrations/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { chainHash, GENESIS_HASH } from './audit.chain.ts';
import { chainPending, verifyChain } from './audit.service.ts';

const at = new Date('2026-11-20T09:00:00.000Z');

test('0023 keeps every link and every waiting entry of the log it finds', async () => {
  const { db } = await testDatabase();
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const down = await migrator.migrateTo('0022_blobs_packed');
  assert.equal(down.error, undefined);

  // The old layout: entries in audit_log, linked in place by chain_seq, prev_hash and hash.
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { rows } = await sql<{ id: number }>`
      insert into audit_log (at, actor_kind, actor_id, action, details)
      values (${at}, 'staff', ${String(i)}, 'person.read', ${JSON.stringify({ i })}::jsonb) returning id`.execute(
      db,
    );
    ids.push(Number(rows[0]!.id));
  }
  let prev = GENESIS_HASH;
  for (let i = 0; i < 3; i++) {
    const hash = chainHash(prev, {
      at,
      actor_kind: 'staff',
      actor_id: String(i),
      action: 'person.read',
      subject_kind: null,
      subject_id: null,
      district_id: null,
      ip: null,
      details: { i },
    });
    await sql`update audit_log set chain_seq = ${i + 1}, prev_hash = ${prev}, hash = ${hash} where id = ${ids[i]!}`.execute(
      db,
    );
    prev = hash;
  }

  assert.deepEqual(await migrateToLatest(db), ['0023_audit_chain_table']);
  assert.deepEqual(await verifyChain(db), { ok: true, checked: 3, unlinked: 2 });
  assert.equal(await chainPending(db), 2);
  assert.deepEqual(await verifyChain(db), { ok: true, checked: 5, unlinked: 0 });

  // And back: the links return to audit_log's columns.
  assert.equal((await migrator.migrateTo('0022_blobs_packed')).error, undefined);
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as n from audit_log where chain_seq is not null`.execute(db);
  assert.equal(Number(rows[0]!.n), 5);
});
