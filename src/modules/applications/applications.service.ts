// Applications and cases: one process for every channel. A resident's portal application and a
// specialist's counter registration become the same kind of case, with the same clock, documents,
// decision and history. Every function takes the caller's transaction, opened at the request's edge.
import { randomUUID } from 'node:crypto';
import { record, recordManyPart } from '../../platform/audit/audit.service.ts';
import { inScope, type ResidentActor, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import { addWorkingDays } from '../../platform/calendar/calendar.service.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { readParts } from '../../platform/db/statement.ts';
import { AppError, AuditedRefusal, notFound, ValidationError } from '../../platform/errors.ts';
import { INLINE_LIMIT_BYTES, readBlob, smallBlobsPart } from '../../platform/storage/storage.inline.ts';
import type { PackedLocation } from '../../platform/storage/storage.packs.ts';
import { type BlobStore, sha256Hex } from '../../platform/storage/storage.service.ts';
import { sniffDocumentType } from '../../platform/storage/storage.sniff.ts';
import { regionToday } from '../../platform/time.ts';
import { type MeasureForApplication, measureForApplication } from '../catalog/catalog.service.ts';
import { requestDocumentsForCase } from '../interagency/interagency.service.ts';
import { notifyEachParts } from '../notifications/notifications.batch.ts';
import { type NotificationEvent, notify } from '../notifications/notifications.service.ts';
import { createAssignment } from '../registry/assignments.service.ts';
import { factsForPerson } from '../registry/facts.service.ts';
import { personsEssentialsPart } from '../registry/registry.intake.ts';
import { personForResident } from '../registry/registry.service.ts';
import { type Evaluation, ruleBookAsOf } from '../rules/rules.service.ts';
import { staffMember } from '../staff/staff.service.ts';
import * as repo from './applications.repository.ts';
import type {
  ApplicationAnswers,
  ApplicationChannel,
  ApplicationState,
  DecisionRecord,
  DocumentContentType,
  DocumentSource,
} from './applications.schema.ts';
import {
  APPEAL_DECISION_DAYS,
  appealOpenUntil,
  type CaseAction,
  canTake,
  deadlineFrom,
  INTERAGENCY_RESPONSE_DAYS,
  isRefusalGround,
  OPEN_STATES,
  priorityReasons,
  REFUSAL_GROUNDS,
  resumeClock,
  TRANSITIONS,
} from './applications.states.ts';

export type Application = repo.ApplicationRow;
export type ApplicationDocument = Awaited<ReturnType<typeof repo.documentsOf>>[number];
export type ApplicationEvent = Awaited<ReturnType<typeof repo.eventsOf>>[number];
export type Appeal = NonNullable<Awaited<ReturnType<typeof repo.findAppeal>>>;

/** Where a request came from: its address for the audit log; `today` only in tests. */
export interface Ctx {
  ip: string;
  today?: string;
}
const todayOf = (ctx: Ctx) => ctx.today ?? regionToday();

const staleCase = () =>
  new AppError(
    'stale_case',
    409,
    'Someone else changed this case while you were looking at it. Reload the case to see their change, then try again.',
  );

// ------------------------------------------------------------ measures and what we ask

/** Channels a measure is applied for; the portal only shows measures with 'portal'. */
export function portalApplicable(m: Pick<MeasureForApplication, 'channels' | 'is_active'>): boolean {
  return m.is_active && m.channels.includes('portal');
}

/** Documents the resident uploads (only evidence: no form, passport or bank-details paper online). */
export function documentsToUpload(m: MeasureForApplication) {
  return m.documents.filter((d) => d.purpose === 'evidence' && d.interagency_agency === null);
}

/** Documents another agency holds: we request them (210-FZ art. 7), the resident is never asked. */
export function documentsWeRequest(m: MeasureForApplication) {
  return m.documents.filter((d) => d.interagency_agency !== null);
}

/** Cash and compensation measures are paid somewhere: ask how. */
export function needsPaymentDetails(m: Pick<MeasureForApplication, 'form'>): boolean {
  return m.form === 'cash' || m.form === 'compensation';
}

const PHONE = /^\+?[0-9][0-9 ()-]{9,17}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** BIK (9 digits, Russian bank code) and account (20 digits) with the Bank of Russia's key check. */
export function validBankAccount(bik: string, account: string): boolean {
  if (!/^\d{9}$/.test(bik) || !/^\d{20}$/.test(account)) return false;
  const digits = `${bik.slice(-3)}${account}`;
  const weights = [7, 1, 3];
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (Number(digits[i]) * (weights[i % 3] ?? 0)) % 10;
  return sum % 10 === 0;
}

export type AnswerStep = 'contact' | 'payment';

/** Validates one step of answers; field errors keyed by the form's field names. */
export function parseAnswers(step: AnswerStep, body: Record<string, unknown>): Partial<ApplicationAnswers> {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const errors: Record<string, string> = {};
  if (step === 'contact') {
    const phone = str('phone');
    const email = str('email');
    if (!phone && !email) errors.phone = 'applications.error.contactRequired';
    if (phone && !PHONE.test(phone)) errors.phone = 'applications.error.phoneInvalid';
    if (email && !EMAIL.test(email)) errors.email = 'applications.error.emailInvalid';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return { phone: phone || undefined, email: email || undefined };
  }
  const method = str('method');
  if (method === 'post') return { payment: { method: 'post' } };
  if (method !== 'bank') throw new ValidationError({ method: 'applications.error.methodRequired' });
  const bik = str('bik').replace(/\s/g, '');
  const account = str('account').replace(/\s/g, '');
  if (!/^\d{9}$/.test(bik)) errors.bik = 'applications.error.bikInvalid';
  if (!/^\d{20}$/.test(account)) errors.account = 'applications.error.accountInvalid';
  else if (!errors.bik && !validBankAccount(bik, account)) errors.account = 'applications.error.accountKey';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { payment: { method: 'bank', bik, account } };
}

/** What is still missing before a portal application can be submitted; empty when complete. */
export function missingForSubmission(
  m: MeasureForApplication,
  answers: ApplicationAnswers,
  documents: Pick<ApplicationDocument, 'measure_document_id'>[],
): string[] {
  const missing: string[] = [];
  if (!answers.phone && !answers.email) missing.push('contact');
  if (needsPaymentDetails(m) && !answers.payment) missing.push('payment');
  const have = new Set(documents.map((d) => d.measure_document_id));
  for (const d of documentsToUpload(m)) if (!have.has(d.id)) missing.push(`document:${d.id}`);
  return missing;
}

// ------------------------------------------------------------ uploads

export interface StoredUpload {
  sha256: string;
  size: number;
  contentType: DocumentContentType;
  filename: string;
  /** A small document not yet stored: stored with the rows that name it (writeSubmissions, smallBlobsPart). */
  inline?: Buffer;
  /** Where that document went once appended to a pack (so a batch written again does not append it twice). */
  packed?: PackedLocation;
}

/** Keeps a name fit for display and a download header: no paths, no control characters. */
export function cleanFilename(name: string, contentType: DocumentContentType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}"]/gu, '')
    .trim()
    .slice(0, 120);
  const ext = contentType === 'application/pdf' ? 'pdf' : contentType === 'image/png' ? 'png' : 'jpg';
  return base || `document.${ext}`;
}

