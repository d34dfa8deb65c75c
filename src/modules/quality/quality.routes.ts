// Routes of the quality module.
import type { RouteModule } from '../../platform/http/server.ts';

export const qualityRoutes: RouteModule = () => {};
