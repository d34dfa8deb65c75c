// Imports of residents and assignments from district offices' files. Upload: the file is read,
// every row checked against the registry, the file kept in the blob store and the import recorded
// with its errors — nothing reaches the registry. Confirmation (only without errors) enqueues the
// job in the same transaction. The job checks the file again and writes every row in ONE
// transaction: any failure rolls everything back and marks the import failed with the reason.
// Progress is written beside it in short transactions of its own.
import { record } from '../../platform/audit/audit.service.ts';
import { type DistrictScope, inScope, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, AuditedRefusal, notFound } from '../../platform/errors.ts';
import type { MessageKey, Params } from '../../platform/i18n/i18n.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import type { BlobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { categoryTitles, measureRefs } from '../catalog/catalog.service.ts';
import { listDistricts, settlementsOfDistrict } from '../geography/geography.service.ts';
import { createAssignmentsInBulk, liveAssignmentsOf } from '../registry/assignments.import.ts';
import { type OptionalPersonColumn, personsBySnils, upsertPersons } from '../registry/registry.import.ts';
import { normalizeSnils } from '../registry/snils.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { normalizeHeader } from './imports.columns.ts';
import { type RawTable, readImportFile } from './imports.parse.ts';
import * as repo from './imports.repository.ts';
import type { ImportKind, ImportResult } from './imports.schema.ts';
import { type Checked, checkFile, type Lookups, type RowError } from './imports.validate.ts';

export const IMPORTERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];
export const RUN_TASK = 'imports:run';
/** Rows written between two progress reports. */
export const PROGRESS_EVERY = 1000;
export const ERRORS_PER_PAGE = 50;

export type ImportRow = repo.ImportRow;

/** The registry's answers a file needs to be checked: one query per kind of lookup. */
export async function lookupsFor(
  db: DbOrTrx,
  tables: RawTable[],
  scope: DistrictScope,
  today = regionToday(),
): Promise<Lookups> {
  const snils = new Set<string>();
  for (const t of tables) {
    // The same header matching as the check, or a person behind a SNILS could escape the scope check.
    const i = t.headers.findIndex((h) => ['снилс', 'snils'].includes(normalizeHeader(h)));
    if (i < 0) continue;
    for (const r of t.rows) {
      const raw = (r.values[i] ?? '').trim();
      const digits = normalizeSnils(/^\d{9,10}$/.test(raw) ? raw.padStart(11, '0') : raw);
      if (digits) snils.add(digits);
    }
  }
  const persons = await personsBySnils(db, [...snils]);
  const districts = await listDistricts(db);
  const settlements = new Map<number, Map<string, { id: number; name_ru: string }>>();
  for (const d of districts) {
    const list = await settlementsOfDistrict(db, d.id);
    settlements.set(
      d.id,
      new Map(
        list.map((s) => [s.name_ru.toLowerCase().replaceAll('ё', 'е'), { id: s.id, name_ru: s.name_ru }]),
      ),
    );
  }
  const categories = new Map<string, string>();
  for (const [code, title] of await categoryTitles(db)) {
    categories.set(code.toLowerCase(), code);
    categories.set(title.ru.toLowerCase().replaceAll('ё', 'е'), code);
  }
  const measures = new Map((await measureRefs(db)).map((m) => [m.code.toUpperCase(), m]));
  return {
    scope,
    districts,
    settlements,
    categories,
    measures,
    persons: new Map(persons.map((p) => [p.snils, { id: p.id, district_id: p.district_id }])),
    liveAssignments: await liveAssignmentsOf(
      db,
      persons.map((p) => p.id),
    ),
    today,
  };
}

function counts(checked: Checked) {
  return {
    total_rows: checked.totalRows,
    new_persons: checked.persons.filter((p) => p.existingId === undefined).length,
    updated_persons: checked.persons.filter((p) => p.existingId !== undefined).length,
    new_assignments: checked.assignments.length,
    error_count: checked.errors.length,
  };
}

