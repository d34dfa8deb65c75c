// Surveys and expert interviews: questionnaires (XLSForm model), versions, interview guides.
// A questionnaire is the stable identity (its XLSForm form_id); each upload that changes the file is a
// new version holding the parsed model as jsonb, the uploaded file and its SHA-256. Versions are never
// changed or deleted, so a response that keeps its version id always reads against the form it answered.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table questionnaires (
      id bigint generated always as identity primary key,
      -- The XLSForm settings form_id; uploads with the same form_id are versions of one questionnaire.
      form_id text unique,
      title text not null,
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );

    create table questionnaire_versions (
      id bigint generated always as identity primary key,
      questionnaire_id bigint not null references questionnaires,
      -- 1, 2, 3 … within the questionnaire, in upload order.
      number integer not null,
      -- The settings sheet's version string, as the author wrote it (may be absent).
      form_version text,
      title text not null,
      form jsonb not null,
      source bytea not null,
      source_sha256 text not null check (source_sha256 ~ '^[0-9a-f]{64}$'),
      created_by integer not null references staff_users,
      created_at timestamptz not null default now(),
      unique (questionnaire_id, number),
      -- The same file uploaded twice is the same version.
      unique (questionnaire_id, source_sha256)
    );

    -- Guides for structured expert interviews: topics, each with open questions (and optional probes).
    create table interview_guides (
      id bigint generated always as identity primary key,
      title text not null,
      purpose text not null default '',
      topics jsonb not null check (jsonb_typeof(topics) = 'array'),
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}
