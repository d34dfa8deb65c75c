// The questionnaire designer's drafts: a form being edited in the staff workspace, question by
// question, before it is published as a version (published through the same XLSForm import as an
// upload, so a designed questionnaire and an uploaded one are checked by the same rules).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table questionnaire_drafts (
      id bigint generated always as identity primary key,
      -- Null until the draft is first published; one draft per questionnaire.
      questionnaire_id bigint unique references questionnaires,
      form jsonb not null check (jsonb_typeof(form) = 'object'),
      -- Optimistic locking: every change names the revision it was made on.
      revision integer not null default 1,
      updated_by integer not null references staff_users,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
