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
  rows: Array<Omit<ChainRow, 'id' | 'at' | 'prev_hash' | 'hash' | 'chain_seq' | 'missing'>>,
) {
  return sql`
    insert into audit_log (at, actor_kind, actor_id, action, subject_kind, subject_id, district_id, ip, details)
    select ${at}::timestamptz, t.actor_kind, t.actor_id, t.action, t.subject_kind, t.subject_id, t.district_id, t.ip, t.details
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(actor_kind text, actor_id text, action text,
         subject_kind text, subject_id text, district_id integer, ip text, details jsonb)`;
}

export async function insertEntry(
  trx: Trx,
  row: Omit<ChainRow, 'id' | 'prev_hash' | 'hash' | 'chain_seq' | 'missing'>,
): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

const entryColumns = [
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
] as const;

/** The last link: where the chain continues. */
export async function chainHead(trx: Trx): Promise<{ seq: number; hash: string } | undefined> {
  const row = await trx
    .selectFrom('audit_chain')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/** Committed entries not linked yet, oldest first. */
export async function unlinked(trx: Trx, limit: number): Promise<ChainRow[]> {
  const rows = await trx
    .selectFrom('audit_pending as p')
    .innerJoin('audit_log as a', 'a.id', 'p.id')
    .select(entryColumns.map((c) => `a.${c}` as const))
    .orderBy('p.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, prev_hash: null, hash: null }));
}

/** Appends the links and takes their entries off the pending list, in one statement. */
export async function link(
  trx: Trx,
  links: Array<{ id: number; seq: number; prev: string; hash: string }>,
): Promise<void> {
  if (links.length === 0) return;
  await sql`
    with linked as (
      insert into audit_chain (seq, entry_id, prev_hash, hash)
      select * from unnest(${links.map((l) => l.seq)}::bigint[], ${links.map((l) => l.id)}::bigint[],
                           ${links.map((l) => l.prev)}::text[], ${links.map((l) => l.hash)}::text[])
      returning entry_id
    )
    delete from audit_pending where id in (select entry_id from linked)`.execute(trx);
}

export async function countUnlinked(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('audit_pending')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Linked entries in chain order, after `afterSeq`. A link whose entry is gone comes back as a row
 * marked missing (with the entry's id), so a deleted entry breaks the chain even at its end.
 */
export async function entriesAfter(db: DbOrTrx, afterSeq: number, limit: number): Promise<ChainRow[]> {
  const { rows } = await sql<ChainRow & { entry_id: number; missing: boolean }>`
    select ${sql.join(entryColumns.map((c) => sql.ref(`a.${c}`)))}, c.entry_id, a.id is null as missing,
           c.prev_hash, c.hash, c.seq as chain_seq
    from audit_chain c left join audit_log a on a.id = c.entry_id
    where c.seq > ${afterSeq}
    order by c.seq
    limit ${limit}`.execute(db);
  return rows.map(({ entry_id, ...row }) => ({ ...row, id: Number(entry_id) }));
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
