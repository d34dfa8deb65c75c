// What the quality pages show, built from the engine's contract types (quality.types.ts) only, so the
// pages, charts and exports are testable with hand-made values. Formatting of figures by unit, the
// change on a tile in words, the sentence under each chart, the tables behind charts and their CSV
// and XLSX forms, and the small-cell rule of the open data live here.
import ExcelJS from 'exceljs';
import type {
  ChartProps,
  ChartSeries,
  ChartTable,
  DistrictCell,
  DistrictMapProps,
} from '../../platform/charts/charts.tsx';
import { formatNumber, type Locale, type MessageKey, type Translate } from '../../platform/i18n/i18n.ts';
import type {
  Criterion,
  IndicatorDefinition,
  IndicatorPoint,
  IndicatorValue,
  ProgrammeTarget,
  Unit,
} from './quality.types.ts';

export const CRITERIA: readonly Criterion[] = [
  'accessibility',
  'priority',
  'timeliness',
  'documentation',
  'satisfaction',
];

/** Cuts with fewer cases than this show "fewer than 10" and no value in the open data. */
export const SMALL_CELL = 10;

// ------------------------------------------------------------------------------ figures

export function formatValue(locale: Locale, t: Translate, unit: Unit, value: number): string {
  switch (unit) {
    case 'share':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'days':
      return t('qualityPages.unit.days', {
        value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value),
      });
    case 'count':
      return formatNumber(locale, Math.round(value * 10) / 10);
  }
}

export const titleOf = (t: Translate, def: IndicatorDefinition) => t(def.titleKey as MessageKey);
export const formulaOf = (t: Translate, def: IndicatorDefinition) => t(def.formulaKey as MessageKey);

/** The change against the previous period in words: direction, size, and whether it is better. */
export function changeText(
  locale: Locale,
  t: Translate,
  def: IndicatorDefinition,
  v: IndicatorValue,
): string {
  if (v.value === null || v.previous === null) return t('qualityPages.change.none');
  const diff = v.value - v.previous;
  const previous = formatValue(locale, t, def.unit, v.previous);
  if (Math.abs(diff) < 1e-9) return t('qualityPages.change.same', { previous });
  const size =
    def.unit === 'share'
      ? t('qualityPages.unit.points', {
          value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(diff) * 100),
        })
      : formatValue(locale, t, def.unit, Math.abs(diff));
  const better = diff > 0 === (def.better === 'higher');
  return t(diff > 0 ? 'qualityPages.change.up' : 'qualityPages.change.down', {
    size,
    previous,
    verdict: t(better ? 'qualityPages.change.better' : 'qualityPages.change.worse'),
  });
}

/** Whether the actual figure misses the target in the indicator's good direction. */
export function isOffTrack(def: IndicatorDefinition, actual: number | null, target: number): boolean {
  if (actual === null) return false;
  return def.better === 'higher' ? actual < target : actual > target;
}

// ------------------------------------------------------------------------------ tables

