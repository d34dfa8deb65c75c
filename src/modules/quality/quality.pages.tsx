// Pages of the quality of service: the ministry and district dashboards, one indicator in depth,
// programme targets, and the public open data. Filters are a GET form, so every view is a link and
// works without JavaScript; every chart has its caption, description and table, every table its
// CSV and XLSX download.
import type { ComponentChildren } from 'preact';
import {
  BarChart,
  type ChartProps,
  DataTable,
  DistrictMap,
  type DistrictMapProps,
  LineChart,
} from '../../platform/charts/charts.tsx';
import {
  BackLink,
  Button,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type Option,
  Select,
  SummaryList,
  Tag,
  TextField,
} from '../../platform/ui/components.tsx';
import type { PageContext } from '../../platform/ui/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { displayTable, type NamedTable, SMALL_CELL } from './quality.view-model.ts';

export interface FilterValues {
  from: string;
  to: string;
  district: string;
  channel: string;
  measure: string;
}

export interface FilterChoices {
  districts: Option[];
  channels: Option[];
  measures: Option[];
}

/** A link to the same page with some query parameters replaced (exports, map indicator). */
export function withQuery(path: string, params: Record<string, string>): string {
  const [base, query = ''] = path.split('?', 2) as [string, string?];
  const search = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) {
    if (v === '') search.delete(k);
    else search.set(k, v);
  }
  const s = search.toString();
  return s ? `${base}?${s}` : base;
}

