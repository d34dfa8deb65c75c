// Personal reception's routes: the resident's appointments on the portal, the staff workspace
// (booking on behalf, schedules, the reception day, field visits) and the hall's public queue screen.
import type { RouteModule } from '../../platform/http/server.ts';
import { receptionPortalRoutes } from './reception.portal.routes.ts';
import { receptionStaffRoutes } from './reception.staff.routes.ts';
import { receptionVisitRoutes } from './reception.visits.routes.ts';

export const receptionRoutes: RouteModule = async (app, deps) => {
  await receptionPortalRoutes(app, deps);
  await receptionStaffRoutes(app, deps);
  await receptionVisitRoutes(app, deps);
};
