// Charts for the UI kit, drawn on the server as small accessible SVG: Apache ECharts' server-side
// renderer for lines and bars, our own SVG for the district tile map. Every chart is a figure with a
// visible caption, an SVG with role="img", <title> and <desc>, and the data table behind it, so a
// reader who cannot see the picture (or prints it in black and white) loses nothing. Colours have at
// least 3:1 contrast on white, and each series also differs by symbol, dash or pattern and is labelled.
import * as echarts from 'echarts';
import type { ComponentChildren } from 'preact';

export interface ChartPoint {
  /** Category key (a month 'YYYY-MM', a district or channel code). */
  key: string;
  label: string;
  value: number | null;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

/** The table behind a chart when the caller has more to show than the plotted values. */
export interface ChartTable {
  head: string[];
  rows: string[][];
}

export interface ChartProps {
  /** Unique on the page: prefixes the ids inside the SVG. Letters, digits and dashes. */
  id: string;
  /** The caption above the chart and the SVG's <title>. */
  title: string;
  /** One sentence summarising the data: the SVG's <desc>. */
  desc: string;
  series: ChartSeries[];
  /** How a value reads (axis, labels, table): "84,5 %", "12,3 дня". */
  format: (value: number) => string;
  /** A horizontal target line, labelled. */
  target?: { value: number; label: string } | undefined;
  text: {
    /** Shown instead of the chart when there is nothing to plot. */
    noData: string;
    /** The summary of the <details> holding the table. */
    showTable: string;
    /** Header of the first column of the default table (month, district…). */
    category: string;
    /** Shown in a table cell without a value. */
    missing: string;
  };
  /** Replaces the default table (categories × series). */
  table?: ChartTable;
  /** Show the table open rather than in a <details>. */
  tableOpen?: boolean;
  width?: number;
  height?: number;
}

/** Series colours: each at least 3:1 on white (blue 5.2, brown 6.1, green 5.9, purple 10, grey 7). */
export const SERIES_COLOURS = ['#1d70b8', '#a64a00', '#00703c', '#4c2c92', '#505a5f'] as const;
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin'] as const;
const DASHES = ['solid', 'dashed', 'dotted', 'solid', 'dashed'] as const;
const TEXT = '#0b0c0c';
const MUTED = '#505a5f';
const TARGET = '#d4351c'; // 4.5:1 on white; also dashed and labelled

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Whether any series has a value to plot. */
export function hasData(series: ChartSeries[]): boolean {
  return series.some((s) => s.points.some((p) => p.value !== null && Number.isFinite(p.value)));
}

/** Categories in first-seen order across all series. */
function categoriesOf(series: ChartSeries[]): ChartPoint[] {
  const seen = new Map<string, ChartPoint>();
  for (const s of series) for (const p of s.points) if (!seen.has(p.key)) seen.set(p.key, p);
  return [...seen.values()];
}

/**
 * Strips from ECharts' SVG what a static picture does not need (hover styles, event metadata, the
 * background rect), moves inline styles into attributes (the CSP forbids style attributes), gives its
 * ids a per-chart prefix (several charts share a page), and adds role, title and description.
 */
export function tidySvg(raw: string, id: string, title: string, desc: string): string {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  let svg = raw
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ (?:ecmeta_[a-z_]+|class|pointer-events)="[^"]*"/g, '')
    .replace(
      / style="font-size:(\d+(?:\.\d+)?)px;font-family:([^;"]*);?"/g,
      ' font-size="$1" font-family="$2"',
    )
    .replace(/ style="[^"]*"/g, '')
    .replace(/zr\d+-/g, `${id}-`)
    .replace(/<rect width="\d+" height="\d+" x="0" y="0" fill="none"><\/rect>\n?/, '')
    .replace(/ xmlns:xlink="[^"]*"| version="1\.1"| baseProfile="full"/g, '')
    .replace(/<defs\s*>\s*<\/defs>/g, '')
    .replace(/(\d+\.\d{2})\d+/g, '$1')
    .replace(/\n/g, '');
  svg = svg.replace(
    /^<svg ([^>]*)>/,
    `<svg $1 role="img" aria-labelledby="${titleId} ${descId}" focusable="false"><title id="${titleId}">${esc(title)}</title><desc id="${descId}">${esc(desc)}</desc>`,
  );
  return svg;
}

