// SQL for dated parameters and rule versions. Versions are never edited: only their status and the
// proposal/review columns change (four eyes), and only from the expected previous status.
import { sql } from 'kysely';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { ParamContext } from './rules.check.ts';
import type { ParameterUnit, RuleStatus } from './rules.schema.ts';

/** Runs fn in the caller's transaction, or in a new one. */
export async function inTransaction<T>(db: DbOrTrx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? await fn(db as Trx) : await (db as Db).transaction().execute(fn);
}

// ------------------------------------------------------------ parameters

export async function parameterCodes(db: DbOrTrx): Promise<string[]> {
  return (await db.selectFrom('rule_parameters').select('code').execute()).map((r) => r.code);
}

/** code → the value in force on a day: the one with the latest effective_from on or before it. */
export async function paramsAsOf(db: DbOrTrx, asOf: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('rule_parameter_values')
    .distinctOn('parameter_code')
    .select(['parameter_code', 'value'])
    .where('effective_from', '<=', asOf)
    .orderBy('parameter_code')
    .orderBy('effective_from', 'desc')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.parameter_code, Number(r.value)]));
}

/** What checking a version effective on a day needs to know about parameters. */
export async function paramContext(db: DbOrTrx, effectiveFrom: string): Promise<ParamContext> {
  const [known, inForce] = await Promise.all([parameterCodes(db), paramsAsOf(db, effectiveFrom)]);
  return { known: new Set(known), inForce: new Set(Object.keys(inForce)), effectiveFrom };
}

export async function allParameters(db: DbOrTrx) {
  return await db.selectFrom('rule_parameters').selectAll().orderBy('code').execute();
}

export async function allParameterValues(db: DbOrTrx) {
  return await db
    .selectFrom('rule_parameter_values')
    .select(['parameter_code', 'effective_from', 'value', 'source'])
    .orderBy('parameter_code')
    .orderBy('effective_from')
    .execute();
}

type ParameterRow = { code: string; unit: ParameterUnit; title_ru: string; title_en: string };

export async function insertParameter(db: DbOrTrx, p: ParameterRow): Promise<void> {
  await db.insertInto('rule_parameters').values(p).execute();
}

/** Titles and units describe a parameter; they are not history and may be corrected. */
export async function updateParameter(db: DbOrTrx, p: ParameterRow): Promise<void> {
  await db.updateTable('rule_parameters').set(p).where('code', '=', p.code).execute();
}

export async function insertParameterValue(
  db: DbOrTrx,
  v: { parameter_code: string; effective_from: string; value: number; source: string },
): Promise<void> {
  await db.insertInto('rule_parameter_values').values(v).execute();
}

// ------------------------------------------------------------ versions

const versionColumns = [
  'v.id',
  'v.measure_id',
  'm.code as measure_code',
  'v.version',
  'v.effective_from',
  'v.status',
  'v.definition',
  'v.tests',
  'v.note',
  'v.created_by',
  'v.created_at',
  'v.proposed_by',
  'v.proposed_at',
  'v.reviewed_by',
  'v.reviewed_at',
  'v.review_note',
] as const;

const versions = (db: DbOrTrx) =>
  db
    .selectFrom('rule_versions as v')
    .innerJoin('measures as m', 'm.id', 'v.measure_id')
    .select(versionColumns);

export type VersionRow = Awaited<ReturnType<typeof findVersion>> & {};

export async function findVersion(db: DbOrTrx, id: number) {
  return await versions(db).where('v.id', '=', id).executeTakeFirst();
}

export async function versionsOfMeasure(db: DbOrTrx, measureId: number) {
  return await versions(db).where('v.measure_id', '=', measureId).orderBy('v.version').execute();
}

export async function publishedVersions(db: DbOrTrx) {
  return await versions(db)
    .where('v.status', '=', 'published')
    .orderBy('m.code')
    .orderBy('v.version')
    .execute();
}

/** Per measure, the published version with the latest effective_from on or before asOf. */
export async function versionsInForce(db: DbOrTrx, asOf: string, measureCodes?: string[]) {
  let query = versions(db)
    .clearSelect()
    .distinctOn('v.measure_id')
    .select(['v.id', 'm.code as measure_code', 'v.version', 'v.definition'])
    .where('v.status', '=', 'published')
    .where('v.effective_from', '<=', asOf);
  if (measureCodes) query = query.where('m.code', 'in', measureCodes.length ? measureCodes : ['']);
  return await query
    .orderBy('v.measure_id')
    .orderBy('v.effective_from', 'desc')
    .orderBy('v.version', 'desc')
    .execute();
}

/** Serializes version numbering per measure until the transaction ends. */
export async function lockMeasureVersions(trx: Trx, measureId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('rule_versions'), ${measureId})`.execute(trx);
}

export async function maxVersion(db: DbOrTrx, measureId: number): Promise<number> {
  const row = await db
    .selectFrom('rule_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('measure_id', '=', measureId)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export interface NewVersion {
  measure_id: number;
  version: number;
  effective_from: string;
  status: RuleStatus;
  definition: unknown;
  tests: unknown;
  note: string;
  created_by: number | null;
  reviewed_at?: Date;
  review_note?: string;
}

export async function insertVersion(db: DbOrTrx, v: NewVersion): Promise<number> {
  const row = await db
    .insertInto('rule_versions')
    .values({ ...v, definition: JSON.stringify(v.definition), tests: JSON.stringify(v.tests) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** draft → proposed; false when the version was not a draft (any more). */
export async function markProposed(db: DbOrTrx, id: number, actorId: number): Promise<boolean> {
  const r = await db
    .updateTable('rule_versions')
    .set({ status: 'proposed', proposed_by: actorId, proposed_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** proposed → published | rejected; false when the version was not proposed (any more). */
export async function markReviewed(
  db: DbOrTrx,
  id: number,
  review: { status: 'published' | 'rejected'; actorId: number; note: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('rule_versions')
    .set({
      status: review.status,
      reviewed_by: review.actorId,
      reviewed_at: new Date(),
      review_note: review.note,
    })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
