// Hash chain over audit entries: each hash covers the previous hash and the entry's canonical form,
// so changing, removing or reordering any row breaks every hash after it.
import { createHash } from 'node:crypto';
import type { ActorKind } from '../db/platform.schema.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  at: Date;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  district_id: number | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so equal values always serialise equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, e: ChainedFields): string {
  // Exactly these fields, so a row read back with its id and hashes hashes the same as when written.
  const body = canonicalJson({
    at: e.at.toISOString(),
    actor_kind: e.actor_kind,
    actor_id: e.actor_id,
    action: e.action,
    subject_kind: e.subject_kind,
    subject_id: e.subject_id,
    district_id: e.district_id,
    ip: e.ip,
    details: e.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainRow extends ChainedFields {
  id: number;
  prev_hash: string | null;
  hash: string | null;
  /** The entry's place in the chain, given after commit; null while it waits to be linked. */
  chain_seq?: number | null;
  /** The chain names this entry but the entry is gone. */
  missing?: boolean;
}

export type ChainVerdict =
  | { ok: true; checked: number; unlinked?: number }
  | { ok: false; checked: number; brokenAtId: number };

/** Checks rows in chain order, continuing from `prevHash` (the hash of the row before the first). */
export function verifyRows(rows: ChainRow[], prevHash: string): { verdict: ChainVerdict; lastHash: string } {
  let expectedPrev = prevHash;
  let checked = 0;
  for (const row of rows) {
    if (row.missing || row.prev_hash !== expectedPrev || chainHash(expectedPrev, row) !== row.hash) {
      return { verdict: { ok: false, checked, brokenAtId: row.id }, lastHash: expectedPrev };
    }
    expectedPrev = row.hash;
    checked += 1;
  }
  return { verdict: { ok: true, checked }, lastHash: expectedPrev };
}
