// Routes of the quality of service: the ministry and district dashboards, one indicator in depth,
// programme targets, the monthly PDF report and the public open data. Every page reads its filter
// from the query string (a GET form), builds its model once, and either renders it or exports its
// tables (?format=csv&table=<id>, ?format=xlsx). Figures come from the indicator engine
// (quality.service.ts) through its adapter quality.engine.ts; nothing here reads cases.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inScope, type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type Locale, type MessageKey, pick, type Translate, translator } from '../../platform/i18n/i18n.ts';
import { type PdfBlock, renderPdf } from '../../platform/pdf/pdf.ts';
import { regionToday } from '../../platform/time.ts';
import type { Option } from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { listDistricts } from '../geography/geography.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { accessibilityRoutes } from './quality.accessibility.routes.ts';
import { AUDIT_ROLES } from './quality.accessibility.ts';
import { engine } from './quality.engine.ts';
import {
  type DashboardModel,
  DashboardPage,
  type FilterChoices,
  type FilterValues,
  type IndicatorModel,
  IndicatorPage,
  OpenDataPage,
  TargetCheckPage,
  type TargetInput,
  TargetsPage,
  type Tile,
  withQuery,
} from './quality.pages.tsx';
import type { Dimension, IndicatorDefinition, IndicatorFilter, IndicatorPoint } from './quality.types.ts';
import {
  breakdownChart,
  CHANNELS,
  changeText,
  compareChart,
  type DistrictRef,
  defaultPeriod,
  displayTable,
  districtMap,
  formatValue,
  formulaOf,
  headlines,
  monthsBetween,
  type NamedTable,
  type OpenDataRecord,
  offTrackRow,
  openDataRecord,
  openDataTable,
  type RawFilter,
  SMALL_CELL,
  type TargetRow,
  targetsTable,
  titleOf,
  toCsv,
  toXlsx,
  trendChart,
} from './quality.view-model.ts';

const MINISTRY: readonly StaffRole[] = ['ministry_analyst', 'administrator'];
const ANY_STAFF: readonly StaffRole[] = ['ministry_analyst', 'administrator', 'district_head', 'specialist'];

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

interface Lists {
  districts: DistrictRef[];
  measures: { id: number; code: string; name: string }[];
}

async function lists(db: DbOrTrx, locale: Locale): Promise<Lists> {
  const [districts, measures] = await Promise.all([listDistricts(db), measureRefs(db)]);
  return {
    districts: districts
      .map((d) => ({ id: d.id, code: d.code, name: pick(locale, d.name_ru, d.name_en) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale)),
    measures: measures.map((m) => ({ id: m.id, code: m.code, name: pick(locale, m.title_ru, m.title_en) })),
  };
}

function choicesOf(t: Translate, l: Lists, districts: DistrictRef[] = l.districts): FilterChoices {
  return {
    districts: districts.map((d) => ({ value: d.code, label: d.name })),
    channels: CHANNELS.map((c) => ({ value: c, label: t(`applications.channel.${c}` as MessageKey) })),
    measures: l.measures.map((m) => ({ value: m.code, label: m.name })),
  };
}

/** The filter as typed; an empty period is the engine's default (the last twelve months with data). */
function rawFilter(query: Record<string, unknown>): RawFilter {
  return {
    from: field(query, 'from'),
    to: field(query, 'to'),
    district: field(query, 'district'),
    channel: field(query, 'channel'),
    measure: field(query, 'measure'),
  };
}

const shown = (t: Translate, errors: Record<string, MessageKey>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));