export interface Upload {
  kind: ImportKind;
  filename: string;
  bytes: Buffer;
  ip: string;
}

/**
 * Reads and checks an uploaded file and records the import for its preview. A problem with the
 * whole file throws FileProblem (nothing stored); row errors are stored with the import.
 */
export async function uploadFile(
  db: Db,
  store: BlobStore,
  actor: StaffActor,
  upload: Upload,
): Promise<number> {
  const parsed = await readImportFile(upload.bytes, upload.kind);
  const checked = checkFile(parsed.tables, await lookupsFor(db, parsed.tables, scopeOf(actor)));
  // The file is durable before the row that names it (as documents are).
  const { sha256, size } = await store.put(upload.bytes);
  const figures = counts(checked);
  return await db.transaction().execute(async (trx) => {
    const id = await repo.insertImport(trx, {
      kind: upload.kind,
      filename: upload.filename.slice(0, 200) || 'file',
      format: parsed.format,
      file_sha256: sha256,
      size_bytes: size,
      created_by: actor.userId,
      district_ids: checked.districtIds,
      sample: checked.sample,
      ...figures,
    });
    await repo.insertErrors(trx, id, checked.errors);
    await record(trx, {
      actor: { kind: 'staff', id: actor.userId },
      action: 'import.uploaded',
      subject: { kind: 'import', id },
      ip: upload.ip,
      details: { kind: upload.kind, filename: upload.filename, sha256, size, ...figures },
    });
    return id;
  });
}

/** Whether the reader may open an import: its author, or staff whose districts cover all its rows. */
function mayOpen(actor: StaffActor, imp: ImportRow): boolean {
  if (imp.created_by === actor.userId) return true;
  const scope = scopeOf(actor);
  if (scope.all) return true;
  return imp.district_ids.length > 0 && imp.district_ids.every((d) => inScope(scope, d));
}

/**
 * An import for the staff pages; the preview shows personal data from the file, so opening it is
 * audited (and a refusal is audited in its own transaction by the error handler).
 */
export async function importForStaff(trx: Trx, actor: StaffActor, id: number, ip: string) {
  const imp = await repo.findImport(trx, id);
  if (!imp) throw notFound('Import');
  const entry = {
    actor: { kind: 'staff' as const, id: actor.userId },
    subject: { kind: 'import', id },
    ip,
  };
  if (!mayOpen(actor, imp))
    throw new AuditedRefusal(new AppError('forbidden', 403, 'This import is not in your districts'), {
      ...entry,
      action: 'import.read.denied',
    });
  await record(trx, { ...entry, action: 'import.read' });
  return imp;
}

/** Who may see it, without an audit entry: the progress JSON carries figures only. */
export async function importStatus(db: DbOrTrx, actor: StaffActor, id: number) {
  const imp = await repo.findImport(db, id);
  if (!imp || !mayOpen(actor, imp)) throw notFound('Import');
  const progress = await repo.progressOf(db, id);
  return { imp, progress: progress ?? { processed: 0, total: imp.total_rows } };
}

export async function progressOf(db: DbOrTrx, id: number, imp: ImportRow) {
  const progress = await repo.progressOf(db, id);
  if (imp.status === 'done') return { processed: imp.total_rows, total: imp.total_rows };
  return progress ?? { processed: 0, total: imp.total_rows };
}

