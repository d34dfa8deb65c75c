// Who did and who read what. Call record() inside the transaction of the action it describes,
// so an action and its audit entry commit or roll back together. Entries are linked into the hash
// chain after commit by one chainer (chainPending), so writers never queue behind each other; the
// links go to a table of their own (audit_chain), so an entry's row is written once and never changed.
import type { Db, DbOrTrx, Trx } from '../db/database.ts';
import type { ActorKind } from '../db/platform.schema.ts';
import type { StatementPart } from '../db/statement.ts';
import { type ChainVerdict, chainHash, GENESIS_HASH, verifyRows } from './audit.chain.ts';
import * as repo from './audit.repository.ts';

export interface AuditEntry {
  actor: { kind: ActorKind; id?: string | number | null };
  action: string;
  subject?: { kind: string; id: string | number };
  districtId?: number | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** An entry as its row, without the time and the chain's links. */
function rowOf(entry: AuditEntry) {
  return {
    actor_kind: entry.actor.kind,
    actor_id: entry.actor.id == null ? null : String(entry.actor.id),
    action: entry.action,
    subject_kind: entry.subject?.kind ?? null,
    subject_id: entry.subject ? String(entry.subject.id) : null,
    district_id: entry.districtId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
}

export async function record(trx: Trx, entry: AuditEntry): Promise<void> {
  // Millisecond precision, as the chain hashes it (PostgreSQL would keep microseconds of now()).
  await repo.insertEntry(trx, { at: new Date(), ...rowOf(entry) });
}

/**
 * Several entries as part of the caller's statement (the intake's group commit; platform/db/statement.ts),
 * as record() for each. Undefined when there are none.
 */
export function recordManyPart(entries: AuditEntry[]): StatementPart | undefined {
  if (entries.length === 0) return undefined;
  return { name: 'audit_entries', query: repo.entriesPart(new Date(), entries.map(rowOf)) };
}

/** Records outside any request transaction (sign-in failures, CLI actions). */
export async function recordNow(db: Db, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => record(trx, entry));
}

/**
 * Links committed entries into the chain in the order they became visible. One chainer at a time
 * (another caller returns 0 at once). Returns how many entries it linked.
 */
export async function chainPending(db: Db, batchSize = 5000): Promise<number> {
  let linked = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      if (!(await repo.tryLockChain(trx))) return 0;
      const head = await repo.chainHead(trx);
      const rows = await repo.unlinked(trx, batchSize);
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? GENESIS_HASH;
      const links = rows.map((row) => {
        seq += 1;
        const hash = chainHash(prev, row);
        const link = { id: row.id, seq, prev, hash };
        prev = hash;
        return link;
      });
      await repo.link(trx, links);
      return rows.length;
    });
    linked += n;
    if (n < batchSize) return linked;
  }
}

/** Links entries about once a second, for as long as the process serves or works. */
export function startAuditChainer(
  db: Db,
  everyMs = 1000,
  onError: (e: unknown) => void = () => {},
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = chainPending(db).catch(onError);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Walks the linked chain in batches; reports the first entry whose hash does not match. */
export async function verifyChain(db: DbOrTrx, batchSize = 5000): Promise<ChainVerdict> {
  let afterSeq = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await repo.entriesAfter(db, afterSeq, batchSize);
    if (rows.length === 0) return { ok: true, checked, unlinked: await repo.countUnlinked(db) };
    const { verdict, lastHash } = verifyRows(rows, prevHash);
    if (!verdict.ok) return { ...verdict, checked: checked + verdict.checked };
    checked += verdict.checked;
    prevHash = lastHash;
    afterSeq = Number(rows[rows.length - 1]!.chain_seq);
  }
}

export const entriesFor = repo.entriesFor;
