// The audit chain's links move out of audit_log into a table of their own. Linking an entry used to
// update its row: a second, non-HOT copy of every entry with five index entries more, and a dead
// row for autovacuum to clean from the busiest table (at the intake's peak its vacuum rewrote all
// of audit_log's pages and scanned six indexes once a minute). Now every table only grows:
// audit_log takes entries, a statement trigger queues their ids in audit_pending (small: the
// chainer empties it every second), and the chainer appends links to audit_chain.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_chain (
      seq bigint primary key,
      entry_id bigint not null unique,
      prev_hash text not null,
      hash text not null
    );
    -- Committed entries not linked yet; the chainer deletes the ids it has linked.
    create table audit_pending (id bigint primary key);

    insert into audit_chain (seq, entry_id, prev_hash, hash)
      select chain_seq, id, prev_hash, hash from audit_log where chain_seq is not null;
    insert into audit_pending (id) select id from audit_log where chain_seq is null;

    -- audit_log is append-only again without exception.
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    alter table audit_log drop column chain_seq, drop column prev_hash, drop column hash;

    create function audit_queue_entries() returns trigger language plpgsql as $$
    begin
      insert into audit_pending (id) select id from new_rows;
      return null;
    end $$;
    create trigger audit_log_queue after insert on audit_log
      referencing new table as new_rows for each statement execute function audit_queue_entries();

    create function audit_chain_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_chain is append-only';
    end $$;
    create trigger audit_chain_no_update before update or delete on audit_chain
      for each row execute function audit_chain_append_only();
    create trigger audit_chain_no_truncate before truncate on audit_chain
      for each statement execute function audit_chain_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger audit_log_queue on audit_log;
    drop function audit_queue_entries();
    alter table audit_log add column prev_hash text, add column hash text unique, add column chain_seq bigint unique;
    alter table audit_log disable trigger audit_log_no_update;
    update audit_log a set chain_seq = c.seq, prev_hash = c.prev_hash, hash = c.hash
      from audit_chain c where c.entry_id = a.id;
    alter table audit_log enable trigger audit_log_no_update;
    create index audit_log_unchained on audit_log (id) where chain_seq is null;
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.chain_seq is null and old.hash is null
         and new.chain_seq is not null and new.hash is not null and new.prev_hash is not null
         and (new.id, new.at, new.actor_kind, new.actor_id, new.action, new.subject_kind, new.subject_id,
              new.district_id, new.ip, new.details)
             is not distinct from
             (old.id, old.at, old.actor_kind, old.actor_id, old.action, old.subject_kind, old.subject_id,
              old.district_id, old.ip, old.details) then
        return new;
      end if;
      raise exception 'audit_log is append-only';
    end $$;
    drop table audit_chain;
    drop function audit_chain_append_only();
    drop table audit_pending;
  `.execute(db);
}