/**
 * Checks an upload (size, type from the bytes themselves) and stores it. Called before the
 * transaction: the blob store is content-addressed, so a failed transaction leaves at most an
 * unreferenced blob, never a row pointing at nothing.
 */
export async function acceptUpload(
  store: BlobStore,
  bytes: Buffer,
  filename: string,
  limitBytes: number,
): Promise<StoredUpload> {
  if (bytes.length === 0) throw new AppError('upload_empty', 422, 'The selected file is empty');
  if (bytes.length > limitBytes)
    throw new AppError(
      'upload_too_large',
      413,
      `The selected file must be smaller than ${Math.round(limitBytes / 1024 / 1024)} MB`,
    );
  const contentType = sniffDocumentType(bytes);
  if (!contentType) throw new AppError('upload_type', 415, 'The selected file must be a PDF, JPG or PNG');
  const { sha256, size } = await store.put(bytes);
  return { sha256, size, contentType, filename: cleanFilename(filename, contentType) };
}

/**
 * As acceptUpload, for the one-request API: a document of up to INLINE_LIMIT_BYTES is only hashed here
 * and stored by writeSubmissions with its application's batch (one sync for the whole batch's
 * documents instead of two fsyncs per file); a larger one goes to the blob store at once.
 */
export async function stageUpload(
  store: BlobStore,
  bytes: Buffer,
  filename: string,
  limitBytes: number,
): Promise<StoredUpload> {
  if (bytes.length === 0 || bytes.length > INLINE_LIMIT_BYTES)
    return await acceptUpload(store, bytes, filename, limitBytes);
  const contentType = sniffDocumentType(bytes);
  if (!contentType) throw new AppError('upload_type', 415, 'The selected file must be a PDF, JPG or PNG');
  return {
    sha256: sha256Hex(bytes),
    size: bytes.length,
    contentType,
    filename: cleanFilename(filename, contentType),
    inline: bytes,
  };
}

/** A document's bytes, wherever they are kept (PostgreSQL for small API uploads, else the blob store). */
export async function documentBytes(db: DbOrTrx, store: BlobStore, doc: { sha256: string }): Promise<Buffer> {
  return await readBlob(db, store, doc.sha256);
}

// ------------------------------------------------------------ events and audit

type Who =
  | { kind: 'resident'; actor: ResidentActor }
  | { kind: 'staff'; actor: StaffActor }
  | { kind: 'system' };

const whoId = (w: Who) =>
  w.kind === 'resident' ? w.actor.personId : w.kind === 'staff' ? w.actor.userId : null;

async function step(
  trx: Trx,
  who: Who,
  ctx: Ctx,
  app: Pick<Application, 'id' | 'district_id'>,
  kind: string,
  opts: {
    from?: ApplicationState | null;
    to?: ApplicationState | null;
    visible?: boolean;
    details?: Record<string, unknown>;
    appealId?: number;
  } = {},
): Promise<void> {
  await repo.insertEvent(trx, {
    application_id: app.id,
    appeal_id: opts.appealId ?? null,
    actor_kind: who.kind,
    actor_id: whoId(who),
    kind,
    from_state: opts.from ?? null,
    to_state: opts.to ?? null,
    visible_to_resident: opts.visible ?? false,
    details: opts.details ?? {},
  });
  await record(trx, {
    actor: { kind: who.kind, id: whoId(who) },
    action: `application.${kind}`,
    subject: { kind: 'application', id: app.id },
    districtId: app.district_id,
    ip: ctx.ip,
    details: { from: opts.from ?? null, to: opts.to ?? null, ...(opts.details ?? {}) },
  });
}

/** Tells the resident through the notification service (their channel; texts are its templates). */
async function inform(
  trx: Trx,
  app: Application,
  event: NotificationEvent,
  params: Record<string, string | number>,
) {
  await notify(trx, { personId: app.person_id, event, params: { number: app.number ?? '', ...params } });
}

// ------------------------------------------------------------ reading cases

async function requireApplication(db: DbOrTrx, id: number): Promise<Application> {
  const app = await repo.findApplication(db, id);
  if (!app) throw notFound('Application');
  return app;
}

/** A resident sees only their own applications; anyone else's id is "not found", not "forbidden". */
export async function applicationOfResident(
  db: DbOrTrx,
  resident: ResidentActor,
  id: number,
): Promise<Application> {
  const app = await repo.findApplication(db, id);
  if (!app || app.person_id !== resident.personId) throw notFound('Application');
  return app;
}

/**
 * A staff member's access to a case: outside their districts the case does not exist for them
 * (a forged id learns nothing), and the refusal is audited.
 */
export async function applicationForStaff(
  trx: Trx,
  staff: StaffActor,
  id: number,
  ctx: Ctx,
): Promise<Application> {
  const app = await repo.findApplication(trx, id);
  if (!app || app.state === 'draft') throw notFound('Application');
  if (!inScope(scopeOf(staff), app.district_id))
    throw new AuditedRefusal(notFound('Application'), {
      actor: { kind: 'staff', id: staff.userId },
      action: 'application.read.denied',
      subject: { kind: 'application', id },
      districtId: app.district_id,
      ip: ctx.ip,
    });
  return app;
}