function render(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, aria: { enabled: true, decal: { show: true } }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const axisText = { color: MUTED, fontSize: 12 };

function baseOption(p: ChartProps, horizontalLabels: boolean): echarts.EChartsOption {
  const categories = categoriesOf(p.series);
  return {
    textStyle: { fontFamily: 'system-ui, sans-serif', color: TEXT },
    color: [...SERIES_COLOURS],
    grid: {
      left: 12,
      right: p.target ? 90 : 24,
      // Room above the highest point for its label.
      top: p.series.length > 1 ? 52 : 28,
      bottom: 8,
      containLabel: true,
    },
    legend:
      p.series.length > 1
        ? { top: 0, left: 0, textStyle: { color: TEXT, fontSize: 13 }, itemWidth: 28 }
        : { show: false },
    xAxis: {
      type: 'category',
      data: categories.map((c) => c.label),
      axisLabel: { ...axisText, interval: horizontalLabels ? 'auto' : 0, rotate: horizontalLabels ? 0 : 30 },
      axisLine: { lineStyle: { color: MUTED } },
      axisTick: { lineStyle: { color: MUTED } },
    },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisText, formatter: (v: number) => p.format(v) },
      splitLine: { lineStyle: { color: '#dbdee4' } },
    },
  };
}

function valuesOf(s: ChartSeries, categories: ChartPoint[]): (number | null)[] {
  const byKey = new Map(s.points.map((p) => [p.key, p.value]));
  return categories.map((c) => {
    const v = byKey.get(c.key);
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  });
}

function targetLine(p: ChartProps) {
  if (!p.target) return {};
  return {
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { color: TARGET, type: 'dashed' as const, width: 2 },
      label: { formatter: p.target.label, color: TEXT, fontSize: 12, position: 'end' as const },
      data: [{ yAxis: p.target.value }],
    },
  };
}

/** A trend: one line per series over the categories (months), with an optional target line. */
export function lineSvg(p: ChartProps): string {
  const categories = categoriesOf(p.series);
  const option = baseOption(p, true);
  option.series = p.series.map(
    (s, i): echarts.SeriesOption => ({
      type: 'line',
      name: s.name,
      data: valuesOf(s, categories),
      connectNulls: false,
      symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: 8,
      lineStyle: { width: 2.5, type: DASHES[i % DASHES.length] },
      // Labels on the points when there are few, so the figures are on the picture as well.
      label: {
        show: categories.length <= 12 && p.series.length <= 2,
        formatter: (x: echarts.DefaultLabelFormatterCallbackParams) => p.format(Number(x.value)),
        color: TEXT,
        fontSize: 11,
      },
      ...(i === 0 ? targetLine(p) : {}),
    }),
  );
  return tidySvg(render(option, p.width ?? 640, p.height ?? 300), p.id, p.title, p.desc);
}

/** A comparison: bars per category, one colour and pattern per series, each bar labelled with its value. */
export function barSvg(p: ChartProps): string {
  let categories = categoriesOf(p.series);
  const long = categories.some((c) => c.label.length > 14);
  if (categories.length <= 6 && !long) {
    const option = baseOption(p, true);
    option.series = p.series.map(
      (s, i): echarts.SeriesOption => ({
        type: 'bar',
        name: s.name,
        data: valuesOf(s, categories),
        label: {
          show: categories.length * p.series.length <= 16,
          position: 'top',
          formatter: (x: echarts.DefaultLabelFormatterCallbackParams) => p.format(Number(x.value)),
          color: TEXT,
          fontSize: 11,
        },
        ...(i === 0 ? targetLine(p) : {}),
      }),
    );
    return tidySvg(render(option, p.width ?? 640, p.height ?? 300), p.id, p.title, p.desc);
  }
  // Many or long categories (districts, measures): horizontal bars, one row each, names on the left.
  // Categories without any figure are left out of the picture (the table lists them all).
  const withData = categories.filter((c) => p.series.some((s) => valuesOf(s, [c])[0] !== null));
  if (withData.length > 0) categories = withData;
  const option = baseOption(p, true);
  option.grid = { left: 12, right: 64, top: p.series.length > 1 ? 52 : 28, bottom: 8, containLabel: true };
  option.xAxis = {
    type: 'value',
    splitNumber: 4,
    axisLabel: { ...axisText, hideOverlap: true, formatter: (v: number) => p.format(v) },
    splitLine: { lineStyle: { color: '#dbdee4' } },
  };
  option.yAxis = {
    type: 'category',
    inverse: true,
    data: categories.map((c) => fit(c.label, 26)),
    axisLabel: { ...axisText, interval: 0 },
    axisLine: { lineStyle: { color: MUTED } },
    axisTick: { show: false },
  };
  option.series = p.series.map(
    (s, i): echarts.SeriesOption => ({
      type: 'bar',
      name: s.name,
      data: valuesOf(s, categories),
      barMaxWidth: 18,
      label: {
        show: true,
        position: 'right',
        formatter: (x: echarts.DefaultLabelFormatterCallbackParams) => p.format(Number(x.value)),
        color: TEXT,
        fontSize: 11,
      },
      ...(i === 0 && p.target
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: TARGET, type: 'dashed' as const, width: 2 },
              // The axis runs top to bottom (inverse), so the line's start is at the top.
              label: { formatter: p.target.label, color: TEXT, fontSize: 12, position: 'start' as const },
              data: [{ xAxis: p.target.value }],
            },
          }
        : {}),
    }),
  );
  const rowHeight = 14 + 14 * p.series.length;
  const height = p.height ?? 70 + (p.series.length > 1 ? 30 : 0) + categories.length * rowHeight;
  return tidySvg(render(option, p.width ?? 640, height), p.id, p.title, p.desc);
}

