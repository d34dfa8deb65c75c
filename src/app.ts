// The composition root: which features make up Opora, their routes and their background tasks.
import type { FastifyInstance } from 'fastify';
import { applicationApiRoutes } from './modules/applications/applications.api.routes.ts';
import { applicationPortalRoutes } from './modules/applications/applications.portal.routes.ts';
import { applicationStaffRoutes } from './modules/applications/applications.staff.routes.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { entitlementRoutes } from './modules/entitlements/entitlements.routes.ts';
import { proactiveRoutes } from './modules/proactive/proactive.routes.ts';
import { proactiveTasks } from './modules/proactive/proactive.tasks.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { REGISTRY_CRONTAB, registryTasks } from './modules/registry/registry.tasks.ts';
import { residentRoutes } from './modules/residents/residents.routes.ts';
import { RESIDENT_CRONTAB, residentTasks } from './modules/residents/residents.tasks.ts';
import { ruleRoutes } from './modules/rules/rules.routes.ts';
import { staffRoutes } from './modules/staff/staff.routes.ts';
import type { Db } from './platform/db/database.ts';
import { type AppDeps, buildApp, type RouteModule } from './platform/http/server.ts';
import type { TaskList } from './platform/jobs/jobs.ts';
import { PLATFORM_CRONTAB, platformTasks } from './platform/jobs/platform.tasks.ts';

export const routeModules: RouteModule[] = [
  catalogRoutes,
  staffRoutes,
  residentRoutes,
  entitlementRoutes,
  ruleRoutes,
  proactiveRoutes,
  registryRoutes,
  applicationPortalRoutes,
  applicationStaffRoutes,
  applicationApiRoutes,
];

export function createApp(deps: AppDeps): Promise<FastifyInstance> {
  return buildApp(deps, routeModules);
}

export function allTasks(db: Db): TaskList {
  return { ...platformTasks(db), ...residentTasks(db), ...proactiveTasks(db), ...registryTasks(db) };
}

export const CRONTAB = PLATFORM_CRONTAB + RESIDENT_CRONTAB + REGISTRY_CRONTAB;
