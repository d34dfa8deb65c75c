// The indicator engine: validated filters, values with the previous period, series by month,
// breakdowns by channel / district / measure, comparison of any two cuts, and programme targets.
// Case-based indicators come from the cube (quality_cube, kept by quality.refresh.ts); the rest are
// "now" figures or small tables read live through the owning modules' *.quality.ts functions.

import { record } from '../../platform/audit/audit.service.ts';
import { REGION_WIDE_ROLES, type StaffActor } from '../../platform/auth/actor.ts';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import { AppError, forbidden, notFound, ValidationError } from '../../platform/errors.ts';
import { regionToday } from '../../platform/time.ts';
import { openCasesNow } from '../applications/applications.quality.ts';
import type { ApplicationChannel } from '../applications/applications.schema.ts';
import { measuresPortalAvailability } from '../catalog/catalog.quality.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { exportStatusCounts } from '../egisso/egisso.service.ts';
import { remotePopulationByDistrict } from '../geography/geography.quality.ts';
import { listDistricts, listOffices } from '../geography/geography.service.ts';
import { interagencyTimeliness } from '../interagency/interagency.quality.ts';
import { appointmentWaits, fieldVisitReach, nearestFreeSlots } from '../reception/reception.quality.ts';
import { satisfactionCounts } from '../surveys/surveys.quality.ts';
import { latestAuditsOn, monthEnd } from './quality.accessibility.ts';
import { addHist, HIST_BUCKETS, histQuantile, quantile } from './quality.aggregates.ts';
import { INDICATORS, indicatorByCode, isSnapshot } from './quality.indicators.ts';
import * as repo from './quality.repository.ts';
import type {
  Dimension,
  IndicatorDefinition,
  IndicatorFilter,
  IndicatorPoint,
  IndicatorValue,
  ProgrammeTarget,
} from './quality.types.ts';

export const CHANNELS: readonly ApplicationChannel[] = ['portal', 'in_person', 'mfc', 'post', 'proactive'];
export const CHANNEL_LABELS: Record<ApplicationChannel, { ru: string; en: string }> = {
  portal: { ru: 'Портал', en: 'Portal' },
  in_person: { ru: 'Лично', en: 'In person' },
  mfc: { ru: 'МФЦ', en: 'MFC' },
  post: { ru: 'Почта', en: 'Post' },
  proactive: { ru: 'Проактивно', en: 'Proactive' },
};
/** The longest period a filter may span. */
export const MAX_MONTHS = 60;

export type Locale = 'ru' | 'en';
export interface EngineOptions {
  /** The region's today, 'YYYY-MM-DD' (tests pin it); defaults to now. */
  today?: string;
  /** The moment for "now" figures (nearest free slot). */
  now?: Date;
  locale?: Locale;
}

// ------------------------------------------------------------------ months

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (m: string): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOfIndex = (i: number): string => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
export const addMonths = (m: string, n: number): string => monthOfIndex(monthIndex(m) + n);
const firstDay = (m: string): string => `${m}-01`;
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthOfIndex(i));
  return out;
}
/** The period of equal length just before the filter's. */
export function previousPeriod(f: IndicatorFilter): IndicatorFilter {
  const n = monthIndex(f.to) - monthIndex(f.from) + 1;
  return { ...f, from: addMonths(f.from, -n), to: addMonths(f.from, -1) };
}

// ------------------------------------------------------------------ definitions and filters

export function listIndicators(): readonly IndicatorDefinition[] {
  return INDICATORS;
}

function definition(code: string): IndicatorDefinition {
  const d = indicatorByCode(code);
  if (!d) throw new ValidationError({ indicator: 'quality.error.indicator' });
  return d;
}

export type IndicatorQuery = Record<string, unknown>;

const str = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

/**
 * A filter from a query string: from / to ('YYYY-MM', default the last twelve months), district
 * (code), channel, measure (code). Unknown values and impossible periods are a ValidationError whose
 * fields name the parameter and the message key (quality.error.*).
 */
