// SQL of expert interviews: code books and their codes, interviews with their transcripts, and the
// codings (coded excerpts) of each coder. Only this module's tables.
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';

// ---------------------------------------------------------------- code books

export async function insertCodeBook(trx: Trx, row: { title: string; created_by: number }): Promise<number> {
  const inserted = await trx
    .insertInto('survey_code_books')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Locks the book so that two additions of codes at once cannot both pass the uniqueness check. */
export async function lockCodeBook(trx: Trx, id: number) {
  return await trx
    .selectFrom('survey_code_books')
    .select(['id', 'title'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertCodes(
  trx: Trx,
  codeBookId: number,
  codes: readonly { name: string; description: string }[],
): Promise<void> {
  if (codes.length === 0) return;
  await trx
    .insertInto('survey_codes')
    .values(codes.map((c) => ({ code_book_id: codeBookId, name: c.name, description: c.description })))
    .execute();
}

export async function findCodeBook(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('survey_code_books')
    .select(['id', 'title', 'created_by', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function codesOfBook(db: DbOrTrx, codeBookId: number) {
  return await db
    .selectFrom('survey_codes')
    .select(['id', 'name', 'description'])
    .where('code_book_id', '=', codeBookId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function listCodeBooks(db: DbOrTrx, limit: number) {
  return await db
    .selectFrom('survey_code_books as b')
    .select((eb) => [
      'b.id',
      'b.title',
      'b.created_at',
      eb
        .selectFrom('survey_codes as c')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('c.code_book_id', '=', 'b.id')
        .as('codes'),
    ])
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------- interviews

export interface InterviewRow {
  title: string;
  guide_id: number | null;
  code_book_id: number;
  expert_role: string;
  expert_group: string;
  district_id: number | null;
  interviewed_on: string;
  interviewer: string;
  duration_minutes: number | null;
  transcript: string;
  created_by: number;
}

export async function insertInterview(trx: Trx, row: InterviewRow): Promise<number> {
  const inserted = await trx
    .insertInto('expert_interviews')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

const INTERVIEW_COLUMNS = [
  'i.id',
  'i.title',
  'i.guide_id',
  'i.code_book_id',
  'i.expert_role',
  'i.expert_group',
  'i.district_id',
  'i.interviewed_on',
  'i.interviewer',
  'i.duration_minutes',
  'i.created_by',
  'i.created_at',
] as const;

export async function findInterview(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('expert_interviews as i')
    .select([...INTERVIEW_COLUMNS, 'i.transcript'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

export async function listInterviews(
  db: DbOrTrx,
  filter: { codeBookId?: number | undefined; group?: string | undefined },
  limit: number,
) {
  let q = db.selectFrom('expert_interviews as i').select([
    ...INTERVIEW_COLUMNS,
    (eb) =>
      eb
        .selectFrom('expert_interview_codings as c')
        .select((e) => e.fn.count<string>('c.coder_id').distinct().as('n'))
        .whereRef('c.interview_id', '=', 'i.id')
        .as('coders'),
  ]);
  if (filter.codeBookId !== undefined) q = q.where('i.code_book_id', '=', filter.codeBookId);
  if (filter.group !== undefined) q = q.where('i.expert_group', '=', filter.group);
  return await q.orderBy('i.interviewed_on', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
}

export async function expertGroups(db: DbOrTrx): Promise<string[]> {
  const rows = await db
    .selectFrom('expert_interviews')
    .select('expert_group')
    .distinct()
    .orderBy('expert_group')
    .execute();
  return rows.map((r) => r.expert_group);
}

export async function transcripts(db: DbOrTrx, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return await db
    .selectFrom('expert_interviews')
    .select(['id', 'transcript'])
    .where('id', 'in', ids)
    .execute();
}

// ---------------------------------------------------------------- codings

export async function insertCodings(
  trx: Trx,
  rows: readonly {
    interview_id: number;
    coder_id: number;
    code_id: number;
    start_offset: number;
    end_offset: number;
    memo: string;
  }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto('expert_interview_codings')
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(['interview_id', 'coder_id', 'code_id', 'start_offset', 'end_offset']).doNothing(),
    )
    .returning('id')
    .execute();
  return inserted.length;
}

/** The codings of one interview, of one coder or of all; in transcript order. */
export async function codingsOf(db: DbOrTrx, interviewId: number, coderId?: number) {
  let q = db
    .selectFrom('expert_interview_codings as c')
    .innerJoin('survey_codes as k', 'k.id', 'c.code_id')
    .select([
      'c.id',
      'c.coder_id',
      'c.code_id',
      'k.name as code',
      'c.start_offset',
      'c.end_offset',
      'c.memo',
      'c.created_at',
    ])
    .where('c.interview_id', '=', interviewId);
  if (coderId !== undefined) q = q.where('c.coder_id', '=', coderId);
  return await q
    .orderBy('c.start_offset')
    .orderBy('c.end_offset')
    .orderBy('k.name')
    .orderBy('c.id')
    .execute();
}

export async function deleteCoding(
  trx: Trx,
  where: { id: number; interviewId: number; coderId: number },
): Promise<number> {
  const result = await trx
    .deleteFrom('expert_interview_codings')
    .where('id', '=', where.id)
    .where('interview_id', '=', where.interviewId)
    .where('coder_id', '=', where.coderId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every coding of the interviews a filter selects, with what the analysis groups by. */
export async function codingsForAnalysis(
  db: DbOrTrx,
  filter: { codeBookId?: number | undefined; group?: string | undefined },
) {
  let q = db
    .selectFrom('expert_interview_codings as c')
    .innerJoin('expert_interviews as i', 'i.id', 'c.interview_id')
    .innerJoin('survey_codes as k', 'k.id', 'c.code_id')
    .innerJoin('survey_code_books as b', 'b.id', 'k.code_book_id')
    .select([
      'c.id',
      'c.interview_id',
      'i.title as interview_title',
      'i.expert_group',
      'i.expert_role',
      'i.district_id',
      'i.interviewed_on',
      'c.coder_id',
      'c.code_id',
      'k.name as code',
      'b.id as code_book_id',
      'b.title as code_book_title',
      'c.start_offset',
      'c.end_offset',
      'c.memo',
      'c.created_at',
    ]);
  if (filter.codeBookId !== undefined) q = q.where('i.code_book_id', '=', filter.codeBookId);
  if (filter.group !== undefined) q = q.where('i.expert_group', '=', filter.group);
  return await q.orderBy('c.interview_id').orderBy('c.start_offset').orderBy('c.id').execute();
}
