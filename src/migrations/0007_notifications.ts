// The notifications module's tables: an outbox of messages to residents, the residents' own choices
// (campaign opt-out, language) and the daily batches of printed letters.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per distinct message: the event and the parameters its template is rendered with.
    create table notification_messages (
      id bigint generated always as identity primary key,
      event text not null check (event in (
        'application_received', 'application_registered', 'documents_needed', 'decision', 'message',
        'appointment_booked', 'appointment_moved', 'appointment_cancelled', 'appointment_reminder',
        'payment', 'campaign')),
      params jsonb not null default '{}',
      campaign_id bigint,
      created_at timestamptz not null default now()
    );
    create index notification_messages_campaign on notification_messages (campaign_id)
      where campaign_id is not null;

    -- The outbox: one row per resident per message. The dispatcher chooses the channel (null until
    -- then), claims due rows with FOR UPDATE SKIP LOCKED and records what happened.
    -- No foreign keys on message_id and person_id: a campaign queues 500 000 rows in one statement,
    -- and the per-row checks would triple its time. Both ids are written by notify/notifyMany in the
    -- same statement as (or right after) the rows they name, and persons are never deleted.
    create table notifications (
      id bigint generated always as identity primary key,
      message_id bigint not null,
      person_id bigint not null,
      channel text check (channel in ('portal', 'email', 'sms', 'post')),
      -- Where it went: the email address or phone number at the time of sending.
      destination text,
      lang text check (lang in ('ru', 'en')),
      status text not null default 'queued'
        check (status in ('queued', 'sending', 'sent', 'failed', 'skipped')),
      attempts int not null default 0,
      -- When a queued row is due; for a row being sent, when its claim expires.
      next_attempt_at timestamptz not null default now(),
      last_error text,
      sent_at timestamptz,
      provider_id text,
      created_at timestamptz not null default now()
    );
    create index notifications_due on notifications (status, next_attempt_at);
    -- The dispatcher's two claims: rows still without a channel, and due rows of one channel, both
    -- oldest first (id breaks ties: a campaign's rows share one next_attempt_at).
    create index notifications_unassigned on notifications (next_attempt_at, id)
      where channel is null and status = 'queued';
    -- (A new row has no channel: it enters this index when the dispatcher gives it one, not at insert.)
    create index notifications_channel_due on notifications (channel, next_attempt_at, id)
      where status in ('queued', 'sending') and channel is not null;
    create index notifications_message on notifications (message_id);

    -- What a resident chose on "My notifications" or through an unsubscribe link.
    create table notification_settings (
      person_id bigint primary key references persons (id),
      campaigns_opt_out boolean not null default false,
      lang text not null default 'ru' check (lang in ('ru', 'en')),
      updated_at timestamptz not null default now()
    );
    create index notification_settings_opted_out on notification_settings (person_id)
      where campaigns_opt_out;

    -- Per-channel throttle: how many messages were claimed in the current one-second window.
    create table notification_throttle (
      channel text primary key,
      window_start timestamptz not null,
      used int not null
    );

    -- The day's printed letters of a district: one PDF in the blob store.
    create table letter_batches (
      id bigint generated always as identity primary key,
      district_id int not null references districts (id),
      batch_date date not null,
      letters int not null,
      sha256 text not null,
      size_bytes int not null,
      created_at timestamptz not null default now(),
      unique (district_id, batch_date)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists letter_batches;
    drop table if exists notification_throttle;
    drop table if exists notification_settings;
    drop table if exists notifications;
    drop table if exists notification_messages;
  `.execute(db);
}