export async function parseIndicatorFilter(
  db: DbOrTrx,
  query: IndicatorQuery,
  opts: EngineOptions = {},
): Promise<IndicatorFilter> {
  const fields: Record<string, string> = {};
  const thisMonth = (opts.today ?? regionToday()).slice(0, 7);
  const fromRaw = str(query.from);
  const toRaw = str(query.to);
  if (fromRaw !== undefined && !MONTH.test(fromRaw)) fields.from = 'quality.error.from';
  if (toRaw !== undefined && !MONTH.test(toRaw)) fields.to = 'quality.error.to';
  const to = toRaw && MONTH.test(toRaw) ? toRaw : thisMonth;
  let from = fromRaw && MONTH.test(fromRaw) ? fromRaw : addMonths(to, -11);
  if (!fields.to && to > thisMonth) fields.to = 'quality.error.future';
  if (!fields.from && !fields.to) {
    if (from > to) fields.from = 'quality.error.fromAfterTo';
    else if (monthIndex(to) - monthIndex(from) + 1 > MAX_MONTHS) fields.from = 'quality.error.tooLong';
    else {
      const first = await repo.firstMonth(db);
      const start = first?.slice(0, 7);
      if (start && from < start) {
        // A default period is clipped to the data; a period the user chose gets told.
        if (fromRaw === undefined) from = start > to ? to : start;
        else fields.from = 'quality.error.beforeData';
      }
    }
  }
  const filter: IndicatorFilter = { from, to };
  const district = str(query.district);
  if (district !== undefined) {
    const d = (await listDistricts(db)).find((x) => x.code === district);
    if (d) filter.districtId = d.id;
    else fields.district = 'quality.error.district';
  }
  const channel = str(query.channel);
  if (channel !== undefined) {
    if ((CHANNELS as readonly string[]).includes(channel)) filter.channel = channel as ApplicationChannel;
    else fields.channel = 'quality.error.channel';
  }
  const measure = str(query.measure);
  if (measure !== undefined) {
    const m = (await measureRefs(db, { codes: [measure] }))[0];
    if (m) filter.measureId = m.id;
    else fields.measure = 'quality.error.measure';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return filter;
}

/** A district role may only look at its own districts. */
export function assertFilterInScope(actor: StaffActor, filter: IndicatorFilter): void {
  if (REGION_WIDE_ROLES.includes(actor.role)) return;
  if (filter.districtId === undefined || !actor.districtIds.includes(filter.districtId))
    throw forbidden('You can see the indicators of your own districts only');
}

// ------------------------------------------------------------------ computation

interface Frac {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}
const NONE: Frac = { value: null, numerator: null, denominator: null };
const share = (num: number, den: number): Frac =>
  den > 0
    ? { value: num / den, numerator: num, denominator: den }
    : { value: null, numerator: num, denominator: 0 };

/** Group keys: '' (no group), a district id, a channel, a measure id, or a month 'YYYY-MM'. */
type Group = Dimension | null;
type Grouped = Map<string, Frac>;

interface Sums {
  submitted: number;
  electronic: number;
  decided: number;
  on_time: number;
  work_days_sum: number;
  hist: number[];
  histPriority: number[];
  histOthers: number[];
  file_complete: number;
  legal_basis: number;
  docs_asked: number;
  docs_obtained: number;
  priority_decided: number;
  decided_first: number;
}
const emptySums = (): Sums => ({
  submitted: 0,
  electronic: 0,
  decided: 0,
  on_time: 0,
  work_days_sum: 0,
  hist: new Array(HIST_BUCKETS).fill(0),
  histPriority: new Array(HIST_BUCKETS).fill(0),
  histOthers: new Array(HIST_BUCKETS).fill(0),
  file_complete: 0,
  legal_basis: 0,
  docs_asked: 0,
  docs_obtained: 0,
  priority_decided: 0,
  decided_first: 0,
});

/** Per call: cube reads shared by every indicator of a page. */
class Engine {
  private cube = new Map<string, Promise<Map<string, Sums>>>();
  private live = new Map<string, Promise<unknown>>();
  readonly today: string;
  readonly now: Date;
  readonly db: DbOrTrx;
  constructor(db: DbOrTrx, opts: EngineOptions) {
    this.db = db;
    this.now = opts.now ?? new Date();
    this.today = opts.today ?? regionToday(this.now);
  }

  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.live.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.live.set(key, p);
    }
    return p;
  }

  sums(f: IndicatorFilter, group: Group): Promise<Map<string, Sums>> {
    const key = JSON.stringify([f, group]);
    let p = this.cube.get(key);
    if (!p) {
      p = this.readCube(f, group);
      this.cube.set(key, p);
    }
    return p;
  }

  private async readCube(f: IndicatorFilter, group: Group): Promise<Map<string, Sums>> {
    const rows = await repo.cubeRows(this.db, {
      from: firstDay(f.from),
      to: firstDay(f.to),
      district: group === 'district' ? 'each' : (f.districtId ?? 0),
      channel: group === 'channel' ? 'each' : (f.channel ?? '*'),
      measure: group === 'measure' ? 'each' : (f.measureId ?? 0),
    });
    const out = new Map<string, Sums>();
    for (const r of rows) {
      // A row the increments brought back to nothing is no data, as if it had never been written.
      if (r.submitted === 0 && r.decided === 0) continue;
      const k =
        group === 'district'
          ? String(r.district_id)
          : group === 'channel'
            ? r.channel
            : group === 'measure'
              ? String(r.measure_id)
              : group === 'month'
                ? r.month.slice(0, 7)
                : '';
      let s = out.get(k);
      if (!s) {
        s = emptySums();
        out.set(k, s);
      }
      addHist(s.histPriority, r.priority_hist);
      for (let i = 0; i < HIST_BUCKETS; i++) s.histOthers[i]! += r.work_days_hist[i]! - r.priority_hist[i]!;
      s.submitted += r.submitted;
      s.electronic += r.electronic;
      s.decided += r.decided;
      s.on_time += r.on_time;
      s.work_days_sum += r.work_days_sum;
      addHist(s.hist, r.work_days_hist);
      s.file_complete += r.file_complete;
      s.legal_basis += r.legal_basis;
      s.docs_asked += r.docs_asked;
      s.docs_obtained += r.docs_obtained;
      s.priority_decided += r.priority_decided;
      s.decided_first += r.decided_first;
    }
    return out;
  }
}

