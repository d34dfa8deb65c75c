// Routes of surveys — Analysis of responses: frequencies, crosstabs, Likert scales, charts, group comparisons, exports, PDF report.
// Every page is a GET (the filter is in the query string, so a view is a link): rate limit → access
// (survey designers) → parameters → figures. Downloads of response rows are audited in the same
// transaction that reads them; aggregated pages and the report are not personal data.
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type MessageKey, type Translate, translator } from '../../platform/i18n/i18n.ts';
import { ComparePage, CrosstabPage, ResultsPage, WAVES } from './surveys.analysis.pages.tsx';
import { renderReport } from './surveys.analysis.report.ts';
import * as svc from './surveys.analysis.service.ts';
import {
  codebookCsv,
  type ExportOptions,
  responsesCsv,
  spssCsv,
  spssSyntax,
  writeResponsesXlsx,
} from './surveys.export.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

/** Questions per page of results: 40 questions with a chart each would make a page of megabytes. */
export const SECTIONS_PER_PAGE = 8;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const shown = (t: Translate, errors: Record<string, MessageKey>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));

function attachment(reply: FastifyReply, type: string, fileName: string) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store');
}

export const surveysAnalysisRoutes: RouteModule = (app, { db }) => {
  const access = svc.SURVEY_ANALYSTS;
  const readLimit = rateLimit(db, { name: 'surveys-analysis', max: 120, windowSeconds: 60 });
  const exportLimit = rateLimit(db, { name: 'surveys-export', max: 30, windowSeconds: 60 });
  const opts = { config: { access }, schema: { params: ID }, onRequest: readLimit };
  const exportOpts = { config: { access }, schema: { params: ID }, onRequest: exportLimit };

  /** ?weight=stratum or nothing; anything else is an error shown in the summary (figures unweighted). */
  const weightOf = (request: FastifyRequest, t: Translate) => {
    const raw = field(queryOf(request), 'weight');
    const valid = raw === '' || raw === 'stratum';
    const errors: Record<string, string> = valid ? {} : { weight: t('surveysAnalysis.weight.invalid') };
    return { weight: valid ? raw : '', errors };
  };

  const load = (request: FastifyRequest, weight: boolean, trx = db) => {
    const locale = request.locale;
    return svc.loadAnalysis(trx, actorOf(request), idOf(request), {
      lang: locale,
      t: translator(locale),
      weight,
    });
  };

  // ---------------------------------------------------------------- results by question

  app.get(`${WAVES}/:id/results`, opts, async (request, reply) => {
    const t = translator(request.locale);
    const { weight, errors } = weightOf(request, t);
    const a = await load(request, weight === 'stratum');
    const outline = svc.outline(a);
    const pages = Math.max(1, Math.ceil(outline.length / SECTIONS_PER_PAGE));
    const rawPage = field(queryOf(request), 'page');
    const page = rawPage === '' ? 1 : /^\d{1,4}$/.test(rawPage) ? Number(rawPage) : Number.NaN;
    if (!(page >= 1 && page <= pages)) throw notFound('Page of results');
    const on = outline.slice((page - 1) * SECTIONS_PER_PAGE, page * SECTIONS_PER_PAGE);
    return sendPage(
      reply,
      h(ResultsPage, {
        ctx: pageContext(request, reply),
        m: {
          wave: a.wave,
          complete: a.complete,
          inProgress: a.inProgress,
          weighting: a.weighting,
          weightRefused: a.weightingRefused ? t(a.weightingRefused) : null,
          weight,
          outline: outline.map((o, i) => ({ ...o, page: Math.floor(i / SECTIONS_PER_PAGE) + 1 })),
          sections:
            a.complete > 0
              ? svc.sections(
                  a,
                  on.map((o) => o.name),
                )
              : [],
          page,
          pages,
          errors,
        },
      }),
      Object.keys(errors).length > 0 ? 422 : 200,
    );
  });

  // ---------------------------------------------------------------- crosstab

  app.get(`${WAVES}/:id/crosstab`, opts, async (request, reply) => {
    const t = translator(request.locale);
    const q = queryOf(request);
    const { weight, errors } = weightOf(request, t);
    const a = await load(request, weight === 'stratum');
    const row = field(q, 'row');
    const col = field(q, 'col');
    // The first visit (no choice made yet) shows the form without errors.
    const asked = 'row' in q || 'col' in q;
    const result = asked ? svc.crosstabOf(a, row, col) : null;
    const allErrors = { ...errors, ...(result && !result.ok ? shown(t, result.errors) : {}) };
    return sendPage(
      reply,
      h(CrosstabPage, {
        ctx: pageContext(request, reply),
        m: {
          wave: a.wave,
          variables: svc.categoricalVariables(a),
          row,
          col,
          weight,
          weighting: a.weighting,
          weightRefused: a.weightingRefused ? t(a.weightingRefused) : null,
          errors: allErrors,
          table: result?.ok ? result.value : null,
        },
      }),
      Object.keys(allErrors).length > 0 ? 422 : 200,
    );
  });

  // ---------------------------------------------------------------- comparison of groups

  app.get(`${WAVES}/:id/compare`, opts, async (request, reply) => {
    const t = translator(request.locale);
    const q = queryOf(request);
    const { weight, errors } = weightOf(request, t);
    const a = await load(request, weight === 'stratum');
    const by = field(q, 'by');
    const question = field(q, 'question');
    const asked = 'by' in q || 'question' in q;
    const result = asked ? svc.compareOf(a, by, question) : null;
    const allErrors = { ...errors, ...(result && !result.ok ? shown(t, result.errors) : {}) };
    return sendPage(
      reply,
      h(ComparePage, {
        ctx: pageContext(request, reply),
        m: {
          wave: a.wave,
          groupings: svc.categoricalVariables(a),
          outcomes: svc.outcomeVariables(a),
          by,
          question,
          weight,
          weighting: a.weighting,
          weightRefused: a.weightingRefused ? t(a.weightingRefused) : null,
          errors: allErrors,
          result: result?.ok ? result.value : null,
        },
      }),
      Object.keys(allErrors).length > 0 ? 422 : 200,
    );
  });

  // ---------------------------------------------------------------- downloads

  const valuesOf = (request: FastifyRequest): ExportOptions['values'] => {
    const raw = field(queryOf(request), 'values') || 'labels';
    if (raw !== 'labels' && raw !== 'codes')
      throw new AppError('bad_request', 400, 'values must be "labels" or "codes"');
    return raw;
  };
  const strictWeight = (request: FastifyRequest) => {
    const raw = field(queryOf(request), 'weight');
    if (raw !== '' && raw !== 'stratum') throw new AppError('bad_request', 400, 'weight must be "stratum"');
    return raw === 'stratum';
  };

  /** Loads the rows and records the download in one transaction: no unaudited read of response rows. */
  const audited = (request: FastifyRequest, format: string, details: Record<string, unknown> = {}) =>
    db.transaction().execute(async (trx) => {
      const a = await load(request, strictWeight(request), trx);
      await svc.auditExport(trx, actorOf(request), a, format, details, request.ip);
      return a;
    });

  app.get(`${WAVES}/:id/export/responses.csv`, exportOpts, async (request, reply) => {
    const values = valuesOf(request);
    const a = await audited(request, 'csv', { values });
    return attachment(reply, 'text/csv; charset=utf-8', `wave-${a.wave.id}-responses-${values}.csv`).send(
      responsesCsv(svc.exportDataset(a), { values }),
    );
  });

  app.get(`${WAVES}/:id/export/responses.xlsx`, exportOpts, async (request, reply) => {
    const values = valuesOf(request);
    const a = await audited(request, 'xlsx', { values });
    const stream = new PassThrough();
    writeResponsesXlsx(svc.exportDataset(a), stream, { values }).catch((err) => stream.destroy(err));
    return attachment(reply, XLSX, `wave-${a.wave.id}-responses-${values}.xlsx`).send(stream);
  });

  app.get(`${WAVES}/:id/export/spss.csv`, exportOpts, async (request, reply) => {
    const a = await audited(request, 'spss');
    return attachment(reply, 'text/csv; charset=utf-8', `wave-${a.wave.id}-spss.csv`).send(
      spssCsv(svc.exportDataset(a)),
    );
  });

  // The codebook and the syntax describe variables, not respondents: not audited.
  app.get(`${WAVES}/:id/export/codebook.csv`, exportOpts, async (request, reply) => {
    const a = await load(request, strictWeight(request));
    return attachment(reply, 'text/csv; charset=utf-8', `wave-${a.wave.id}-codebook.csv`).send(
      codebookCsv(svc.exportDataset(a)),
    );
  });

  app.get(`${WAVES}/:id/export/syntax.sps`, exportOpts, async (request, reply) => {
    const a = await load(request, strictWeight(request));
    return attachment(reply, 'text/plain; charset=utf-8', `wave-${a.wave.id}-spss.sps`).send(
      spssSyntax(svc.exportDataset(a), `wave-${a.wave.id}-spss.csv`),
    );
  });

  app.get(`${WAVES}/:id/report.pdf`, exportOpts, async (request, reply) => {
    const t = translator(request.locale);
    const a = await load(request, strictWeight(request));
    const all =
      a.complete > 0
        ? svc.sections(
            a,
            svc.outline(a).map((o) => o.name),
          )
        : [];
    const pdf = await renderReport(a, all, t);
    return attachment(reply, 'application/pdf', `wave-${a.wave.id}-report.pdf`).send(pdf);
  });
};
