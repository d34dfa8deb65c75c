// Who did and who read what. Call record() inside the transaction of the action it describes,
// so an action and its audit entry commit or roll back together.
import type { Db, DbOrTrx, Trx } from '../db/database.ts';
import type { ActorKind } from '../db/platform.schema.ts';
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

export async function record(trx: Trx, entry: AuditEntry): Promise<void> {
  await repo.lockChain(trx);
  const prevHash = (await repo.lastHash(trx)) ?? GENESIS_HASH;
  const fields = {
    at: new Date(),
    actor_kind: entry.actor.kind,
    actor_id: entry.actor.id == null ? null : String(entry.actor.id),
    action: entry.action,
    subject_kind: entry.subject?.kind ?? null,
    subject_id: entry.subject ? String(entry.subject.id) : null,
    district_id: entry.districtId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  };
  await repo.insertEntry(trx, { ...fields, prev_hash: prevHash, hash: chainHash(prevHash, fields) });
}

/** Records outside any request transaction (sign-in failures, CLI actions). */
export async function recordNow(db: Db, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => record(trx, entry));
}

/** Walks the whole chain in batches; reports the first row whose hash does not match. */
export async function verifyChain(db: DbOrTrx, batchSize = 5000): Promise<ChainVerdict> {
  let afterId = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await repo.entriesAfter(db, afterId, batchSize);
    if (rows.length === 0) return { ok: true, checked };
    const { verdict, lastHash } = verifyRows(rows, prevHash);
    if (!verdict.ok) return { ...verdict, checked: checked + verdict.checked };
    checked += verdict.checked;
    prevHash = lastHash;
    afterId = rows[rows.length - 1]!.id;
  }
}

export const entriesFor = repo.entriesFor;
