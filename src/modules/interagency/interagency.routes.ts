// Routes of the interagency module: the staff page of requests and rejected messages.
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { InteragencyPage } from './interagency.pages.tsx';
import { configureExchange, interagencyOverview } from './interagency.service.ts';

export const interagencyRoutes: RouteModule = (app, deps) => {
  configureExchange(deps.config.agency);
  const { db } = deps;
  const readLimit = rateLimit(deps.db, { name: 'interagency-read', max: 120, windowSeconds: 60 });
  app.get(
    '/staff/interagency',
    { config: { access: ['specialist', 'district_head', 'administrator'] }, onRequest: readLimit },
    async (request, reply) => {
      const staff = request.actor as StaffActor;
      const overview = await db.transaction().execute((trx) => interagencyOverview(trx, staff, request.ip));
      return sendPage(reply, h(InteragencyPage, { ctx: pageContext(request, reply), overview }));
    },
  );
};
