// Interagency requests (SMEV-like exchange with other agencies) and the log of inbound messages.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One request to one agency about one person. message_id is our SMEV MessageID: the gateway and
    -- the agency's response refer to it. A request is pending until the gateway acknowledges it, sent
    -- until the agency answers (answered) or refuses asynchronously (failed, e.g. NOT_FOUND).
    create table interagency_requests (
      id bigserial primary key,
      message_id uuid not null unique,
      application_id bigint references applications,
      measure_document_id bigint references measure_documents,
      person_id bigint not null references persons,
      district_id bigint not null references districts,
      agency text not null check (agency in ('sfr', 'fns', 'zags', 'mvd', 'rosreestr', 'employment')),
      request_type text not null check (request_type ~ '^[A-Z_]{3,40}$'),
      status text not null default 'pending' check (status in ('pending', 'sent', 'answered', 'failed')),
      attempts int not null default 0,
      last_attempt_error text,
      error_code text,
      error_text text,
      due_on date not null,
      facts jsonb,
      document_id bigint references application_documents,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      answered_at timestamptz
    );
    create index interagency_requests_application on interagency_requests (application_id);
    create index interagency_requests_district on interagency_requests (district_id, status, due_on);
    create index interagency_requests_open on interagency_requests (status) where status in ('pending', 'sent');

    -- Every message taken from the gateway, for audit: processed, or rejected with the reason (the
    -- staff page lists rejected ones). A processed gateway message id is unique: delivery is at least
    -- once, so a repeat is recognised and acknowledged without being applied again.
    create table interagency_inbound (
      id bigserial primary key,
      gateway_message_id text check (length(gateway_message_id) <= 200),
      kind text not null check (kind in ('response', 'error', 'event', 'unknown')),
      request_id bigint references interagency_requests,
      status text not null check (status in ('processed', 'rejected')),
      error_code text,
      error_text text,
      summary text not null default '',
      xml text not null,
      received_at timestamptz not null default now()
    );
    create unique index interagency_inbound_processed on interagency_inbound (gateway_message_id)
      where status = 'processed';
    create index interagency_inbound_rejected on interagency_inbound (received_at desc) where status = 'rejected';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table interagency_inbound; drop table interagency_requests;`.execute(db);
}
