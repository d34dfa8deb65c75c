// The resident portal's applications: start an application for a measure, answer one question per
// page (a draft saved at every step, so it can be resumed), upload documents, check and send; then
// "My applications" with each case's status, deadline, messages, letters, withdrawal and appeal.
// Each route reads: rate limit → access → validation → transaction → handler.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import { AppError, forbidden, notFound, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { isUploadedFile } from '../../platform/http/upload.ts';
import { field } from '../../platform/http/validate.ts';
import { isMessageKey, type MessageKey } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import {
  type MeasureForApplication,
  measureForApplication,
  measureRefs,
} from '../catalog/catalog.service.ts';
import { personForResident } from '../registry/registry.service.ts';
import { renderLetter } from './applications.letters.ts';
import {
  AppealPage,
  CheckPage,
  ContactPage,
  DetailPage,
  DocumentsPage,
  fileFieldId,
  MyApplicationsPage,
  megabytes,
  PaymentPage,
  SentPage,
  StartPage,
  type Step,
  WithdrawPage,
} from './applications.portal.pages.tsx';
import {
  type Application,
  type ApplicationDocument,
  acceptUpload,
  appealsOf,
  applicationOfResident,
  applicationsOfPerson,
  attachDocument,
  type Ctx,
  documentBytes,
  documentForResident,
  documentsOf,
  documentsToUpload,
  documentsWeRequest,
  eventsOf,
  fileAppeal,
  missingForSubmission,
  needsPaymentDetails,
  parseAnswers,
  portalApplicable,
  removeDraftDocument,
  type StoredUpload,
  saveAnswers,
  startDraft,
  submitDraft,
  withdraw,
} from './applications.service.ts';
import { appealOpenUntil } from './applications.states.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 52 } },
  required: ['id'],
} as const;
const ID_AND = (name: string) =>
  ({
    type: 'object',
    properties: {
      id: { type: 'integer', minimum: 1, maximum: 2 ** 52 },
      [name]: { type: 'integer', minimum: 1, maximum: 2 ** 52 },
    },
    required: ['id', name],
  }) as const;
const CODE = {
  type: 'object',
  properties: { code: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } },
} as const;
const MEASURE_CODE = /^[A-Za-z0-9_-]{1,40}$/;

const base = (id: number) => `/me/applications/${id}`;
const stepUrl = (id: number, step: Step) => `${base(id)}/${step}`;
const ctxOf = (request: FastifyRequest): Ctx => ({ ip: request.ip });

function residentOf(request: FastifyRequest): ResidentActor {
  if (request.actor.kind !== 'resident') throw forbidden();
  return request.actor;
}

/** The steps of this measure's form, in order; payment and documents only when the measure needs them. */
function stepsOf(measure: MeasureForApplication): Step[] {
  return [
    'contact',
    ...(needsPaymentDetails(measure) ? (['payment'] as const) : []),
    ...(documentsToUpload(measure).length ? (['documents'] as const) : []),
    'check',
  ];
}

/** Where a resumed draft continues: the first step still missing something, or "check your answers". */
export function firstUnanswered(
  measure: MeasureForApplication,
  app: Pick<Application, 'answers'>,
  documents: Pick<ApplicationDocument, 'measure_document_id'>[],
): Step {
  const missing = missingForSubmission(measure, app.answers, documents);
  if (missing.includes('contact')) return 'contact';
  if (missing.includes('payment')) return 'payment';
  if (missing.some((m) => m.startsWith('document:'))) return 'documents';
  return 'check';
}

/** Translates field errors (message keys from the service) for the page. */
function messages(ctx: PageContext, fields: Record<string, string>): FieldErrors {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, isMessageKey(v) ? ctx.t(v as MessageKey) : v]),
  );
}

const UPLOAD_ERRORS = new Set(['upload_empty', 'upload_too_large', 'upload_type']);

