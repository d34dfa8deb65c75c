// SQL for applications, their documents, events and appeals. Functions take the caller's db or
// transaction; optimistic locking lives here as "update … where version = the one you read".
import { type Expression, type Insertable, type RawBuilder, sql, type Updateable } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import { type DbOrTrx, PREPARED, type Trx } from '../../platform/db/database.ts';
import { effectsOf, insertFromJson, type StatementPart, withParts } from '../../platform/db/statement.ts';
import type { ApplicationChannel, ApplicationState, ApplicationTables } from './applications.schema.ts';
import { OPEN_STATES } from './applications.states.ts';

type Tables = ApplicationTables;
export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplication>>>;
export type NewApplication = Insertable<Tables['applications']>;
export type ApplicationPatch = Updateable<Tables['applications']>;

const applicationColumns = [
  'id',
  'number',
  'person_id',
  'district_id',
  'measure_id',
  'channel',
  'state',
  'answers',
  'priority',
  'priority_reasons',
  'decision_days',
  'registered_on',
  'deadline_on',
  'paused_since',
  'paused_days',
  'interagency_due_on',
  'assignee_id',
  'submission_key',
  'decision',
  'decided_at',
  'decided_by',
  'assignment_id',
  'created_by_staff',
  'created_at',
  'submitted_at',
  'updated_at',
  'version',
] as const;