function defaultTable(p: ChartProps): ChartTable {
  const categories = categoriesOf(p.series);
  const columns = p.series.map((s) => valuesOf(s, categories));
  return {
    head: [p.text.category, ...p.series.map((s) => s.name)],
    rows: categories.map((c, r) => [
      c.label,
      ...columns.map((values) => {
        const v = values[r];
        return v === null || v === undefined ? p.text.missing : p.format(v);
      }),
    ]),
  };
}

export function DataTable({ table, caption }: { table: ChartTable; caption?: string }) {
  return (
    <div class="chart__table">
      <table class="table">
        {caption && <caption class="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {table.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) =>
                c === 0 ? (
                  <th scope="row" key={c}>
                    {cell}
                  </th>
                ) : (
                  <td key={c}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Figure(p: ChartProps & { svg: () => string; children?: ComponentChildren }) {
  const table = p.table ?? defaultTable(p);
  const empty = !hasData(p.series);
  return (
    <figure class="chart" id={p.id}>
      <figcaption class="chart__caption">{p.title}</figcaption>
      {empty ? (
        <p class="chart__empty">{p.text.noData}</p>
      ) : (
        <>
          <div class="chart__svg" dangerouslySetInnerHTML={{ __html: p.svg() }} />
          {p.tableOpen ? (
            <DataTable table={table} caption={p.title} />
          ) : (
            <details class="chart__details">
              <summary>{p.text.showTable}</summary>
              <DataTable table={table} caption={p.title} />
            </details>
          )}
        </>
      )}
      {p.children}
    </figure>
  );
}

export function LineChart(p: ChartProps) {
  return <Figure {...p} svg={() => lineSvg(p)} />;
}

export function BarChart(p: ChartProps) {
  return <Figure {...p} svg={() => barSvg(p)} />;
}

// ------------------------------------------------------------------------------ district tile map

export interface DistrictCell {
  code: string;
  name: string;
  value: number | null;
  /** Shown on the tile and in the table instead of the value (e.g. "fewer than 10"). */
  note?: string;
}

export interface DistrictMapProps {
  id: string;
  title: string;
  desc: string;
  cells: DistrictCell[];
  format: (value: number) => string;
  /** A link for each tile's district (e.g. its dashboard), in the table. */
  href?: (code: string) => string;
  text: {
    noData: string;
    district: string;
    value: string;
    band: string;
    legend: string;
    showTable: string;
    /** Names of the four bands, lowest first, e.g. "lowest quarter". */
    bands: readonly [string, string, string, string];
    missing: string;
    /** "from {from} to {to}" */
    range: (from: string, to: string) => string;
  };
  columns?: number;
}

/** Light to dark blue; text colour chosen per band for ≥4.5:1, and every tile has a dark border. */
const BAND_FILL = ['#e8f1f8', '#9cc4e4', '#1d70b8', '#003078'] as const;
const BAND_TEXT = [TEXT, TEXT, '#ffffff', '#ffffff'] as const;
/** The band also shows as a mark on the tile and in the legend, so colour is never alone. */
export const BAND_MARK = ['○', '◔', '◑', '●'] as const;
const NONE_FILL = '#f3f2f1';

/** Quartile bands of the values present: band i covers [limits[i], limits[i+1]]. */
export function bandsOf(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * (sorted.length - 1)))]!;
  return [sorted[0]!, q(0.25), q(0.5), q(0.75), sorted[sorted.length - 1]!];
}

/** The lowest band whose range holds the value (equal limits put ties in the lower band). */
export function bandOf(limits: number[], value: number): number {
  for (let i = 0; i < 3; i++) if (value <= limits[i + 1]!) return i;
  return 3;
}

/** Trims a long district name to fit a tile; the full name is in the table and the tile's title. */
function fit(name: string, max: number): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}