const histFrac = (hist: number[], q: number): Frac => {
  const n = hist.reduce((a, x) => a + x, 0);
  return { value: histQuantile(hist, q), numerator: null, denominator: n };
};

/** The cube indicators' formulas over summed rows. */
const CUBE: Record<string, (s: Sums) => Frac> = {
  'accessibility.submitted_electronically': (s) => share(s.electronic, s.submitted),
  'priority.decision_days_priority': (s) => histFrac(s.histPriority, 0.5),
  'priority.decision_days_others': (s) => histFrac(s.histOthers, 0.5),
  'priority.decided_first': (s) => share(s.decided_first, s.priority_decided),
  'timeliness.decided_on_time': (s) => share(s.on_time, s.decided),
  'timeliness.decision_days_median': (s) => histFrac(s.hist, 0.5),
  'timeliness.decision_days_p90': (s) => histFrac(s.hist, 0.9),
  'documentation.file_complete': (s) => share(s.file_complete, s.decided),
  'documentation.docs_asked_per_application': (s) => share(s.docs_asked, s.decided),
  'documentation.docs_obtained_per_application': (s) => share(s.docs_obtained, s.decided),
  'documentation.legal_basis_recorded': (s) => share(s.legal_basis, s.decided),
};

/** Month bounds [from, toExclusive) as dates. */
const bounds = (f: IndicatorFilter): [string, string] => [firstDay(f.from), firstDay(addMonths(f.to, 1))];

function keyOf(
  group: Group,
  r: { districtId?: number; measureId?: number; channel?: string; month?: string },
) {
  if (group === 'district') return String(r.districtId);
  if (group === 'measure') return String(r.measureId);
  if (group === 'channel') return String(r.channel);
  if (group === 'month') return String(r.month);
  return '';
}

function sumBy<T>(rows: readonly T[], key: (r: T) => string, num: (r: T) => number, den: (r: T) => number) {
  const acc = new Map<string, [number, number]>();
  for (const r of rows) {
    const k = key(r);
    const a = acc.get(k) ?? [0, 0];
    a[0] += num(r);
    a[1] += den(r);
    acc.set(k, a);
  }
  return acc;
}

