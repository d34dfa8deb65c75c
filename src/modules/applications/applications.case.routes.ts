// The case page and what staff do on it: actions carrying the version they were made on, assignment,
// notes, scanned documents (checked and stored before the transaction), document downloads and letters.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { AppError, forbidden, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { isUploadedFile } from '../../platform/http/upload.ts';
import { field } from '../../platform/http/validate.ts';
import { isMessageKey, translator } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { categoryTitles, measureForApplication } from '../catalog/catalog.service.ts';
import * as registry from '../registry/registry.service.ts';
import { staffOfDistricts } from '../staff/staff.service.ts';
import { CasePage, type CaseView, type Values } from './applications.case.pages.tsx';
import { COUNTER_CHANNELS, type CounterChannel } from './applications.counter.pages.tsx';
import type { LetterKind } from './applications.letters.ts';
import * as svc from './applications.service.ts';
import {
  ACTION_PARAMS,
  actorOf,
  ctxOf,
  explain,
  HEADS,
  ID,
  idOf,
  LETTER_PARAMS,
  type LETTERS,
  MAX_TEXT,
  printLetter,
  READERS,
  type StaffAction,
  sendFile,
  staffNames,
  WORKERS,
} from './applications.staff.http.ts';

export const caseRoutes: RouteModule = (app, { db, config }) => {
  const writeLimit = rateLimit(db, { name: 'applications-staff-write', max: 600, windowSeconds: 60 });
  // ------------------------------------------------------------ the case page

  const loadCase = (request: FastifyRequest, id: number): Promise<CaseView> => {
    const staff = actorOf(request);
    const ctx = ctxOf(request);
    return db.transaction().execute(async (trx) => {
      const application = await svc.applicationForStaff(trx, staff, id, ctx);
      const person = await registry.personRecordForStaff(trx, staff, application.person_id, request.ip);
      if (person.denied) throw forbidden();
      const measure = await measureForApplication(trx, { id: application.measure_id });
      const [documents, events, appeals] = await Promise.all([
        svc.documentsOf(trx, id),
        svc.eventsOf(trx, id),
        svc.appealsOf(trx, id),
      ]);
      const today = regionToday();
      let support: CaseView['support'];
      try {
        support = await svc.decisionSupport(
          trx,
          application.person_id,
          measure.code,
          application.registered_on ?? today,
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        support = 'error';
      }
      const assignable = HEADS.includes(staff.role)
        ? await staffOfDistricts(trx, [application.district_id])
        : [];
      const names = await staffNames(trx, [
        application.assignee_id,
        ...events.filter((e) => e.actor_kind === 'staff').map((e) => e.actor_id),
        ...events.map((e) => (typeof e.details.to === 'number' ? e.details.to : null)),
        ...documents.map((d) => d.added_by_staff),
      ]);
      return {
        app: application,
        measure,
        record: person,
        documents,
        events,
        appeals,
        support,
        names,
        assignable,
        titles: await categoryTitles(trx),
        today,
      };
    });
  };

  const renderCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    {
      errors = {},
      values = {},
      status = 200,
    }: { errors?: Record<string, string>; values?: Values; status?: number } = {},
  ) => {
    const staff = actorOf(request);
    const view = await loadCase(request, id);
    return sendPage(
      reply,
      h(CasePage, {
        ctx: pageContext(request, reply),
        view,
        errors,
        values,
        canWork: WORKERS.includes(staff.role),
        canAssignOthers: HEADS.includes(staff.role),
        appealKey: values.appealKey || randomUUID(),
      }),
      status,
    );
  };

  app.get(
    '/staff/applications/:id',
    { config: { access: READERS }, schema: { params: ID } },
    (request, reply) => renderCase(request, reply, idOf(request)),
  );

  app.post(
    '/staff/applications/:id/actions/:action',
    { config: { access: WORKERS }, schema: { params: ACTION_PARAMS }, onRequest: writeLimit },
    async (request, reply) => {
      const { id, action } = request.params as { id: number; action: StaffAction };
      const t = translator(request.locale);
      const version = Number.parseInt(field(request.body, 'version'), 10) || 0;
      const note = field(request.body, 'note');
      const ground = field(request.body, 'ground');
      const values = { [`${action}-note`]: note, [`${action}-ground`]: ground };
      try {
        if (note.length > MAX_TEXT) throw new ValidationError({ note: 'applications.error.noteLong' });
        await db
          .transaction()
          .execute((trx) =>
            action === 'approve'
              ? svc.approve(trx, actorOf(request), id, version, { note }, ctxOf(request))
              : svc.act(
                  trx,
                  actorOf(request),
                  id,
                  version,
                  action,
                  { note, ground: ground || undefined },
                  ctxOf(request),
                ),
          );
      } catch (error) {
        const problem = explain(t, error, `${action}-`, 'actions');
        if (!problem) throw error;
        return renderCase(request, reply, id, { ...problem, values });
      }
      return seeOther(reply, `/staff/applications/${id}`);
    },
  );

  app.post(
    '/staff/applications/:id/assign',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      const t = translator(request.locale);
      const version = Number.parseInt(field(request.body, 'version'), 10) || 0;
      const assignee = Number.parseInt(field(request.body, 'assignee'), 10);
      try {
        if (!(assignee > 0)) throw new ValidationError({ assignee: 'applications.staff.assign.missing' });
        await db
          .transaction()
          .execute((trx) => svc.assign(trx, actorOf(request), id, version, assignee, ctxOf(request)));
      } catch (error) {
        const problem = explain(t, error, 'assign-', 'assign-assignee');
        if (!problem) throw error;
        return renderCase(request, reply, id, problem);
      }
      return seeOther(reply, `/staff/applications/${id}`);
    },
  );

  app.post(
    '/staff/applications/:id/notes',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      const text = field(request.body, 'text');
      const to = field(request.body, 'to') === 'resident' ? 'resident' : 'internal';
      try {
        await db
          .transaction()
          .execute((trx) => svc.addNote(trx, actorOf(request), id, text, to === 'resident', ctxOf(request)));
      } catch (error) {
        const problem = explain(translator(request.locale), error, 'note-', 'note-text');
        if (!problem) throw error;
        return renderCase(request, reply, id, { ...problem, values: { 'note-text': text, 'note-to': to } });
      }
      return seeOther(reply, `/staff/applications/${id}#notes`);
    },
  );

  app.post(
    '/staff/applications/:id/documents',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      const t = translator(request.locale);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const choice = field(body, 'document');
      const title = field(body, 'title');
      const values = { 'upload-document': choice, 'upload-title': title };
      const again = (errors: Record<string, string>, status: number) =>
        renderCase(request, reply, id, { errors, values, status });
      const errors: Record<string, string> = {};
      if (!choice) errors['upload-document'] = t('applications.staff.upload.whichMissing');
      else if (choice === 'other' && !title) errors['upload-title'] = t('applications.error.documentTitle');
      else if (title.length > 200) errors['upload-title'] = t('applications.staff.upload.titleLong');
      const file = body.file;
      const limitMb = Math.round(config.uploadLimitBytes / 1024 / 1024);
      if (!isUploadedFile(file) || (file.bytes.length === 0 && !file.filename))
        errors['upload-file'] = t('applications.error.file');
      else if (file.truncated)
        return again(
          { ...errors, 'upload-file': t('applications.error.upload_too_large', { limit: limitMb }) },
          413,
        );
      if (Object.keys(errors).length > 0) return again(errors, 422);
      let upload: svc.StoredUpload;
      try {
        const f = file as { bytes: Buffer; filename: string };
        upload = await svc.acceptUpload(blobStore(config), f.bytes, f.filename, config.uploadLimitBytes);
      } catch (error) {
        if (!(error instanceof AppError && error.code.startsWith('upload_'))) throw error;
        const key = `applications.error.${error.code}`;
        return again(
          { 'upload-file': isMessageKey(key) ? t(key, { limit: limitMb }) : error.message },
          error.status,
        );
      }
      try {
        await db
          .transaction()
          .execute((trx) =>
            svc.attachDocument(
              trx,
              { kind: 'staff', actor: actorOf(request) },
              id,
              upload,
              choice === 'other' ? { title } : { measureDocumentId: Number.parseInt(choice, 10) || -1 },
              ctxOf(request),
            ),
          );
      } catch (error) {
        const problem = explain(t, error, 'upload-', 'upload-file');
        if (!problem) throw error;
        return again(problem.errors, problem.status);
      }
      return seeOther(reply, `/staff/applications/${id}#documents`);
    },
  );

  app.post(
    '/staff/applications/:id/appeals',
    { config: { access: WORKERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      const grounds = field(request.body, 'grounds');
      const channelRaw = field(request.body, 'channel');
      const channel = (COUNTER_CHANNELS as readonly string[]).includes(channelRaw)
        ? (channelRaw as CounterChannel)
        : 'in_person';
      const key = field(request.body, 'key');
      try {
        await db
          .transaction()
          .execute((trx) =>
            svc.fileAppeal(
              trx,
              { kind: 'staff', actor: actorOf(request) },
              id,
              { grounds, channel, idempotencyKey: key },
              ctxOf(request),
            ),
          );
      } catch (error) {
        const problem = explain(translator(request.locale), error, 'appeal-', 'appeal-grounds');
        if (!problem) throw error;
        const values = { 'appeal-grounds': grounds, 'appeal-channel': channel, appealKey: key };
        return renderCase(request, reply, id, { ...problem, values });
      }
      return seeOther(reply, `/staff/applications/${id}#appeals`);
    },
  );

  // ------------------------------------------------------------ documents and letters

  app.get(
    '/staff/documents/:id',
    { config: { access: READERS }, schema: { params: ID } },
    async (request, reply) => {
      const doc = await db
        .transaction()
        .execute((trx) => svc.documentForStaff(trx, actorOf(request), idOf(request), ctxOf(request)));
      const bytes = await svc.documentBytes(db, blobStore(config), doc);
      return sendFile(reply, bytes, doc.content_type, doc.filename, 'attachment');
    },
  );

  app.get(
    '/staff/applications/:id/letters/:file',
    { config: { access: READERS }, schema: { params: LETTER_PARAMS } },
    async (request, reply) => {
      const { id, file } = request.params as { id: number; file: (typeof LETTERS)[number] };
      const kind = file.replace(/\.pdf$/, '') as LetterKind;
      const { pdf, name } = await printLetter(db, request, id, kind);
      return sendFile(reply, pdf, 'application/pdf', name, 'inline');
    },
  );
};
