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

    -- One function for every trigger: the argument names the column holding the case id. The
    -- statement is built per call because a transition table is known only to the trigger that has it.
    create function quality_mark_changed_cases() returns trigger language plpgsql as $$
    declare
      source text := case tg_op
        when 'INSERT' then format('select %I from new_rows', tg_argv[0])
        when 'DELETE' then format('select %I from old_rows', tg_argv[0])
        -- An update marks the case; a (never expected) change of id marks both ids.
        else format('select %1$I from new_rows union select %1$I from old_rows', tg_argv[0])
      end;
    begin
      execute 'insert into quality_dirty_cases ' || source || ' on conflict do nothing';
      return null;
    end $$;

    create trigger quality_mark_cases_insert after insert on applications
      referencing new table as new_rows for each statement execute function quality_mark_changed_cases('id');
    create trigger quality_mark_cases_update after update on applications
      referencing old table as old_rows new table as new_rows
      for each statement execute function quality_mark_changed_cases('id');
    create trigger quality_mark_cases_delete after delete on applications
      referencing old table as old_rows for each statement execute function quality_mark_changed_cases('id');

    create trigger quality_mark_document_cases_insert after insert on application_documents
      referencing new table as new_rows for each statement execute function quality_mark_changed_cases('application_id');
    create trigger quality_mark_document_cases_update after update on application_documents
      referencing old table as old_rows new table as new_rows
      for each statement execute function quality_mark_changed_cases('application_id');
    create trigger quality_mark_document_cases_delete after delete on application_documents
      referencing old table as old_rows for each statement execute function quality_mark_changed_cases('application_id');
  `.execute(db);
}