/** The live (non-cube) indicators, grouped. */
const LIVE: Record<string, (e: Engine, f: IndicatorFilter, g: Group) => Promise<Grouped>> = {
  async 'accessibility.measures_on_portal'(e) {
    const ms = await e.memo('portal', () => measuresPortalAvailability(e.db));
    return new Map([['', share(ms.filter((m) => m.onPortal).length, ms.length)]]);
  },
  async 'accessibility.days_to_free_appointment'(e, f, g) {
    const offices = await e.memo(`slots:${f.districtId}`, () =>
      nearestFreeSlots(e.db, e.now, { districtId: f.districtId }),
    );
    const withSlot = offices.filter((o) => o.days !== null);
    const out: Grouped = new Map();
    for (const [k, [num, den]] of sumBy(
      withSlot,
      (o) => keyOf(g, o),
      (o) => o.days!,
      () => 1,
    ))
      out.set(k, share(num, den));
    return out;
  },
  async 'accessibility.remote_served_by_visits'(e, f, g) {
    const [a, b] = bounds(f);
    const reach = await fieldVisitReach(e.db, a, b, { districtId: f.districtId });
    const pop = await e.memo('remotePop', () => remotePopulationByDistrict(e.db));
    const popOf = (d?: number) =>
      pop.filter((p) => d === undefined || p.districtId === d).reduce((s, p) => s + p.population, 0);
    const served = sumBy(
      reach,
      (r) => keyOf(g, r),
      (r) => r.served,
      () => 0,
    );
    const out: Grouped = new Map();
    if (g === 'district')
      for (const p of pop)
        out.set(String(p.districtId), share(served.get(String(p.districtId))?.[0] ?? 0, p.population));
    else if (g === 'month') for (const [k, [n]] of served) out.set(k, share(n, popOf(f.districtId)));
    else out.set('', share(served.get('')?.[0] ?? 0, popOf(f.districtId)));
    return out;
  },
  async 'accessibility.offices_pages_accessible'(e, f, g) {
    // A stock, not a flow: each month's figure is as of its last day, a period's as of its end.
    const ends =
      g === 'month'
        ? monthsOf(f.from, f.to).map((m) => [m, monthEnd(m)] as const)
        : [['', monthEnd(f.to)] as const];
    const latest = await latestAuditsOn(
      e.db,
      ends.map(([, d]) => d),
    );
    const out: Grouped = new Map();
    for (const [month, day] of ends) {
      // A district is its offices (pages are region-wide); a channel is the subjects serving it.
      const subjects = (latest.get(day) ?? []).filter(
        (a) =>
          (f.districtId === undefined || a.districtId === f.districtId) &&
          (f.channel === undefined || a.channel === f.channel),
      );
      for (const [k, [num, den]] of sumBy(
        subjects,
        (a) =>
          g === 'month' ? month : g === 'district' ? String(a.districtId) : g === 'channel' ? a.channel : '',
        (a) => (a.meets ? 1 : 0),
        () => 1,
      ))
        out.set(k, share(num, den));
    }
    return out;
  },
  async 'satisfaction.overall'(e, f, g) {
    const [a, b] = bounds(f);
    const rows = await satisfactionCounts(e.db, a, b, { districtId: f.districtId, channel: f.channel });
    const out: Grouped = new Map();
    for (const [k, [num, den]] of sumBy(
      rows,
      (r) =>
        keyOf(g, { districtId: r.districtId ?? undefined, channel: r.channel ?? undefined, month: r.month }),
      (r) => r.satisfied,
      (r) => r.answered,
    ))
      out.set(k, share(num, den));
    return out;
  },
  async 'priority.appointment_wait_priority'(e, f, g) {
    return appointmentWait(e, f, g, true);
  },
  async 'priority.appointment_wait_others'(e, f, g) {
    return appointmentWait(e, f, g, false);
  },
  async 'timeliness.overdue_now'(e, f, g) {
    const rows = await openCasesNow(e.db, e.today, {
      districtId: f.districtId,
      channel: f.channel,
      measureId: f.measureId,
    });
    const out: Grouped = new Map();
    for (const [k, [overdue, open]] of sumBy(
      rows,
      (r) => keyOf(g, r),
      (r) => r.overdue,
      (r) => r.open,
    ))
      out.set(k, { value: overdue, numerator: overdue, denominator: open });
    if (g === null && !out.has('')) out.set('', { value: 0, numerator: 0, denominator: 0 });
    return out;
  },
  async 'timeliness.interagency_on_time'(e, f, g) {
    const [a, b] = bounds(f);
    const rows = await interagencyTimeliness(e.db, a, b, e.today, { districtId: f.districtId });
    const out: Grouped = new Map();
    for (const [k, [num, den]] of sumBy(
      rows,
      (r) => keyOf(g, r),
      (r) => r.onTime,
      (r) => r.due,
    ))
      out.set(k, share(num, den));
    return out;
  },
  async 'documentation.egisso_exported'(e, f, g) {
    const rows = (await e.memo('egisso', () => exportStatusCounts(e.db))).filter(
      (r) => f.districtId === undefined || r.district_id === f.districtId,
    );
    const out: Grouped = new Map();
    for (const [k, [num, den]] of sumBy(
      rows,
      (r) => keyOf(g, { districtId: r.district_id }),
      (r) => r.exported,
      (r) => r.exported + r.rejected + r.pending,
    ))
      out.set(k, share(num, den));
    return out;
  },
};

