// Staff pages of the registry. Each route reads: access (declared here, checked centrally) →
// validation → transaction (the read and its audit entry commit together) → page.
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { forbidden } from '../../platform/errors.ts';
import { pageContext, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { categoryTitles } from '../catalog/catalog.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { personRecordForStaff } from './registry.service.ts';
import { RegistryRecordPage } from './registry.view.tsx';

/** Roles that work with individual residents' records; analysts and researchers see aggregates. */
const RECORD_READERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];

const ID = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] };

export const registryRoutes: RouteModule = (app, { db }) => {
  app.get(
    '/staff/registry/persons/:id',
    { config: { access: RECORD_READERS }, schema: { params: ID } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const actor = request.actor as StaffActor;
      const record = await db
        .transaction()
        .execute((trx) => personRecordForStaff(trx, actor, id, request.ip));
      if (record.denied) throw forbidden();
      const titles = await categoryTitles(db);
      return sendPage(
        reply,
        h(RegistryRecordPage, { ctx: pageContext(request, reply), record, categoryTitles: titles }),
      );
    },
  );
};
