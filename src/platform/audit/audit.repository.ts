import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../db/database.ts';
import type { ChainRow } from './audit.chain.ts';

// Only one chainer links entries at a time (several workers may try; the others skip).
const CHAIN_LOCK = 7_310_001;

export async function tryLockChain(trx: Trx): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${CHAIN_LOCK}) as ok`.execute(
    trx,
  );
  return rows[0]?.ok === true;
}

/** Entries as part of the caller's statement (platform/db/statement.ts); `at` is one for all. */
export function entriesPart(
  at: Date,
  rows: Array<Omit<ChainRow, 'id' | 'at' | 'prev_hash' | 'hash' | 'chain_seq'>>,
) {
  return sql`
    insert into audit_log (at, actor_kind, actor_id, action, subject_kind, subject_id, district_id, ip, details)
    select ${at}::timestamptz, t.actor_kind, t.actor_id, t.action, t.subject_kind, t.subject_id, t.district_id, t.ip, t.details
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(actor_kind text, actor_id text, action text,
         subject_kind text, subject_id text, district_id integer, ip text, details jsonb)`;
}

export async function insertEntry(
  trx: Trx,
  row: Omit<ChainRow, 'id' | 'prev_hash' | 'hash' | 'chain_seq'>,
): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

const chainColumns = [
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
  'chain_seq',
] as const;

/** The last linked entry: where the chain continues. */
export async function chainHead(trx: Trx): Promise<{ seq: number; hash: string } | undefined> {
  const row = await trx
    .selectFrom('audit_log')
    .select(['chain_seq', 'hash'])
    .where('chain_seq', 'is not', null)
    .orderBy('chain_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.chain_seq != null && row.hash ? { seq: Number(row.chain_seq), hash: row.hash } : undefined;
}

/** Committed entries not linked yet, oldest first. */
export async function unlinked(trx: Trx, limit: number): Promise<ChainRow[]> {
  return await trx
    .selectFrom('audit_log')
    .select(chainColumns)
    .where('chain_seq', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function link(
  trx: Trx,
  links: Array<{ id: number; seq: number; prev: string; hash: string }>,
): Promise<void> {
  if (links.length === 0) return;
  await sql`
    update audit_log a set chain_seq = v.seq, prev_hash = v.prev, hash = v.hash
    from unnest(${links.map((l) => l.id)}::bigint[], ${links.map((l) => l.seq)}::bigint[],
                ${links.map((l) => l.prev)}::text[], ${links.map((l) => l.hash)}::text[]) as v(id, seq, prev, hash)
    where a.id = v.id`.execute(trx);
}

export async function countUnlinked(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('chain_seq', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Linked entries in chain order, after `afterSeq`. */
export async function entriesAfter(db: DbOrTrx, afterSeq: number, limit: number): Promise<ChainRow[]> {
  return await db
    .selectFrom('audit_log')
    .select(chainColumns)
    .where('chain_seq', '>', afterSeq)
    .orderBy('chain_seq')
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
