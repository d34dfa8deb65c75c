// Staff routes of the EGISSO export. Each reads: rate limit → access → CSRF (the POST) → validation →
// transaction → page. "Export now" queues the job in the transaction that records the export.
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { listDistricts } from '../geography/geography.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { ExportPage, OverviewPage, RejectionsPage } from './egisso.pages.tsx';
import * as svc from './egisso.service.ts';

/** Region-wide work: the export covers every district. */
export const EXPORTERS: readonly StaffRole[] = ['ministry_analyst', 'administrator'];
const BASE = '/staff/registry/egisso';
const PAGE_ROWS = 200;

const ID = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;
const UUID = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
  },
  required: ['id'],
} as const;

export const egissoRoutes: RouteModule = (app, { db, config }) => {
  const access = EXPORTERS;
  const store = blobStore(config);
  const writeLimit = rateLimit(db, { name: 'egisso-export', max: 10, windowSeconds: 60 });
  const readLimit = rateLimit(db, { name: 'egisso-read', max: 120, windowSeconds: 60 });

  app.get(BASE, { config: { access }, onRequest: readLimit }, async (request, reply) => {
    const [status, districts, exports, rejected] = await Promise.all([
      svc.exportStatusCounts(db),
      listDistricts(db),
      svc.recentExports(db),
      svc.rejectedCount(db),
    ]);
    return sendPage(
      reply,
      h(OverviewPage, {
        ctx: pageContext(request, reply),
        status,
        districts: new Map(districts.map((d) => [d.id, d])),
        exports,
        rejected,
      }),
    );
  });

  app.post(`${BASE}/exports`, { config: { access }, onRequest: writeLimit }, async (request, reply) => {
    const actor = request.actor as StaffActor;
    const id = await db.transaction().execute((trx) => svc.requestExport(trx, actor.userId));
    return seeOther(reply, `${BASE}/exports/${id}`);
  });

  app.get(
    `${BASE}/exports/:id`,
    { config: { access }, schema: { params: ID }, onRequest: readLimit },
    async (request, reply) => {
      const exp = await svc.exportById(db, (request.params as { id: number }).id);
      return sendPage(reply, h(ExportPage, { ctx: pageContext(request, reply), exp }));
    },
  );

  app.get(
    `${BASE}/packages/:id`,
    { config: { access }, schema: { params: UUID }, onRequest: readLimit },
    async (request, reply) => {
      const actor = request.actor as StaffActor;
      const { filename, bytes } = await db
        .transaction()
        .execute((trx) =>
          svc.packageForStaff(trx, store, actor, (request.params as { id: string }).id, request.ip),
        );
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(bytes);
    },
  );

  app.get(`${BASE}/rejections`, { config: { access }, onRequest: readLimit }, async (request, reply) => {
    const actor = request.actor as StaffActor;
    const { total, rows } = await db
      .transaction()
      .execute((trx) =>
        svc.rejectionsForStaff(trx, actor, request.ip, { limit: PAGE_ROWS, purpose: 'page' }),
      );
    return sendPage(reply, h(RejectionsPage, { ctx: pageContext(request, reply), total, rows }));
  });

  app.get(`${BASE}/rejections.csv`, { config: { access }, onRequest: readLimit }, async (request, reply) => {
    const actor = request.actor as StaffActor;
    const { rows } = await db
      .transaction()
      .execute((trx) => svc.rejectionsForStaff(trx, actor, request.ip, { purpose: 'csv' }));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="egisso-rejections.csv"')
      .header('cache-control', 'no-store')
      .send(svc.rejectionsCsv(rows));
  });
};