async function appointmentWait(e: Engine, f: IndicatorFilter, g: Group, priority: boolean): Promise<Grouped> {
  const [a, b] = bounds(f);
  const rows = await e.memo(`appt:${JSON.stringify([f, a, b])}`, () =>
    appointmentWaits(e.db, a, b, { districtId: f.districtId, measureId: f.measureId }),
  );
  const acc = new Map<string, number[]>();
  for (const r of rows.filter((r) => r.priority === priority)) {
    const k = keyOf(g, r);
    acc.set(k, [...(acc.get(k) ?? []), ...r.waitDays]);
  }
  const out: Grouped = new Map();
  for (const [k, v] of acc) out.set(k, { value: quantile(v, 0.5), numerator: null, denominator: v.length });
  return out;
}

/** Whether the filter cuts the indicator by a dimension it does not have (then there is no figure). */
function cutUnsupported(d: IndicatorDefinition, f: IndicatorFilter): boolean {
  return (
    (f.channel !== undefined && !d.dimensions.includes('channel')) ||
    (f.districtId !== undefined && !d.dimensions.includes('district')) ||
    (f.measureId !== undefined && !d.dimensions.includes('measure'))
  );
}

async function computeGrouped(
  e: Engine,
  d: IndicatorDefinition,
  f: IndicatorFilter,
  g: Group,
): Promise<Grouped> {
  if (!d.available || cutUnsupported(d, f) || (g !== null && !d.dimensions.includes(g))) return new Map();
  const cube = CUBE[d.code];
  if (cube) {
    const sums = await e.sums(f, g);
    const out: Grouped = new Map();
    for (const [k, s] of sums) out.set(k, cube(s));
    return out;
  }
  const live = LIVE[d.code];
  if (!live) throw new AppError('indicator_not_computed', 500, `No computation for ${d.code}`);
  return await live(e, f, g);
}

async function valueOfIndicator(
  e: Engine,
  d: IndicatorDefinition,
  f: IndicatorFilter,
): Promise<IndicatorValue> {
  const current = (await computeGrouped(e, d, f, null)).get('') ?? NONE;
  const previous = isSnapshot(d)
    ? NONE
    : ((await computeGrouped(e, d, previousPeriod(f), null)).get('') ?? NONE);
  return { code: d.code, ...current, previous: previous.value };
}

/** Every indicator (or the given ones) over the filter, each with the previous period's value. */
export async function indicatorValues(
  db: DbOrTrx,
  filter: IndicatorFilter,
  opts: EngineOptions & { codes?: readonly string[] } = {},
): Promise<IndicatorValue[]> {
  const e = new Engine(db, opts);
  const defs = opts.codes ? opts.codes.map(definition) : INDICATORS;
  return await Promise.all(defs.map((d) => valueOfIndicator(e, d, filter)));
}

