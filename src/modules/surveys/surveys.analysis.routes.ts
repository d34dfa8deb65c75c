// Routes of surveys — Analysis of responses: frequencies, crosstabs, Likert scales, charts, group comparisons, exports, PDF report.
import type { RouteModule } from '../../platform/http/server.ts';

export const surveysAnalysisRoutes: RouteModule = (_app, _deps) => {};