/** Inserts an application; undefined when its submission key is already taken (a repeated submission). */
export async function insertApplication(trx: Trx, row: NewApplication): Promise<number | undefined> {
  const inserted = await trx
    .insertInto('applications')
    .values(row)
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function findApplication(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('applications')
    .select(applicationColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findBySubmissionKey(db: DbOrTrx, key: string) {
  return await db
    .selectFrom('applications')
    .select(applicationColumns)
    .where('submission_key', '=', key)
    .executeTakeFirst();
}

/** Holds the case's row until the transaction ends (serialises two sends of the same draft). */
export async function lockApplication(trx: Trx, id: number): Promise<void> {
  await trx.selectFrom('applications').select('id').where('id', '=', id).forUpdate().execute();
}

/** Applies the patch only if nobody changed the case since `version` was read; undefined otherwise. */
export async function updateApplication(trx: Trx, id: number, version: number, patch: ApplicationPatch) {
  return await trx
    .updateTable('applications')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(applicationColumns)
    .executeTakeFirst();
}

/**
 * Inserts an application that is submitted at once (the one-request API), its number drawn in the
 * same statement; undefined when its submission key is already taken.
 */
export async function insertSubmitted(trx: Trx, row: NewApplication, year: number) {
  return await trx
    .insertInto('applications')
    .values({
      ...row,
      number: sql<string>`${String(year)} || '-' || lpad(nextval('application_number_seq')::text, 6, '0')`,
    })
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning(applicationColumns)
    .executeTakeFirst();
}

/**
 * Ids and numbers for applications about to be written by writeSubmittedBatch, drawn from their
 * sequences: a part of the batch's one read (readParts).
 */
export function allocatedPart(count: number): RawBuilder<{ id: number; n: number }> {
  return sql<{ id: number; n: number }>`
    select nextval(pg_get_serial_sequence('applications', 'id')) as id, nextval('application_number_seq') as n
    from generate_series(1, ${count}::int)`;
}

/**
 * The submission keys of `keys` already taken, as a part of the batch's one read (readParts). That
 * read is not PREPARED: planned each time from the table's current size. A generic plan made while
 * the table was small (a new region, a fresh database) stays a sequential scan as it grows, until
 * autovacuum's next ANALYZE: at the benchmark's 500/s ~5 ms of PostgreSQL per batch after 30 s.
 */
export function takenKeysPart(keys: string[]): RawBuilder<{ submission_key: string }> {
  return sql<{ submission_key: string }>`
    select submission_key from applications where submission_key = any(${keys}::text[])`;
}

/** An application written by writeSubmittedBatch: its id and number drawn before (allocateApplications). */
export interface SubmittedRow {
  id: number;
  number: string;
  person_id: number;
  district_id: number;
  measure_id: number;
  channel: ApplicationChannel;
  state: ApplicationState;
  answers: unknown;
  priority: boolean;
  priority_reasons: string[];
  decision_days: number;
  submission_key: string;
}

/**
 * Submitted applications, their documents and events, and the other modules' parts (document bytes,
 * audit entries, notifications) in ONE statement (platform/db/statement.ts): atomic without a
 * transaction, one round trip however many. A submission key taken meanwhile fails the whole
 * statement (unique violation), and nothing of it is written. Returns the applications as stored.
 */
export async function writeSubmittedBatch(
  db: DbOrTrx,
  batch: {
    submittedAt: Date;
    applications: SubmittedRow[];
    documents: Array<Omit<NewDocument, 'id' | 'added_at'>>;
    events: Array<Omit<NewEvent, 'id' | 'at'>>;
  },
  parts: StatementPart[],
): Promise<ApplicationRow[]> {
  const own: StatementPart[] = [
    {
      name: 'applications_inserted',
      query: sql`
        insert into applications (id, number, person_id, district_id, measure_id, channel, state, answers,
                                  priority, priority_reasons, decision_days, submission_key, submitted_at)
        select t.id, t.number, t.person_id, t.district_id, t.measure_id, t.channel, t.state, t.answers,
               t.priority, t.priority_reasons, t.decision_days, t.submission_key, ${batch.submittedAt}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(batch.applications)}::jsonb) as t(id bigint, number text,
             person_id bigint, district_id integer, measure_id integer, channel text, state text, answers jsonb,
             priority boolean, priority_reasons text[], decision_days integer, submission_key text)
        returning ${sql.join(applicationColumns.map((c) => sql.ref(c)))}`,
    },
  ];
  if (batch.documents.length)
    own.push({
      name: 'applications_documents',
      query: insertFromJson(
        'application_documents',
        {
          application_id: 'bigint',
          measure_document_id: 'integer',
          title: 'text',
          source: 'text',
          sha256: 'text',
          size: 'integer',
          content_type: 'text',
          filename: 'text',
          added_by_staff: 'integer',
        },
        batch.documents,
      ),
    });
  if (batch.events.length)
    own.push({
      name: 'applications_events',
      query: insertFromJson(
        'application_events',
        {
          application_id: 'bigint',
          appeal_id: 'bigint',
          actor_kind: 'text',
          actor_id: 'bigint',
          kind: 'text',
          from_state: 'text',
          to_state: 'text',
          visible_to_resident: 'boolean',
          details: 'jsonb',
        },
        batch.events,
      ),
    });
  const all = [...own, ...parts];
  const { rows } = await sql<ApplicationRow>`${PREPARED}
    ${withParts(all)}
    select ${sql.join(applicationColumns.map((c) => sql.ref(c)))}${effectsOf(all)} from applications_inserted`.execute(
    db,
  );
  // The effect parts' counts came along in each row; an application is only its own columns.
  return rows.map((row) => Object.fromEntries(applicationColumns.map((c) => [c, row[c]])) as ApplicationRow);
}

/** The applications written with these submission keys (a retried submission is answered with its own). */
export async function findBySubmissionKeys(db: DbOrTrx, keys: string[]) {
  if (keys.length === 0) return [];
  return await db
    .selectFrom('applications')
    .select(applicationColumns)
    .where('submission_key', '=', sql<string>`any(${keys}::text[])`)
    .execute();
}

/** The number residents and letters quote: the year and a region-wide sequence. */
export async function nextNumber(trx: Trx, year: number): Promise<string> {
  const { rows } = await sql<{ n: string }>`select nextval('application_number_seq') as n`.execute(trx);
  return `${year}-${String(rows[0]?.n).padStart(6, '0')}`;
}

export async function applicationsOfPerson(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('applications')
    .select(applicationColumns)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .execute();
}

export interface QueueFilter {
  scope: DistrictScope;
  assigneeId?: number | 'none';
  states?: readonly ApplicationState[];
  measureId?: number;
  limit: number;
  offset: number;
}

function queueQuery(db: DbOrTrx, f: QueueFilter) {
  let q = db.selectFrom('applications').where('state', 'in', f.states?.length ? f.states : OPEN_STATES);
  if (!f.scope.all) q = q.where('district_id', 'in', f.scope.districtIds.length ? f.scope.districtIds : [-1]);
  if (f.assigneeId === 'none') q = q.where('assignee_id', 'is', null);
  else if (f.assigneeId !== undefined) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.measureId !== undefined) q = q.where('measure_id', '=', f.measureId);
  return q;
}

/**
 * Open cases by priority first, then deadline: a case not yet registered is due for registration
 * the day after it arrived, so it sorts by its submission date.
 */
export async function queue(db: DbOrTrx, f: QueueFilter) {
  return await queueQuery(db, f)
    .select(applicationColumns)
    .orderBy('priority', 'desc')
    .orderBy(sql`coalesce(deadline_on, (submitted_at at time zone 'Europe/Volgograd')::date)`)
    .orderBy('id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

export async function queueCount(db: DbOrTrx, f: QueueFilter): Promise<number> {
  const row = await queueQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ------------------------------------------------------------ documents

export type NewDocument = Insertable<Tables['application_documents']>;

export async function insertDocuments(trx: Trx, rows: NewDocument[]): Promise<void> {
  if (rows.length) await trx.insertInto('application_documents').values(rows).execute();
}

export async function insertDocument(trx: Trx, row: NewDocument): Promise<number> {
  const r = await trx
    .insertInto('application_documents')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

const documentColumns = [
  'id',
  'application_id',
  'measure_document_id',
  'title',
  'source',
  'sha256',
  'size',
  'content_type',
  'filename',
  'added_by_staff',
  'added_at',
] as const;

export async function documentsOf(db: DbOrTrx, applicationId: number) {
  return await db
    .selectFrom('application_documents')
    .select(documentColumns)
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

export async function findDocument(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('application_documents')
    .select(documentColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deleteDocument(trx: Trx, id: number, applicationId: number): Promise<boolean> {
  const r = await trx
    .deleteFrom('application_documents')
    .where('id', '=', id)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ------------------------------------------------------------ events

export type NewEvent = Insertable<Tables['application_events']>;

export async function insertEvent(trx: Trx, row: NewEvent): Promise<void> {
  await trx.insertInto('application_events').values(row).execute();
}

export async function insertEvents(trx: Trx, rows: NewEvent[]): Promise<void> {
  if (rows.length) await trx.insertInto('application_events').values(rows).execute();
}

export async function eventsOf(db: DbOrTrx, applicationId: number, residentOnly = false) {
  let q = db
    .selectFrom('application_events')
    .select([
      'id',
      'appeal_id',
      'at',
      'actor_kind',
      'actor_id',
      'kind',
      'from_state',
      'to_state',
      'visible_to_resident',
      'details',
    ])
    .where('application_id', '=', applicationId);
  if (residentOnly) q = q.where('visible_to_resident', '=', true);
  return await q.orderBy('id').execute();
}

// ------------------------------------------------------------ appeals

const appealColumns = [
  'id',
  'application_id',
  'person_id',
  'district_id',
  'channel',
  'level',
  'state',
  'grounds',
  'registered_on',
  'deadline_on',
  'outcome_note',
  'decided_at',
  'decided_by',
  'submission_key',
  'created_at',
  'version',
] as const;

export async function insertAppeal(
  trx: Trx,
  row: Insertable<Tables['appeals']>,
): Promise<number | undefined> {
  const r = await trx
    .insertInto('appeals')
    .values(row)
    .onConflict((oc) => oc.column('submission_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

export async function findAppeal(db: DbOrTrx, id: number) {
  return await db.selectFrom('appeals').select(appealColumns).where('id', '=', id).executeTakeFirst();
}

export async function findAppealBySubmissionKey(db: DbOrTrx, key: string) {
  return await db
    .selectFrom('appeals')
    .select(appealColumns)
    .where('submission_key', '=', key)
    .executeTakeFirst();
}

export async function appealsOf(db: DbOrTrx, applicationId: number) {
  return await db
    .selectFrom('appeals')
    .select(appealColumns)
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

export async function updateAppeal(
  trx: Trx,
  id: number,
  version: number,
  patch: Updateable<Tables['appeals']>,
) {
  return await trx
    .updateTable('appeals')
    .set({ ...patch, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(appealColumns)
    .executeTakeFirst();
}

export async function openAppeals(db: DbOrTrx, scope: DistrictScope, level?: 'district_head' | 'ministry') {
  let q = db.selectFrom('appeals').select(appealColumns).where('state', '=', 'registered');
  if (!scope.all) q = q.where('district_id', 'in', scope.districtIds.length ? scope.districtIds : [-1]);
  if (level) q = q.where('level', '=', level);
  return await q.orderBy('deadline_on').orderBy('id').limit(200).execute();
}

/**
 * How many of the given persons (a subquery of ids) applied for the measure since a moment: an
 * application submitted or registered then, whatever became of it (response to a campaign).
 */
export async function countApplicantsSince(
  db: DbOrTrx,
  measureId: number,
  since: Date,
  personIds: Expression<unknown>,
): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select(sql<number>`count(distinct person_id)`.as('n'))
    .where('measure_id', '=', measureId)
    .where('submitted_at', '>=', since)
    .where(sql<boolean>`person_id in (${personIds})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