/** Months keyed 'YYYY-MM' read as "январь 2026". */
function monthLabel(locale: Locale, key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

const labelMonths = (locale: Locale, points: IndicatorPoint[]) =>
  points.map((p) => (/^\d{4}-\d{2}$/.test(p.key) ? { ...p, label: monthLabel(locale, p.key) } : p));

/** Answers an export request from the page's tables; undefined when the request is for the page. */
async function exported(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  tables: NamedTable[],
): Promise<FastifyReply | undefined> {
  const q = queryOf(request);
  const format = field(q, 'format');
  if (format === 'csv') {
    const table = tables.find((x) => x.id === field(q, 'table'));
    if (!table) throw notFound('Table');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-${table.id}.csv"`)
      .send(toCsv(table));
  }
  if (format === 'xlsx')
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(await toXlsx(tables));
  return undefined;
}

/** The accessibility register, for the roles that keep it. */
const registerLink = (actor: StaffActor): string | undefined =>
  (AUDIT_ROLES as readonly string[]).includes(actor.role) ? '/staff/quality/accessibility' : undefined;

// ------------------------------------------------------------------------------ dashboards

async function dashboardModel(
  db: DbOrTrx,
  ctx: PageContext,
  query: Record<string, unknown>,
  district: DistrictRef | null,
  l: Lists,
): Promise<DashboardModel> {
  const { t, locale } = ctx;
  const raw = rawFilter(query);
  if (district) raw.district = district.code;
  const values: FilterValues = { ...raw };
  const base: DashboardModel = {
    title: district
      ? t('qualityPages.dashboard.districtTitle', { name: district.name })
      : t('qualityPages.dashboard.ministryTitle'),
    action: district ? `/staff/quality/districts/${district.code}` : '/staff/quality',
    values,
    choices: choicesOf(t, l),
    errors: {},
    districtFilter: !district,
    tiles: [],
    trends: [],
    map: null,
    targets: null,
    tables: [],
    ...(district ? { caption: t('qualityPages.dashboard.districtCaption') } : {}),
  };
  const parsed = await engine.parseFilter(db, raw);
  if ('errors' in parsed) return { ...base, errors: shown(t, parsed.errors) };
  const filter = parsed.filter;
  // The form shows the period the figures are for (the default is clipped to the data).
  values.from = filter.from;
  values.to = filter.to;
  const defs = engine.indicators();
  const heads = headlines(defs);
  const current = await engine.values(
    db,
    filter,
    heads.map((d) => d.code),
    locale,
  );
  const targets = await targetRows(db, l, filter);
  const offTrackRows = targets.filter(offTrackRow);
  const offTrackLines = offTrackRows.map((r) =>
    t('qualityPages.targets.offTrackLine', {
      district: district?.name ?? r.districtName ?? t('qualityPages.region'),
      indicator: titleOf(t, r.def),
      actual: r.actual === null ? '' : formatValue(locale, t, r.def.unit, r.actual),
      target: formatValue(locale, t, r.def.unit, r.target.target),
    }),
  );
  if (!district) {
    // The ministry sees every district behind its target (its own or the region's) by name.
    const year = Number(filter.to.slice(0, 4));
    const codes = [...new Set(targets.filter((r) => r.target.year === year).map((r) => r.def.code))];
    for (const code of codes) {
      const def = defs.find((d) => d.code === code)!;
      for (const o of await engine.offTrackDistricts(db, code, year))
        offTrackLines.push(
          t('qualityPages.targets.offTrackLine', {
            district: l.districts.find((d) => d.code === o.code)?.name ?? o.label,
            indicator: titleOf(t, def),
            actual: formatValue(locale, t, def.unit, o.actual),
            target: formatValue(locale, t, def.unit, o.target),
          }),
        );
    }
  }
  const tiles: Tile[] = heads.map((def) => {
    const v = current.find((x) => x.code === def.code) ?? {
      code: def.code,
      value: null,
      numerator: null,
      denominator: null,
      previous: null,
    };
    const off = offTrackRows.find(
      (r) => r.def.code === def.code && (district ? true : r.target.districtId === null),
    );
    return {
      code: def.code,
      criterion: t(`qualityPages.criterion.${def.criterion}` as MessageKey),
      title: titleOf(t, def),
      value: v.value === null ? t('qualityPages.noValue') : formatValue(locale, t, def.unit, v.value),
      change: changeText(locale, t, def, v),
      href: withQuery(`/staff/quality/indicators/${def.code}`, filterQuery(values)),
      offTrack: off ? t('qualityPages.targets.offTrack') : undefined,
    };
  });
  // A criterion without a measured indicator yet (satisfaction until the survey) still has its tile.
  for (const def of defs.filter((d) => !heads.some((x) => x.criterion === d.criterion))) {
    if (tiles.some((x) => x.code.startsWith(`${def.criterion}.`))) continue;
    tiles.push({
      code: def.code,
      criterion: t(`qualityPages.criterion.${def.criterion}` as MessageKey),
      title: titleOf(t, def),
      value: t('qualityPages.noValue'),
      change: t('qualityPages.indicator.unavailable'),
      href: `/staff/quality/indicators/${def.code}`,
    });
  }
  const tables: NamedTable[] = [];
  const trends = [];
  for (const def of heads.filter((d) => d.dimensions.includes('month'))) {
    const points = labelMonths(locale, await engine.series(db, def.code, filter, locale));
    const target = targets.find((r) => r.def.code === def.code)?.target.target ?? null;
    const { chart, table } = trendChart(locale, t, { id: `trend-${def.criterion}`, def, points, target });
    trends.push(chart);
    tables.push(table);
  }
  let map: DashboardModel['map'] = null;
  if (!district) {
    const mapDefs = defs.filter((d) => d.available && d.dimensions.includes('district'));
    const chosen = mapDefs.find((d) => d.code === field(query, 'map')) ?? heads[0] ?? mapDefs[0];
    if (chosen) {
      const points = await engine.breakdown(db, chosen.code, filter, 'district', locale);
      const built = districtMap(locale, t, {
        id: 'district-map',
        def: chosen,
        districts: l.districts,
        points,
      });
      map = {
        props: built.map,
        indicator: chosen.code,
        options: mapDefs.map((d) => ({ value: d.code, label: titleOf(t, d) })),
      };
      tables.push(built.table);
    }
  }
  const targetTable = targetsTable(locale, t, 'targets', targets);
  tables.push(targetTable);
  return {
    ...base,
    tiles,
    trends,
    map,
    targets: {
      table: targetTable,
      offTrack: offTrackLines,
    },
    tables,
  };
}

function filterQuery(raw: FilterValues): Record<string, string> {
  return { from: raw.from, to: raw.to, district: raw.district, channel: raw.channel, measure: raw.measure };
}

/** Targets of the filter's years with the actual figure of their district (or the region). */
async function targetRows(db: DbOrTrx, l: Lists, filter: IndicatorFilter): Promise<TargetRow[]> {
  return (await engine.targetsVsActual(db, filter)).map((r) => ({
    ...r,
    districtName:
      r.target.districtId === null
        ? null
        : (l.districts.find((d) => d.id === r.target.districtId)?.name ?? null),
  }));
}

// ------------------------------------------------------------------------------ one indicator

const BREAKDOWNS: { dim: Exclude<Dimension, 'month'>; title: MessageKey; column: MessageKey }[] = [
  { dim: 'channel', title: 'qualityPages.indicator.byChannel', column: 'qualityPages.column.channel' },
  { dim: 'district', title: 'qualityPages.indicator.byDistrict', column: 'qualityPages.column.district' },
  { dim: 'measure', title: 'qualityPages.indicator.byMeasure', column: 'qualityPages.column.measure' },
];

/** The cuts one may compare: each channel and each district the reader may see. */
function cutOptions(t: Translate, def: IndicatorDefinition, districts: DistrictRef[]): Option[] {
  const out: Option[] = [];
  if (def.dimensions.includes('channel'))
    for (const c of CHANNELS)
      out.push({
        value: `channel:${c}`,
        label: t('qualityPages.compare.channel', { name: t(`applications.channel.${c}` as MessageKey) }),
      });
  if (def.dimensions.includes('district'))
    for (const d of districts)
      out.push({ value: `district:${d.code}`, label: t('qualityPages.compare.district', { name: d.name }) });
  return out;
}

function cutFilter(filter: IndicatorFilter, cut: string, districts: DistrictRef[]): IndicatorFilter | null {
  const [kind, code] = cut.split(':', 2);
  if (kind === 'channel' && (CHANNELS as readonly string[]).includes(code ?? ''))
    return { ...filter, channel: code as IndicatorFilter['channel'] & string };
  const d = kind === 'district' ? districts.find((x) => x.code === code) : undefined;
  return d ? { ...filter, districtId: d.id } : null;
}

async function indicatorModel(
  db: DbOrTrx,
  ctx: PageContext,
  query: Record<string, unknown>,
  def: IndicatorDefinition,
  l: Lists,
  visible: DistrictRef[],
): Promise<IndicatorModel> {
  const { t, locale } = ctx;
  const raw = rawFilter(query);
  // A district role always looks at one of its own districts: by default its first.
  if (visible.length < l.districts.length) {
    if (raw.district === '') raw.district = visible[0]?.code ?? '';
    else if (
      l.districts.some((d) => d.code === raw.district) &&
      !visible.some((d) => d.code === raw.district)
    )
      throw new AppError('forbidden', 403, 'This district is not yours');
  }
  const action = `/staff/quality/indicators/${def.code}`;
  const options = cutOptions(t, def, visible);
  const cuts = { a: field(query, 'a'), b: field(query, 'b') };
  const base: IndicatorModel = {
    title: titleOf(t, def),
    criterion: t(`qualityPages.criterion.${def.criterion}` as MessageKey),
    formula: formulaOf(t, def),
    unavailable: !def.available,
    action,
    values: { ...raw },
    choices: choicesOf(t, l, visible),
    errors: {},
    trend: null,
    breakdowns: [],
    compare: options.length > 1 ? { values: cuts, options, errors: {}, chart: null } : null,
    tables: [],
    back: visible.length < l.districts.length ? `/staff/quality/districts/${raw.district}` : '/staff/quality',
  };
  const parsed = await engine.parseFilter(db, raw);
  if ('errors' in parsed) return { ...base, errors: shown(t, parsed.errors) };
  const filter = parsed.filter;
  base.values.from = filter.from;
  base.values.to = filter.to;
  const tables: NamedTable[] = [];
  let trend = null;
  if (def.dimensions.includes('month')) {
    const points = labelMonths(locale, await engine.series(db, def.code, filter, locale));
    const built = trendChart(locale, t, {
      id: 'by-month',
      def,
      points,
      title: t('qualityPages.indicator.byMonth'),
    });
    trend = built.chart;
    tables.push(built.table);
  }
  const breakdowns = [];
  for (const b of BREAKDOWNS) {
    if (!def.dimensions.includes(b.dim)) continue;
    // A district role's breakdown by district shows only its own districts.
    const points = (await engine.breakdown(db, def.code, filter, b.dim, locale)).filter(
      (p) => b.dim !== 'district' || visible.some((d) => d.code === p.key),
    );
    const built = breakdownChart(locale, t, {
      id: `by-${b.dim}`,
      def,
      points,
      title: t(b.title),
      first: t(b.column),
    });
    breakdowns.push(built.chart);
    tables.push(built.table);
  }
  let compare = base.compare;
  if (compare && (cuts.a || cuts.b)) {
    const errors: Record<string, string> = {};
    const fa = cutFilter(filter, cuts.a, visible);
    const fb = cutFilter(filter, cuts.b, visible);
    if (!fa) errors.a = t('qualityPages.compare.unknown');
    if (!fb) errors.b = t('qualityPages.compare.unknown');
    if (fa && fb && cuts.a === cuts.b) errors.b = t('qualityPages.compare.same');
    if (Object.keys(errors).length > 0 || !fa || !fb) compare = { ...compare, errors };
    else {
      const [pa, pb] = await Promise.all([
        engine.series(db, def.code, fa, locale),
        engine.series(db, def.code, fb, locale),
      ]);
      const built = compareChart(locale, t, {
        id: 'compare',
        def,
        a: { label: options.find((o) => o.value === cuts.a)!.label, points: labelMonths(locale, pa) },
        b: { label: options.find((o) => o.value === cuts.b)!.label, points: labelMonths(locale, pb) },
      });
      compare = { ...compare, chart: built.chart };
      tables.push(built.table);
    }
  }
  return { ...base, trend, breakdowns, compare, tables };
}

// ------------------------------------------------------------------------------ targets

const TARGET_FIELDS = ['indicator', 'year', 'target', 'source', 'district'] as const;

function targetInput(source: unknown): TargetInput {
  return Object.fromEntries(TARGET_FIELDS.map((k) => [k, field(source, k)])) as unknown as TargetInput;
}

// ------------------------------------------------------------------------------ routes

export const qualityRoutes: RouteModule = (app, deps) => {
  const { db } = deps;
  accessibilityRoutes(app, deps);
  const readLimit = rateLimit(db, { name: 'quality-read', max: 120, windowSeconds: 60 });
  const writeLimit = rateLimit(db, { name: 'quality-write', max: 30, windowSeconds: 60 });
  const openLimit = rateLimit(db, { name: 'open-data', max: 60, windowSeconds: 60 });

  const visibleDistricts = (actor: StaffActor, l: Lists) => {
    const scope = scopeOf(actor);
    return l.districts.filter((d) => inScope(scope, d.id));
  };

  app.get(
    '/staff/quality',
    { config: { access: ANY_STAFF }, onRequest: readLimit },
    async (request, reply) => {
      const actor = actorOf(request);
      const ctx = pageContext(request, reply);
      const l = await lists(db, ctx.locale);
      if (!scopeOf(actor).all) {
        // A district role has its own districts' dashboards only.
        const own = visibleDistricts(actor, l)[0];
        if (!own) throw new AppError('forbidden', 403, 'No district');
        return seeOther(reply, `/staff/quality/districts/${own.code}`);
      }
      const model = await dashboardModel(db, ctx, queryOf(request), null, l);
      model.pdf = '/staff/quality/report.pdf';
      model.register = registerLink(actor);
      const done = await exported(request, reply, 'quality', model.tables);
      if (done) return done;
      return sendPage(reply, h(DashboardPage, { ctx, model }), Object.keys(model.errors).length ? 422 : 200);
    },
  );

  app.get(
    '/staff/quality/districts/:code',
    { config: { access: ANY_STAFF }, onRequest: readLimit },
    async (request, reply) => {
      const actor = actorOf(request);
      const ctx = pageContext(request, reply);
      const l = await lists(db, ctx.locale);
      const code = (request.params as { code: string }).code;
      const district = l.districts.find((d) => d.code === code);
      if (!district) throw notFound('District');
      if (!inScope(scopeOf(actor), district.id))
        throw new AppError('forbidden', 403, 'This district is not yours');
      const model = await dashboardModel(db, ctx, queryOf(request), district, l);
      if (scopeOf(actor).all) model.back = '/staff/quality';
      model.register = registerLink(actor);
      const done = await exported(request, reply, `quality-${district.code}`, model.tables);
      if (done) return done;
      return sendPage(reply, h(DashboardPage, { ctx, model }), Object.keys(model.errors).length ? 422 : 200);
    },
  );

  app.get(
    '/staff/quality/indicators/:code',
    { config: { access: ANY_STAFF }, onRequest: readLimit },
    async (request, reply) => {
      const actor = actorOf(request);
      const ctx = pageContext(request, reply);
      const def = engine.indicators().find((d) => d.code === (request.params as { code: string }).code);
      if (!def) throw notFound('Indicator');
      const l = await lists(db, ctx.locale);
      const visible = visibleDistricts(actor, l);
      const model = await indicatorModel(db, ctx, queryOf(request), def, l, visible);
      // The register is this indicator's source: those who keep it get a link to it.
      if (def.code === 'accessibility.offices_pages_accessible') model.register = registerLink(actor);
      const done = await exported(request, reply, def.code, model.tables);
      if (done) return done;
      return sendPage(reply, h(IndicatorPage, { ctx, model }), Object.keys(model.errors).length ? 422 : 200);
    },
  );

  // ---------------------------------------------------------------- targets (ministry analysts)

  const targetsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: TargetInput,
    errors: Record<string, MessageKey>,
    status = 200,
  ) => {
    const ctx = pageContext(request, reply);
    const { t, locale } = ctx;
    const l = await lists(db, locale);
    const targets = await engine.listTargets(db);
    // Each target's actual over its year to date, in its district or the region: one engine call
    // per year and district that has targets.
    const actuals = new Map<number, { actual: number | null; onTrack: boolean | null }>();
    const groups = new Set(targets.map((x) => `${x.year}|${x.districtId ?? ''}`));
    for (const g of groups) {
      const [year, district] = g.split('|') as [string, string];
      const filter: IndicatorFilter = {
        from: `${year}-01`,
        to: `${year}-12`,
        ...(district ? { districtId: Number(district) } : {}),
      };
      for (const r of await engine.targetsVsActual(db, filter))
        actuals.set(r.target.id, { actual: r.actual, onTrack: r.onTrack });
    }
    const rows: TargetRow[] = targets.flatMap((target) => {
      const def = engine.indicators().find((d) => d.code === target.indicatorCode);
      if (!def) return [];
      return [
        {
          target,
          def,
          districtName: l.districts.find((d) => d.id === target.districtId)?.name ?? null,
          actual: actuals.get(target.id)?.actual ?? null,
          onTrack: actuals.get(target.id)?.onTrack ?? null,
        },
      ];
    });
    const table = targetsTable(locale, t, 'targets', rows);
    const done = await exported(request, reply, 'targets', [table]);
    if (done) return done;
    return sendPage(
      reply,
      h(TargetsPage, {
        ctx,
        table,
        ids: rows.map((r) => r.target.id),
        indicators: engine.indicators().map((d) => ({ value: d.code, label: titleOf(t, d) })),
        districts: l.districts.map((d) => ({ value: d.code, label: d.name })),
        values,
        errors: shown(t, errors),
        tables: [table],
      }),
      status,
    );
  };

  app.get('/staff/quality/targets', { config: { access: MINISTRY } }, async (request, reply) =>
    targetsPage(request, reply, targetInput(queryOf(request)), {}),
  );

  app.post(
    '/staff/quality/targets/check',
    { config: { access: MINISTRY }, onRequest: writeLimit },
    async (request, reply) => {
      const input = targetInput(request.body);
      const errors = await engine.checkTarget(db, input, actorOf(request));
      if (errors) return targetsPage(request, reply, input, errors, 422);
      const ctx = pageContext(request, reply);
      const { t, locale } = ctx;
      const l = await lists(db, locale);
      const def = engine.indicators().find((d) => d.code === input.indicator)!;
      const number = Number(input.target.replace(',', '.').replace(/%$/, ''));
      return sendPage(
        reply,
        h(TargetCheckPage, {
          ctx,
          values: input,
          rows: [
            [t('qualityPages.targets.indicator'), titleOf(t, def)],
            [t('qualityPages.targets.year'), input.year],
            [
              t('qualityPages.targets.target'),
              formatValue(locale, t, def.unit, def.unit === 'share' ? number / 100 : number),
            ],
            [t('qualityPages.targets.source'), input.source],
            [
              t('qualityPages.targets.district'),
              l.districts.find((d) => d.code === input.district)?.name ?? t('qualityPages.region'),
            ],
          ],
        }),
      );
    },
  );

  app.post(
    '/staff/quality/targets',
    { config: { access: MINISTRY }, onRequest: writeLimit },
    async (request, reply) => {
      const input = targetInput(request.body);
      const errors = await engine.addTarget(db, input, actorOf(request));
      if (errors) return targetsPage(request, reply, input, errors, 422);
      return seeOther(reply, '/staff/quality/targets');
    },
  );

  app.post(
    '/staff/quality/targets/:id/delete',
    {
      config: { access: MINISTRY },
      onRequest: writeLimit,
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
      },
    },
    async (request, reply) => {
      await engine.deleteTarget(db, (request.params as { id: number }).id, actorOf(request));
      return seeOther(reply, '/staff/quality/targets');
    },
  );

  // ---------------------------------------------------------------- the monthly PDF report

  app.get(
    '/staff/quality/report.pdf',
    { config: { access: MINISTRY }, onRequest: readLimit },
    async (request, reply) => {
      const locale = request.locale;
      const t = translator(locale);
      const today = regionToday();
      const asked = field(queryOf(request), 'month');
      // The report is of the last full month unless another is asked for.
      const month =
        /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) && asked <= today.slice(0, 7)
          ? asked
          : defaultPeriod(today, 2).from;
      const l = await lists(db, locale);
      const filter: IndicatorFilter = { from: month, to: month };
      const defs = engine.indicators().filter((d) => d.available);
      const values = await engine.values(
        db,
        filter,
        defs.map((d) => d.code),
        locale,
      );
      const blocks: PdfBlock[] = [];
      for (const criterion of [
        'accessibility',
        'priority',
        'timeliness',
        'documentation',
        'satisfaction',
      ] as const) {
        const mine = defs.filter((d) => d.criterion === criterion);
        if (mine.length === 0) continue;
        blocks.push({ kind: 'heading', text: t(`qualityPages.criterion.${criterion}` as MessageKey) });
        blocks.push({
          kind: 'fields',
          rows: mine.map((def) => {
            const v = values.find((x) => x.code === def.code);
            const figure =
              v?.value === null || !v ? t('qualityPages.noValue') : formatValue(locale, t, def.unit, v.value);
            return [titleOf(t, def), v ? `${figure}. ${changeText(locale, t, def, v)}` : figure];
          }),
        });
      }
      const rows = await targetRows(db, l, filter);
      const off = rows.filter(offTrackRow);
      if (off.length > 0) {
        blocks.push({ kind: 'heading', text: t('qualityPages.targets.offTrackTitle') });
        blocks.push({
          kind: 'list',
          items: off.map((r) =>
            t('qualityPages.targets.offTrackLine', {
              district: r.districtName ?? t('qualityPages.region'),
              indicator: titleOf(t, r.def),
              actual: r.actual === null ? '' : formatValue(locale, t, r.def.unit, r.actual),
              target: formatValue(locale, t, r.def.unit, r.target.target),
            }),
          ),
        });
      }
      const pdf = await renderPdf({
        lang: locale,
        title: t('qualityPages.pdf.title', { month: monthLabel(locale, month) }),
        issuer: [t('qualityPages.pdf.issuer')],
        blocks,
        footer: t('qualityPages.pdf.footer'),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="quality-${month}.pdf"`)
        .send(pdf);
    },
  );

  // ---------------------------------------------------------------- public open data

  const openIndicators = () =>
    engine.indicators().filter((d) => d.available && d.dimensions.includes('district'));

  app.get(
    '/open-data/quality',
    { config: { access: 'public' }, onRequest: openLimit },
    async (request, reply) => {
      const ctx = pageContext(request, reply);
      const { t, locale } = ctx;
      const q = queryOf(request);
      const l = await lists(db, locale);
      const raw: RawFilter = { ...rawFilter(q), channel: '', measure: '' };
      const defs = openIndicators();
      const def = defs.find((d) => d.code === field(q, 'indicator')) ?? headlines(defs)[0] ?? defs[0];
      if (!def) throw notFound('Indicator');
      const parsed = await engine.parseFilter(db, raw);
      const errors = 'errors' in parsed ? shown(t, parsed.errors) : {};
      let map = null;
      let trend = null;
      const tables: NamedTable[] = [];
      if ('filter' in parsed) {
        raw.from = parsed.filter.from;
        raw.to = parsed.filter.to;
        const points = await engine.breakdown(db, def.code, parsed.filter, 'district', locale);
        const built = districtMap(locale, t, {
          id: 'open-map',
          def,
          districts: l.districts,
          points,
          suppressSmall: true,
        });
        map = built.map;
        tables.push(built.table);
        if (def.dimensions.includes('month')) {
          const series = labelMonths(locale, await engine.series(db, def.code, parsed.filter, locale));
          const title = t('qualityPages.openData.byMonth', { title: titleOf(t, def) });
          const table = openDataTable(t, 'open-months', title, def, t('qualityPages.column.month'), series);
          const chart = trendChart(locale, t, {
            id: 'open-months',
            def,
            // Small cells are left out of the picture as well as the table.
            points: series.map((p, i) => (table.rows[i]![1] === null ? { ...p, value: null } : p)),
            title,
          }).chart;
          trend = { ...chart, table: displayTable(locale, t, table) };
          tables.push(table);
        }
      }
      const done = await exported(request, reply, `open-data-${def.code}`, tables);
      if (done) return done;
      return sendPage(
        reply,
        h(OpenDataPage, {
          ctx,
          values: { ...raw },
          choices: choicesOf(t, l),
          errors,
          indicator: def.code,
          indicators: defs.map((d) => ({ value: d.code, label: titleOf(t, d) })),
          formula: formulaOf(t, def),
          note: def.counts === 'places' ? t('qualityPages.openData.places') : undefined,
          map,
          trend,
          tables,
          json: withQuery('/open-data/quality.json', { from: raw.from, to: raw.to }),
        }),
        Object.keys(errors).length ? 422 : 200,
      );
    },
  );

  app.get(
    '/open-data/quality.json',
    { config: { access: 'public' }, onRequest: openLimit },
    async (request, reply) => {
      const q = queryOf(request);
      const raw: RawFilter = { ...rawFilter(q), district: '', channel: '', measure: '' };
      const parsed = await engine.parseFilter(db, raw);
      if ('errors' in parsed) return reply.code(422).send({ error: 'bad_filter', fields: parsed.errors });
      const { from, to } = parsed.filter;
      const records: OpenDataRecord[] = [];
      // The region by month, then every district month by month (one aggregate read per month).
      for (const def of openIndicators()) {
        if (!def.dimensions.includes('month')) continue;
        for (const p of await engine.series(db, def.code, parsed.filter, 'en'))
          records.push(openDataRecord(def, null, p));
        for (const month of monthsBetween(from, to))
          for (const p of await engine.breakdown(db, def.code, { from: month, to: month }, 'district', 'en'))
            records.push(openDataRecord(def, p.key, { ...p, key: month }));
      }
      return reply
        .header('content-disposition', 'attachment; filename="quality.json"')
        .send({ from, to, smallCell: SMALL_CELL, records });
    },
  );
};
