// Routes of surveys — Collection of responses: waves, portal self-completion, interviewer mode (/staff/fieldwork).
import type { RouteModule } from '../../platform/http/server.ts';

export const surveysCollectRoutes: RouteModule = (_app, _deps) => {};