export async function errorsOf(db: DbOrTrx, id: number, page: number) {
  const total = await repo.countErrors(db, id);
  const pages = Math.max(1, Math.ceil(total / ERRORS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await repo.errorsPage(db, id, (current - 1) * ERRORS_PER_PAGE, ERRORS_PER_PAGE);
  return { total, page: current, pages, rows };
}

export const listImports = (db: DbOrTrx, actor: StaffActor) =>
  repo.listImports(db, actor.userId, scopeOf(actor));

/** Confirms an import without errors: queued, with its job, in the caller's transaction. */
export async function confirmImport(trx: Trx, actor: StaffActor, id: number, ip: string): Promise<void> {
  const imp = await importForStaff(trx, actor, id, ip);
  if (imp.status !== 'preview') return; // confirmed already (a second click): nothing to do
  if (imp.error_count > 0)
    throw new AppError('import_has_errors', 409, 'Correct the errors in the file and upload it again');
  const queued = await repo.markQueued(trx, id, actor.userId, scopeOf(actor), imp.total_rows);
  if (!queued) return;
  await enqueue(trx, RUN_TASK, { importId: id }, { jobKey: `import:${id}`, maxAttempts: 3 });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'import.confirmed',
    subject: { kind: 'import', id },
    ip,
    details: { sha256: imp.file_sha256, rows: imp.total_rows },
  });
}

// ---------------------------------------------------------------- the write (the job)

/** Why an import failed, as a message key with parameters (stored as JSON in imports.failure). */
export interface Failure {
  key: MessageKey;
  params: Params;
}

class StaleFile extends Error {
  readonly errors: RowError[];
  constructor(errors: RowError[]) {
    super('the file no longer passes the checks');
    this.errors = errors;
  }
}

class RowFailure extends Error {
  readonly where: { sheet: string | null; row: number };
  readonly reason: string;
  constructor(where: { sheet: string | null; row: number }, reason: string) {
    super(reason);
    this.where = where;
    this.reason = reason;
  }
}

function failureOf(e: unknown): Failure {
  if (e instanceof StaleFile) return { key: 'imports.failure.stale', params: { errors: e.errors.length } };
  if (e instanceof RowFailure)
    return {
      key: e.where.sheet ? 'imports.failure.rowOnSheet' : 'imports.failure.row',
      params: { row: e.where.row, sheet: e.where.sheet ?? '', reason: e.reason },
    };
  if (e instanceof AppError) return { key: 'imports.failure.other', params: { reason: e.message } };
  return { key: 'imports.failure.other', params: { reason: e instanceof Error ? e.message : String(e) } };
}

export function parseFailure(text: string | null): Failure | null {
  if (!text) return null;
  try {
    const f = JSON.parse(text) as Failure;
    if (typeof f.key === 'string') return f;
  } catch {}
  return { key: 'imports.failure.other', params: { reason: text } };
}

/** Runs the write of a confirmed import; safe to run twice (a finished import is left alone). */
export async function runImport(db: Db, store: BlobStore, id: number): Promise<ImportResult | null> {
  const imp = await repo.findImport(db, id);
  if (!imp || !['queued', 'running'].includes(imp.status)) return null;
  await repo.markRunning(db, id);
  const actor = { kind: 'staff' as const, id: imp.confirmed_by ?? imp.created_by };
  try {
    const parsed = await readImportFile(await store.get(imp.file_sha256), imp.kind);
    const total = parsed.tables.reduce((n, t) => n + t.rows.length, 0);
    await repo.setProgress(db, id, 0, total);
    const scope: DistrictScope = imp.scope_all
      ? { all: true }
      : { all: false, districtIds: imp.scope_district_ids };
    return await db.transaction().execute(async (trx) => {
      await repo.lockImport(trx, id);
      const now = await repo.findImport(trx, id);
      if (now?.status !== 'running') return null; // another run finished it meanwhile
      // The registry may have changed since the preview: check again, under this transaction.
      const checked = checkFile(parsed.tables, await lookupsFor(trx, parsed.tables, scope));
      if (checked.errors.length > 0) throw new StaleFile(checked.errors);
      const result = await writeRows(db, trx, id, checked, total, actor.id);
      await repo.markDone(trx, id, result);
      await record(trx, {
        actor,
        action: 'import.done',
        subject: { kind: 'import', id },
        details: { sha256: imp.file_sha256, kind: imp.kind, ...result },
      });
      return result;
    });
  } catch (e) {
    const failure = failureOf(e);
    await db.transaction().execute(async (trx) => {
      if (e instanceof StaleFile) {
        await repo.deleteErrors(trx, id);
        await repo.insertErrors(trx, id, e.errors);
      }
      await repo.markFailed(
        trx,
        id,
        JSON.stringify(failure),
        e instanceof StaleFile ? e.errors.length : undefined,
      );
      await record(trx, {
        actor,
        action: 'import.failed',
        subject: { kind: 'import', id },
        details: { sha256: imp.file_sha256, failure },
      });
    });
    return null;
  }
}

