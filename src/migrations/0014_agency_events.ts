// Events from agencies applied to the registry: births, deaths, disability decisions.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The civil registry's date of death. A deceased person stays in the registry (history, decisions
    -- made while alive) but is offered nothing more.
    alter table persons add column died_on date;
    create index persons_deceased on persons (id) where died_on is not null;

    -- Every agency event applied, once: the agency's event id is the key, so a repeated delivery
    -- changes nothing.
    create table applied_agency_events (
      event_id text primary key check (length(event_id) between 1 and 200),
      kind text not null check (kind in ('birth', 'death', 'disability')),
      registered_on date not null,
      -- The person the event was about (for a birth, the child). No foreign key: a merge of
      -- duplicates must not be held up by this log.
      person_id bigint,
      payload jsonb not null,
      summary text not null default '',
      applied_at timestamptz not null default now()
    );
    create index applied_agency_events_person on applied_agency_events (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table applied_agency_events;
    drop index persons_deceased;
    alter table persons drop column died_on;
  `.execute(db);
}
