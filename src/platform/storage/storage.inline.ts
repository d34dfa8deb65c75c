// Small blobs inside PostgreSQL, written in the caller's statement: content-addressed like the
// blob store (the key is the SHA-256 of the bytes), but durable with that statement's commit instead
// of two fsyncs of their own. The one-request submission API keeps documents up to INLINE_LIMIT_BYTES
// here, so a group commit of many submissions costs one WAL flush for rows and documents together.
// Readers ask readBlob, which looks here first and then in the blob store.
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { StatementPart } from '../db/statement.ts';
import { AppError } from '../errors.ts';
import { type BlobStore, sha256Hex } from './storage.service.ts';

export const INLINE_LIMIT_BYTES = 64 * 1024;

/**
 * Stores blobs (already hashed) as part of the caller's statement (platform/db/statement.ts), so they
 * commit with the rows that name them; storing the same bytes twice is a no-op. Undefined when none.
 */
export function putInlinePart(blobs: Array<{ sha256: string; bytes: Buffer }>): StatementPart | undefined {
  const unique = [...new Map(blobs.map((b) => [b.sha256, b])).values()];
  if (unique.length === 0) return undefined;
  // One Buffer parameter travels in binary; an array of them would be sent as hex text (twice the
  // bytes, and the conversion was ~6 % of the server's CPU at the intake's peak). Rows cut it up.
  const offsets: number[] = [];
  let at = 0;
  for (const b of unique) {
    offsets.push(at);
    at += b.bytes.length;
  }
  return {
    name: 'storage_blobs_inline',
    query: sql`
      insert into blobs_inline (sha256, bytes)
      select t.sha256, substring(${Buffer.concat(unique.map((b) => b.bytes))}::bytea from t.off + 1 for t.len)
      from unnest(${unique.map((b) => b.sha256)}::text[], ${offsets}::int[],
                  ${unique.map((b) => b.bytes.length)}::int[]) as t(sha256, off, len)
      on conflict (sha256) do nothing`,
  };
}

/** The bytes of a blob kept in PostgreSQL or in the store; checked against their name either way. */
export async function readBlob(db: DbOrTrx, store: BlobStore, sha256: string): Promise<Buffer> {
  const { rows } = await sql<{
    bytes: Buffer;
  }>`select bytes from blobs_inline where sha256 = ${sha256}`.execute(db);
  const bytes = rows[0]?.bytes;
  if (!bytes) return await store.get(sha256);
  if (sha256Hex(bytes) !== sha256) throw new AppError('blob_corrupt', 500, `Document ${sha256} is corrupt`);
  return bytes;
}
