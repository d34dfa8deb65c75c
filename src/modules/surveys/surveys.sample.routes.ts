// Routes of surveys — Sampling recipients for a wave and inviting them through the notification service.
import type { RouteModule } from '../../platform/http/server.ts';

export const surveysSampleRoutes: RouteModule = (_app, _deps) => {};
