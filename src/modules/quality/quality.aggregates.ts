// The arithmetic of the aggregates, pure: a case's facts → what it contributes to the cube, the
// difference between two sets of facts as cube deltas, and quantiles read off a histogram.
import { workingDaysBetween } from '../../platform/calendar/calendar.service.ts';
import type { CaseFact } from '../applications/applications.quality.ts';

/** Histogram buckets: 0 … 59 working days, and the last for 60 or more. */
export const HIST_BUCKETS = 61;
export const HIST_OVERFLOW = HIST_BUCKETS - 1;

/** Channels counted as electronic: the resident applied on the portal, or the state opened the case itself. */
export const ELECTRONIC_CHANNELS: readonly string[] = ['portal', 'proactive'];

/** One case's last contribution, as kept in quality_case_facts. */
export interface FactRow {
  application_id: number;
  district_id: number;
  measure_id: number;
  channel: string;
  priority: boolean;
  /** First day of the month, 'YYYY-MM-01'. */
  submitted_month: string | null;
  decided_month: string | null;
  registered_on: string | null;
  decided_on: string | null;
  on_time: boolean | null;
  work_days: number | null;
  file_complete: boolean | null;
  legal_basis: boolean | null;
  docs_asked: number;
  docs_obtained: number;
  /** Priority decisions only; filled by the refresh from the other facts (see overtaking). */
  decided_first: boolean | null;
}

const monthOf = (date: string | null): string | null => (date ? `${date.slice(0, 7)}-01` : null);

/**
 * Working days from registration to decision on the statutory clock: days after the registration day
 * up to and including the decision day, less the days it stood waiting for the resident.
 */
export function workDaysToDecision(registeredOn: string, decidedOn: string, pausedDays: number): number {
  return Math.max(0, workingDaysBetween(registeredOn, decidedOn) - pausedDays);
}

export function factFromCase(c: CaseFact): FactRow {
  const decided = c.decidedOn !== null && c.registeredOn !== null;
  return {
    application_id: c.id,
    district_id: c.districtId,
    measure_id: c.measureId,
    channel: c.channel,
    priority: c.priority,
    // A draft never submitted counts nowhere; a withdrawn application counts as submitted.
    submitted_month: monthOf(c.submittedOn),
    decided_month: decided ? monthOf(c.decidedOn) : null,
    registered_on: c.registeredOn,
    decided_on: decided ? c.decidedOn : null,
    on_time: decided ? c.deadlineOn !== null && c.decidedOn! <= c.deadlineOn : null,
    work_days: decided ? workDaysToDecision(c.registeredOn!, c.decidedOn!, c.pausedDays) : null,
    file_complete: decided ? c.fileComplete : null,
    legal_basis: decided ? c.legalBasis : null,
    docs_asked: decided ? c.docsAsked : 0,
    docs_obtained: decided ? c.docsObtained : 0,
    decided_first: null,
  };
}

export interface CubeDelta {
  month: string;
  district_id: number;
  channel: string;
  measure_id: number;
  submitted: number;
  electronic: number;
  decided: number;
  on_time: number;
  work_days_sum: number;
  work_days_hist: number[];
  priority_hist: number[];
  file_complete: number;
  legal_basis: number;
  docs_asked: number;
  docs_obtained: number;
  priority_decided: number;
  decided_first: number;
}

type Measures = Omit<CubeDelta, 'month' | 'district_id' | 'channel' | 'measure_id'>;

function emptyMeasures(): Measures {
  return {
    submitted: 0,
    electronic: 0,
    decided: 0,
    on_time: 0,
    work_days_sum: 0,
    work_days_hist: new Array<number>(HIST_BUCKETS).fill(0),
    priority_hist: new Array<number>(HIST_BUCKETS).fill(0),
    file_complete: 0,
    legal_basis: 0,
    docs_asked: 0,
    docs_obtained: 0,
    priority_decided: 0,
    decided_first: 0,
  };
}

const b = (v: boolean | null): number => (v ? 1 : 0);

/** Adds sign × the fact's contributions to the cube rows it falls in (each month × 8 cuts). */
function contribute(acc: Map<string, CubeDelta>, f: FactRow, sign: 1 | -1): void {
  const parts: [string, (m: Measures) => void][] = [];
  if (f.submitted_month)
    parts.push([
      f.submitted_month,
      (m) => {
        m.submitted += sign;
        m.electronic += sign * b(ELECTRONIC_CHANNELS.includes(f.channel));
      },
    ]);
  if (f.decided_month && f.work_days !== null)
    parts.push([
      f.decided_month,
      (m) => {
        m.decided += sign;
        m.on_time += sign * b(f.on_time);
        m.work_days_sum += sign * f.work_days!;
        m.work_days_hist[Math.min(f.work_days!, HIST_OVERFLOW)]! += sign;
        m.file_complete += sign * b(f.file_complete);
        m.legal_basis += sign * b(f.legal_basis);
        m.docs_asked += sign * f.docs_asked;
        m.docs_obtained += sign * f.docs_obtained;
        if (f.priority) {
          m.priority_decided += sign;
          m.priority_hist[Math.min(f.work_days!, HIST_OVERFLOW)]! += sign;
          m.decided_first += sign * b(f.decided_first);
        }
      },
    ]);
  for (const [month, apply] of parts)
    for (const d of [f.district_id, 0])
      for (const c of [f.channel, '*'])
        for (const ms of [f.measure_id, 0]) {
          const key = `${month}|${d}|${c}|${ms}`;
          let row = acc.get(key);
          if (!row) {
            row = { month, district_id: d, channel: c, measure_id: ms, ...emptyMeasures() };
            acc.set(key, row);
          }
          apply(row);
        }
}

const isZero = (d: CubeDelta): boolean =>
  d.submitted === 0 &&
  d.electronic === 0 &&
  d.decided === 0 &&
  d.on_time === 0 &&
  d.work_days_sum === 0 &&
  d.file_complete === 0 &&
  d.legal_basis === 0 &&
  d.docs_asked === 0 &&
  d.docs_obtained === 0 &&
  d.priority_decided === 0 &&
  d.decided_first === 0 &&
  d.work_days_hist.every((x) => x === 0) &&
  d.priority_hist.every((x) => x === 0);

/** What replacing `before` with `after` changes in the cube; rows that do not change are left out. */
export function cubeDeltas(before: readonly FactRow[], after: readonly FactRow[]): CubeDelta[] {
  const acc = new Map<string, CubeDelta>();
  for (const f of before) contribute(acc, f, -1);
  for (const f of after) contribute(acc, f, 1);
  return [...acc.values()].filter((d) => !isZero(d));
}

/** The nearest-rank quantile (the ⌈q·n⌉-th smallest value) of a histogram; null when it is empty. */
export function histQuantile(hist: readonly number[], q: number): number | null {
  const n = hist.reduce((s, x) => s + x, 0);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= rank) return i;
  }
  return hist.length - 1;
}

/** Nearest-rank quantile of plain values (appointment waits). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

export function addHist(a: number[], h: readonly number[]): number[] {
  for (let i = 0; i < h.length; i++) a[i] = (a[i] ?? 0) + h[i]!;
  return a;
}
