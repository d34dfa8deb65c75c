// SQL of the egisso module: its own tables only (the registry side is registry/assignments.egisso.ts).
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { FactOperation, Rejection } from './egisso.schema.ts';

export async function insertExport(db: DbOrTrx, requestedBy: number | null): Promise<number> {
  const row = await db
    .insertInto('egisso_exports')
    .values({ requested_by: requestedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The export still queued or running, if any (one at a time is enough). */
export async function unfinishedExport(db: DbOrTrx) {
  return await db
    .selectFrom('egisso_exports')
    .select(['id', 'status', 'started_at'])
    .where('status', 'in', ['queued', 'running'])
    .orderBy('id')
    .executeTakeFirst();
}

/** queued → running; false when another run already took it (the task is safe to run twice). */
export async function claimExport(db: DbOrTrx, id: number): Promise<boolean> {
  const row = await db
    .updateTable('egisso_exports')
    .set({ status: 'running', started_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishExport(
  trx: DbOrTrx,
  id: number,
  counts: { new: number; change: number; cancel: number; rejected: number },
): Promise<void> {
  await trx
    .updateTable('egisso_exports')
    .set({
      status: 'done',
      finished_at: sql<Date>`now()`,
      new_records: counts.new,
      changed_records: counts.change,
      cancelled_records: counts.cancel,
      rejected_records: counts.rejected,
    })
    .where('id', '=', id)
    .execute();
}

export async function failExport(db: DbOrTrx, id: number, error: string): Promise<void> {
  await db
    .updateTable('egisso_exports')
    .set({ status: 'failed', finished_at: sql<Date>`now()`, error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}

/** True when no export holds the run lock (taken for the rest of the caller's transaction). */
export async function runLockFree(trx: Trx): Promise<boolean> {
  const { rows } = await sql<{ free: boolean }>`
    select pg_try_advisory_xact_lock(hashtextextended('egisso:run', 0)) as free`.execute(trx);
  return rows[0]?.free === true;
}

/**
 * 'run' serialises exports (held for a whole export); 'request' serialises asking for one, so that
 * "export now" never waits behind a running export.
 */
export async function lockExports(trx: Trx, what: 'run' | 'request'): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`egisso:${what}`}, 0))`.execute(trx);
}

export async function insertPackage(
  trx: Trx,
  row: {
    id: string;
    export_id: number;
    district_id: number;
    provider_code: string;
    blob_sha256: string;
    size: number;
    records: number;
  },
): Promise<void> {
  await trx.insertInto('egisso_packages').values(row).execute();
}

export interface ExportedFact {
  assignment_id: number;
  fact_id: string;
  district_id: number;
  version: number;
  source_hash: string;
  record: unknown;
  operation: FactOperation;
  package_id: string;
}

/** What EGISSO now holds for each assignment; clears an earlier rejection. */
export async function saveExported(trx: Trx, exportId: number, facts: ExportedFact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += 1000) {
    const chunk = facts.slice(i, i + 1000);
    await trx
      .insertInto('egisso_facts')
      .values(
        chunk.map((f) => ({
          assignment_id: f.assignment_id,
          fact_id: f.fact_id,
          district_id: f.district_id,
          state: f.operation === 'cancel' ? ('cancelled' as const) : ('exported' as const),
          version: f.version,
          source_hash: f.source_hash,
          record: JSON.stringify(f.record),
          last_operation: f.operation,
          export_id: exportId,
          package_id: f.package_id,
          exported_at: sql<Date>`now()`,
          reasons: '[]',
          rejected_record: null,
          rejected_hash: null,
          rejected_export_id: null,
          rejected_at: null,
        })),
      )
      .onConflict((oc) =>
        oc.column('assignment_id').doUpdateSet((eb) => ({
          fact_id: eb.ref('excluded.fact_id'),
          district_id: eb.ref('excluded.district_id'),
          state: eb.ref('excluded.state'),
          version: eb.ref('excluded.version'),
          source_hash: eb.ref('excluded.source_hash'),
          record: eb.ref('excluded.record'),
          last_operation: eb.ref('excluded.last_operation'),
          export_id: eb.ref('excluded.export_id'),
          package_id: eb.ref('excluded.package_id'),
          exported_at: eb.ref('excluded.exported_at'),
          reasons: eb.ref('excluded.reasons'),
          rejected_record: null,
          rejected_hash: null,
          rejected_export_id: null,
          rejected_at: null,
        })),
      )
      .execute();
  }
}

export interface RejectedFact {
  assignment_id: number;
  fact_id: string;
  district_id: number;
  source_hash: string;
  record: unknown;
  reasons: Rejection[];
}

/**
 * Marks the latest attempt rejected. What EGISSO already holds (version, source hash, record) is
 * kept, so the fixed record goes as a change of that version.
 */
export async function saveRejected(trx: Trx, exportId: number, facts: RejectedFact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += 1000) {
    const chunk = facts.slice(i, i + 1000);
    await trx
      .insertInto('egisso_facts')
      .values(
        chunk.map((f) => ({
          assignment_id: f.assignment_id,
          fact_id: f.fact_id,
          district_id: f.district_id,
          state: 'rejected' as const,
          version: 0,
          reasons: JSON.stringify(f.reasons),
          rejected_record: JSON.stringify(f.record),
          rejected_hash: f.source_hash,
          rejected_export_id: exportId,
          rejected_at: sql<Date>`now()`,
        })),
      )
      .onConflict((oc) =>
        oc.column('assignment_id').doUpdateSet((eb) => ({
          state: 'rejected' as const,
          reasons: eb.ref('excluded.reasons'),
          rejected_record: eb.ref('excluded.rejected_record'),
          rejected_hash: eb.ref('excluded.rejected_hash'),
          rejected_export_id: eb.ref('excluded.rejected_export_id'),
          rejected_at: eb.ref('excluded.rejected_at'),
        })),
      )
      .execute();
  }
}

/** A rejected record EGISSO never received whose assignment is gone: nothing to cancel, forget it. */
export async function forgetFacts(trx: Trx, assignmentIds: number[]): Promise<void> {
  if (assignmentIds.length === 0) return;
  await trx.deleteFrom('egisso_facts').where('assignment_id', 'in', assignmentIds).execute();
}

export async function recentExports(db: DbOrTrx, limit = 20) {
  const exports = await db
    .selectFrom('egisso_exports')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const packages = await packagesOf(
    db,
    exports.map((e) => e.id),
  );
  return exports.map((e) => ({ ...e, packages: packages.filter((p) => p.export_id === e.id) }));
}

export async function findExport(db: DbOrTrx, id: number) {
  const row = await db.selectFrom('egisso_exports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, packages: await packagesOf(db, [id]) };
}

async function packagesOf(db: DbOrTrx, exportIds: number[]) {
  if (exportIds.length === 0) return [];
  return await db
    .selectFrom('egisso_packages as p')
    .select([
      'p.id',
      'p.export_id',
      'p.district_id',
      'p.provider_code',
      'p.blob_sha256',
      'p.size',
      'p.records',
      'p.created_at',
    ])
    .where('p.export_id', 'in', exportIds)
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
}

export async function findPackage(db: DbOrTrx, id: string) {
  return await db
    .selectFrom('egisso_packages as p')
    .select(['p.id', 'p.export_id', 'p.district_id', 'p.blob_sha256', 'p.records'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

/** Rejected records, newest first; `districtIds` limits a district-scoped reader. */
export async function rejectedFacts(db: DbOrTrx, opts: { districtIds?: number[]; limit?: number } = {}) {
  let q = db
    .selectFrom('egisso_facts as f')
    .select([
      'f.assignment_id',
      'f.district_id',
      'f.reasons',
      'f.rejected_record',
      'f.rejected_at',
      'f.rejected_export_id',
      'f.version',
    ])
    .where('f.state', '=', 'rejected')
    .orderBy('f.rejected_at', 'desc')
    .orderBy('f.assignment_id');
  if (opts.districtIds) q = q.where('f.district_id', 'in', opts.districtIds.length ? opts.districtIds : [-1]);
  if (opts.limit) q = q.limit(opts.limit);
  return await q.execute();
}

export async function countRejected(db: DbOrTrx, districtIds?: number[]): Promise<number> {
  let q = db
    .selectFrom('egisso_facts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'rejected');
  if (districtIds) q = q.where('district_id', 'in', districtIds.length ? districtIds : [-1]);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setMeasureCode(
  db: DbOrTrx,
  row: { measure_code: string; kmsz_code: string; default_category: string },
): Promise<void> {
  await db
    .insertInto('egisso_measure_codes')
    .values(row)
    .onConflict((oc) =>
      oc.column('measure_code').doUpdateSet({
        kmsz_code: row.kmsz_code,
        default_category: row.default_category,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}