/** One indicator by month over the filter's period (every month present, null where nothing to measure). */
export async function indicatorSeries(
  db: DbOrTrx,
  code: string,
  filter: IndicatorFilter,
  opts: EngineOptions = {},
): Promise<IndicatorPoint[]> {
  return await indicatorBreakdown(db, code, 'month', filter, opts);
}

/**
 * One indicator cut by a dimension: every channel, every district (for the map), every measure with a
 * figure or in the catalogue, or every month of the period. Keys: channel, district code, measure code, 'YYYY-MM'.
 */
export async function indicatorBreakdown(
  db: DbOrTrx,
  code: string,
  dimension: Dimension,
  filter: IndicatorFilter,
  opts: EngineOptions = {},
): Promise<IndicatorPoint[]> {
  const d = definition(code);
  const e = new Engine(db, opts);
  const locale = opts.locale ?? 'ru';
  // Breaking down by a dimension replaces the filter's own value for it.
  const f: IndicatorFilter = { ...filter };
  if (dimension === 'district') delete f.districtId;
  if (dimension === 'channel') delete f.channel;
  if (dimension === 'measure') delete f.measureId;
  const grouped = await computeGrouped(e, d, f, dimension);
  const point = (key: string, label: string, k: string): IndicatorPoint => ({
    key,
    label,
    ...(grouped.get(k) ?? NONE),
  });
  if (dimension === 'month') return monthsOf(f.from, f.to).map((m) => point(m, m, m));
  if (dimension === 'channel') return CHANNELS.map((c) => point(c, CHANNEL_LABELS[c][locale], c));
  if (dimension === 'district') {
    const ds = await listDistricts(db);
    return ds
      .map((x) => point(x.code, locale === 'ru' ? x.name_ru : x.name_en, String(x.id)))
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }
  const ms = await measureRefs(db);
  return ms
    .filter((m) => m.is_active || grouped.has(String(m.id)))
    .map((m) => point(m.code, locale === 'ru' ? m.title_ru : m.title_en, String(m.id)));
}

export interface OfficeFreeSlot {
  officeId: number;
  districtId: number;
  label: string;
  /** Calendar days to the nearest free slot open to everyone; null when none is open. */
  days: number | null;
}

/** The per-office table behind accessibility.days_to_free_appointment. */
export async function freeAppointmentByOffice(
  db: DbOrTrx,
  filter: Pick<IndicatorFilter, 'districtId'>,
  opts: EngineOptions = {},
): Promise<OfficeFreeSlot[]> {
  const rows = await nearestFreeSlots(db, opts.now ?? new Date(), { districtId: filter.districtId });
  const offices = await listOffices(db, { ids: rows.map((r) => r.officeId) });
  const name = new Map(offices.map((o) => [o.id, opts.locale === 'en' ? o.name_en : o.name_ru]));
  return rows.map((r) => ({ ...r, label: name.get(r.officeId) ?? String(r.officeId) }));
}

export interface CutComparison {
  code: string;
  a: IndicatorValue;
  b: IndicatorValue;
  /** b − a, in the indicator's unit; null when either has no figure. */
  difference: number | null;
}

/** The same indicator over two cuts (two channels, two districts, two periods, …). */
export async function compareCuts(
  db: DbOrTrx,
  code: string,
  a: IndicatorFilter,
  b: IndicatorFilter,
  opts: EngineOptions = {},
): Promise<CutComparison> {
  const d = definition(code);
  const e = new Engine(db, opts);
  const [va, vb] = await Promise.all([valueOfIndicator(e, d, a), valueOfIndicator(e, d, b)]);
  return {
    code,
    a: va,
    b: vb,
    difference: va.value === null || vb.value === null ? null : vb.value - va.value,
  };
}

// ------------------------------------------------------------------ programme targets

/** How far worse than its target a district may be before it is flagged off track, by unit. */
export const DEFAULT_TOLERANCE: Record<IndicatorDefinition['unit'], number> = {
  share: 0.02, // two percentage points
  days: 1,
  count: 0.1,
};

const toTarget = (
  r: Awaited<ReturnType<typeof repo.listTargets>>[number],
): ProgrammeTarget & {
  enteredBy: number;
  enteredAt: Date;
} => ({
  id: r.id,
  indicatorCode: r.indicator_code,
  year: r.year,
  target: Number(r.target),
  source: r.source,
  districtId: r.district_id,
  enteredBy: r.entered_by,
  enteredAt: r.entered_at,
});

