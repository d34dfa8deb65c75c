// Routes of the egisso module.
import type { RouteModule } from '../../platform/http/server.ts';

export const egissoRoutes: RouteModule = () => {};
