import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../db/database.ts';
import type { ChainRow } from './audit.chain.ts';

// One lock serialises appends so every entry chains onto the one committed before it.
const AUDIT_LOCK = 7_310_001;

export async function lockChain(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
}

export async function lastHash(trx: Trx): Promise<string | undefined> {
  const row = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

export async function insertEntry(trx: Trx, row: Omit<ChainRow, 'id'>): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

export async function entriesAfter(db: DbOrTrx, afterId: number, limit: number): Promise<ChainRow[]> {
  return await db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'actor_kind',
      'actor_id',
      'action',
      'subject_kind',
      'subject_id',
      'district_id',
      'ip',
      'details',
      'prev_hash',
      'hash',
    ])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function entriesFor(db: DbOrTrx, subjectKind: string, subjectId: string, limit = 100) {
  return await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_kind', 'actor_id', 'action', 'details'])
    .where('subject_kind', '=', subjectKind)
    .where('subject_id', '=', subjectId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