export const applicationsOfPerson = repo.applicationsOfPerson;
export const documentsOf = repo.documentsOf;
export const eventsOf = repo.eventsOf;
export const appealsOf = repo.appealsOf;

/** The rules engine's view of this person and measure on a day, with its explanation. */
export async function decisionSupport(
  db: DbOrTrx,
  personId: number,
  measureCode: string,
  asOf: string,
): Promise<Evaluation | undefined> {
  const book = await ruleBookAsOf(db, asOf, [measureCode]);
  const rule = book.byMeasure.get(measureCode);
  if (!rule) return undefined;
  return rule.evaluate(await factsForPerson(db, personId, asOf), book.params);
}

// ------------------------------------------------------------ the portal: drafts and submission

/** Starts (or resumes) a resident's draft for a measure; one open draft per measure. */
export async function startDraft(
  trx: Trx,
  resident: ResidentActor,
  measureCode: string,
  ctx: Ctx,
): Promise<number> {
  const measure = await measureForApplication(trx, { code: measureCode });
  if (!portalApplicable(measure))
    throw new AppError(
      'not_on_portal',
      422,
      'This measure cannot be applied for online; book a visit to an office',
    );
  const existing = (await repo.applicationsOfPerson(trx, resident.personId)).find(
    (a) => a.state === 'draft' && a.measure_id === measure.id,
  );
  if (existing) return existing.id;
  const { person } = await personForResident(trx, resident.personId);
  const id = await repo.insertApplication(trx, {
    person_id: person.id,
    district_id: person.district_id,
    measure_id: measure.id,
    channel: 'portal',
    state: 'draft',
    // Pre-filled from the registry; the resident confirms or corrects it.
    answers: { phone: person.phone ?? undefined, email: person.email ?? undefined },
    decision_days: measure.decision_days,
    submission_key: `resident:${resident.accountId}:${randomUUID()}`,
  });
  if (id === undefined)
    throw new AppError('draft_conflict', 409, 'Could not start the application, try again');
  await step(
    trx,
    { kind: 'resident', actor: resident },
    ctx,
    { id, district_id: person.district_id },
    'draft_started',
  );
  return id;
}

async function draftOf(trx: Trx, resident: ResidentActor, id: number): Promise<Application> {
  const app = await applicationOfResident(trx, resident, id);
  if (app.state !== 'draft')
    throw new AppError(
      'not_a_draft',
      409,
      'This application has already been sent and can no longer be changed',
    );
  return app;
}

export async function saveAnswers(
  trx: Trx,
  resident: ResidentActor,
  id: number,
  patch: Partial<ApplicationAnswers>,
): Promise<void> {
  const app = await draftOf(trx, resident, id);
  const updated = await repo.updateApplication(trx, id, app.version, {
    answers: { ...app.answers, ...patch },
  });
  if (!updated) throw staleCase();
}

/** Attaches a stored upload to a case: the resident's draft or a case waiting for their documents, or staff on an open case. */
export async function attachDocument(
  trx: Trx,
  who: { kind: 'resident'; actor: ResidentActor } | { kind: 'staff'; actor: StaffActor },
  id: number,
  upload: StoredUpload,
  what: { measureDocumentId?: number | null; title?: string; source?: DocumentSource },
  ctx: Ctx,
): Promise<number> {
  const app =
    who.kind === 'resident'
      ? await applicationOfResident(trx, who.actor, id)
      : await applicationForStaff(trx, who.actor, id, ctx);
  const open = who.kind === 'resident' ? ['draft', 'waiting_resident'] : [...OPEN_STATES];
  if (!open.includes(app.state))
    throw new AppError('case_closed', 409, 'Documents can no longer be added to this application');
  const measure = await measureForApplication(trx, { id: app.measure_id });
  const listed = what.measureDocumentId
    ? measure.documents.find((d) => d.id === what.measureDocumentId)
    : undefined;
  if (what.measureDocumentId && !listed)
    throw new ValidationError({ document: 'applications.error.documentUnknown' });
  // On the portal a draft takes only what the resident must provide, never what we request ourselves.
  const mustUpload = documentsToUpload(measure).some((d) => d.id === listed?.id);
  if (who.kind === 'resident' && app.state === 'draft' && !mustUpload)
    throw new ValidationError({ document: 'applications.error.documentUnknown' });
  const title = listed?.title_ru ?? what.title?.trim();
  if (!title) throw new ValidationError({ title: 'applications.error.documentTitle' });
  const docId = await repo.insertDocument(trx, {
    application_id: id,
    measure_document_id: listed?.id ?? null,
    title,
    source: what.source ?? (who.kind === 'resident' ? 'resident' : 'staff'),
    sha256: upload.sha256,
    size: upload.size,
    content_type: upload.contentType,
    filename: upload.filename,
    added_by_staff: who.kind === 'staff' ? who.actor.userId : null,
  });
  await step(trx, who, ctx, app, 'document_added', {
    visible: app.state !== 'draft',
    details: { documentId: docId, title, sha256: upload.sha256 },
  });
  return docId;
}

export async function removeDraftDocument(trx: Trx, resident: ResidentActor, id: number, documentId: number) {
  await draftOf(trx, resident, id);
  if (!(await repo.deleteDocument(trx, documentId, id))) throw notFound('Document');
}

function registrationFields(today: string, decisionDays: number) {
  return { registered_on: today, deadline_on: deadlineFrom(today, decisionDays) };
}

async function onSubmitted(trx: Trx, who: Who, ctx: Ctx, app: Application, measure: MeasureForApplication) {
  await step(trx, who, ctx, app, 'submitted', {
    from: 'draft',
    to: app.state,
    visible: true,
    details: { channel: app.channel },
  });
  await inform(trx, app, 'application_received', {
    measure_ru: measure.title_ru,
    measure_en: measure.title_en,
    days: measure.decision_days,
  });
}

