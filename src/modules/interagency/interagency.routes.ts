// Routes of the interagency module.
import type { RouteModule } from '../../platform/http/server.ts';

export const interagencyRoutes: RouteModule = () => {};
