// The one-request submission API: a complete portal application (answers and documents) in one
// multipart POST, for scripts and the enhanced portal. Each route reads: access (resident, checked
// centrally) → CSRF (header x-csrf-token or field _csrf) → validation at the edge → uploads hashed (small ones are
// stored with the rows, larger ones content-addressed before the write) → one statement, shared with the submissions that
// arrive at the same time (applications.intake.ts) → JSON.
//
//   GET  /api/csrf                 → { token } (and the CSRF cookie) for a script's later POSTs
//   POST /api/applications         → 201 { id, number, state, created: true } | 200 { …, created: false }
//   GET  /api/applications/:id     → the status of one of the resident's own applications
//
// The same Idempotency-Key sent again (a retry, a double click, five at once) answers with the
// application the first one created. Errors: { error: { code, message, fields?, missing?, requestId } }.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { handleError } from '../../platform/http/errors.tsx';
import type { RouteModule } from '../../platform/http/server.ts';
import { isMultipart, isUploadedFile, type UploadedFile } from '../../platform/http/upload.ts';
import { field } from '../../platform/http/validate.ts';
import { isMessageKey, type Locale, translate } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { sniffDocumentType } from '../../platform/storage/storage.sniff.ts';
import { type MeasureForApplication, measureForApplication } from '../catalog/catalog.service.ts';
import { intakeWriter } from './applications.intake.ts';
import type { ApplicationAnswers } from './applications.schema.ts';
import {
  applicationOfResident,
  documentsOf,
  documentsToUpload,
  missingForSubmission,
  needsPaymentDetails,
  parseAnswers,
  portalApplicable,
  prepareSubmission,
  type StoredUpload,
  stageUpload,
} from './applications.service.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const DOCUMENT_FIELD = /^document_(\d{1,9})$/;
const ID = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;

const MEASURE_CACHE_MS = 10_000;
const uploadMessage = (code: string) => `applications.error.${code}`;

/** Field errors as text in the caller's language (Accept-Language), keyed by the API's field names. */
function fieldTexts(locale: Locale, fields: Record<string, string>, limitMb: number): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, key]) => [
      name,
      isMessageKey(key) ? translate(locale, key, { limit: limitMb }) : key,
    ]),
  );
}

/** Errors of these routes as JSON with the details a script needs (which fields, what is missing). */
function apiErrorHandler(limitBytes: number) {
  const limitMb = Math.max(1, Math.round(limitBytes / 1024 / 1024));
  return (error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (!(error instanceof AppError) || error.status >= 500 || error.code === 'rate_limited')
      return handleError(error, request, reply);
    request.log.info({ code: error.code, status: error.status }, 'request refused');
    const key = uploadMessage(error.code);
    const message = isMessageKey(key) ? translate(request.locale, key, { limit: limitMb }) : error.message;
    const fields =
      error instanceof ValidationError
        ? fieldTexts(request.locale, error.fields, limitMb)
        : (error.details?.fields as Record<string, string> | undefined);
    const missing = error.details?.missing as string[] | undefined;
    return reply
      .code(error.status)
      .header('cache-control', 'no-store')
      .send({ error: { code: error.code, message, fields, missing, requestId: request.id } });
  };
}

interface Parsed {
  measure: MeasureForApplication;
  answers: ApplicationAnswers;
  files: Array<{ measureDocumentId: number; file: UploadedFile }>;
  idempotencyKey: string;
}

/** Everything that can be checked before a byte is stored: key, measure, answers, which files, their size and type. */
async function parseSubmission(
  request: FastifyRequest,
  loadMeasure: (code: string) => Promise<MeasureForApplication>,
  limitBytes: number,
): Promise<Parsed> {
  const given = request.headers['idempotency-key'];
  const idempotencyKey = typeof given === 'string' ? given.trim() : '';
  if (!IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new AppError(
      'idempotency_key',
      422,
      'Send an Idempotency-Key header of 8–100 letters, digits, "-" or "_", the same on every retry',
    );
  if (!isMultipart(request))
    throw new AppError('multipart_required', 415, 'Send the application as multipart/form-data');
  const body = (request.body ?? {}) as Record<string, unknown>;
  const measure = await loadMeasure(field(body, 'measure'));
  if (!portalApplicable(measure))
    throw new AppError('not_on_portal', 422, 'This measure cannot be applied for online');

  const errors: Record<string, string> = {};
  const collect = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
      return undefined;
    }
  };
  const contact = collect(() => parseAnswers('contact', body));
  const payment = needsPaymentDetails(measure)
    ? collect(() =>
        parseAnswers('payment', {
          method: body.payment_method,
          bik: body.bik,
          account: body.account,
        }),
      )
    : undefined;
  if (errors.method) {
    errors.payment_method = errors.method;
    delete errors.method;
  }

  const wanted = new Set(documentsToUpload(measure).map((d) => d.id));
  const files: Parsed['files'] = [];
  for (const [name, value] of Object.entries(body)) {
    const match = DOCUMENT_FIELD.exec(name);
    if (!match) {
      if (isUploadedFile(value) || Array.isArray(value)) errors[name] = 'applications.error.documentUnknown';
      continue;
    }
    const measureDocumentId = Number(match[1]);
    if (!wanted.has(measureDocumentId)) errors[name] = 'applications.error.documentUnknown';
    else if (!isUploadedFile(value)) errors[name] = 'applications.error.file';
    else files.push({ measureDocumentId, file: value });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);

  const answers: ApplicationAnswers = { ...contact, ...payment };
  const missing = missingForSubmission(
    measure,
    answers,
    files.map((f) => ({ measure_document_id: f.measureDocumentId })),
  );
  if (missing.length)
    throw new AppError('application_incomplete', 422, 'The application is not complete', { missing });

  // Every file is checked before any is stored, so a bad second file leaves no first blob behind.
  for (const { file } of files) {
    if (file.truncated || file.bytes.length > limitBytes)
      throw new AppError('upload_too_large', 413, 'The selected file is too large');
    if (file.bytes.length === 0) throw new AppError('upload_empty', 422, 'The selected file is empty');
    if (!sniffDocumentType(file.bytes))
      throw new AppError('upload_type', 415, 'The selected file must be a PDF, JPG or PNG');
  }
  return { measure, answers, files, idempotencyKey };
}