/** Sends a complete draft. Sending it again (a double click, a retry) finds it sent and succeeds. */
export async function submitDraft(
  trx: Trx,
  resident: ResidentActor,
  id: number,
  ctx: Ctx,
): Promise<Application> {
  // Two sends of the same form at once: the second waits here and then finds the draft sent.
  await repo.lockApplication(trx, id);
  const app = await applicationOfResident(trx, resident, id);
  if (app.state !== 'draft') {
    if (app.submitted_at) return app; // the same submission, repeated
    throw new AppError('not_a_draft', 409, 'This application can no longer be sent');
  }
  const measure = await measureForApplication(trx, { id: app.measure_id });
  const missing = missingForSubmission(measure, app.answers, await repo.documentsOf(trx, id));
  if (missing.length)
    throw new AppError('application_incomplete', 422, 'The application is not complete', { missing });
  if (!app.answers.declared) throw new ValidationError({ declared: 'applications.error.declare' });
  return await submit(trx, { kind: 'resident', actor: resident }, ctx, app, measure);
}

async function submit(trx: Trx, who: Who, ctx: Ctx, app: Application, measure: MeasureForApplication) {
  const { person } = await personForResident(trx, app.person_id);
  const reasons = priorityReasons(person, measure.priorityCategories);
  const today = todayOf(ctx);
  const updated = await repo.updateApplication(trx, app.id, app.version, {
    state: 'submitted',
    number: await repo.nextNumber(trx, Number(today.slice(0, 4))),
    submitted_at: new Date(),
    priority: reasons.length > 0,
    priority_reasons: reasons,
  });
  if (!updated) throw staleCase();
  await onSubmitted(trx, who, ctx, updated, measure);
  return updated;
}

export interface CompleteSubmission {
  measureCode: string;
  answers: ApplicationAnswers;
  documents: Array<{ measureDocumentId: number; upload: StoredUpload }>;
  /** The client's key for this submission: the same key twice is the same application. */
  idempotencyKey: string;
}

const KEY = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * A complete application in one request (the JSON/multipart API that scripts and the enhanced
 * portal use). Returns the application and whether it was created now or found from an earlier try.
 */
export async function submitComplete(
  trx: Trx,
  resident: ResidentActor,
  s: CompleteSubmission,
  ctx: Ctx,
  /** The measure as the caller already read it (the API caches it for a few seconds). */
  preloaded?: MeasureForApplication,
): Promise<{ application: Application; created: boolean }> {
  const measure =
    preloaded?.code === s.measureCode ? preloaded : await measureForApplication(trx, { code: s.measureCode });
  const [result] = await writeSubmissions(trx, [prepareSubmission(resident, s, measure, ctx)]);
  if (!result) throw new Error('writeSubmissions returned no result');
  if ('error' in result) throw result.error;
  return result;
}

/** A complete submission checked and ready to write: what the batched writer queues. */
export interface PreparedSubmission {
  resident: ResidentActor;
  measure: MeasureForApplication;
  answers: ApplicationAnswers;
  documents: Array<{ listed: MeasureForApplication['documents'][number]; upload: StoredUpload }>;
  /** The submission key: the resident's account and their Idempotency-Key. */
  key: string;
  ctx: Ctx;
}

export type SubmissionResult =
  | { application: Application; created: boolean; timing?: WriteTiming }
  | { error: unknown };

/** Where a group write's time went (ms), for the Server-Timing header the intake benchmark reads. */
export interface WriteTiming {
  /** Waiting for the batch ahead to finish. */
  queue: number;
  read: number;
  /** Appending the batch's small documents to a pack and syncing it. */
  pack: number;
  /** The batch's one statement, with its commit. */
  statement: number;
}

/** Everything submitComplete checks without the database; throws the same errors. */
export function prepareSubmission(
  resident: ResidentActor,
  s: CompleteSubmission,
  measure: MeasureForApplication,
  ctx: Ctx,
): PreparedSubmission {
  if (!KEY.test(s.idempotencyKey))
    throw new AppError('idempotency_key', 422, 'Idempotency-Key must be 8–100 letters, digits, "-" or "_"');
  if (measure.code !== s.measureCode) throw new Error('prepareSubmission: the measure given is another one');
  if (!portalApplicable(measure))
    throw new AppError('not_on_portal', 422, 'This measure cannot be applied for online');
  const answers = { ...s.answers, declared: true };
  const missing = missingForSubmission(
    measure,
    answers,
    s.documents.map((d) => ({ measure_document_id: d.measureDocumentId })),
  );
  if (missing.length)
    throw new AppError('application_incomplete', 422, 'The application is not complete', { missing });
  const documents = s.documents.map((d) => {
    const listed = measure.documents.find((x) => x.id === d.measureDocumentId);
    if (!listed) throw new ValidationError({ document: 'applications.error.documentUnknown' });
    return { listed, upload: d.upload };
  });
  return {
    resident,
    measure,
    answers,
    documents,
    key: `resident:${resident.accountId}:${s.idempotencyKey}`,
    ctx,
  };
}

/**
 * Writes prepared submissions (the hot path of the portal; a national peak is a million a day) in
 * a fixed number of round trips however many there are: one read (the applicants, keys already
 * taken, ids and numbers for the new applications), the small documents appended to a pack with one
 * sync (where the store keeps packs: local disk), then ONE statement that writes the
 * applications, documents, where their bytes are (or the bytes), events, audit entries and notifications together
 * (repo.writeSubmittedBatch). That statement is atomic on its own, so no BEGIN/COMMIT either.
 * A result per submission, in order: a repeated key (earlier, or twice in this batch) finds the
 * application the first one created; a submission that cannot be written gets its error and does
 * not stop the others. A key taken between the reads and the write (another server process) fails
 * the statement; the caller then writes each submission alone (applications.intake.ts).
 */
