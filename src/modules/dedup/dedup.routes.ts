// Routes of the dedup module.
import type { RouteModule } from '../../platform/http/server.ts';

export const dedupRoutes: RouteModule = () => {};
