// Survey collection and expert interviews: waves of a questionnaire version (a public link/QR each),
// stratified samples with their invitations, responses (portal self-completion or typed in by an
// interviewer; resumable), and expert interviews with their code books and coded excerpts.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A wave: one round of collection of one questionnaire version, open between two dates.
    create table survey_waves (
      id bigint generated always as identity primary key,
      version_id bigint not null references questionnaire_versions,
      title text not null check (length(title) between 1 and 200),
      -- anonymous: anyone with the wave's link may answer; linked: only invited residents (their own
      -- link), residents signed in on the portal, or residents an interviewer chose in the registry.
      mode text not null check (mode in ('anonymous', 'linked')),
      -- The public link /s/<token> (and its QR code); random, not guessable.
      token text not null unique check (token ~ '^[A-Za-z0-9_-]{16,64}$'),
      opens_on date not null,
      closes_on date not null check (closes_on >= opens_on),
      -- The select_one (Likert) question whose top-two-box share is the quality indicator "satisfaction".
      satisfaction_question text,
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );
    create index survey_waves_version on survey_waves (version_id);

    -- A stratified random sample of recipients drawn for a wave: everything needed to draw it again.
    create table survey_samples (
      id bigint generated always as identity primary key,
      wave_id bigint not null references survey_waves,
      seed bigint not null,
      -- Stratum keys, e.g. {district, ageGroup, channel}.
      strata text[] not null,
      allocation text not null check (allocation in ('proportional', 'equal')),
      size integer not null check (size > 0),
      -- The frame's size and the filter that defined it.
      population integer not null,
      frame jsonb not null default '{}',
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );

    -- One invitation per sampled resident; the link carries a secret, the table only its SHA-256.
    create table survey_invitations (
      id bigint generated always as identity primary key,
      wave_id bigint not null references survey_waves,
      sample_id bigint not null references survey_samples,
      person_id bigint not null references persons,
      -- The resident's stratum values when drawn, e.g. {"district": "12", "ageGroup": "65+", "channel": "portal"}.
      strata jsonb not null default '{}',
      token_sha256 text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
      invited_at timestamptz not null default now(),
      unique (wave_id, person_id)
    );
    create index survey_invitations_person on survey_invitations (person_id);

    -- A response: answers as jsonb keyed by question name (surveys.answers.ts), saved page by page.
    create table survey_responses (
      id bigint generated always as identity primary key,
      wave_id bigint not null references survey_waves,
      -- The version answered (always the wave's; kept here so a response reads against its own form).
      version_id bigint not null references questionnaire_versions,
      channel text not null check (channel in ('portal', 'interviewer')),
      person_id bigint references persons,
      invitation_id bigint unique references survey_invitations,
      interviewer_id integer references staff_users,
      -- Background for group comparisons (district, ageGroup, channel…), from the invitation's strata
      -- or the registry when the respondent is linked; {} when anonymous.
      background jsonb not null default '{}',
      answers jsonb not null default '{}' check (jsonb_typeof(answers) = 'object'),
      -- The page to come back to (index into the form's pages).
      page integer not null default 0 check (page >= 0),
      status text not null default 'in_progress' check (status in ('in_progress', 'complete')),
      -- Anonymous resumption: SHA-256 of the secret in the respondent's cookie and resume link.
      resume_sha256 text unique check (resume_sha256 ~ '^[0-9a-f]{64}$'),
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz,
      check ((status = 'complete') = (completed_at is not null))
    );
    create index survey_responses_wave on survey_responses (wave_id, status);
    create index survey_responses_person on survey_responses (person_id) where person_id is not null;

    -- Code books for qualitative coding of expert interviews.
    create table survey_code_books (
      id bigint generated always as identity primary key,
      title text not null check (length(title) between 1 and 200),
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );
    create table survey_codes (
      id bigint generated always as identity primary key,
      code_book_id bigint not null references survey_code_books,
      name text not null check (length(name) between 1 and 100),
      description text not null default '',
      unique (code_book_id, name)
    );

    -- An expert interview: metadata, the transcript, the guide it followed and the code book it is coded with.
    create table expert_interviews (
      id bigint generated always as identity primary key,
      title text not null check (length(title) between 1 and 200),
      guide_id bigint references interview_guides,
      code_book_id bigint not null references survey_code_books,
      -- The interviewee is described, never named: position and the expert group analysed together.
      expert_role text not null,
      expert_group text not null,
      district_id integer references districts,
      interviewed_on date not null,
      interviewer text not null,
      duration_minutes integer check (duration_minutes > 0),
      transcript text not null check (length(transcript) > 0),
      created_by integer not null references staff_users,
      created_at timestamptz not null default now()
    );

    -- A coded excerpt: characters [start, end) of the transcript tagged with a code by one coder.
    create table expert_interview_codings (
      id bigint generated always as identity primary key,
      interview_id bigint not null references expert_interviews,
      coder_id integer not null references staff_users,
      code_id bigint not null references survey_codes,
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null check (end_offset > start_offset),
      memo text not null default '',
      created_at timestamptz not null default now(),
      unique (interview_id, coder_id, code_id, start_offset, end_offset)
    );
    create index expert_interview_codings_interview on expert_interview_codings (interview_id);

    -- Survey invitations go out through the notification service.
    alter table notification_messages drop constraint notification_messages_event_check;
    alter table notification_messages add constraint notification_messages_event_check check (event in (
      'application_received', 'application_registered', 'documents_needed', 'decision', 'message',
      'appointment_booked', 'appointment_moved', 'appointment_cancelled', 'appointment_reminder',
      'payment', 'campaign', 'survey_invitation'));
  `.execute(db);
}