export async function writeSubmissions(
  db: DbOrTrx,
  batch: PreparedSubmission[],
  /** Where small documents are packed (local disk); without one they go in the statement itself. */
  store?: BlobStore,
  /** Filled with the time each step took (ms). */
  timing?: Omit<WriteTiming, 'queue'>,
): Promise<SubmissionResult[]> {
  let lap = performance.now();
  const took = () => {
    const now = performance.now();
    const ms = now - lap;
    lap = now;
    return ms;
  };
  const results: Array<SubmissionResult | undefined> = batch.map(() => undefined);
  const keys = [...new Set(batch.map((p) => p.key))];
  const {
    persons: personRows,
    taken,
    allocated,
  } = await readParts(db, {
    persons: personsEssentialsPart([...new Set(batch.map((p) => p.resident.personId))]),
    taken: repo.takenKeysPart(keys),
    // One for each distinct key; a key found taken leaves its id and number unused (sequences have gaps anyway).
    allocated: repo.allocatedPart(keys.length),
  });
  // Only a retried submission finds its key taken: its application is read in full then.
  const earlierRows =
    taken.length === 0
      ? []
      : await repo.findBySubmissionKeys(
          db,
          taken.map((t) => t.submission_key),
        );
  if (timing) timing.read = took();
  const persons = new Map(personRows.map((p) => [p.id, p]));
  const earlier = new Map(earlierRows.map((a) => [a.submission_key, a]));
  // The first submission with a new key writes it; later ones with the same key repeat it.
  const leaders = new Map<string, number>();
  batch.forEach((p, i) => {
    const found = earlier.get(p.key);
    if (found) results[i] = { application: found, created: false };
    else if (!persons.has(p.resident.personId)) results[i] = { error: notFound('Person') };
    else if (!leaders.has(p.key)) leaders.set(p.key, i);
  });
  const submittedAt = new Date();
  const fresh = [...leaders.values()].map((i, k) => {
    const p = batch[i]!;
    const person = persons.get(p.resident.personId)!;
    const { id, n } = allocated[k]!;
    const reasons = priorityReasons(person, p.measure.priorityCategories);
    const row: repo.SubmittedRow = {
      id,
      number: `${todayOf(p.ctx).slice(0, 4)}-${String(n).padStart(6, '0')}`,
      person_id: person.id,
      district_id: person.district_id,
      measure_id: p.measure.id,
      channel: 'portal',
      state: 'submitted',
      answers: p.answers,
      priority: reasons.length > 0,
      priority_reasons: reasons,
      decision_days: p.measure.decision_days,
      submission_key: p.key,
    };
    return { p, row };
  });
  // Before the statement: a row must never name document bytes that are not yet durable.
  const documentsPart = await smallBlobsPart(
    store,
    fresh.flatMap(({ p }) => p.documents.map(({ upload }) => upload)),
  );
  if (timing) timing.pack = took();
  const written = new Map(
    (fresh.length === 0
      ? []
      : await repo.writeSubmittedBatch(
          db,
          {
            submittedAt,
            applications: fresh.map(({ row }) => row),
            documents: fresh.flatMap(({ p, row }) =>
              p.documents.map(({ listed, upload }) => ({
                application_id: row.id,
                measure_document_id: listed.id,
                title: listed.title_ru,
                source: 'resident' as const,
                sha256: upload.sha256,
                size: upload.size,
                content_type: upload.contentType,
                filename: upload.filename,
                added_by_staff: null,
              })),
            ),
            // What onSubmitted does for one: the 'submitted' event, its audit entry, the resident told.
            events: fresh.map(({ p, row }) => ({
              application_id: row.id,
              appeal_id: null,
              actor_kind: 'resident' as const,
              actor_id: p.resident.personId,
              kind: 'submitted',
              from_state: 'draft' as const,
              to_state: row.state,
              visible_to_resident: true,
              details: { channel: row.channel },
            })),
          },
          [
            documentsPart,
            recordManyPart(
              fresh.map(({ p, row }) => ({
                actor: { kind: 'resident' as const, id: p.resident.personId },
                action: 'application.submitted',
                subject: { kind: 'application', id: row.id },
                districtId: row.district_id,
                ip: p.ctx.ip,
                details: { from: 'draft', to: row.state, channel: row.channel },
              })),
            ),
            ...notifyEachParts(
              fresh.map(({ p, row }) => ({
                personId: row.person_id,
                event: 'application_received' as const,
                params: {
                  number: row.number,
                  measure_ru: p.measure.title_ru,
                  measure_en: p.measure.title_en,
                  days: p.measure.decision_days,
                },
              })),
            ),
          ].filter((part) => part !== undefined),
        )
    ).map((a) => [a.submission_key, a]),
  );
  if (timing) timing.statement = took();
  batch.forEach((p, i) => {
    if (results[i]) return;
    const app = written.get(p.key);
    results[i] = app
      ? { application: app, created: leaders.get(p.key) === i }
      : { error: new AppError('submission_conflict', 409, 'Try again') };
  });
  return results as SubmissionResult[];
}

/** A resident withdraws an application before the decision. */
export async function withdraw(trx: Trx, resident: ResidentActor, id: number, version: number, ctx: Ctx) {
  const app = await applicationOfResident(trx, resident, id);
  if (!canTake('withdraw', app.state))
    throw new AppError(
      'cannot_withdraw',
      409,
      'A decision has already been made; this application can no longer be withdrawn',
    );
  const updated = await repo.updateApplication(trx, id, version, { state: 'withdrawn', paused_since: null });
  if (!updated) throw staleCase();
  await step(trx, { kind: 'resident', actor: resident }, ctx, app, 'withdrawn', {
    from: app.state,
    to: 'withdrawn',
    visible: true,
  });
}

// ------------------------------------------------------------ the counter

export interface CounterRegistration {
  personId: number;
  measureCode: string;
  channel: Exclude<ApplicationChannel, 'portal' | 'proactive'>;
  answers: ApplicationAnswers;
  emergency: boolean;
  /** From the form, so a double-submitted counter form registers one application. */
  idempotencyKey: string;
}

/**
 * A specialist registers an application on a resident's behalf (in person, from the MFC, by post):
 * registered at once, so the clock starts today.
 */