/** The filter of every dashboard: period, district, channel, measure. GET, so a view is a link. */
export function FilterForm(p: {
  ctx: PageContext;
  action: string;
  values: FilterValues;
  choices: FilterChoices;
  errors: FieldErrors;
  /** Off on a district's own dashboard, where the district is the page. */
  district?: boolean;
  hidden?: Record<string, string>;
}) {
  const { t } = p.ctx;
  return (
    <form method="get" action={p.action} novalidate class="quality-filter">
      <h2>{t('qualityPages.filter.title')}</h2>
      {Object.entries(p.hidden ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <TextField
        ctx={p.ctx}
        name="from"
        label={t('qualityPages.filter.from')}
        hint={t('qualityPages.filter.monthHint')}
        value={p.values.from}
        error={p.errors.from}
        width="short"
      />
      <TextField
        ctx={p.ctx}
        name="to"
        label={t('qualityPages.filter.to')}
        hint={t('qualityPages.filter.monthHint')}
        value={p.values.to}
        error={p.errors.to}
        width="short"
      />
      {p.district !== false && (
        <Select
          ctx={p.ctx}
          name="district"
          label={t('qualityPages.filter.district')}
          value={p.values.district}
          options={p.choices.districts}
          error={p.errors.district}
          empty={t('qualityPages.filter.allDistricts')}
        />
      )}
      <Select
        ctx={p.ctx}
        name="channel"
        label={t('qualityPages.filter.channel')}
        value={p.values.channel}
        options={p.choices.channels}
        error={p.errors.channel}
        empty={t('qualityPages.filter.allChannels')}
      />
      <Select
        ctx={p.ctx}
        name="measure"
        label={t('qualityPages.filter.measure')}
        value={p.values.measure}
        options={p.choices.measures}
        error={p.errors.measure}
        empty={t('qualityPages.filter.allMeasures')}
      />
      <Button>{t('qualityPages.filter.apply')}</Button>
    </form>
  );
}

/** Downloads of the page's tables: all of them as one workbook, each as CSV. */
export function Exports({
  ctx,
  tables,
  pdf,
}: {
  ctx: PageContext;
  tables: NamedTable[];
  pdf?: string | undefined;
}) {
  const { t } = ctx;
  if (tables.length === 0) return null;
  return (
    <section aria-labelledby="downloads">
      <h2 id="downloads">{t('qualityPages.export.title')}</h2>
      <ul class="list">
        <li>
          <a href={withQuery(ctx.path, { format: 'xlsx', table: '' })}>{t('qualityPages.export.xlsx')}</a>
        </li>
        {pdf && (
          <li>
            <a href={pdf}>{t('qualityPages.export.pdf')}</a>
          </li>
        )}
        {tables.map((table) => (
          <li key={table.id}>
            <a href={withQuery(ctx.path, { format: 'csv', table: table.id })}>
              {t('qualityPages.export.csv', { title: table.title })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface Tile {
  code: string;
  criterion: string;
  title: string;
  value: string;
  change: string;
  href: string;
  offTrack?: string | undefined;
}

function Tiles({ tiles }: { tiles: Tile[] }) {
  return (
    <ul class="cards quality-tiles">
      {tiles.map((tile) => (
        <li key={tile.code}>
          <p class="caption">{tile.criterion}</p>
          <a href={tile.href}>{tile.title}</a>
          <p class="panel__number">{tile.value}</p>
          <p>{tile.change}</p>
          {tile.offTrack && <Tag tone="red">{tile.offTrack}</Tag>}
        </li>
      ))}
    </ul>
  );
}

export interface DashboardModel {
  title: string;
  caption?: string;
  action: string;
  values: FilterValues;
  choices: FilterChoices;
  errors: FieldErrors;
  /** Whether the filter offers a district (the ministry's dashboard). */
  districtFilter: boolean;
  tiles: Tile[];
  trends: ChartProps[];
  map: { props: DistrictMapProps; indicator: string; options: Option[] } | null;
  targets: { table: NamedTable; offTrack: string[] } | null;
  tables: NamedTable[];
  pdf?: string | undefined;
  back?: string;
  /** The accessibility register, for those who keep it. */
  register?: string | undefined;
}

export function DashboardPage({ ctx, model }: { ctx: PageContext; model: DashboardModel }) {
  const { t, locale } = ctx;
  const failed = Object.keys(model.errors).length > 0;
  return (
    <Layout ctx={ctx} title={model.title} area="staff">
      {model.back && <BackLink href={model.back}>{t('qualityPages.back')}</BackLink>}
      <ErrorSummary ctx={ctx} errors={model.errors} />
      {model.caption && <span class="caption">{model.caption}</span>}
      <h1>{model.title}</h1>
      <FilterForm
        ctx={ctx}
        action={model.action}
        values={model.values}
        choices={model.choices}
        errors={model.errors}
        district={model.districtFilter}
        hidden={model.map ? { map: model.map.indicator } : {}}
      />
      {failed ? (
        <p>{t('qualityPages.filter.fix')}</p>
      ) : (
        <>
          <h2>{t('qualityPages.dashboard.headlines')}</h2>
          <Tiles tiles={model.tiles} />
          {model.targets && model.targets.offTrack.length > 0 && (
            <div class="notice">
              <h2>{t('qualityPages.targets.offTrackTitle')}</h2>
              <ul class="list">
                {model.targets.offTrack.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          )}
          <h2>{t('qualityPages.dashboard.trends')}</h2>
          {model.trends.map((chart) => (
            <LineChart key={chart.id} {...chart} />
          ))}
          {model.map && (
            <section aria-labelledby="map-heading">
              <h2 id="map-heading">{t('qualityPages.map.heading')}</h2>
              <form method="get" action={model.action} novalidate>
                {Object.entries(model.values).map(([k, v]) => (
                  <input type="hidden" name={k} value={v} key={k} />
                ))}
                <Select
                  ctx={ctx}
                  name="map"
                  label={t('qualityPages.map.indicator')}
                  value={model.map.indicator}
                  options={model.map.options}
                />
                <Button secondary>{t('qualityPages.map.show')}</Button>
              </form>
              <DistrictMap {...model.map.props} />
            </section>
          )}
          {model.targets && (
            <section aria-labelledby="targets-heading">
              <h2 id="targets-heading">{t('qualityPages.targets.vsActual')}</h2>
              {model.targets.table.rows.length === 0 ? (
                <p>{t('qualityPages.targets.none')}</p>
              ) : (
                <DataTable table={displayTable(locale, t, model.targets.table)} />
              )}
            </section>
          )}
          <Exports ctx={ctx} tables={model.tables} pdf={model.pdf} />
        </>
      )}
      {model.register && <RegisterLink ctx={ctx} href={model.register} />}
    </Layout>
  );
}

function RegisterLink({ ctx, href }: { ctx: PageContext; href: string }) {
  return (
    <section aria-labelledby="sources">
      <h2 id="sources">{ctx.t('qualityPages.sources.title')}</h2>
      <ul class="list">
        <li>
          <a href={href}>{ctx.t('qualityPages.accessibility.title')}</a>
        </li>
      </ul>
    </section>
  );
}

export interface IndicatorModel {
  title: string;
  criterion: string;
  formula: string;
  unavailable: boolean;
  action: string;
  values: FilterValues;
  choices: FilterChoices;
  errors: FieldErrors;
  trend: ChartProps | null;
  breakdowns: ChartProps[];
  compare: {
    values: { a: string; b: string };
    options: Option[];
    errors: FieldErrors;
    chart: ChartProps | null;
  } | null;
  tables: NamedTable[];
  back: string;
  /** Where the indicator's source is kept (the accessibility register), for those who keep it. */
  register?: string | undefined;
}

export function IndicatorPage({ ctx, model }: { ctx: PageContext; model: IndicatorModel }) {
  const { t } = ctx;
  const errors = { ...model.errors, ...(model.compare?.errors ?? {}) };
  const failed = Object.keys(model.errors).length > 0;
  return (
    <Layout ctx={ctx} title={model.title} area="staff">
      <BackLink href={model.back}>{t('qualityPages.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={errors} />
      <span class="caption">{model.criterion}</span>
      <h1>{model.title}</h1>
      <p class="lead">{model.formula}</p>
      {model.unavailable && <p class="notice">{t('qualityPages.indicator.unavailable')}</p>}
      {model.register && (
        <p>
          <a href={model.register}>{t('qualityPages.accessibility.title')}</a>
        </p>
      )}
      <FilterForm
        ctx={ctx}
        action={model.action}
        values={model.values}
        choices={model.choices}
        errors={model.errors}
        hidden={model.compare ? model.compare.values : {}}
      />
      {failed ? (
        <p>{t('qualityPages.filter.fix')}</p>
      ) : (
        <>
          {model.trend && <LineChart {...model.trend} />}
          {model.breakdowns.length > 0 && <h2>{t('qualityPages.indicator.breakdowns')}</h2>}
          {model.breakdowns.map((chart) => (
            <BarChart key={chart.id} {...chart} />
          ))}
          {model.compare && (
            <section aria-labelledby="compare-heading">
              <h2 id="compare-heading">{t('qualityPages.compare.heading')}</h2>
              <p>{t('qualityPages.compare.hint')}</p>
              <form method="get" action={model.action} novalidate>
                {Object.entries(model.values).map(([k, v]) => (
                  <input type="hidden" name={k} value={v} key={k} />
                ))}
                <Select
                  ctx={ctx}
                  name="a"
                  label={t('qualityPages.compare.a')}
                  value={model.compare.values.a}
                  options={model.compare.options}
                  error={model.compare.errors.a}
                  empty=""
                />
                <Select
                  ctx={ctx}
                  name="b"
                  label={t('qualityPages.compare.b')}
                  value={model.compare.values.b}
                  options={model.compare.options}
                  error={model.compare.errors.b}
                  empty=""
                />
                <Button secondary>{t('qualityPages.compare.submit')}</Button>
              </form>
              {model.compare.chart && <LineChart {...model.compare.chart} />}
            </section>
          )}
          <Exports ctx={ctx} tables={model.tables} />
        </>
      )}
    </Layout>
  );
}

// ------------------------------------------------------------------------------ targets

export interface TargetInput {
  indicator: string;
  year: string;
  target: string;
  source: string;
  district: string;
}

export function TargetsPage(p: {
  ctx: PageContext;
  table: NamedTable;
  ids: number[];
  indicators: Option[];
  districts: Option[];
  values: TargetInput;
  errors: FieldErrors;
  tables: NamedTable[];
}) {
  const { ctx } = p;
  const { t, locale } = ctx;
  const shown = displayTable(locale, t, p.table);
  return (
    <Layout ctx={ctx} title={t('qualityPages.targets.title')} area="staff">
      <BackLink href="/staff/quality">{t('qualityPages.back')}</BackLink>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{t('qualityPages.targets.title')}</h1>
      {p.ids.length === 0 ? (
        <p>{t('qualityPages.targets.none')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{p.table.title}</caption>
          <thead>
            <tr>
              {shown.head.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
              <th scope="col">
                <span class="visually-hidden">{t('qualityPages.targets.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((row, i) => (
              <tr key={p.ids[i]}>
                {row.map((cell, c) =>
                  c === 0 ? (
                    <th scope="row" key={c}>
                      {cell}
                    </th>
                  ) : (
                    <td key={c}>{cell}</td>
                  ),
                )}
                <td>
                  <form
                    method="post"
                    action={`/staff/quality/targets/${p.ids[i]}/delete`}
                    class="inline-form"
                  >
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="link-button">
                      {t('qualityPages.targets.delete')}
                      <span class="visually-hidden"> — {row[0]}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('qualityPages.targets.add')}</h2>
      <form method="post" action="/staff/quality/targets/check" novalidate>
        <CsrfField ctx={ctx} />
        <TargetFields
          ctx={ctx}
          indicators={p.indicators}
          districts={p.districts}
          values={p.values}
          errors={p.errors}
        />
        <Button>{t('form.continue')}</Button>
      </form>
      <Exports ctx={ctx} tables={p.tables} />
    </Layout>
  );
}

function TargetFields(p: {
  ctx: PageContext;
  indicators: Option[];
  districts: Option[];
  values: TargetInput;
  errors: FieldErrors;
}) {
  const { t } = p.ctx;
  return (
    <>
      <Select
        ctx={p.ctx}
        name="indicator"
        label={t('qualityPages.targets.indicator')}
        value={p.values.indicator}
        options={p.indicators}
        error={p.errors.indicator}
        empty={t('qualityPages.targets.choose')}
      />
      <TextField
        ctx={p.ctx}
        name="year"
        label={t('qualityPages.targets.year')}
        value={p.values.year}
        error={p.errors.year}
        inputMode="numeric"
        width="short"
      />
      <TextField
        ctx={p.ctx}
        name="target"
        label={t('qualityPages.targets.target')}
        hint={t('qualityPages.targets.targetHint')}
        value={p.values.target}
        error={p.errors.target}
        width="short"
      />
      <TextField
        ctx={p.ctx}
        name="source"
        label={t('qualityPages.targets.source')}
        hint={t('qualityPages.targets.sourceHint')}
        value={p.values.source}
        error={p.errors.source}
      />
      <Select
        ctx={p.ctx}
        name="district"
        label={t('qualityPages.targets.district')}
        value={p.values.district}
        options={p.districts}
        error={p.errors.district}
        empty={t('qualityPages.region')}
      />
    </>
  );
}

/** Check answers before saving a target: every answer with a change link back to the form. */
export function TargetCheckPage(p: { ctx: PageContext; values: TargetInput; rows: [string, string][] }) {
  const { ctx } = p;
  const { t } = ctx;
  const back = withQuery('/staff/quality/targets', { ...p.values });
  return (
    <Layout ctx={ctx} title={t('qualityPages.targets.checkTitle')} area="staff">
      <BackLink href={back}>{t('qualityPages.back')}</BackLink>
      <h1>{t('qualityPages.targets.checkTitle')}</h1>
      <SummaryList rows={p.rows} />
      <p>
        <a href={back}>{t('qualityPages.targets.change')}</a>
      </p>
      <form method="post" action="/staff/quality/targets" novalidate>
        <CsrfField ctx={ctx} />
        {Object.entries(p.values).map(([k, v]) => (
          <input type="hidden" name={k} value={v} key={k} />
        ))}
        <Button>{t('qualityPages.targets.save')}</Button>
      </form>
    </Layout>
  );
}

// ------------------------------------------------------------------------------ open data

export function OpenDataPage(p: {
  ctx: PageContext;
  values: FilterValues;
  choices: FilterChoices;
  errors: FieldErrors;
  indicator: string;
  indicators: Option[];
  formula: string;
  map: DistrictMapProps | null;
  trend: ChartProps | null;
  tables: NamedTable[];
  json: string;
  /** Said under the formula (an indicator of places has no small cells to hide). */
  note?: string | undefined;
  children?: ComponentChildren;
}) {
  const { ctx } = p;
  const { t } = ctx;
  const failed = Object.keys(p.errors).length > 0;
  return (
    <Layout ctx={ctx} title={t('qualityPages.openData.title')} area="portal">
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <h1>{t('qualityPages.openData.title')}</h1>
      <p class="lead">{t('qualityPages.openData.lead')}</p>
      <p>{t('qualityPages.openData.privacy', { n: SMALL_CELL })}</p>
      <form method="get" action="/open-data/quality" novalidate>
        <Select
          ctx={ctx}
          name="indicator"
          label={t('qualityPages.openData.indicator')}
          value={p.indicator}
          options={p.indicators}
        />
        <TextField
          ctx={ctx}
          name="from"
          label={t('qualityPages.filter.from')}
          hint={t('qualityPages.filter.monthHint')}
          value={p.values.from}
          error={p.errors.from}
          width="short"
        />
        <TextField
          ctx={ctx}
          name="to"
          label={t('qualityPages.filter.to')}
          hint={t('qualityPages.filter.monthHint')}
          value={p.values.to}
          error={p.errors.to}
          width="short"
        />
        <Select
          ctx={ctx}
          name="district"
          label={t('qualityPages.filter.district')}
          value={p.values.district}
          options={p.choices.districts}
          error={p.errors.district}
          empty={t('qualityPages.filter.allDistricts')}
        />
        <Button>{t('qualityPages.filter.apply')}</Button>
      </form>
      {failed ? (
        <p>{t('qualityPages.filter.fix')}</p>
      ) : (
        <>
          <p>{p.formula}</p>
          {p.note && <p>{p.note}</p>}
          {p.map && <DistrictMap {...p.map} />}
          {p.trend && <LineChart {...p.trend} />}
          <section aria-labelledby="downloads">
            <h2 id="downloads">{t('qualityPages.export.title')}</h2>
            <ul class="list">
              <li>
                <a href={p.json}>{t('qualityPages.openData.json')}</a>
              </li>
              {p.tables.map((table) => (
                <li key={table.id}>
                  <a href={withQuery(ctx.path, { format: 'csv', table: table.id })}>
                    {t('qualityPages.export.csv', { title: table.title })}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      {p.children}
    </Layout>
  );
}
