// Staff routes of imports (/staff/registry/imports): rate limit → access → CSRF → validation →
// transaction → page. Upload checks the whole file and shows its preview; confirmation enqueues
// the write; the import's page follows it to the end.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { isUploadedFile } from '../../platform/http/upload.ts';
import { field } from '../../platform/http/validate.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { BASE, ImportPage, progressDisplay, UploadPage } from './imports.pages.tsx';
import { FileProblem, MAX_ROWS } from './imports.parse.ts';
import type { ImportKind } from './imports.schema.ts';
import * as svc from './imports.service.ts';
import { TEMPLATE_NAMES, type TemplateName, template } from './imports.templates.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const KINDS: readonly ImportKind[] = ['residents', 'assignments'];
const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

export const importsRoutes: RouteModule = (app, { db, config }) => {
  const access = svc.IMPORTERS;
  const uploadLimit = rateLimit(db, { name: 'imports-upload', max: 30, windowSeconds: 60 });
  const writeLimit = rateLimit(db, { name: 'imports-write', max: 60, windowSeconds: 60 });
  const limitMb = Math.round(config.uploadLimitBytes / 1024 / 1024);

  const renderUpload = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: string,
    errors: Record<string, string>,
    status: number,
  ) => {
    const recent = await svc.listImports(db, actorOf(request));
    return sendPage(
      reply,
      h(UploadPage, { ctx: pageContext(request, reply), kind, errors, limitMb, maxRows: MAX_ROWS, recent }),
      status,
    );
  };

  app.get(BASE, { config: { access } }, async (request, reply) => renderUpload(request, reply, '', {}, 200));

  app.post(BASE, { config: { access }, onRequest: uploadLimit }, async (request, reply) => {
    const t = translator(request.locale);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const kind = field(body, 'kind');
    const errors: Record<string, string> = {};
    if (!(KINDS as readonly string[]).includes(kind)) errors.kind = t('imports.kind.missing');
    const file = body.file;
    if (!isUploadedFile(file) || (file.bytes.length === 0 && !file.filename))
      errors.file = t('imports.file.missing');
    else if (file.truncated || file.bytes.length > config.uploadLimitBytes)
      return renderUpload(
        request,
        reply,
        kind,
        { ...errors, file: t('imports.file.tooLarge', { size: limitMb }) },
        413,
      );
    if (Object.keys(errors).length > 0) return renderUpload(request, reply, kind, errors, 422);
    const upload = file as { bytes: Buffer; filename: string };
    try {
      const id = await svc.uploadFile(db, blobStore(config), actorOf(request), {
        kind: kind as ImportKind,
        filename: upload.filename,
        bytes: upload.bytes,
        ip: request.ip,
      });
      return seeOther(reply, `${BASE}/${id}`);
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      return renderUpload(request, reply, kind, { file: t(error.key, error.params) }, 422);
    }
  });

  app.get(`${BASE}/templates/:name`, { config: { access } }, async (request, reply) => {
    const name = (request.params as { name: string }).name;
    if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) return reply.callNotFound();
    const { bytes, type } = await template(name as TemplateName);
    return reply
      .type(type)
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(bytes);
  });

  app.get(`${BASE}/:id`, { config: { access }, schema: { params: ID } }, async (request, reply) => {
    const id = idOf(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const page = Math.max(1, Math.min(100_000, Number.parseInt(field(query, 'page'), 10) || 1));
    const view = await db.transaction().execute(async (trx) => {
      const imp = await svc.importForStaff(trx, actorOf(request), id, request.ip);
      return {
        imp,
        errors: await svc.errorsOf(trx, id, page),
        progress: await svc.progressOf(trx, id, imp),
      };
    });
    return sendPage(
      reply,
      h(ImportPage, {
        ctx: pageContext(request, reply),
        ...view,
        failure: svc.parseFailure(view.imp.failure),
        refresh: field(query, 'refresh') !== 'off',
      }),
    );
  });

  app.get(
    `${BASE}/:id/progress.json`,
    { config: { access }, schema: { params: ID } },
    async (request, reply) => {
      const { imp, progress } = await svc.importStatus(db, actorOf(request), idOf(request));
      const shown = imp.status === 'done' ? { processed: imp.total_rows, total: imp.total_rows } : progress;
      reply.header('cache-control', 'no-store');
      return {
        status: imp.status,
        processed: shown.processed,
        total: shown.total,
        display: progressDisplay(pageContext(request, reply), imp.status, shown),
      };
    },
  );

  app.post(
    `${BASE}/:id/confirm`,
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      await db.transaction().execute((trx) => svc.confirmImport(trx, actorOf(request), id, request.ip));
      return seeOther(reply, `${BASE}/${id}`);
    },
  );
};
