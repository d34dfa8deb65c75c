// Where small documents written by the intake's group commit live on local disk: appended to a pack
// file (one sync for a whole batch) instead of one file each or the bytes in WAL (blobs_inline).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table blobs_packed (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      -- A file name under the blob directory's packs/ folder: never a path.
      pack text not null check (pack ~ '^[0-9a-z-]{1,64}$'),
      "offset" bigint not null check ("offset" >= 0),
      length integer not null check (length > 0),
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists blobs_packed`.execute(db);
}