export type StoredTarget = ReturnType<typeof toTarget>;

/** A target as typed on the analyst's form; a share is entered in per cent. */
export interface NewTargetInput {
  indicatorCode: string;
  year: string | number;
  target: string | number;
  source: string;
  /** District code; empty for the whole region. */
  district?: string;
}

const TARGET_ROLES = ['ministry_analyst', 'administrator'] as const;

export async function addTarget(trx: Trx, actor: StaffActor, input: NewTargetInput): Promise<StoredTarget> {
  if (!(TARGET_ROLES as readonly string[]).includes(actor.role))
    throw forbidden('Programme targets are entered by ministry analysts');
  const fields: Record<string, string> = {};
  const d = indicatorByCode(String(input.indicatorCode ?? '').trim());
  if (!d) fields.indicatorCode = 'quality.error.indicator';
  else if (!d.available) fields.indicatorCode = 'quality.error.unavailable';
  const year = Number(String(input.year).trim());
  if (!Number.isInteger(year) || year < 2000 || year > 2100) fields.year = 'quality.error.year';
  const raw = String(input.target).trim().replace(',', '.').replace(/%$/, '');
  let target = raw === '' ? Number.NaN : Number(raw);
  if (d?.unit === 'share') target /= 100;
  if (!Number.isFinite(target) || target < 0 || (d?.unit === 'share' && target > 1))
    fields.target = 'quality.error.target';
  const source = String(input.source ?? '').trim();
  if (source.length === 0 || source.length > 500) fields.source = 'quality.error.source';
  let districtId: number | null = null;
  const code = input.district?.trim();
  if (code) {
    const found = (await listDistricts(trx)).find((x) => x.code === code);
    if (found) districtId = found.id;
    else fields.district = 'quality.error.district';
  }
  if (Object.keys(fields).length > 0 || !d) throw new ValidationError(fields);
  const id = await repo.insertTarget(trx, {
    indicator_code: d.code,
    year,
    target,
    source,
    district_id: districtId,
    entered_by: actor.userId,
  });
  if (id === undefined) throw new ValidationError({ year: 'quality.error.targetExists' });
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'quality.target.add',
    subject: { kind: 'programme_target', id },
    districtId,
    details: { indicator: d.code, year, target, source },
  });
  return toTarget((await repo.listTargets(trx, { indicatorCode: d.code, year })).find((t) => t.id === id)!);
}

export async function listTargets(
  db: DbOrTrx,
  filter: { indicatorCode?: string; year?: number; districtId?: number | null } = {},
): Promise<StoredTarget[]> {
  return (await repo.listTargets(db, filter)).map(toTarget);
}

export async function deleteTarget(trx: Trx, actor: StaffActor, id: number): Promise<void> {
  if (!(TARGET_ROLES as readonly string[]).includes(actor.role))
    throw forbidden('Programme targets are entered by ministry analysts');
  const gone = await repo.deleteTarget(trx, id);
  if (!gone) throw notFound('Programme target');
  await record(trx, {
    actor: { kind: 'staff', id: actor.userId },
    action: 'quality.target.delete',
    subject: { kind: 'programme_target', id },
    districtId: gone.district_id,
    details: {
      indicator: gone.indicator_code,
      year: gone.year,
      target: Number(gone.target),
      source: gone.source,
    },
  });
}

/** The months of a target's year up to this month (a year in progress is measured to date). */
function yearFilter(base: IndicatorFilter, year: number, today: string): IndicatorFilter | null {
  const thisMonth = today.slice(0, 7);
  const from = `${year}-01`;
  if (from > thisMonth) return null;
  const end = `${year}-12`;
  return { ...base, from, to: end < thisMonth ? end : thisMonth };
}

export interface TargetVsActual {
  target: StoredTarget;
  indicator: IndicatorDefinition;
  /** The indicator over the target's year to date, in the filter's cut (district, channel, measure). */
  actual: IndicatorValue | null;
  /** actual − target; null when there is no actual yet. */
  gap: number | null;
  /** Whether the actual is at least as good as the target less the tolerance. */
  onTrack: boolean | null;
  /** The trend: the year's months. */
  series: IndicatorPoint[];
}