export const applicationApiRoutes: RouteModule = (app, { db, config }) => {
  const errorHandler = apiErrorHandler(config.uploadLimitBytes);
  const store = blobStore(config);
  // Submissions are written in groups, one statement per group (applications.intake.ts).
  const writer = intakeWriter(db, store);
  // Measures change rarely (a new rule set, a measure withdrawn): a few seconds' cache at the edge
  // serves both the checks before uploads are stored and submitComplete itself, and saves three
  // queries per submission (see docs/performance.md, Intake).
  const measures = new Map<string, { measure: MeasureForApplication; until: number }>();
  const loadMeasure = async (code: string) => {
    const cached = measures.get(code);
    if (cached && cached.until > Date.now()) return cached.measure;
    try {
      if (!code) throw new AppError('not_found', 404, 'Measure not found');
      const measure = await measureForApplication(db, { code });
      if (measures.size > 1000) measures.clear();
      measures.set(code, { measure, until: Date.now() + MEASURE_CACHE_MS });
      return measure;
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found')
        throw new AppError('measure_unknown', 422, 'There is no measure with this code', {
          fields: { measure: 'Give the code of a measure from the catalogue, e.g. VETERAN-EDV' },
        });
      throw e;
    }
  };

  app.get('/api/csrf', { config: { access: 'resident' }, errorHandler }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { token: reply.generateCsrf() };
  });

  app.post('/api/applications', { config: { access: 'resident' }, errorHandler }, async (request, reply) => {
    const resident = request.actor as ResidentActor;
    const parsed = await parseSubmission(request, loadMeasure, config.uploadLimitBytes);
    const documents: Array<{ measureDocumentId: number; upload: StoredUpload }> = [];
    for (const { measureDocumentId, file } of parsed.files)
      documents.push({
        measureDocumentId,
        upload: await stageUpload(store, file.bytes, file.filename, config.uploadLimitBytes),
      });
    const prepared = prepareSubmission(
      resident,
      {
        measureCode: parsed.measure.code,
        answers: parsed.answers,
        documents,
        idempotencyKey: parsed.idempotencyKey,
      },
      parsed.measure,
      { ip: request.ip },
    );
    const checked = reply.elapsedTime;
    const result = await writer.submit(prepared);
    if ('error' in result) throw result.error;
    const { application, created, timing } = result;
    return (
      reply
        .code(created ? 201 : 200)
        .header('cache-control', 'no-store')
        // Where the server's time went (W3C Server-Timing): reading and checking the request and its
        // documents, then waiting for the group write to commit, and that write's steps. The intake
        // benchmark reads it.
        .header(
          'server-timing',
          [
            `check;dur=${checked.toFixed(1)}`,
            `write;dur=${(reply.elapsedTime - checked).toFixed(1)}`,
            ...Object.entries(timing ?? {}).map(([step, ms]) => `${step};dur=${ms.toFixed(1)}`),
          ].join(', '),
        )
        .header('location', `/api/applications/${application.id}`)
        .send({ id: application.id, number: application.number, state: application.state, created })
    );
  });

  app.get(
    '/api/applications/:id',
    { config: { access: 'resident' }, schema: { params: ID }, errorHandler },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const resident = request.actor as ResidentActor;
      const a = await applicationOfResident(db, resident, id);
      const documents = await documentsOf(db, a.id);
      reply.header('cache-control', 'no-store');
      return {
        id: a.id,
        number: a.number,
        state: a.state,
        channel: a.channel,
        measureId: a.measure_id,
        submittedAt: a.submitted_at,
        registeredOn: a.registered_on,
        deadlineOn: a.deadline_on,
        decision: a.decision ? { outcome: a.decision.outcome, on: a.decision.on } : null,
        documents: documents.map((d) => ({
          id: d.id,
          title: d.title,
          filename: d.filename,
          contentType: d.content_type,
          size: d.size,
          sha256: d.sha256,
        })),
      };
    },
  );
};
