// Working days by the Russian production calendar, for statutory deadlines ("N working days from
// registration"), days left and days overdue. Pure and synchronous: the XML files are read once, on
// first use, into a flag per day plus running totals, so a call costs array look-ups, not I/O.
// Outside the years on file: Mon–Fri minus the fixed holidays of Labour Code art. 112, no transfers
// (see data/production-calendar/README.md).
import { AppError } from '../errors.ts';
import { loadCalendarYears } from './calendar.data.ts';
import { civil, dayNumber, formatIsoDate, parseIsoDate, weekday } from './calendar.dates.ts';

interface Calendar {
  first: number;
  last: number;
  versions: Record<number, string>;
  /** Day numbers [lo, hi) are covered by the table: 1 January of `first` to 31 December of `last`. */
  lo: number;
  hi: number;
  working: Uint8Array;
  /** before[i] = working days among table days 0 … i−1, so a range count is one subtraction. */
  before: Int32Array;
}

// Labour Code art. 112: 1–6 and 8 January (New Year holidays), 7 January, 23 February, 8 March,
// 1 May, 9 May, 12 June, 4 November.
const isFixedHoliday = (month: number, day: number): boolean =>
  (month === 1 && day <= 8) ||
  (month === 2 && day === 23) ||
  (month === 3 && day === 8) ||
  (month === 5 && (day === 1 || day === 9)) ||
  (month === 6 && day === 12) ||
  (month === 11 && day === 4);

const isWeekend = (n: number): boolean => {
  const wd = weekday(n);
  return wd === 0 || wd === 6;
};

function fallbackWorking(n: number): boolean {
  if (isWeekend(n)) return false;
  const { month, day } = civil(n);
  return !isFixedHoliday(month, day);
}

function build(): Calendar {
  const years = loadCalendarYears();
  const first = years[0]!.year;
  const last = years.at(-1)!.year;
  const lo = dayNumber(first, 1, 1);
  const hi = dayNumber(last + 1, 1, 1);
  const working = new Uint8Array(hi - lo);
  // A year missing between first and last gets the fallback rule, like years beyond them.
  for (let n = lo; n < hi; n++) working[n - lo] = fallbackWorking(n) ? 1 : 0;
  const versions: Record<number, string> = {};
  for (const { year, version, days } of years) {
    versions[year] = version;
    const start = dayNumber(year, 1, 1);
    for (let n = start; n < dayNumber(year + 1, 1, 1); n++) working[n - lo] = isWeekend(n) ? 0 : 1;
    for (const { month, day, type } of days) working[dayNumber(year, month, day) - lo] = type === 1 ? 0 : 1;
  }
  const before = new Int32Array(working.length + 1);
  for (let i = 0; i < working.length; i++) before[i + 1] = before[i]! + working[i]!;
  return { first, last, versions, lo, hi, working, before };
}

let cached: Calendar | undefined;
const calendar = (): Calendar => {
  cached ??= build();
  return cached;
};

function workingAt(c: Calendar, n: number): boolean {
  return n >= c.lo && n < c.hi ? c.working[n - c.lo] === 1 : fallbackWorking(n);
}

/** Working days d with a < d ≤ b, for a ≤ b: the table's running totals inside it, a walk outside. */
function countWorking(c: Calendar, a: number, b: number): number {
  let total = 0;
  let d = a + 1;
  for (const end = Math.min(b, c.lo - 1); d <= end; d++) if (fallbackWorking(d)) total++;
  const end = Math.min(b, c.hi - 1);
  if (d <= end) {
    total += c.before[end - c.lo + 1]! - c.before[d - c.lo]!;
    d = end + 1;
  }
  for (; d <= b; d++) if (fallbackWorking(d)) total++;
  return total;
}

function nextWorking(c: Calendar, n: number): number {
  while (!workingAt(c, n)) n++;
  return n;
}

export function isWorkingDay(date: string): boolean {
  return workingAt(calendar(), parseIsoDate(date));
}

/** The date itself if it is a working day, else the next working day. */
export function nextWorkingDay(date: string): string {
  return formatIsoDate(nextWorking(calendar(), parseIsoDate(date)));
}

/**
 * The day on which the n-th working day after `from` falls; `from` itself is not counted, so a
 * deadline of "10 working days from registration" is addWorkingDays(registeredOn, 10). n = 0 gives
 * `from` if it is a working day, else the next working day.
 */
export function addWorkingDays(from: string, n: number): string {
  const c = calendar();
  let d = parseIsoDate(from);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AppError('invalid_working_days', 422, `Working days must be a whole number ≥ 0, got ${n}`);
  }
  if (n === 0) return formatIsoDate(nextWorking(c, d));
  for (let left = n; left > 0; ) if (workingAt(c, ++d)) left--;
  return formatIsoDate(d);
}

/**
 * Working days d with from < d ≤ to; negative when to is before from (−workingDaysBetween(to, from)).
 * Today → deadline gives the days left; deadline → today gives the days overdue.
 */
export function workingDaysBetween(from: string, to: string): number {
  const c = calendar();
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return a <= b ? countWorking(c, a, b) : 0 - countWorking(c, b, a); // 0 − x, never −0
}

/** The years the calendar files cover and each file's version (its publication date, YYYY-MM-DD). */
export function calendarYears(): { first: number; last: number; versions: Record<number, string> } {
  const { first, last, versions } = calendar();
  return { first, last, versions: { ...versions } };
}