export async function registerAtCounter(
  trx: Trx,
  staff: StaffActor,
  r: CounterRegistration,
  ctx: Ctx,
): Promise<number> {
  if (!KEY.test(r.idempotencyKey))
    throw new AppError('idempotency_key', 422, 'The form is out of date; open it again');
  const key = `staff:${staff.userId}:${r.idempotencyKey}`;
  const earlier = await repo.findBySubmissionKey(trx, key);
  if (earlier) return earlier.id;
  const { person } = await personForResident(trx, r.personId);
  if (!inScope(scopeOf(staff), person.district_id))
    throw new AuditedRefusal(notFound('Person'), {
      actor: { kind: 'staff', id: staff.userId },
      action: 'person.read.denied',
      subject: { kind: 'person', id: person.id },
      districtId: person.district_id,
      ip: ctx.ip,
    });
  const measure = await measureForApplication(trx, { code: r.measureCode });
  if (!measure.is_active || !measure.channels.includes('in_person'))
    throw new ValidationError({ measure: 'applications.error.measureNotAtCounter' });
  const today = todayOf(ctx);
  const reasons = priorityReasons(person, measure.priorityCategories, r.emergency);
  const id = await repo.insertApplication(trx, {
    number: await repo.nextNumber(trx, Number(today.slice(0, 4))),
    person_id: person.id,
    district_id: person.district_id,
    measure_id: measure.id,
    channel: r.channel,
    state: 'registered',
    answers: { ...r.answers, declared: true },
    priority: reasons.length > 0,
    priority_reasons: reasons,
    decision_days: measure.decision_days,
    ...registrationFields(today, measure.decision_days),
    assignee_id: staff.userId,
    submission_key: key,
    created_by_staff: staff.userId,
    submitted_at: new Date(),
  });
  if (id === undefined) return (await repo.findBySubmissionKey(trx, key))?.id ?? 0;
  const app = await requireApplication(trx, id);
  const who: Who = { kind: 'staff', actor: staff };
  await step(trx, who, ctx, app, 'registered', {
    from: null,
    to: 'registered',
    visible: true,
    details: { channel: r.channel, deadline: app.deadline_on },
  });
  await inform(trx, app, 'application_registered', {
    measure_ru: measure.title_ru,
    measure_en: measure.title_en,
    date: today,
    deadline: app.deadline_on ?? '',
  });
  // Documents other agencies hold are requested now, never asked of the resident (210-FZ art. 7).
  await requestDocumentsForCase(trx, app, documentsWeRequest(measure), today);
  return id;
}

// ------------------------------------------------------------ staff actions on a case

export interface ActionInput {
  /** request_documents, suspend, refuse, approve: what to tell the resident or record. */
  note?: string;
  /** refuse: a key of REFUSAL_GROUNDS. */
  ground?: string;
}

/** Takes one step of the case's life (see TRANSITIONS); `version` is the one the specialist saw. */
export async function act(
  trx: Trx,
  staff: StaffActor,
  id: number,
  version: number,
  action: Exclude<CaseAction, 'withdraw' | 'approve'>,
  input: ActionInput,
  ctx: Ctx,
): Promise<Application> {
  const app = await applicationForStaff(trx, staff, id, ctx);
  if (app.version !== version) throw staleCase();
  if (!canTake(action, app.state))
    throw new AppError(
      'invalid_transition',
      409,
      `This case is ${app.state}; "${action}" is not possible now`,
    );
  const today = todayOf(ctx);
  const to = TRANSITIONS[action].to;
  const note = input.note?.trim() ?? '';
  if (note.length > 4000) throw new ValidationError({ note: 'applications.error.noteLong' });
  const patch: repo.ApplicationPatch = { state: to };
  let visible = false;
  if (action === 'register') {
    Object.assign(patch, registrationFields(today, app.decision_days));
    visible = true;
  }
  if (app.state === 'waiting_resident' && app.paused_since && app.deadline_on) {
    const resumed = resumeClock(app.deadline_on, app.paused_since, today);
    Object.assign(patch, {
      deadline_on: resumed.deadlineOn,
      paused_since: null,
      paused_days: app.paused_days + resumed.pausedDays,
    });
  }
  if (action === 'request_documents') {
    if (!note) throw new ValidationError({ note: 'applications.error.whatDocuments' });
    Object.assign(patch, { paused_since: today });
    visible = true;
  }
  if (action === 'request_interagency') {
    Object.assign(patch, { interagency_due_on: addWorkingDays(today, INTERAGENCY_RESPONSE_DAYS) });
  }
  if (action === 'suspend' && !note) throw new ValidationError({ note: 'applications.error.suspendReason' });
  let decision: DecisionRecord | undefined;
  if (action === 'refuse') {
    if (!input.ground || !isRefusalGround(input.ground))
      throw new ValidationError({ ground: 'applications.error.ground' });
    const measure = await measureForApplication(trx, { id: app.measure_id });
    decision = {
      outcome: 'refused',
      on: today,
      measureTitle: { ru: measure.title_ru, en: measure.title_en },
      legalBasis: { ru: measure.legal_basis_ru, en: measure.legal_basis_en },
      ground: input.ground,
      note,
      decidedBy: staff.fullName,
    };
    Object.assign(patch, { decision, decided_at: new Date(), decided_by: staff.userId, paused_since: null });
    visible = true;
  }
  const updated = await repo.updateApplication(trx, id, version, patch);
  if (!updated) throw staleCase();
  await step(trx, { kind: 'staff', actor: staff }, ctx, app, action, {
    from: app.state,
    to,
    visible,
    details: { note: note || undefined, ground: input.ground, deadline: updated.deadline_on },
  });
  if (action === 'request_documents') await inform(trx, updated, 'documents_needed', { note });
  if (action === 'register') {
    const measure = await measureForApplication(trx, { id: app.measure_id });
    await inform(trx, updated, 'application_registered', {
      measure_ru: measure.title_ru,
      measure_en: measure.title_en,
      date: today,
      deadline: updated.deadline_on ?? '',
    });
    // Documents other agencies hold are requested now, never asked of the resident (210-FZ art. 7).
    if (await requestDocumentsForCase(trx, updated, documentsWeRequest(measure), today))
      return await requireApplication(trx, id);
  }
  if (decision) await informDecision(trx, updated, decision);
  return updated;
}

async function informDecision(trx: Trx, app: Application, d: DecisionRecord) {
  const approved = d.outcome === 'approved';
  const ground = d.ground && isRefusalGround(d.ground) ? REFUSAL_GROUNDS[d.ground] : undefined;
  await inform(
    trx,
    app,
    'decision',
    approved
      ? {
          outcome: 'approved',
          measure_ru: d.measureTitle.ru,
          measure_en: d.measureTitle.en,
          start: d.startDate ?? '',
        }
      : {
          outcome: 'refused',
          ground_ru: ground?.ru ?? '',
          ground_en: ground?.en ?? '',
          appeal_until: appealOpenUntil(d.on),
        },
  );
}

