// Routes of the surveys module.
import type { RouteModule } from '../../platform/http/server.ts';

export const surveysRoutes: RouteModule = () => {};