function onTrack(
  d: IndicatorDefinition,
  actual: number | null,
  target: number,
  tolerance: number,
): boolean | null {
  if (actual === null) return null;
  return d.better === 'higher' ? actual >= target - tolerance : actual <= target + tolerance;
}

/**
 * Targets of the years the filter's period touches: for a district filter, the district's own target
 * where there is one, else the region's; otherwise the region's.
 */
export async function targetsVsActual(
  db: DbOrTrx,
  filter: IndicatorFilter,
  opts: EngineOptions & { tolerance?: Partial<typeof DEFAULT_TOLERANCE> } = {},
): Promise<TargetVsActual[]> {
  const today = opts.today ?? regionToday(opts.now);
  const years: number[] = [];
  for (let y = Number(filter.from.slice(0, 4)); y <= Number(filter.to.slice(0, 4)); y++) years.push(y);
  const rows = (await repo.listTargets(db, { years, districtId: filter.districtId ?? null })).map(toTarget);
  const chosen = new Map<string, StoredTarget>();
  for (const t of rows) {
    const k = `${t.indicatorCode}|${t.year}`;
    const had = chosen.get(k);
    if (!had || (had.districtId === null && t.districtId !== null)) chosen.set(k, t);
  }
  const out: TargetVsActual[] = [];
  for (const t of chosen.values()) {
    const d = indicatorByCode(t.indicatorCode);
    if (!d) continue;
    const f = yearFilter(filter, t.year, today);
    const actual = f ? (await indicatorValues(db, f, { ...opts, today, codes: [d.code] }))[0]! : null;
    const series = f && !isSnapshot(d) ? await indicatorSeries(db, d.code, f, { ...opts, today }) : [];
    const tol = { ...DEFAULT_TOLERANCE, ...opts.tolerance }[d.unit];
    const value = actual?.value ?? null;
    out.push({
      target: t,
      indicator: d,
      actual,
      gap: value === null ? null : value - t.target,
      onTrack: onTrack(d, value, t.target, tol),
      series,
    });
  }
  return out.sort(
    (a, b) => a.target.indicatorCode.localeCompare(b.target.indicatorCode) || a.target.year - b.target.year,
  );
}

export interface OffTrackDistrict {
  districtId: number;
  code: string;
  label: string;
  target: number;
  /** Whether the target is the district's own or the region's. */
  targetScope: 'district' | 'region';
  actual: number;
  /** actual − target (negative is worse for a "higher is better" indicator). */
  gap: number;
}

/** Districts whose actual over the year to date is worse than their target by more than the tolerance. */
export async function offTrackDistricts(
  db: DbOrTrx,
  code: string,
  year: number,
  opts: EngineOptions & { tolerance?: number } = {},
): Promise<OffTrackDistrict[]> {
  const d = definition(code);
  const today = opts.today ?? regionToday(opts.now);
  const f = yearFilter({ from: `${year}-01`, to: `${year}-12` }, year, today);
  if (!f || !d.dimensions.includes('district')) return [];
  const targets = (await repo.listTargets(db, { indicatorCode: code, year })).map(toTarget);
  const region = targets.find((t) => t.districtId === null);
  const tol = opts.tolerance ?? DEFAULT_TOLERANCE[d.unit];
  const districts = await listDistricts(db);
  const points = await indicatorBreakdown(db, code, 'district', f, { ...opts, today });
  const out: OffTrackDistrict[] = [];
  for (const p of points) {
    const dist = districts.find((x) => x.code === p.key)!;
    const own = targets.find((t) => t.districtId === dist.id);
    const t = own ?? region;
    if (!t || p.value === null) continue;
    if (onTrack(d, p.value, t.target, tol) === false)
      out.push({
        districtId: dist.id,
        code: dist.code,
        label: p.label,
        target: t.target,
        targetScope: own ? 'district' : 'region',
        actual: p.value,
        gap: p.value - t.target,
      });
  }
  return out;
}

export { pendingChanges, rebuildAggregates, refreshAggregates } from './quality.refresh.ts';