/**
 * Approves: the decision (with the rules engine's amount, or the specialist's reasons for departing
 * from it) and the assignment in the registry, from the day the application was registered.
 */
export async function approve(
  trx: Trx,
  staff: StaffActor,
  id: number,
  version: number,
  input: { note?: string },
  ctx: Ctx,
  onAppeal?: number,
): Promise<Application> {
  const app = onAppeal ? await requireApplication(trx, id) : await applicationForStaff(trx, staff, id, ctx);
  if (app.version !== version) throw staleCase();
  if (!onAppeal && !canTake('approve', app.state))
    throw new AppError('invalid_transition', 409, `This case is ${app.state}; it cannot be approved now`);
  const measure = await measureForApplication(trx, { id: app.measure_id });
  const startDate = app.registered_on ?? todayOf(ctx);
  const support = await decisionSupport(trx, app.person_id, measure.code, startDate);
  const note = input.note?.trim() ?? '';
  if (support && !support.eligible && !note)
    throw new ValidationError({ note: 'applications.error.overrideReason' });
  const amount = support?.eligible ? (support.amount ?? 0) : 0;
  const assignmentId = await createAssignment(trx, {
    personId: app.person_id,
    measureId: app.measure_id,
    basis: 'application',
    amount,
    startDate,
    ruleVersionId: support?.ruleVersionId ?? null,
    parameters: { application: app.number, ...(support?.parameters ?? {}) },
    actorId: staff.userId,
  });
  const decision: DecisionRecord = {
    outcome: 'approved',
    on: todayOf(ctx),
    measureTitle: { ru: measure.title_ru, en: measure.title_en },
    legalBasis: { ru: measure.legal_basis_ru, en: measure.legal_basis_en },
    note,
    amount,
    startDate,
    decidedBy: staff.fullName,
    ruleVersionId: support?.ruleVersionId ?? null,
    onAppeal,
    // The refusal an appeal set aside stays on record inside the decision that replaced it.
    reversed: onAppeal && app.decision ? app.decision : undefined,
  };
  const updated = await repo.updateApplication(trx, id, version, {
    state: 'approved',
    decision,
    decided_at: new Date(),
    decided_by: staff.userId,
    assignment_id: assignmentId,
    paused_since: null,
  });
  if (!updated) throw staleCase();
  await step(trx, { kind: 'staff', actor: staff }, ctx, app, onAppeal ? 'approved_on_appeal' : 'approve', {
    from: app.state,
    to: 'approved',
    visible: true,
    appealId: onAppeal,
    details: {
      assignmentId,
      amount,
      startDate,
      note: note || undefined,
      eligibleByRules: support?.eligible ?? null,
    },
  });
  await informDecision(trx, updated, decision);
  return updated;
}

/** Assigns a case: a specialist may take an unassigned one; the district head assigns anyone. */
export async function assign(
  trx: Trx,
  staff: StaffActor,
  id: number,
  version: number,
  assigneeId: number,
  ctx: Ctx,
): Promise<void> {
  const app = await applicationForStaff(trx, staff, id, ctx);
  if (app.version !== version) throw staleCase();
  const head = staff.role === 'district_head' || staff.role === 'administrator';
  if (!head && !(assigneeId === staff.userId && app.assignee_id === null))
    throw new AppError('forbidden', 403, 'Only the district head can reassign a case');
  const assignee = await staffMember(trx, assigneeId);
  if (!assignee?.districtIds.includes(app.district_id))
    throw new ValidationError({ assignee: 'applications.error.assigneeDistrict' });
  const updated = await repo.updateApplication(trx, id, version, { assignee_id: assigneeId });
  if (!updated) throw staleCase();
  await step(trx, { kind: 'staff', actor: staff }, ctx, app, 'assigned', {
    details: { from: app.assignee_id, to: assigneeId },
  });
}

/** An internal note on the case, or (toResident) a message the resident sees and is told about. */
export async function addNote(
  trx: Trx,
  staff: StaffActor,
  id: number,
  text: string,
  toResident: boolean,
  ctx: Ctx,
) {
  const app = await applicationForStaff(trx, staff, id, ctx);
  const body = text.trim();
  if (!body) throw new ValidationError({ text: 'applications.error.noteEmpty' });
  if (body.length > 4000) throw new ValidationError({ text: 'applications.error.noteLong' });
  await step(trx, { kind: 'staff', actor: staff }, ctx, app, toResident ? 'message' : 'note', {
    visible: toResident,
    details: { text: body },
  });
  if (toResident) await inform(trx, app, 'message', { text: body });
}

/** A staff read of a document: in scope, audited with the reason, then the bytes. */
export async function documentForStaff(trx: Trx, staff: StaffActor, documentId: number, ctx: Ctx) {
  const doc = await repo.findDocument(trx, documentId);
  if (!doc) throw notFound('Document');
  const app = await applicationForStaff(trx, staff, doc.application_id, ctx);
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'document.viewed',
    subject: { kind: 'application_document', id: documentId },
    districtId: app.district_id,
    ip: ctx.ip,
    details: { application: app.id, reason: 'case_review', sha256: doc.sha256 },
  });
  return doc;
}

export async function documentForResident(db: DbOrTrx, resident: ResidentActor, documentId: number) {
  const doc = await repo.findDocument(db, documentId);
  if (!doc) throw notFound('Document');
  await applicationOfResident(db, resident, doc.application_id);
  return doc;
}

// ------------------------------------------------------------ the work queue

export interface QueueOptions {
  assignee?: 'mine' | 'unassigned' | 'all';
  measureId?: number;
  page?: number;
}

export const QUEUE_PAGE_SIZE = 50;

/** Open cases of the specialist's districts: priority first, then the deadline. */
export async function workQueue(db: DbOrTrx, staff: StaffActor, o: QueueOptions = {}) {
  const filter: repo.QueueFilter = {
    scope: scopeOf(staff),
    assigneeId: o.assignee === 'mine' ? staff.userId : o.assignee === 'unassigned' ? 'none' : undefined,
    measureId: o.measureId,
    limit: QUEUE_PAGE_SIZE,
    offset: Math.max(0, (o.page ?? 1) - 1) * QUEUE_PAGE_SIZE,
  };
  const [rows, total] = await Promise.all([repo.queue(db, filter), repo.queueCount(db, filter)]);
  return { rows, total };
}