export const applicationPortalRoutes: RouteModule = (app, { db, config }) => {
  const store = blobStore(config);
  // Counted per signed-in resident (or address): enough for a long form, too few for a flood.
  const perResident = (name: string, max: number) =>
    rateLimit(db, {
      name,
      max,
      windowSeconds: 600,
      key: (r) => (r.actor.kind === 'resident' ? `r${r.actor.accountId}` : r.ip),
    });
  const uploadLimit = perResident('applications-upload', 120);
  const formLimit = perResident('applications-form', 600);

  const uploadError = (ctx: PageContext, code: string): string =>
    code === 'upload_too_large'
      ? ctx.t('applications.error.upload_too_large', { limit: megabytes(config.uploadLimitBytes) })
      : ctx.t(`applications.error.${code}` as MessageKey);

  /** A draft of the signed-in resident; a sent application's step pages lead to its own page. */
  async function draftFor(request: FastifyRequest, reply: FastifyReply) {
    const resident = residentOf(request);
    const { id } = request.params as { id: number };
    const application = await applicationOfResident(db, resident, id);
    if (application.state !== 'draft') {
      seeOther(reply, base(id));
      return undefined;
    }
    const measure = await measureForApplication(db, { id: application.measure_id });
    return { resident, application, measure };
  }

  function stepContext(request: FastifyRequest, measure: MeasureForApplication, id: number, step: Step) {
    const fromCheck =
      (request.query as { change?: string }).change === '1' || field(request.body, 'return') === 'check';
    const steps = stepsOf(measure);
    const previous = steps[steps.indexOf(step) - 1];
    const back = fromCheck
      ? stepUrl(id, 'check')
      : previous
        ? stepUrl(id, previous)
        : `/measures/${measure.code}/apply`;
    return { fromCheck, back };
  }

  /** After a step is saved: back to the check page when changing an answer, else the next step. */
  function onward(
    reply: FastifyReply,
    measure: MeasureForApplication,
    id: number,
    step: Step,
    fromCheck: boolean,
  ) {
    if (fromCheck) return seeOther(reply, stepUrl(id, 'check'));
    const steps = stepsOf(measure);
    return seeOther(reply, stepUrl(id, steps[steps.indexOf(step) + 1] ?? 'check'));
  }

  // ---------------------------------------------------------- start

  app.get(
    '/measures/:code/apply',
    { config: { access: 'public' }, schema: { params: CODE } },
    async (request, reply) => {
      const { code } = request.params as { code: string };
      const measure = await measureForApplication(db, { code: code.toUpperCase() });
      const page = h(StartPage, {
        ctx: pageContext(request, reply),
        measure,
        online: portalApplicable(measure),
        toUpload: documentsToUpload(measure),
        weRequest: documentsWeRequest(measure),
        needsPayment: needsPaymentDetails(measure),
        limitBytes: config.uploadLimitBytes,
      });
      return sendPage(reply, page);
    },
  );

  // Public, so that a visitor whose session ended is sent to sign in (and back) instead of an error.
  app.post(
    '/me/applications',
    { config: { access: 'public' }, onRequest: formLimit },
    async (request, reply) => {
      const code = field(request.body, 'measure').toUpperCase();
      if (!MEASURE_CODE.test(code)) throw notFound('Measure');
      const startPage = `/measures/${code}/apply`;
      if (request.actor.kind !== 'resident')
        return seeOther(reply, `/sign-in?return=${encodeURIComponent(startPage)}`);
      const resident = request.actor;
      try {
        const id = await db.transaction().execute((trx) => startDraft(trx, resident, code, ctxOf(request)));
        return seeOther(reply, stepUrl(id, 'contact'));
      } catch (error) {
        // Not on the portal: the start page explains how to apply in person.
        if (error instanceof AppError && error.code === 'not_on_portal') return seeOther(reply, startPage);
        throw error;
      }
    },
  );

  // ---------------------------------------------------------- contact

  app.get(
    '/me/applications/:id/contact',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      const { answers } = d.application;
      const page = h(ContactPage, {
        ctx: pageContext(request, reply),
        app: d.application,
        measure: d.measure,
        ...stepContext(request, d.measure, d.application.id, 'contact'),
        values: { phone: answers.phone, email: answers.email },
      });
      return sendPage(reply, page);
    },
  );

  app.post(
    '/me/applications/:id/contact',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      const step = stepContext(request, d.measure, d.application.id, 'contact');
      try {
        const patch = parseAnswers('contact', request.body as Record<string, unknown>);
        await db.transaction().execute((trx) => saveAnswers(trx, d.resident, d.application.id, patch));
        return onward(reply, d.measure, d.application.id, 'contact', step.fromCheck);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const ctx = pageContext(request, reply);
        const page = h(ContactPage, {
          ctx,
          app: d.application,
          measure: d.measure,
          ...step,
          errors: messages(ctx, error.fields),
          values: { phone: field(request.body, 'phone'), email: field(request.body, 'email') },
        });
        return sendPage(reply, page, 422);
      }
    },
  );

  // ---------------------------------------------------------- payment

  app.get(
    '/me/applications/:id/payment',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      if (!needsPaymentDetails(d.measure)) return seeOther(reply, stepUrl(d.application.id, 'contact'));
      const payment = d.application.answers.payment;
      const page = h(PaymentPage, {
        ctx: pageContext(request, reply),
        app: d.application,
        measure: d.measure,
        ...stepContext(request, d.measure, d.application.id, 'payment'),
        values:
          payment?.method === 'bank'
            ? { method: 'bank', bik: payment.bik, account: payment.account }
            : { method: payment?.method },
      });
      return sendPage(reply, page);
    },
  );

  app.post(
    '/me/applications/:id/payment',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      if (!needsPaymentDetails(d.measure)) throw notFound('Page');
      const step = stepContext(request, d.measure, d.application.id, 'payment');
      try {
        const patch = parseAnswers('payment', request.body as Record<string, unknown>);
        await db.transaction().execute((trx) => saveAnswers(trx, d.resident, d.application.id, patch));
        return onward(reply, d.measure, d.application.id, 'payment', step.fromCheck);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const ctx = pageContext(request, reply);
        const page = h(PaymentPage, {
          ctx,
          app: d.application,
          measure: d.measure,
          ...step,
          errors: messages(ctx, error.fields),
          values: {
            method: field(request.body, 'method'),
            bik: field(request.body, 'bik'),
            account: field(request.body, 'account'),
          },
        });
        return sendPage(reply, page, 422);
      }
    },
  );

  // ---------------------------------------------------------- documents

  async function documentsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    application: Application,
    measure: MeasureForApplication,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const page = h(DocumentsPage, {
      ctx: pageContext(request, reply),
      app: application,
      measure,
      ...stepContext(request, measure, application.id, 'documents'),
      toUpload: documentsToUpload(measure),
      weRequest: documentsWeRequest(measure),
      documents: await documentsOf(db, application.id),
      limitBytes: config.uploadLimitBytes,
      errors,
    });
    return sendPage(reply, page, status);
  }

  app.get(
    '/me/applications/:id/documents',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      return await documentsPage(request, reply, d.application, d.measure);
    },
  );

  /**
   * One document per request (multipart): a draft's listed document, or — while the case waits for
   * the resident — any document they were asked for. The file is checked and stored before the
   * transaction; a refused file leaves no row behind.
   */
  app.post(
    '/me/applications/:id/documents',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: uploadLimit },
    async (request, reply) => {
      const resident = residentOf(request);
      const { id } = request.params as { id: number };
      const application = await applicationOfResident(db, resident, id);
      if (application.state !== 'draft' && application.state !== 'waiting_resident')
        throw new AppError('case_closed', 409, 'Documents can no longer be added to this application');
      const measure = await measureForApplication(db, { id: application.measure_id });
      const body = request.body as Record<string, unknown>;
      const inDraft = application.state === 'draft';
      const listedId = Number(field(body, 'measure_document_id'));
      const listed = inDraft ? documentsToUpload(measure).find((x) => x.id === listedId) : undefined;
      if (inDraft && !listed) throw notFound('Document');
      const fieldId = listed ? fileFieldId(listed.id) : 'file';
      const docTitle = field(body, 'title');
      const ctx = pageContext(request, reply);
      const refuse = (errors: FieldErrors, status: number) =>
        inDraft
          ? documentsPage(request, reply, application, measure, errors, status)
          : detailPage(request, reply, application, errors, status, { title: docTitle });

      const errors: FieldErrors = {};
      if (!inDraft && !docTitle) errors.title = ctx.t('applications.error.documentTitle');
      if (!inDraft && docTitle.length > 200) errors.title = ctx.t('applications.error.documentTitle');
      const file = body.file;
      let upload: StoredUpload | undefined;
      let status = 422;
      if (!isUploadedFile(file) || (file.bytes.length === 0 && file.filename === '')) {
        errors[fieldId] = ctx.t('applications.error.file');
      } else if (file.truncated) {
        errors[fieldId] = uploadError(ctx, 'upload_too_large');
        status = 413;
      } else if (Object.keys(errors).length === 0) {
        try {
          upload = await acceptUpload(store, file.bytes, file.filename, config.uploadLimitBytes);
        } catch (error) {
          if (!(error instanceof AppError && UPLOAD_ERRORS.has(error.code))) throw error;
          errors[fieldId] = uploadError(ctx, error.code);
          status = error.status;
        }
      }
      if (!upload || Object.keys(errors).length) return await refuse(errors, status);
      const stored = upload;
      try {
        await db
          .transaction()
          .execute((trx) =>
            attachDocument(
              trx,
              { kind: 'resident', actor: resident },
              id,
              stored,
              listed ? { measureDocumentId: listed.id } : { title: docTitle },
              ctxOf(request),
            ),
          );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return await refuse(messages(ctx, error.fields), 422);
      }
      return seeOther(
        reply,
        inDraft ? `${stepUrl(id, 'documents')}${listed ? `#doc-${listed.id}` : ''}` : base(id),
      );
    },
  );

  app.post(
    '/me/applications/:id/documents/:docId/remove',
    { config: { access: 'resident' }, schema: { params: ID_AND('docId') }, onRequest: formLimit },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      const { docId } = request.params as { docId: number };
      await db.transaction().execute((trx) => removeDraftDocument(trx, d.resident, d.application.id, docId));
      return seeOther(reply, stepUrl(d.application.id, 'documents'));
    },
  );

  /** "Continue" from the documents page: every listed document must be there. */
  app.post(
    '/me/applications/:id/documents/done',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      const have = new Set((await documentsOf(db, d.application.id)).map((x) => x.measure_document_id));
      const ctx = pageContext(request, reply);
      const errors: FieldErrors = {};
      for (const x of documentsToUpload(d.measure))
        if (!have.has(x.id))
          errors[fileFieldId(x.id)] = ctx.t('apply.documents.missing', {
            document: ctx.locale === 'ru' ? x.title_ru : x.title_en,
          });
      if (Object.keys(errors).length)
        return await documentsPage(request, reply, d.application, d.measure, errors, 422);
      const { fromCheck } = stepContext(request, d.measure, d.application.id, 'documents');
      return onward(reply, d.measure, d.application.id, 'documents', fromCheck);
    },
  );

  // ---------------------------------------------------------- check and send

  async function checkPage(
    request: FastifyRequest,
    reply: FastifyReply,
    resident: ResidentActor,
    application: Application,
    measure: MeasureForApplication,
    documents: ApplicationDocument[],
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { person } = await personForResident(db, resident.personId);
    const steps = stepsOf(measure);
    const page = h(CheckPage, {
      ctx: pageContext(request, reply),
      app: application,
      measure,
      person,
      needsPayment: needsPaymentDetails(measure),
      toUpload: documentsToUpload(measure),
      weRequest: documentsWeRequest(measure),
      documents,
      back: stepUrl(application.id, steps[steps.length - 2] ?? 'contact'),
      errors,
    });
    return sendPage(reply, page, status);
  }

  app.get(
    '/me/applications/:id/check',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const d = await draftFor(request, reply);
      if (!d) return reply;
      const documents = await documentsOf(db, d.application.id);
      const first = firstUnanswered(d.measure, d.application, documents);
      if (first !== 'check') return seeOther(reply, stepUrl(d.application.id, first));
      return await checkPage(request, reply, d.resident, d.application, d.measure, documents);
    },
  );

  /**
   * Sends the application: the declaration and the submission in one transaction. The same form
   * posted again (a double click, a retry after a lost response) finds the application sent and
   * shows its confirmation; two posts racing meet on the row's version and the loser retries once.
   */
  app.post(
    '/me/applications/:id/check',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const resident = residentOf(request);
      const { id } = request.params as { id: number };
      const declared = field(request.body, 'declared') === 'yes';
      const send = () =>
        db.transaction().execute(async (trx) => {
          const current = await applicationOfResident(trx, resident, id);
          if (current.state === 'draft') {
            if (!declared) throw new ValidationError({ declared: 'applications.error.declare' });
            await saveAnswers(trx, resident, id, { declared: true });
          }
          return await submitDraft(trx, resident, id, ctxOf(request));
        });
      try {
        try {
          await send();
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'stale_case')) throw error;
          await send();
        }
      } catch (error) {
        if (
          error instanceof ValidationError ||
          (error instanceof AppError && error.code === 'application_incomplete')
        ) {
          const application = await applicationOfResident(db, resident, id);
          if (application.state !== 'draft') throw error;
          const measure = await measureForApplication(db, { id: application.measure_id });
          const documents = await documentsOf(db, id);
          if (!(error instanceof ValidationError))
            return seeOther(reply, stepUrl(id, firstUnanswered(measure, application, documents)));
          const ctx = pageContext(request, reply);
          const errors = messages(ctx, error.fields);
          return await checkPage(request, reply, resident, application, measure, documents, errors, 422);
        }
        throw error;
      }
      return seeOther(reply, `${base(id)}/sent`);
    },
  );

  app.get(
    '/me/applications/:id/sent',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const resident = residentOf(request);
      const { id } = request.params as { id: number };
      const application = await applicationOfResident(db, resident, id);
      if (application.state === 'draft') return seeOther(reply, stepUrl(id, 'check'));
      const measure = await measureForApplication(db, { id: application.measure_id });
      return sendPage(reply, h(SentPage, { ctx: pageContext(request, reply), app: application, measure }));
    },
  );

  // ---------------------------------------------------------- my applications

  app.get('/me/applications', { config: { access: 'resident' } }, async (request, reply) => {
    const resident = residentOf(request);
    const applications = await applicationsOfPerson(db, resident.personId);
    const measures = new Map(
      (await measureRefs(db, { ids: [...new Set(applications.map((a) => a.measure_id))] })).map((m) => [
        m.id,
        m,
      ]),
    );
    // Drafts continue at their first unanswered step; there are few of them.
    const continueAt = new Map<number, string>();
    await Promise.all(
      applications
        .filter((a) => a.state === 'draft')
        .map(async (a) => {
          const [measure, documents] = await Promise.all([
            measureForApplication(db, { id: a.measure_id }),
            documentsOf(db, a.id),
          ]);
          continueAt.set(a.id, stepUrl(a.id, firstUnanswered(measure, a, documents)));
        }),
    );
    const items = applications.flatMap((a) => {
      const measure = measures.get(a.measure_id);
      return measure ? [{ app: a, measure, continueAt: continueAt.get(a.id) }] : [];
    });
    const page = h(MyApplicationsPage, { ctx: pageContext(request, reply), items, today: regionToday() });
    return sendPage(reply, page);
  });

  async function detailPage(
    request: FastifyRequest,
    reply: FastifyReply,
    application: Application,
    errors: FieldErrors = {},
    status = 200,
    values: { title?: string } = {},
  ) {
    const [measure, documents, events, appeals] = await Promise.all([
      measureForApplication(db, { id: application.measure_id }),
      documentsOf(db, application.id),
      eventsOf(db, application.id, true),
      appealsOf(db, application.id),
    ]);
    const page = h(DetailPage, {
      ctx: pageContext(request, reply),
      app: application,
      measure,
      documents,
      events,
      appeals,
      today: regionToday(),
      limitBytes: config.uploadLimitBytes,
      errors,
      values,
    });
    return sendPage(reply, page, status);
  }

  app.get(
    '/me/applications/:id',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const application = await applicationOfResident(db, residentOf(request), id);
      if (application.state === 'draft') {
        const measure = await measureForApplication(db, { id: application.measure_id });
        const documents = await documentsOf(db, id);
        return seeOther(reply, stepUrl(id, firstUnanswered(measure, application, documents)));
      }
      return await detailPage(request, reply, application);
    },
  );

  app.get(
    '/me/documents/:docId',
    {
      config: { access: 'resident' },
      schema: { params: { type: 'object', properties: { docId: ID.properties.id } } },
    },
    async (request, reply) => {
      const { docId } = request.params as { docId: number };
      const doc = await documentForResident(db, residentOf(request), docId);
      const bytes = await documentBytes(db, store, doc);
      return reply
        .type(doc.content_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  const sendPdf = (reply: FastifyReply, name: string, pdf: Buffer) =>
    reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${name}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(pdf);

  app.get(
    '/me/applications/:id/letter.pdf',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const application = await applicationOfResident(db, residentOf(request), id);
      const pdf = await renderLetter(db, application, 'decision', request.locale);
      return sendPdf(reply, `decision-${application.number ?? id}.pdf`, pdf);
    },
  );

  app.get(
    '/me/applications/:id/appeals/:appealId/letter.pdf',
    { config: { access: 'resident' }, schema: { params: ID_AND('appealId') } },
    async (request, reply) => {
      const { id, appealId } = request.params as { id: number; appealId: number };
      const application = await applicationOfResident(db, residentOf(request), id);
      if (!(await appealsOf(db, id)).some((a) => a.id === appealId)) throw notFound('Appeal');
      const pdf = await renderLetter(db, application, 'appeal', request.locale, appealId);
      return sendPdf(reply, `appeal-${application.number ?? id}-${appealId}.pdf`, pdf);
    },
  );

  // ---------------------------------------------------------- withdraw

  app.get(
    '/me/applications/:id/withdraw',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const application = await applicationOfResident(db, residentOf(request), id);
      if (application.state === 'draft') return seeOther(reply, base(id));
      const measure = await measureForApplication(db, { id: application.measure_id });
      return sendPage(
        reply,
        h(WithdrawPage, { ctx: pageContext(request, reply), app: application, measure }),
      );
    },
  );

  app.post(
    '/me/applications/:id/withdraw',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const resident = residentOf(request);
      const { id } = request.params as { id: number };
      const version = Number(field(request.body, 'version'));
      try {
        await db.transaction().execute((trx) => withdraw(trx, resident, id, version, ctxOf(request)));
        return seeOther(reply, base(id));
      } catch (error) {
        if (!(error instanceof AppError && ['cannot_withdraw', 'stale_case'].includes(error.code)))
          throw error;
        const application = await applicationOfResident(db, resident, id);
        const measure = await measureForApplication(db, { id: application.measure_id });
        const ctx = pageContext(request, reply);
        const text = ctx.t(
          error.code === 'cannot_withdraw' ? 'apply.withdraw.late' : 'apply.withdraw.changed',
        );
        const page = h(WithdrawPage, { ctx, app: application, measure, errors: { withdraw: text } });
        return sendPage(reply, page, 409);
      }
    },
  );

  // ---------------------------------------------------------- appeal

  async function appealable(resident: ResidentActor, id: number) {
    const application = await applicationOfResident(db, resident, id);
    const open =
      application.state === 'refused' &&
      application.decision !== null &&
      regionToday() <= appealOpenUntil(application.decision.on) &&
      !(await appealsOf(db, id)).some((a) => a.state === 'registered');
    return { application, open };
  }

  app.get(
    '/me/applications/:id/appeal',
    { config: { access: 'resident' }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const { application, open } = await appealable(residentOf(request), id);
      if (!open) return seeOther(reply, base(id));
      const measure = await measureForApplication(db, { id: application.measure_id });
      const page = h(AppealPage, {
        ctx: pageContext(request, reply),
        app: application,
        measure,
        // One key per rendered form: the same form sent twice files one appeal.
        idempotencyKey: randomUUID(),
        grounds: '',
      });
      return sendPage(reply, page);
    },
  );

  app.post(
    '/me/applications/:id/appeal',
    { config: { access: 'resident' }, schema: { params: ID }, onRequest: formLimit },
    async (request, reply) => {
      const resident = residentOf(request);
      const { id } = request.params as { id: number };
      const grounds =
        typeof (request.body as Record<string, unknown>)?.grounds === 'string'
          ? ((request.body as Record<string, string>).grounds ?? '')
          : '';
      const idempotencyKey = field(request.body, 'key');
      try {
        await db
          .transaction()
          .execute((trx) =>
            fileAppeal(
              trx,
              { kind: 'resident', actor: resident },
              id,
              { grounds, idempotencyKey },
              ctxOf(request),
            ),
          );
        return seeOther(reply, base(id));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const application = await applicationOfResident(db, resident, id);
        const measure = await measureForApplication(db, { id: application.measure_id });
        const ctx = pageContext(request, reply);
        const page = h(AppealPage, {
          ctx,
          app: application,
          measure,
          idempotencyKey,
          grounds,
          errors: messages(ctx, error.fields),
        });
        return sendPage(reply, page, 422);
      }
    },
  );
};
