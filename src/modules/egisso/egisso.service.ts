// Incremental export of facts of assignment to EGISSO (ЕГИССО, run by the Social Fund).
//
// An export takes a region-wide lock, reads in one statement every assignment whose registry data
// differs from what EGISSO last received (a per-assignment source hash, not a time watermark), builds
// each fact, checks it (business rules, then the XSD) and writes one package per provider — the
// recipient's district social protection centre (ОНМСЗ) — to the blob store. Records that fail are
// not exported: they are kept as rejections with their reasons and retried on every later export.
// Everything is one transaction, so a failed export leaves no trace but an unreferenced blob.
import { randomUUID } from 'node:crypto';
import { record as audit } from '../../platform/audit/audit.service.ts';
import { type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import type { BlobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { measuresForExport } from '../catalog/catalog.egisso.ts';
import { listDistricts, listOffices } from '../geography/geography.service.ts';
import {
  changedAssignmentsForExport,
  type ExportCandidate,
  type ExportStatusCounts,
  exportStatusByDistrict,
  factsOfDeletedAssignments,
} from '../registry/assignments.egisso.ts';
import {
  businessProblems,
  egissoForm,
  egissoSchema,
  type FactRecord,
  factIdFor,
  factXml,
  packageXml,
  providerCode,
  recipientCategory,
  schemaProblems,
} from './egisso.format.ts';
import * as repo from './egisso.repository.ts';
import type { FactOperation, Rejection } from './egisso.schema.ts';

export const EXPORT_TASK = 'egisso:export';
/** Records per export at most; the rest stay pending for the next one (a first export of a big region). */
export const DEFAULT_LIMIT = 200_000;

export interface ExportSummary {
  exportId: number;
  new: number;
  change: number;
  cancel: number;
  rejected: number;
  packages: { id: string; districtId: number; providerCode: string; sha256: string; records: number }[];
}

/** Queues an export in the caller's transaction; an export already queued or running is reused. */
export async function requestExport(trx: Trx, actorId: number | null): Promise<number> {
  await repo.lockExports(trx, 'request');
  const running = await unfinished(trx);
  if (running) return running.id;
  const id = await repo.insertExport(trx, actorId);
  await enqueue(trx, EXPORT_TASK, { exportId: id });
  return id;
}

/** Minutes after which a 'running' export that holds no lock is taken for dead (its process died). */
const STALE_MINUTES = 5;

/** The export queued or running, if any; one whose process died is marked failed and not returned. */
async function unfinished(trx: Trx) {
  const found = await repo.unfinishedExport(trx);
  if (
    found?.status === 'running' &&
    found.started_at &&
    Date.now() - found.started_at.getTime() > STALE_MINUTES * 60_000 &&
    (await repo.runLockFree(trx))
  ) {
    await repo.failExport(trx, found.id, 'interrupted: the process running the export stopped');
    return undefined;
  }
  return found;
}

/** The CLI's export: a row and the run at once. */
export async function exportNow(
  db: Db,
  store: BlobStore,
  opts: { limit?: number } = {},
): Promise<ExportSummary> {
  const id = await db.transaction().execute(async (trx) => {
    await repo.lockExports(trx, 'request');
    const running = await unfinished(trx);
    if (running)
      throw new AppError(
        'export_running',
        409,
        `EGISSO export ${running.id} is ${running.status}; try again later`,
      );
    return await repo.insertExport(trx, null);
  });
  const summary = await runExport(db, store, id, opts);
  if (!summary) throw new AppError('export_failed', 500, `EGISSO export ${id} did not run`);
  return summary;
}

/**
 * Runs a queued export. Returns undefined when the export is not queued (already run: the task is
 * safe to run twice). A failure marks the export failed with the message and rethrows.
 */
export async function runExport(
  db: Db,
  store: BlobStore,
  exportId: number,
  opts: { limit?: number; now?: Date } = {},
): Promise<ExportSummary | undefined> {
  if (!(await repo.claimExport(db, exportId))) return undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      // Serialises exports: each statement below sees everything the previous export committed.
      await repo.lockExports(trx, 'run');
      return await exportIn(trx, store, exportId, opts.limit ?? DEFAULT_LIMIT, opts.now ?? new Date());
    });
  } catch (error) {
    await repo.failExport(db, exportId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

interface Outgoing {
  assignmentId: number;
  districtId: number;
  record: FactRecord;
  /** Stored as the fact's state; null for the cancel half of a recipient change (the new half stores). */
  sourceHash: string | null;
}

async function exportIn(
  trx: Trx,
  store: BlobStore,
  exportId: number,
  limit: number,
  now: Date,
): Promise<ExportSummary> {
  // Deleted assignments first: one deleted after this read is simply absent from the next one.
  const deleted = await factsOfDeletedAssignments(trx);
  const candidates = await changedAssignmentsForExport(trx, limit);
  const measures = await measuresForExport(trx, [...new Set(candidates.map((c) => c.measure_id))]);
  const providers = await providersByDistrict(trx);

  const outgoing: Outgoing[] = [];
  const rejected: repo.RejectedFact[] = [];
  /** Passed the business checks; the XSD comes next. `previous`: the fact to cancel (recipient changed). */
  const checked: Checked[] = [];

  for (const f of deleted) {
    const previous = f.record as FactRecord | null;
    if (f.version > 0 && previous) {
      outgoing.push({
        assignmentId: f.assignment_id,
        districtId: f.district_id,
        record: { ...previous, operation: 'cancel', version: f.version + 1 },
        sourceHash: null,
      });
    }
  }
  const forget = deleted.filter((f) => !(f.version > 0 && f.record)).map((f) => f.assignment_id);
  await repo.forgetFacts(trx, forget);

  for (const c of candidates) {
    const measure = measures.get(c.measure_id);
    if (!measure) continue; // the join guarantees it; a measure deleted mid-export waits for the next
    const previous = c.fact_version && c.fact_version > 0 ? (c.fact_record as FactRecord | null) : null;
    // EGISSO cannot move a fact to another person: a changed recipient (a merge of duplicates) is a
    // cancellation of the old fact and a new fact under a new id.
    const recipientChanged = previous !== null && previous.snils !== c.snils;
    const operation: FactOperation = previous && !recipientChanged ? 'change' : 'new';
    const record: FactRecord = {
      factId: recipientChanged || !c.fact_id ? factIdFor(c.assignment_id, c.snils) : c.fact_id,
      version: operation === 'change' ? (c.fact_version ?? 0) + 1 : 1,
      operation,
      snils: c.snils,
      lastName: c.last_name,
      firstName: c.first_name,
      patronymic: c.patronymic,
      birthDate: c.birth_date,
      sex: c.sex,
      measureCode: measure.code,
      classifierCode: c.kmsz_code,
      measureTitle: measure.title_ru,
      category: recipientCategory(c.categories, measure.priorityCategories, c.default_category) ?? '',
      decisionDate: regionToday(c.decided_at),
      periodStart: c.start_date,
      periodEnd: c.end_date,
      status: c.status,
      form: egissoForm(measure.form),
      amount: c.amount,
    };
    const provider = providers.get(c.district_id);
    const problems = businessProblems(record, provider?.code ?? null);
    if (problems.length > 0) rejected.push(rejection(c, record, problems));
    else checked.push({ c, record, previous: recipientChanged ? previous : null });
  }

  // The XSD, on every record: a district's records are validated together, and only when that fails
  // is each validated alone to find the culprits (a third of the cost in the usual, valid case).
  const schemaRejected = new Map<Checked, Rejection[]>();
  for (const group of groupBy(checked, (x) => x.c.district_id).values()) {
    if (schemaProblems(group.map((x) => factXml(x.record))).length === 0) continue;
    for (const x of group) {
      const problems = schemaProblems([factXml(x.record)]);
      if (problems.length > 0) schemaRejected.set(x, problems);
    }
  }
  for (const x of checked) {
    const problems = schemaRejected.get(x);
    if (problems) {
      rejected.push(rejection(x.c, x.record, problems));
      continue;
    }
    if (x.previous) {
      outgoing.push({
        assignmentId: x.c.assignment_id,
        districtId: x.c.fact_district_id ?? x.c.district_id,
        record: { ...x.previous, operation: 'cancel', version: (x.c.fact_version ?? 0) + 1 },
        sourceHash: null,
      });
    }
    outgoing.push({
      assignmentId: x.c.assignment_id,
      districtId: x.c.district_id,
      record: x.record,
      sourceHash: x.c.source_hash,
    });
  }

  // One package per provider. Every package is validated whole before it is stored.
  const byDistrict = groupBy(outgoing, (o) => o.districtId);
  const packages: ExportSummary['packages'] = [];
  const exported: repo.ExportedFact[] = [];
  for (const [districtId, list] of [...byDistrict].sort((a, b) => a[0] - b[0])) {
    const provider = providers.get(districtId);
    if (!provider)
      throw new AppError('no_provider', 500, `District ${districtId} has no social protection centre`);
    const packageId = randomUUID();
    const xml = packageXml(
      { packageId, providerCode: provider.code, providerName: provider.name, createdAt: now },
      list.map((o) => factXml(o.record)),
    );
    const problems = egissoSchema().validate(xml);
    if (problems.length > 0)
      throw new AppError(
        'package_invalid',
        500,
        `EGISSO package for district ${districtId} fails its schema: line ${problems[0]!.line}: ${problems[0]!.message}`,
      );
    const blob = await store.put(Buffer.from(xml, 'utf8'));
    await repo.insertPackage(trx, {
      id: packageId,
      export_id: exportId,
      district_id: districtId,
      provider_code: provider.code,
      blob_sha256: blob.sha256,
      size: blob.size,
      records: list.length,
    });
    packages.push({
      id: packageId,
      districtId,
      providerCode: provider.code,
      sha256: blob.sha256,
      records: list.length,
    });
    for (const o of list) {
      // The cancel half of a recipient change is superseded by the new fact saved just after it.
      if (o.sourceHash === null && o.record.operation === 'cancel' && byAssignmentHasNew(outgoing, o))
        continue;
      exported.push({
        assignment_id: o.assignmentId,
        fact_id: o.record.factId,
        district_id: o.districtId,
        version: o.record.version,
        source_hash: o.sourceHash ?? '',
        record: o.record,
        operation: o.record.operation,
        package_id: packageId,
      });
    }
  }
  await repo.saveExported(trx, exportId, exported);
  await repo.saveRejected(trx, exportId, rejected);

  const count = (op: FactOperation) => outgoing.filter((o) => o.record.operation === op).length;
  const summary = {
    exportId,
    new: count('new'),
    change: count('change'),
    cancel: count('cancel'),
    rejected: rejected.length,
    packages,
  };
  await repo.finishExport(trx, exportId, summary);
  return summary;
}

interface Checked {
  c: ExportCandidate;
  record: FactRecord;
  previous: FactRecord | null;
}

function rejection(c: ExportCandidate, record: FactRecord, reasons: Rejection[]): repo.RejectedFact {
  return {
    assignment_id: c.assignment_id,
    fact_id: c.fact_id ?? record.factId,
    district_id: c.district_id,
    source_hash: c.source_hash,
    record,
    reasons,
  };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function byAssignmentHasNew(outgoing: Outgoing[], cancel: Outgoing): boolean {
  return outgoing.some(
    (o) => o.assignmentId === cancel.assignmentId && o !== cancel && o.sourceHash !== null,
  );
}

/** ОНМСЗ per district: its social protection centre (the first, if a district had several). */
async function providersByDistrict(db: DbOrTrx): Promise<Map<number, { code: string; name: string }>> {
  const providers = new Map<number, { code: string; name: string }>();
  const centres = (await listOffices(db))
    .filter((o) => o.kind === 'social_protection_centre')
    .sort((a, b) => a.id - b.id);
  for (const o of centres)
    if (!providers.has(o.district_id))
      providers.set(o.district_id, { code: providerCode(o.id), name: o.name_ru });
  return providers;
}

// ---------------------------------------------------------------- reading

export type ExportView = Awaited<ReturnType<typeof recentExports>>[number];

async function districtNames(db: DbOrTrx) {
  return new Map((await listDistricts(db)).map((d) => [d.id, d]));
}

/** The latest exports with their packages (district named). */
export async function recentExports(db: DbOrTrx, limit = 20) {
  const [exports, districts] = await Promise.all([repo.recentExports(db, limit), districtNames(db)]);
  return exports.map((e) => ({
    ...e,
    packages: e.packages.map((p) => ({ ...p, district: districts.get(p.district_id) })),
  }));
}

export async function exportById(db: DbOrTrx, id: number) {
  const [found, districts] = await Promise.all([repo.findExport(db, id), districtNames(db)]);
  if (!found) throw notFound('Export');
  return {
    ...found,
    packages: found.packages.map((p) => ({ ...p, district: districts.get(p.district_id) })),
  };
}

/** A package's XML for staff: personal data of every recipient in it, so the download is audited. */
export async function packageForStaff(
  trx: Trx,
  store: BlobStore,
  actor: StaffActor,
  id: string,
  ip: string,
): Promise<{ filename: string; bytes: Buffer }> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw notFound('Package');
  const found = await repo.findPackage(trx, id);
  if (!found) throw notFound('Package');
  const scope = scopeOf(actor);
  if (!scope.all && !scope.districtIds.includes(found.district_id)) throw notFound('Package');
  await audit(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'egisso.package.download',
    subject: { kind: 'egisso_package', id },
    districtId: found.district_id,
    ip,
    details: { exportId: found.export_id, records: found.records, reason: 'EGISSO export package download' },
  });
  const district = (await districtNames(trx)).get(found.district_id);
  return {
    filename: `egisso-facts-${found.export_id}-${district?.code ?? found.district_id}.xml`,
    bytes: await store.get(found.blob_sha256),
  };
}

export interface RejectionView {
  assignmentId: number;
  districtId: number;
  districtRu: string;
  districtEn: string;
  rejectedAt: Date | null;
  exportId: number | null;
  snils: string;
  name: string;
  measureCode: string;
  reasons: Rejection[];
}

/**
 * Rejected records with the recipient's name and SNILS: an audited read (one entry for the list),
 * limited to the reader's districts.
 */
export async function rejectionsForStaff(
  trx: Trx,
  actor: StaffActor,
  ip: string,
  opts: { limit?: number; purpose: 'page' | 'csv' },
): Promise<{ total: number; rows: RejectionView[] }> {
  const scope = scopeOf(actor);
  const districtIds = scope.all ? undefined : scope.districtIds;
  const [total, rows, districts] = await Promise.all([
    repo.countRejected(trx, districtIds),
    repo.rejectedFacts(trx, opts.limit ? { districtIds, limit: opts.limit } : { districtIds }),
    districtNames(trx),
  ]);
  await audit(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: opts.purpose === 'csv' ? 'egisso.rejections.download' : 'egisso.rejections.read',
    subject: { kind: 'egisso_rejections', id: 'all' },
    ip,
    details: {
      shown: rows.length,
      total,
      assignments: rows.slice(0, 1000).map((r) => r.assignment_id),
      reason: 'EGISSO export quality: rejected records',
    },
  });
  return {
    total,
    rows: rows.map((r) => {
      const rec = (r.rejected_record ?? {}) as Partial<FactRecord>;
      const d = districts.get(r.district_id);
      return {
        assignmentId: r.assignment_id,
        districtId: r.district_id,
        districtRu: d?.name_ru ?? '',
        districtEn: d?.name_en ?? '',
        rejectedAt: r.rejected_at,
        exportId: r.rejected_export_id,
        snils: rec.snils ?? '',
        name: [rec.lastName, rec.firstName, rec.patronymic].filter(Boolean).join(' '),
        measureCode: rec.measureCode ?? '',
        reasons: r.reasons,
      };
    }),
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quote it with an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The rejections as CSV (UTF-8 with a BOM, so spreadsheets read the Cyrillic). */
export function rejectionsCsv(rows: RejectionView[]): string {
  const header = [
    'assignment_id',
    'district',
    'snils',
    'name',
    'measure',
    'reason_codes',
    'reasons',
    'rejected_at',
    'export_id',
  ];
  const lines = rows.map((r) =>
    [
      r.assignmentId,
      r.districtRu,
      r.snils,
      r.name,
      r.measureCode,
      r.reasons.map((x) => x.code).join(' '),
      r.reasons.map((x) => x.detail).join('; '),
      r.rejectedAt ? r.rejectedAt.toISOString() : '',
      r.exportId ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/** How many records the latest attempt rejected (region-wide: the page is for region-wide roles). */
export async function rejectedCount(db: DbOrTrx): Promise<number> {
  return await repo.countRejected(db);
}

/** For the quality figures of a later issue: assignments exported without rejection, rejected, pending. */
export async function exportStatusCounts(db: DbOrTrx): Promise<ExportStatusCounts[]> {
  return await exportStatusByDistrict(db);
}

/** Gives a measure its EGISSO classifier code (КМСЗ) and default recipient category. */
export async function setMeasureClassifier(
  db: DbOrTrx,
  m: { measureCode: string; kmszCode: string; defaultCategory: string },
): Promise<void> {
  if (!/^[0-9]{4}\.[0-9]{4}$/.test(m.kmszCode))
    throw new AppError('invalid_kmsz', 422, 'A classifier code (КМСЗ) looks like 0301.0001');
  if (!/^[0-9]{2}\.[0-9]{2}$/.test(m.defaultCategory))
    throw new AppError('invalid_category', 422, 'A category code looks like 03.01');
  await repo.setMeasureCode(db, {
    measure_code: m.measureCode,
    kmsz_code: m.kmszCode,
    default_category: m.defaultCategory,
  });
}

export type { ExportCandidate };