// ------------------------------------------------------------ appeals

/** An appeal against a specialist's decision goes to the district head; against the head's own, to the ministry. */
async function appealLevelFor(db: DbOrTrx, app: Application): Promise<'district_head' | 'ministry'> {
  const decider = app.decided_by === null ? undefined : await staffMember(db, app.decided_by);
  return decider?.role === 'district_head' ? 'ministry' : 'district_head';
}

/** Files an appeal against a refusal, online (the resident) or at the counter (staff on their behalf). */
export async function fileAppeal(
  trx: Trx,
  who: { kind: 'resident'; actor: ResidentActor } | { kind: 'staff'; actor: StaffActor },
  id: number,
  input: { grounds: string; idempotencyKey: string; channel?: 'in_person' | 'mfc' | 'post' },
  ctx: Ctx,
): Promise<number> {
  const app =
    who.kind === 'resident'
      ? await applicationOfResident(trx, who.actor, id)
      : await applicationForStaff(trx, who.actor, id, ctx);
  if (!KEY.test(input.idempotencyKey))
    throw new AppError('idempotency_key', 422, 'The form is out of date; open it again');
  const key = `${who.kind}:${whoId(who)}:${input.idempotencyKey}`;
  const earlier = await repo.findAppealBySubmissionKey(trx, key);
  if (earlier) return earlier.id;
  if (app.state !== 'refused' || !app.decision)
    throw new AppError('nothing_to_appeal', 409, 'Only a refusal can be appealed');
  const today = todayOf(ctx);
  if (today > appealOpenUntil(app.decision.on))
    throw new AppError(
      'appeal_too_late',
      422,
      `The period for an appeal ended on ${appealOpenUntil(app.decision.on)}`,
    );
  if ((await repo.appealsOf(trx, id)).some((a) => a.state === 'registered'))
    throw new AppError('appeal_pending', 409, 'An appeal against this decision is already being considered');
  const grounds = input.grounds.trim();
  if (!grounds) throw new ValidationError({ grounds: 'applications.error.grounds' });
  if (grounds.length > 4000) throw new ValidationError({ grounds: 'applications.error.groundsLong' });
  const appealId = await repo.insertAppeal(trx, {
    application_id: id,
    person_id: app.person_id,
    district_id: app.district_id,
    channel: who.kind === 'resident' ? 'portal' : (input.channel ?? 'in_person'),
    level: await appealLevelFor(trx, app),
    grounds,
    registered_on: today,
    deadline_on: addWorkingDays(today, APPEAL_DECISION_DAYS),
    submission_key: key,
  });
  if (appealId === undefined) return (await repo.findAppealBySubmissionKey(trx, key))?.id ?? 0;
  await step(trx, who, ctx, app, 'appeal_filed', { visible: true, appealId, details: { grounds } });
  return appealId;
}

/** Who may decide an appeal: the district head for their districts, ministry staff for ministry-level ones. */
export function mayDecideAppeal(staff: StaffActor, appeal: Appeal): boolean {
  if (staff.role === 'administrator') return true;
  if (appeal.level === 'ministry') return staff.role === 'ministry_analyst';
  return staff.role === 'district_head' && staff.districtIds.includes(appeal.district_id);
}

export async function appealForStaff(
  trx: Trx,
  staff: StaffActor,
  appealId: number,
  ctx: Ctx,
): Promise<Appeal> {
  const appeal = await repo.findAppeal(trx, appealId);
  if (!appeal || !inScope(scopeOf(staff), appeal.district_id)) throw notFound('Appeal');
  await record(trx, {
    actor: { kind: 'staff', id: staff.userId },
    action: 'appeal.viewed',
    subject: { kind: 'appeal', id: appealId },
    districtId: appeal.district_id,
    ip: ctx.ip,
    details: { reason: 'appeal_review' },
  });
  return appeal;
}

/** Decides an appeal; upholding it reverses the refusal and assigns the measure from the original date. */
export async function decideAppeal(
  trx: Trx,
  staff: StaffActor,
  appealId: number,
  version: number,
  outcome: 'upheld' | 'dismissed',
  note: string,
  ctx: Ctx,
): Promise<void> {
  const appeal = await repo.findAppeal(trx, appealId);
  if (!appeal || !inScope(scopeOf(staff), appeal.district_id)) throw notFound('Appeal');
  if (!mayDecideAppeal(staff, appeal))
    throw new AppError(
      'forbidden',
      403,
      appeal.level === 'ministry'
        ? 'This appeal is decided by the ministry'
        : 'Appeals are decided by the district head',
    );
  if (appeal.state !== 'registered')
    throw new AppError('appeal_decided', 409, 'This appeal has already been decided');
  const text = note.trim();
  if (!text) throw new ValidationError({ note: 'applications.error.appealNote' });
  const updated = await repo.updateAppeal(trx, appealId, version, {
    state: outcome,
    outcome_note: text,
    decided_at: new Date(),
    decided_by: staff.userId,
  });
  if (!updated) throw staleCase();
  const app = await requireApplication(trx, appeal.application_id);
  await step(trx, { kind: 'staff', actor: staff }, ctx, app, `appeal_${outcome}`, {
    visible: true,
    appealId,
    details: { note: text },
  });
  if (outcome === 'upheld') await approve(trx, staff, app.id, app.version, { note: text }, ctx, appealId);
  else await inform(trx, app, 'decision', { outcome: 'appeal_dismissed', note: text });
}

/** Open appeals this staff member decides: the district head's level for heads, the ministry's for analysts. */
export async function openAppeals(db: DbOrTrx, staff: StaffActor) {
  const level =
    staff.role === 'district_head'
      ? 'district_head'
      : staff.role === 'ministry_analyst'
        ? 'ministry'
        : undefined;
  return await repo.openAppeals(db, scopeOf(staff), level);
}

/** Response to a campaign: how many of the persons (a subquery of ids) applied for the measure since. */
export const countApplicantsSince = repo.countApplicantsSince;
