// Routes of the imports module.
import type { RouteModule } from '../../platform/http/server.ts';

export const importsRoutes: RouteModule = () => {};
