// Small blobs kept in PostgreSQL (storage.inline.ts): a submission's document written in the same
// transaction as its rows, so the commit's one WAL flush makes both durable. On a disk of files each
// blob costs two fsyncs (file and folder, ~1.4 ms of kernel CPU); a batch of 64 submissions shares one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table blobs_inline (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      bytes bytea not null,
      created_at timestamptz not null default now()
    );
    -- Documents are PDF/JPG/PNG, already compressed: TOAST should not try again.
    alter table blobs_inline alter column bytes set storage external;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists blobs_inline`.execute(db);
}