export type Cell = string | number | null;
export interface Column {
  label: string;
  /** How numbers in the column read; 'text' columns are shown as they are. */
  unit: Unit | 'text' | 'int';
}
/** Every table on the quality pages: shown under its chart, exported to CSV and XLSX. */
export interface NamedTable {
  id: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

export function cellText(locale: Locale, t: Translate, column: Column, cell: Cell): string {
  if (cell === null) return t('qualityPages.noValue');
  if (typeof cell === 'string' || column.unit === 'text') return String(cell);
  if (column.unit === 'int') return formatNumber(locale, cell);
  return formatValue(locale, t, column.unit, cell);
}

export function displayTable(locale: Locale, t: Translate, table: NamedTable): ChartTable {
  return {
    head: table.columns.map((c) => c.label),
    rows: table.rows.map((row) => row.map((cell, i) => cellText(locale, t, table.columns[i]!, cell))),
  };
}

/** The table behind a series of points: key, value, numerator, denominator. */
export function pointsTable(
  t: Translate,
  id: string,
  title: string,
  def: IndicatorDefinition,
  first: string,
  points: IndicatorPoint[],
): NamedTable {
  return {
    id,
    title,
    columns: [
      { label: first, unit: 'text' },
      { label: t('qualityPages.column.value'), unit: def.unit },
      { label: t('qualityPages.column.numerator'), unit: 'int' },
      { label: t('qualityPages.column.denominator'), unit: 'int' },
    ],
    rows: points.map((p) => [p.label, p.value, p.numerator, p.denominator]),
  };
}

const csvField = (cell: Cell) => {
  const s = cell === null ? '' : String(cell);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV as Russian Excel reads it: UTF-8 with BOM, ";" between fields; numbers raw (shares 0..1). */
export function toCsv(table: NamedTable): Buffer {
  const lines = [table.columns.map((c) => c.label), ...table.rows].map((r) => r.map(csvField).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** One sheet per table; shares formatted as per cent, numbers kept as numbers. */
export async function toXlsx(tables: NamedTable[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Opora';
  const used = new Set<string>();
  for (const table of tables) {
    // Sheet names: at most 31 characters, no []:*?/\ and unique.
    let name = table.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || table.id.slice(0, 28);
    for (let n = 2; used.has(name); n++) name = `${name.slice(0, 26)} ${n}`;
    used.add(name);
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(table.columns.map((c) => c.label));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row.map((c) => c ?? ''));
    table.columns.forEach((c, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.max(12, Math.min(50, c.label.length + 4));
      if (c.unit === 'share') column.numFmt = '0.0%';
      else if (c.unit === 'days') column.numFmt = '0.0';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ------------------------------------------------------------------------------ charts

export interface ChartTexts {
  noData: string;
  showTable: string;
  missing: string;
}

export function chartTexts(t: Translate): ChartTexts {
  return {
    noData: t('qualityPages.chart.noData'),
    showTable: t('qualityPages.chart.showTable'),
    missing: t('qualityPages.noValue'),
  };
}

const present = (points: IndicatorPoint[]) =>
  points.filter((p): p is IndicatorPoint & { value: number } => p.value !== null);

/** One sentence: first and last figures, lowest and highest, so the picture's story is in words. */
export function trendDesc(
  locale: Locale,
  t: Translate,
  def: IndicatorDefinition,
  points: IndicatorPoint[],
): string {
  const shown = present(points);
  if (shown.length === 0) return t('qualityPages.chart.noData');
  const f = (v: number) => formatValue(locale, t, def.unit, v);
  const first = shown[0]!;
  const last = shown[shown.length - 1]!;
  const min = shown.reduce((a, b) => (b.value < a.value ? b : a));
  const max = shown.reduce((a, b) => (b.value > a.value ? b : a));
  return t('qualityPages.chart.trendDesc', {
    title: titleOf(t, def),
    first: f(first.value),
    firstLabel: first.label,
    last: f(last.value),
    lastLabel: last.label,
    min: f(min.value),
    minLabel: min.label,
    max: f(max.value),
    maxLabel: max.label,
  });
}

export function comparisonDesc(
  locale: Locale,
  t: Translate,
  def: IndicatorDefinition,
  points: IndicatorPoint[],
): string {
  const shown = present(points);
  if (shown.length === 0) return t('qualityPages.chart.noData');
  const f = (v: number) => formatValue(locale, t, def.unit, v);
  const min = shown.reduce((a, b) => (b.value < a.value ? b : a));
  const max = shown.reduce((a, b) => (b.value > a.value ? b : a));
  return t('qualityPages.chart.barDesc', {
    title: titleOf(t, def),
    count: shown.length,
    max: f(max.value),
    maxLabel: max.label,
    min: f(min.value),
    minLabel: min.label,
  });
}

const seriesOf = (name: string, points: IndicatorPoint[]): ChartSeries => ({
  name,
  points: points.map((p) => ({ key: p.key, label: p.label, value: p.value })),
});

/** A trend chart of one indicator by month, with its table (value, numerator, denominator). */
export function trendChart(
  locale: Locale,
  t: Translate,
  o: {
    id: string;
    def: IndicatorDefinition;
    points: IndicatorPoint[];
    target?: number | null | undefined;
    title?: string;
  },
): { chart: ChartProps; table: NamedTable } {
  const title = o.title ?? titleOf(t, o.def);
  const table = pointsTable(t, o.id, title, o.def, t('qualityPages.column.month'), o.points);
  const format = (v: number) => formatValue(locale, t, o.def.unit, v);
  return {
    table,
    chart: {
      id: o.id,
      title,
      desc: trendDesc(locale, t, o.def, o.points),
      series: [seriesOf(titleOf(t, o.def), o.points)],
      format,
      target:
        o.target === null || o.target === undefined
          ? undefined
          : { value: o.target, label: t('qualityPages.chart.target', { value: format(o.target) }) },
      text: { ...chartTexts(t), category: t('qualityPages.column.month') },
      table: displayTable(locale, t, table),
    },
  };
}

/** A bar chart of one indicator across a dimension (channels, districts, measures). */
export function breakdownChart(
  locale: Locale,
  t: Translate,
  o: { id: string; def: IndicatorDefinition; points: IndicatorPoint[]; title: string; first: string },
): { chart: ChartProps; table: NamedTable } {
  const table = pointsTable(t, o.id, o.title, o.def, o.first, o.points);
  return {
    table,
    chart: {
      id: o.id,
      title: o.title,
      desc: comparisonDesc(locale, t, o.def, o.points),
      series: [seriesOf(titleOf(t, o.def), o.points)],
      format: (v) => formatValue(locale, t, o.def.unit, v),
      text: { ...chartTexts(t), category: o.first },
      table: displayTable(locale, t, table),
    },
  };
}

/** Two cuts side by side, month by month: a line each, and a table with both. */
export function compareChart(
  locale: Locale,
  t: Translate,
  o: {
    id: string;
    def: IndicatorDefinition;
    a: { label: string; points: IndicatorPoint[] };
    b: { label: string; points: IndicatorPoint[] };
  },
): { chart: ChartProps; table: NamedTable } {
  const title = t('qualityPages.compare.chartTitle', { a: o.a.label, b: o.b.label });
  const months = new Map<string, string>();
  for (const p of [...o.a.points, ...o.b.points]) if (!months.has(p.key)) months.set(p.key, p.label);
  const keys = [...months.keys()].sort();
  const at = (points: IndicatorPoint[], key: string) => points.find((p) => p.key === key)?.value ?? null;
  const table: NamedTable = {
    id: o.id,
    title,
    columns: [
      { label: t('qualityPages.column.month'), unit: 'text' },
      { label: o.a.label, unit: o.def.unit },
      { label: o.b.label, unit: o.def.unit },
    ],
    rows: keys.map((k) => [months.get(k)!, at(o.a.points, k), at(o.b.points, k)]),
  };
  const f = (v: number) => formatValue(locale, t, o.def.unit, v);
  const lastOf = (points: IndicatorPoint[]) => present(points).at(-1);
  const la = lastOf(o.a.points);
  const lb = lastOf(o.b.points);
  const desc =
    la && lb
      ? t('qualityPages.compare.desc', {
          title: titleOf(t, o.def),
          a: o.a.label,
          av: f(la.value),
          b: o.b.label,
          bv: f(lb.value),
          month: la.label,
        })
      : t('qualityPages.chart.noData');
  return {
    table,
    chart: {
      id: o.id,
      title,
      desc,
      series: [seriesOf(o.a.label, o.a.points), seriesOf(o.b.label, o.b.points)],
      format: f,
      text: { ...chartTexts(t), category: t('qualityPages.column.month') },
      table: displayTable(locale, t, table),
    },
  };
}

export interface DistrictRef {
  id: number;
  code: string;
  name: string;
}

/** The district tile map of one indicator, with the table (and small cells suppressed if asked). */
export function districtMap(
  locale: Locale,
  t: Translate,
  o: {
    id: string;
    def: IndicatorDefinition;
    districts: DistrictRef[];
    points: IndicatorPoint[];
    suppressSmall?: boolean;
  },
): { map: DistrictMapProps; table: NamedTable } {
  const byCode = new Map(o.points.map((p) => [p.key, p]));
  const title = t('qualityPages.map.title', { title: titleOf(t, o.def) });
  const cells: DistrictCell[] = o.districts.map((d) => {
    const p = byCode.get(d.code);
    const small = o.suppressSmall && isSmall(p, o.def);
    return {
      code: d.code,
      name: d.name,
      value: small ? null : (p?.value ?? null),
      ...(small ? { note: t('qualityPages.openData.small', { n: SMALL_CELL }) } : {}),
    };
  });
  const f = (v: number) => formatValue(locale, t, o.def.unit, v);
  const shown = cells.filter((c): c is DistrictCell & { value: number } => c.value !== null);
  const max = shown.reduce<(typeof shown)[number] | undefined>(
    (a, b) => (!a || b.value > a.value ? b : a),
    undefined,
  );
  const min = shown.reduce<(typeof shown)[number] | undefined>(
    (a, b) => (!a || b.value < a.value ? b : a),
    undefined,
  );
  const rows: IndicatorPoint[] = o.districts.map((d) => ({
    ...(byCode.get(d.code) ?? { key: d.code, value: null, numerator: null, denominator: null }),
    label: d.name,
  }));
  const first = t('qualityPages.column.district');
  const table = o.suppressSmall
    ? openDataTable(t, o.id, title, o.def, first, rows)
    : pointsTable(t, o.id, title, o.def, first, rows);
  return {
    table,
    map: {
      id: o.id,
      title,
      desc:
        max && min
          ? t('qualityPages.map.desc', {
              title: titleOf(t, o.def),
              count: shown.length,
              max: f(max.value),
              maxLabel: max.name,
              min: f(min.value),
              minLabel: min.name,
            })
          : t('qualityPages.chart.noData'),
      cells,
      format: f,
      text: {
        noData: t('qualityPages.chart.noData'),
        district: t('qualityPages.column.district'),
        value: t('qualityPages.column.value'),
        band: t('qualityPages.map.band'),
        legend: t('qualityPages.map.legend'),
        showTable: t('qualityPages.chart.showTable'),
        bands: [
          t('qualityPages.map.band0'),
          t('qualityPages.map.band1'),
          t('qualityPages.map.band2'),
          t('qualityPages.map.band3'),
        ],
        missing: t('qualityPages.noValue'),
        range: (from, to) => t('qualityPages.map.range', { from, to }),
      },
    },
  };
}

// ------------------------------------------------------------------------------ open data

/**
 * A cut is small when fewer than SMALL_CELL cases make it (its denominator, else its count). An
 * indicator of places (offices, pages) has no small cells: no person can be recognised in it.
 */
export function isSmall(p: IndicatorPoint | undefined, def?: IndicatorDefinition): boolean {
  if (!p || p.value === null || def?.counts === 'places') return false;
  const base = p.denominator ?? p.numerator ?? p.value;
  return base < SMALL_CELL;
}

/** The open-data form of a series: a small cell keeps its label and says so, with no figures. */
export function openDataTable(
  t: Translate,
  id: string,
  title: string,
  def: IndicatorDefinition,
  first: string,
  points: IndicatorPoint[],
): NamedTable {
  const table = pointsTable(t, id, title, def, first, points);
  const small = t('qualityPages.openData.small', { n: SMALL_CELL });
  table.columns.push({ label: t('qualityPages.column.note'), unit: 'text' });
  table.rows = points.map((p) =>
    isSmall(p, def) ? [p.label, null, null, null, small] : [p.label, p.value, p.numerator, p.denominator, ''],
  );
  return table;
}

/** The JSON download: figures by district and month, with small cells suppressed the same way. */
export interface OpenDataRecord {
  indicator: string;
  unit: Unit;
  district: string | null;
  month: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
}

export function openDataRecord(
  def: IndicatorDefinition,
  district: string | null,
  p: IndicatorPoint,
): OpenDataRecord {
  const suppressed = isSmall(p, def);
  return {
    indicator: def.code,
    unit: def.unit,
    district,
    month: p.key,
    value: suppressed ? null : p.value,
    numerator: suppressed ? null : p.numerator,
    denominator: suppressed ? null : p.denominator,
    suppressed,
  };
}

// ------------------------------------------------------------------------------ targets

export interface TargetRow {
  target: ProgrammeTarget;
  def: IndicatorDefinition;
  districtName: string | null;
  actual: number | null;
  /** The engine's verdict with its tolerance, when it gave one. */
  onTrack?: boolean | null;
}

export function offTrackRow(r: TargetRow): boolean {
  return r.onTrack !== undefined ? r.onTrack === false : isOffTrack(r.def, r.actual, r.target.target);
}

export function targetsTable(locale: Locale, t: Translate, id: string, rows: TargetRow[]): NamedTable {
  return {
    id,
    title: t('qualityPages.targets.tableTitle'),
    columns: [
      { label: t('qualityPages.column.indicator'), unit: 'text' },
      { label: t('qualityPages.column.district'), unit: 'text' },
      { label: t('qualityPages.column.year'), unit: 'text' },
      { label: t('qualityPages.column.target'), unit: 'text' },
      { label: t('qualityPages.column.actual'), unit: 'text' },
      { label: t('qualityPages.column.status'), unit: 'text' },
    ],
    rows: rows.map((r) => {
      const f = (v: number) => formatValue(locale, t, r.def.unit, v);
      return [
        titleOf(t, r.def),
        r.districtName ?? t('qualityPages.region'),
        String(r.target.year),
        f(r.target.target),
        r.actual === null ? null : f(r.actual),
        r.actual === null
          ? t('qualityPages.targets.unknown')
          : offTrackRow(r)
            ? t('qualityPages.targets.offTrack')
            : t('qualityPages.targets.onTrack'),
      ];
    }),
  };
}

/** The headline indicator of each criterion: its first available one with a trend, else its first. */
export function headlines(defs: readonly IndicatorDefinition[]): IndicatorDefinition[] {
  return CRITERIA.flatMap((c) => {
    const mine = defs.filter((d) => d.criterion === c && d.available);
    const def = mine.find((d) => d.dimensions.includes('month')) ?? mine[0];
    return def ? [def] : [];
  });
}

/** Months 'YYYY-MM' from..to inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    if (out.length > 240) break;
  }
  return out;
}

export type { ChartProps, DistrictMapProps };

// ------------------------------------------------------------------------------ the filter form

export interface RawFilter {
  from: string;
  to: string;
  district: string;
  channel: string;
  measure: string;
}

export const CHANNELS = ['portal', 'in_person', 'mfc', 'post', 'proactive'] as const;

/** The previous `count` months up to and including today's: the default period of every page. */
export function defaultPeriod(today: string, count = 12): { from: string; to: string } {
  const to = today.slice(0, 7);
  const [y, m] = to.split('-').map(Number) as [number, number];
  const start = y * 12 + (m - 1) - (count - 1);
  return { from: `${Math.floor(start / 12)}-${String((start % 12) + 1).padStart(2, '0')}`, to };
}
