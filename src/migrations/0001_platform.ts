// Platform tables: sessions, rate limits, the audit log. Migrations never import app code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A window opens at a key's first hit and lasts a fixed time; the next hit after it opens a new one.
    create table rate_limits (
      key text primary key,
      window_start timestamptz not null,
      hits integer not null default 1
    );

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_kind text not null check (actor_kind in ('staff', 'resident', 'system', 'anonymous')),
      actor_id text,
      action text not null,
      subject_kind text,
      subject_id text,
      district_id integer,
      ip text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null unique
    );
    create index audit_log_subject on audit_log (subject_kind, subject_id);
    create index audit_log_actor on audit_log (actor_kind, actor_id, at);

    -- The log is append-only: changing or deleting a row is refused by the database itself.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log; drop function audit_log_append_only(); drop table rate_limits;`.execute(db);
}
