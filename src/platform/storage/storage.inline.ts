// Small blobs stored with the rows that name them, content-addressed like the blob store (the key is
// the SHA-256 of the bytes). On local disk they are appended to a pack file, one sync for a whole
// batch, before the caller's statement runs, and the statement records where (blobs_packed); with a
// bucket (no packs) the bytes go in the statement itself (blobs_inline), durable with its commit.
// The one-request submission API keeps documents up to INLINE_LIMIT_BYTES this way, so a group commit
// of many submissions costs one sync of documents and one WAL flush of rows instead of two fsyncs
// per file (or, in PostgreSQL, each document's bytes written twice: to WAL and to its table).
// Readers ask readBlob, which looks in both tables and then in the blob store.
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';
import type { StatementPart } from '../db/statement.ts';
import { AppError } from '../errors.ts';
import type { PackedLocation } from './storage.packs.ts';
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

/** A small blob on its way to the caller's statement; `packed` is set once it is in a pack. */
export interface SmallBlob {
  sha256: string;
  inline?: Buffer;
  packed?: PackedLocation;
}

/**
 * Stores the small blobs (those with bytes in `inline`) for the caller's statement: where the store
 * keeps packs, appends them to one (durable when this resolves) and returns the part that records
 * their places; otherwise the part carries the bytes (putInlinePart). A blob packed already (the
 * batch is being written again, one submission at a time) is not appended twice.
 */
export async function smallBlobsPart(
  store: BlobStore | undefined,
  blobs: readonly SmallBlob[],
): Promise<StatementPart | undefined> {
  // The same bytes uploaded twice in a batch are stored once; every upload of them learns the place.
  const bySha = new Map<string, SmallBlob[]>();
  for (const b of blobs) if (b.inline) bySha.set(b.sha256, [...(bySha.get(b.sha256) ?? []), b]);
  const groups = [...bySha.values()];
  if (groups.length === 0) return undefined;
  if (!store?.packs) return putInlinePart(groups.map(([b]) => ({ sha256: b!.sha256, bytes: b!.inline! })));
  const placeOf = (group: SmallBlob[]) => group.find((b) => b.packed)?.packed;
  const fresh = groups.filter((group) => !placeOf(group));
  const places = await store.packs.append(fresh.map(([b]) => b!.inline!));
  fresh.forEach((group, i) => {
    for (const b of group) b.packed = places[i];
  });
  return putPackedPart(groups.map((group) => ({ sha256: group[0]!.sha256, ...placeOf(group)! })));
}

/** Records where packed blobs are, as part of the caller's statement; the first place of a blob stays. */
export function putPackedPart(blobs: ReadonlyArray<{ sha256: string } & PackedLocation>): StatementPart {
  return {
    name: 'storage_blobs_packed',
    query: sql`
      insert into blobs_packed (sha256, pack, "offset", length)
      select * from unnest(${blobs.map((b) => b.sha256)}::text[], ${blobs.map((b) => b.pack)}::text[],
                           ${blobs.map((b) => b.offset)}::bigint[], ${blobs.map((b) => b.length)}::int[])
      on conflict (sha256) do nothing`,
  };
}

const notFound = (sha256: string) => new AppError('blob_not_found', 404, `Document ${sha256} not found`);

/**
 * The bytes of a blob kept with its rows (in PostgreSQL or in a pack) or in the store; checked
 * against their name either way.
 */
export async function readBlob(db: DbOrTrx, store: BlobStore, sha256: string): Promise<Buffer> {
  const { rows } = await sql<{
    bytes: Buffer | null;
    pack: string | null;
    offset: number | null;
    length: number | null;
  }>`
    select i.bytes, p.pack, p."offset", p.length
    from (select ${sha256}::text as sha256) k
      left join blobs_inline i on i.sha256 = k.sha256
      left join blobs_packed p on p.sha256 = k.sha256`.execute(db);
  const row = rows[0];
  let bytes = row?.bytes ?? undefined;
  if (!bytes && row?.pack) {
    // A pack is on the disk of the store that wrote it (a store moved to a bucket has none).
    if (!store.packs) throw notFound(sha256);
    bytes = await store.packs.read({
      pack: row.pack,
      offset: Number(row.offset),
      length: Number(row.length),
    });
    if (!bytes) throw notFound(sha256);
  }
  if (!bytes) return await store.get(sha256);
  if (sha256Hex(bytes) !== sha256) throw new AppError('blob_corrupt', 500, `Document ${sha256} is corrupt`);
  return bytes;
}