export function districtMapSvg(p: DistrictMapProps): string {
  const cols = p.columns ?? 6;
  const tileW = 150;
  const tileH = 58;
  const gap = 6;
  const rows = Math.ceil(p.cells.length / cols);
  const width = cols * (tileW + gap) - gap;
  const height = rows * (tileH + gap) - gap;
  const limits = bandsOf(p.cells.flatMap((c) => (c.value === null ? [] : [c.value])));
  const patternId = `${p.id}-none`;
  const tiles = p.cells.map((c, i) => {
    const x = (i % cols) * (tileW + gap);
    const y = Math.floor(i / cols) * (tileH + gap);
    const band = c.value === null ? -1 : bandOf(limits, c.value);
    const fill = band < 0 ? `url(#${patternId})` : BAND_FILL[band];
    const colour = band < 0 ? TEXT : BAND_TEXT[band];
    const figure = c.note ?? (c.value === null ? p.text.missing : p.format(c.value));
    const mark = band < 0 ? '' : `${BAND_MARK[band]} `;
    return (
      `<g><title>${esc(`${c.name}: ${figure}`)}</title>` +
      `<rect x="${x}" y="${y}" width="${tileW}" height="${tileH}" rx="3" fill="${fill}" stroke="${MUTED}"/>` +
      `<text x="${x + 8}" y="${y + 22}" font-size="13" fill="${colour}">${esc(fit(c.name, 18))}</text>` +
      `<text x="${x + 8}" y="${y + 44}" font-size="14" font-weight="700" fill="${colour}">${esc(mark + figure)}</text></g>`
    );
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">` +
    `<defs><pattern id="${patternId}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${NONE_FILL}"/><path d="M0 8L8 0" stroke="#b1b4b6"/></pattern></defs>` +
    tiles.join('') +
    '</svg>';
  return tidySvg(svg, p.id, p.title, p.desc);
}

export function DistrictMap(p: DistrictMapProps) {
  const present = p.cells.flatMap((c) => (c.value === null ? [] : [c.value]));
  const limits = bandsOf(present);
  const bandName = (c: DistrictCell) =>
    c.value === null
      ? p.text.missing
      : `${BAND_MARK[bandOf(limits, c.value)]} ${p.text.bands[bandOf(limits, c.value)]}`;
  const table: ChartTable = {
    head: [p.text.district, p.text.value, p.text.band],
    rows: p.cells.map((c) => [
      c.name,
      c.note ?? (c.value === null ? p.text.missing : p.format(c.value)),
      bandName(c),
    ]),
  };
  return (
    <figure class="chart" id={p.id}>
      <figcaption class="chart__caption">{p.title}</figcaption>
      {present.length === 0 && !p.cells.some((c) => c.note) ? (
        <p class="chart__empty">{p.text.noData}</p>
      ) : (
        <>
          {present.length > 0 && (
            <div class="chart__legend">
              <p class="chart__legend-title">{p.text.legend}</p>
              <ul class="chart__legend-list">
                {p.text.bands.map((name, i) => (
                  <li key={name}>
                    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                      <rect x="1" y="1" width="18" height="18" fill={BAND_FILL[i]} stroke={MUTED} />
                    </svg>{' '}
                    {BAND_MARK[i]} {name}: {p.text.range(p.format(limits[i]!), p.format(limits[i + 1]!))}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div class="chart__svg" dangerouslySetInnerHTML={{ __html: districtMapSvg(p) }} />
          <details class="chart__details">
            <summary>{p.text.showTable}</summary>
            <DataTable table={table} caption={p.title} />
          </details>
        </>
      )}
    </figure>
  );
}
