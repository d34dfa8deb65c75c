// The changed-case triggers of quality monitoring (0015) fire once per statement instead of once per
// row: the intake writes 64 submissions in one statement, and imports and sweeps write thousands, so
// one set-based insert into quality_dirty_cases replaces a PL/pgSQL call and an insert per row.
// PostgreSQL allows transition tables only on single-event triggers, hence one trigger per event.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger quality_mark_case on applications;
    drop trigger quality_mark_case_document on application_documents;
    drop function quality_mark_case();
    drop function quality_mark_case_document();

    create function quality_mark_cases_new() returns trigger language plpgsql as $$
    begin
      insert into quality_dirty_cases select distinct id from new_rows on conflict do nothing;
      return null;
    end $$;
    create function quality_mark_cases_old() returns trigger language plpgsql as $$
    begin
      insert into quality_dirty_cases select distinct id from old_rows on conflict do nothing;
      return null;
    end $$;
    create function quality_mark_cases_moved() returns trigger language plpgsql as $$
    begin
      -- An update marks the case; a (never expected) change of id marks both ids.
      insert into quality_dirty_cases
        select id from new_rows union select id from old_rows on conflict do nothing;
      return null;
    end $$;
    create function quality_mark_document_cases_new() returns trigger language plpgsql as $$
    begin
      insert into quality_dirty_cases select distinct application_id from new_rows on conflict do nothing;
      return null;
    end $$;
    create function quality_mark_document_cases_old() returns trigger language plpgsql as $$
    begin
      insert into quality_dirty_cases select distinct application_id from old_rows on conflict do nothing;
      return null;
    end $$;
    create function quality_mark_document_cases_moved() returns trigger language plpgsql as $$
    begin
      insert into quality_dirty_cases
        select application_id from new_rows union select application_id from old_rows on conflict do nothing;
      return null;
    end $$;

    create trigger quality_mark_cases_insert after insert on applications
      referencing new table as new_rows for each statement execute function quality_mark_cases_new();
    create trigger quality_mark_cases_update after update on applications
      referencing old table as old_rows new table as new_rows
      for each statement execute function quality_mark_cases_moved();
    create trigger quality_mark_cases_delete after delete on applications
      referencing old table as old_rows for each statement execute function quality_mark_cases_old();

    create trigger quality_mark_document_cases_insert after insert on application_documents
      referencing new table as new_rows for each statement execute function quality_mark_document_cases_new();
    create trigger quality_mark_document_cases_update after update on application_documents
      referencing old table as old_rows new table as new_rows
      for each statement execute function quality_mark_document_cases_moved();
    create trigger quality_mark_document_cases_delete after delete on application_documents
      referencing old table as old_rows for each statement execute function quality_mark_document_cases_old();
  `.execute(db);
}
