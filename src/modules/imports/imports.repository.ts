// SQL of the imports module: imports, their row errors, and their progress.
import { sql } from 'kysely';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { ImportFormat, ImportKind, ImportResult, SampleRow } from './imports.schema.ts';
import type { RowError } from './imports.validate.ts';

export interface NewImport {
  kind: ImportKind;
  filename: string;
  format: ImportFormat;
  file_sha256: string;
  size_bytes: number;
  created_by: number;
  district_ids: number[];
  total_rows: number;
  new_persons: number;
  updated_persons: number;
  new_assignments: number;
  error_count: number;
  sample: SampleRow[];
}

export async function insertImport(trx: Trx, row: NewImport): Promise<number> {
  const inserted = await trx
    .insertInto('imports')
    .values({ ...row, sample: JSON.stringify(row.sample) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Errors in numbered order, a few thousand per statement. */
export async function insertErrors(trx: Trx, importId: number, errors: RowError[], from = 0): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < errors.length; i += CHUNK) {
    const chunk = errors.slice(i, i + CHUNK).map((e, j) => ({
      seq: from + i + j + 1,
      sheet: e.sheet,
      row_number: e.row,
      column_name: e.column,
      message_key: e.key,
      params: e.params,
    }));
    await sql`
      insert into import_errors (import_id, seq, sheet, row_number, column_name, message_key, params)
      select ${importId}, x.seq, x.sheet, x.row_number, x.column_name, x.message_key, coalesce(x.params, '{}')
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
          as x(seq integer, sheet text, row_number integer, column_name text, message_key text, params jsonb)`.execute(
      trx,
    );
  }
}

const columns = [
  'id',
  'kind',
  'status',
  'filename',
  'format',
  'file_sha256',
  'size_bytes',
  'created_by',
  'created_at',
  'district_ids',
  'total_rows',
  'new_persons',
  'updated_persons',
  'new_assignments',
  'error_count',
  'sample',
  'confirmed_by',
  'confirmed_at',
  'scope_all',
  'scope_district_ids',
  'started_at',
  'finished_at',
  'result',
  'failure',
] as const;

export async function findImport(db: DbOrTrx, id: number) {
  return await db.selectFrom('imports').select(columns).where('id', '=', id).executeTakeFirst();
}

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** Recent imports the reader may open: their own, and any wholly within their districts. */
export async function listImports(db: DbOrTrx, userId: number, scope: DistrictScope, limit = 20) {
  let q = db
    .selectFrom('imports')
    .select(['id', 'kind', 'status', 'filename', 'created_at', 'total_rows', 'error_count'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (!scope.all)
    q = q.where((eb) =>
      eb.or([
        eb('created_by', '=', userId),
        eb.and([
          sql<boolean>`cardinality(district_ids) > 0`,
          sql<boolean>`district_ids <@ ${scope.districtIds}::int[]`,
        ]),
      ]),
    );
  return await q.execute();
}

export async function errorsPage(db: DbOrTrx, importId: number, offset: number, limit: number) {
  return await db
    .selectFrom('import_errors')
    .select(['seq', 'sheet', 'row_number', 'column_name', 'message_key', 'params'])
    .where('import_id', '=', importId)
    .orderBy('seq')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countErrors(db: DbOrTrx, importId: number): Promise<number> {
  const row = await db
    .selectFrom('import_errors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** preview → queued, only for a file without errors; false when it was not in preview any more. */
export async function markQueued(
  trx: Trx,
  id: number,
  by: number,
  scope: DistrictScope,
  total: number,
): Promise<boolean> {
  const updated = await trx
    .updateTable('imports')
    .set({
      status: 'queued',
      confirmed_by: by,
      confirmed_at: sql<Date>`now()`,
      scope_all: scope.all,
      scope_district_ids: scope.all ? [] : scope.districtIds,
    })
    .where('id', '=', id)
    .where('status', '=', 'preview')
    .where('error_count', '=', 0)
    .returning('id')
    .executeTakeFirst();
  if (updated)
    await trx
      .insertInto('import_progress')
      .values({ import_id: id, processed: 0, total })
      .onConflict((oc) => oc.column('import_id').doNothing())
      .execute();
  return updated !== undefined;
}

export async function markRunning(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({ status: 'running', started_at: sql<Date>`coalesce(started_at, now())` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/** One run of an import at a time; held until the data transaction ends. */
export async function lockImport(trx: Trx, id: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`import:${id}`}, 0))`.execute(trx);
}

export async function markDone(trx: Trx, id: number, result: ImportResult): Promise<void> {
  await trx
    .updateTable('imports')
    .set({ status: 'done', finished_at: sql<Date>`now()`, result: JSON.stringify(result), failure: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(
  trx: Trx,
  id: number,
  failure: string,
  errorCount: number | undefined,
): Promise<void> {
  await trx
    .updateTable('imports')
    .set({
      status: 'failed',
      finished_at: sql<Date>`now()`,
      failure,
      ...(errorCount === undefined ? {} : { error_count: errorCount }),
    })
    .where('id', '=', id)
    .where('status', '<>', 'done')
    .execute();
}

export async function deleteErrors(trx: Trx, id: number): Promise<void> {
  await trx.deleteFrom('import_errors').where('import_id', '=', id).execute();
}

/** Written in its own short transaction (autocommit), so it shows while the data is being written. */
export async function setProgress(db: DbOrTrx, id: number, processed: number, total: number): Promise<void> {
  await db
    .insertInto('import_progress')
    .values({ import_id: id, processed, total })
    .onConflict((oc) =>
      oc.column('import_id').doUpdateSet({ processed, total, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

export async function progressOf(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('import_progress')
    .select(['processed', 'total'])
    .where('import_id', '=', id)
    .executeTakeFirst();
}
