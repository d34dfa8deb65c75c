// Routes of surveys — Expert interviews: metadata, transcripts, code books and coding by several coders.
import type { RouteModule } from '../../platform/http/server.ts';

export const surveysInterviewsRoutes: RouteModule = (_app, _deps) => {};