async function writeRows(
  db: Db,
  trx: Trx,
  id: number,
  checked: Checked,
  total: number,
  actorId: number,
): Promise<ImportResult> {
  let processed = 0;
  let reported = 0;
  const report = async (force = false) => {
    if (!force && processed - reported < PROGRESS_EVERY) return;
    reported = processed;
    // `db`, not `trx`: its own transaction, committed at once, visible to the page.
    await repo.setProgress(db, id, processed, total);
  };
  const result: ImportResult = { inserted: 0, updated: 0, unchanged: 0, assignments: 0 };
  const idBySnils = new Map<string, number>();
  for (const p of checked.persons)
    if (p.existingId !== undefined) idBySnils.set(p.values.snils, p.existingId);

  const columns = checked.residentColumns.map((c) =>
    c === 'settlement' ? 'settlement_id' : c,
  ) as OptionalPersonColumn[];
  for (let i = 0; i < checked.persons.length; i += PROGRESS_EVERY) {
    const chunk = checked.persons.slice(i, i + PROGRESS_EVERY);
    try {
      const written = await upsertPersons(
        trx,
        chunk.map((p) => p.values),
        columns,
      );
      for (const w of written) {
        // Every update was foreseen by the check (which applied the district scope); never another.
        if (!w.inserted && idBySnils.get(w.snils) !== w.id)
          throw new Error(`SNILS ${w.snils} was not expected in the registry`);
        idBySnils.set(w.snils, w.id);
        if (w.inserted) result.inserted++;
        else result.updated++;
      }
      result.unchanged += chunk.length - written.length;
    } catch (e) {
      // A statement writes a thousand rows: name the first of them.
      const first = chunk[0]!;
      throw new RowFailure(first, e instanceof Error ? e.message : String(e));
    }
    processed += chunk.length;
    await report();
  }

  for (let i = 0; i < checked.assignments.length; i += PROGRESS_EVERY) {
    const chunk = checked.assignments.slice(i, i + PROGRESS_EVERY);
    const missing = chunk.filter((a) => !idBySnils.has(a.snils)).map((a) => a.snils);
    for (const p of await personsBySnils(trx, missing)) idBySnils.set(p.snils, p.id);
    const list = chunk.map((a) => {
      const personId = idBySnils.get(a.snils);
      if (personId === undefined) throw new RowFailure(a, `No person with SNILS ${a.snils}`);
      return {
        personId,
        measureId: a.measureId,
        // Decisions the district office took on applications, recorded before this registry.
        basis: 'application' as const,
        amount: a.amount,
        startDate: a.startDate,
        endDate: a.endDate,
        ruleVersionId: null,
        parameters: { import_id: id, row: a.row, ...(a.sheet ? { sheet: a.sheet } : {}) },
        actorId,
      };
    });
    try {
      result.assignments += (await createAssignmentsInBulk(trx, list)).length;
    } catch (e) {
      // Name the row the registry refused, when it says which person and measure it was.
      const d = e instanceof AppError ? e.details : undefined;
      const at = list.findIndex((a) => a.personId === d?.personId && a.measureId === d?.measureId);
      throw new RowFailure(chunk[Math.max(0, at)]!, e instanceof Error ? e.message : String(e));
    }
    processed += chunk.length;
    await report();
  }
  await report(true);
  return result;
}
