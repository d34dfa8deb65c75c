// The accessibility register behind the indicator "share of offices and pages meeting accessibility
// requirements": audits of offices (their accessibility passport under Order No. 527n of the Ministry of
// Labour, 2015) and of portal pages (WCAG 2.2 AA, e.g. the project's axe scans). History is kept: the
// indicator reads each subject's latest audit on or before a date, so an audit is never edited.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table accessibility_audits (
      id bigint generated always as identity primary key,
      -- The subject: an office, or a portal page by its path (exactly one of the two).
      office_id integer references offices on delete cascade,
      page_path text check (page_path ~ '^/[^[:space:]?#]*$' and length(page_path) <= 300),
      audited_on date not null,
      meets_requirements boolean not null,
      findings text not null default '' check (length(findings) <= 5000),
      -- Where the verdict comes from: "accessibility passport No. …", "axe scan of build …".
      source text not null check (length(source) between 1 and 500),
      recorded_by integer not null references staff_users,
      recorded_at timestamptz not null default now(),
      check ((office_id is null) <> (page_path is null))
    );
    create index accessibility_audits_office on accessibility_audits (office_id, audited_on, id)
      where office_id is not null;
    create index accessibility_audits_page on accessibility_audits (page_path, audited_on, id)
      where page_path is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table accessibility_audits`.execute(db);
}
