// The composition root: which features make up Opora, their routes and their background tasks.
import type { FastifyInstance } from 'fastify';
import { applicationApiRoutes } from './modules/applications/applications.api.routes.ts';
import { applicationPortalRoutes } from './modules/applications/applications.portal.routes.ts';
import { applicationStaffRoutes } from './modules/applications/applications.staff.routes.ts';
import { campaignsRoutes } from './modules/campaigns/campaigns.routes.ts';
import { CAMPAIGNS_CRONTAB, campaignsTasks } from './modules/campaigns/campaigns.tasks.ts';
import { catalogRoutes } from './modules/catalog/catalog.routes.ts';
import { dedupRoutes } from './modules/dedup/dedup.routes.ts';
import { DEDUP_CRONTAB, dedupTasks } from './modules/dedup/dedup.tasks.ts';
import { egissoRoutes } from './modules/egisso/egisso.routes.ts';
import { EGISSO_CRONTAB, egissoTasks } from './modules/egisso/egisso.tasks.ts';
import { entitlementRoutes } from './modules/entitlements/entitlements.routes.ts';
import { importsRoutes } from './modules/imports/imports.routes.ts';
import { IMPORTS_CRONTAB, importsTasks } from './modules/imports/imports.tasks.ts';
import { interagencyRoutes } from './modules/interagency/interagency.routes.ts';
import { INTERAGENCY_CRONTAB, interagencyTasks } from './modules/interagency/interagency.tasks.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { NOTIFICATIONS_CRONTAB, notificationsTasks } from './modules/notifications/notifications.tasks.ts';
import { proactiveRoutes } from './modules/proactive/proactive.routes.ts';
import { proactiveTasks } from './modules/proactive/proactive.tasks.ts';
import { qualityRoutes } from './modules/quality/quality.routes.ts';
import { QUALITY_CRONTAB, qualityTasks } from './modules/quality/quality.tasks.ts';
import { receptionRoutes } from './modules/reception/reception.routes.ts';
import { RECEPTION_CRONTAB, receptionTasks } from './modules/reception/reception.tasks.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { REGISTRY_CRONTAB, registryTasks } from './modules/registry/registry.tasks.ts';
import { residentRoutes } from './modules/residents/residents.routes.ts';
import { RESIDENT_CRONTAB, residentTasks } from './modules/residents/residents.tasks.ts';
import { ruleRoutes } from './modules/rules/rules.routes.ts';
import { staffRoutes } from './modules/staff/staff.routes.ts';
import { surveysAnalysisRoutes } from './modules/surveys/surveys.analysis.routes.ts';
import { surveysCollectRoutes } from './modules/surveys/surveys.collect.routes.ts';
import { surveysDesignerRoutes } from './modules/surveys/surveys.designer.routes.ts';
import { surveysInterviewsRoutes } from './modules/surveys/surveys.interviews.routes.ts';
import { surveysRoutes } from './modules/surveys/surveys.routes.ts';
import { surveysSampleRoutes } from './modules/surveys/surveys.sample.routes.ts';
import { SURVEYS_CRONTAB, surveysTasks } from './modules/surveys/surveys.tasks.ts';
import type { Config } from './platform/config.ts';
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
  receptionRoutes,
  notificationsRoutes,
  campaignsRoutes,
  interagencyRoutes,
  dedupRoutes,
  importsRoutes,
  egissoRoutes,
  qualityRoutes,
  surveysRoutes,
  surveysDesignerRoutes,
  surveysCollectRoutes,
  surveysSampleRoutes,
  surveysInterviewsRoutes,
  surveysAnalysisRoutes,
];

export function createApp(deps: AppDeps): Promise<FastifyInstance> {
  return buildApp(deps, routeModules);
}

/** `config` reaches tasks that talk to the outside (notification channels); default: the environment's. */
export function allTasks(db: Db, config?: Config): TaskList {
  return {
    ...platformTasks(db),
    ...residentTasks(db),
    ...proactiveTasks(db),
    ...registryTasks(db),
    ...receptionTasks(db),
    ...notificationsTasks(db, config),
    ...campaignsTasks(db),
    ...interagencyTasks(db, config),
    ...dedupTasks(db),
    ...importsTasks(db, config),
    ...egissoTasks(db, config),
    ...qualityTasks(db),
    ...surveysTasks(db),
  };
}

export const CRONTAB =
  PLATFORM_CRONTAB +
  RESIDENT_CRONTAB +
  REGISTRY_CRONTAB +
  RECEPTION_CRONTAB +
  NOTIFICATIONS_CRONTAB +
  CAMPAIGNS_CRONTAB +
  INTERAGENCY_CRONTAB +
  DEDUP_CRONTAB +
  IMPORTS_CRONTAB +
  EGISSO_CRONTAB +
  QUALITY_CRONTAB +
  SURVEYS_CRONTAB;
