// SQL of the interagency module: requests and the inbound log.
import { type Insertable, sql } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { InboundKind, InteragencyTables } from './interagency.schema.ts';

export type NewRequest = Insertable<InteragencyTables['interagency_requests']>;

const requestColumns = [
  'id',
  'message_id',
  'application_id',
  'measure_document_id',
  'person_id',
  'district_id',
  'agency',
  'request_type',
  'status',
  'attempts',
  'last_attempt_error',
  'error_code',
  'error_text',
  'due_on',
  'facts',
  'document_id',
  'created_at',
  'sent_at',
  'answered_at',
] as const;

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export async function insertRequests(trx: Trx, rows: NewRequest[]): Promise<number[]> {
  if (!rows.length) return [];
  const inserted = await trx.insertInto('interagency_requests').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

export async function findRequest(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('interagency_requests')
    .select(requestColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findRequestByMessageId(db: DbOrTrx, messageId: string, lock = false) {
  let q = db.selectFrom('interagency_requests').select(requestColumns).where('message_id', '=', messageId);
  if (lock) q = q.forUpdate();
  return await q.executeTakeFirst();
}

export async function markSent(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('interagency_requests')
    .set({ status: 'sent', sent_at: sql`now()`, attempts: sql`attempts + 1`, last_attempt_error: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** Sent requests unanswered since `before` go back to pending, to be sent again (same MessageID). */
export async function reopenUnanswered(trx: Trx, before: Date): Promise<number[]> {
  const rows = await trx
    .updateTable('interagency_requests')
    .set({ status: 'pending' })
    .where('status', '=', 'sent')
    .where('sent_at', '<', before)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function markAttemptFailed(db: DbOrTrx, id: number, error: string): Promise<number> {
  const r = await db
    .updateTable('interagency_requests')
    .set({ attempts: sql`attempts + 1`, last_attempt_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirst();
  return r?.attempts ?? 0;
}

export async function markFailed(db: DbOrTrx, id: number, code: string, text: string): Promise<void> {
  await db
    .updateTable('interagency_requests')
    .set({ status: 'failed', error_code: code, error_text: text.slice(0, 2000), answered_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function markAnswered(
  trx: Trx,
  id: number,
  facts: Record<string, unknown>,
  documentId: number | null,
): Promise<void> {
  await trx
    .updateTable('interagency_requests')
    .set({
      status: 'answered',
      facts: JSON.stringify(facts),
      document_id: documentId,
      answered_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function requestsOfApplication(db: DbOrTrx, applicationId: number) {
  return await db
    .selectFrom('interagency_requests')
    .select(requestColumns)
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

export async function countOpen(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('interagency_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['pending', 'sent'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertInbound(
  db: DbOrTrx,
  row: {
    gatewayMessageId: string | null;
    kind: InboundKind;
    requestId: number | null;
    status: 'processed' | 'rejected';
    errorCode?: string;
    errorText?: string;
    summary?: string;
    xml: string;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('interagency_inbound')
    .values({
      gateway_message_id: row.gatewayMessageId?.slice(0, 200) ?? null,
      kind: row.kind,
      request_id: row.requestId,
      status: row.status,
      error_code: row.errorCode ?? null,
      error_text: row.errorText?.slice(0, 2000) ?? null,
      summary: row.summary ?? '',
      xml: row.xml.slice(0, 100_000),
    })
    .onConflict((oc) => oc.column('gateway_message_id').where('status', '=', 'processed').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function processedBefore(db: DbOrTrx, gatewayMessageId: string): Promise<boolean> {
  const r = await db
    .selectFrom('interagency_inbound')
    .select('id')
    .where('gateway_message_id', '=', gatewayMessageId)
    .where('status', '=', 'processed')
    .executeTakeFirst();
  return r !== undefined;
}

/** Requests of the districts in scope: overdue first, then open, then the rest by date. */
export async function listRequests(db: DbOrTrx, scope: DistrictScope, today: string, limit = 200) {
  return await db
    .selectFrom('interagency_requests as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .leftJoin('applications as a', 'a.id', 'r.application_id')
    .select([
      'r.id',
      'r.application_id',
      'a.number as application_number',
      'r.agency',
      'r.request_type',
      'r.status',
      'r.attempts',
      'r.error_code',
      'r.error_text',
      'r.due_on',
      'r.created_at',
      'r.sent_at',
      'r.answered_at',
      'r.district_id',
      'p.id as person_id',
      'p.last_name',
      'p.first_name',
      'p.patronymic',
    ])
    .$if(!scope.all, (q) => q.where('r.district_id', 'in', scope.all ? [] : [...scope.districtIds, -1]))
    .orderBy(
      sql`case when r.status in ('pending', 'sent') and r.due_on < ${today} then 0 when r.status in ('pending', 'sent') then 1 else 2 end`,
    )
    .orderBy('r.due_on')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

export async function rejectedInbound(db: DbOrTrx, limit = 50) {
  return await db
    .selectFrom('interagency_inbound')
    .select(['id', 'gateway_message_id', 'kind', 'error_code', 'error_text', 'received_at'])
    .where('status', '=', 'rejected')
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Adds a job keyed so there is at most one pending; unlike a plain keyed enqueue it keeps the
 * pending job's time (job_key_mode preserve_run_at), so a flood of new requests never keeps
 * pushing the poll back.
 */
export async function addKeyedJob(db: DbOrTrx, task: string, jobKey: string, runAt: Date): Promise<void> {
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => '{}'::json,
    run_at => ${runAt}::timestamptz,
    max_attempts => 25,
    job_key => ${jobKey}::text,
    job_key_mode => 'preserve_run_at'
  )`.execute(db);
}
