// Reception slots as pure arithmetic: a schedule, the production calendar and a day give the slots of
// each desk. No database here; the open-slots job materialises what these functions plan.
import { loadCalendarYears } from '../../platform/calendar/calendar.data.ts';
import { addWorkingDays, isWorkingDay } from '../../platform/calendar/calendar.service.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';
import type { WeeklyHours } from '../geography/geography.schema.ts';
import type { ScheduleDay, ScheduleDays, Weekday } from './reception.schema.ts';

export const WEEKDAYS: readonly Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];
export const DEFAULT_SLOT_MINUTES = 15;
export const DEFAULT_PRIORITY_SHARE = 20;
export const DEFAULT_DAYS_AHEAD = 20;
/** A shortened pre-holiday day closes an hour early (Labour Code art. 95). */
export const SHORTENED_BY_MINUTES = 60;

// ------------------------------------------------------------ clock and calendar

const HHMM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
export const isClockTime = (s: string) => HHMM.test(s);
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const clockOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: REGION_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function offsetMs(at: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(at / 1000) * 1000;
}

// The zone's offset by UTC hour: offsets change on whole hours, and formatToParts is slow enough to
// matter when a page lists a day's slots.
const HOUR = 3_600_000;
const offsets = new Map<number, number>();
function offsetAt(ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    if (offsets.size > 50_000) offsets.clear();
    offset = offsetMs(hour * HOUR);
    offsets.set(hour, offset);
  }
  return offset;
}

/** The region's wall clock at an instant: date (YYYY-MM-DD) and time (HH:MM). */
export function regionClock(at: Date): { date: string; time: string } {
  const wall = new Date(at.getTime() + offsetAt(at.getTime())).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The instant at which the region's clock shows `hhmm` on `date`. */
export function regionInstant(date: string, hhmm: string): Date {
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const wall = guess + minutesOf(hhmm) * 60_000;
  let at = wall - offsetMs(wall);
  const again = offsetMs(at);
  if (wall - again !== at) at = wall - again;
  return new Date(at);
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a date: '1' Monday … '7' Sunday. */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return String(day === 0 ? 7 : day) as Weekday;
}

let listed: Map<string, 1 | 2 | 3> | undefined;
/** Days the production calendar names: 1 a day off (holiday or transfer), 2 shortened, 3 working weekend day. */
function listedDays(): Map<string, 1 | 2 | 3> {
  if (!listed) {
    listed = new Map();
    for (const { year, days } of loadCalendarYears())
      for (const { month, day, type } of days)
        listed.set(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, type);
  }
  return listed;
}

export const isShortenedDay = (date: string) => listedDays().get(date) === 2;

/**
 * The hours an office receives on a date: none on holidays and transferred days off; a regular
 * weekend follows the schedule (an MFC works on Saturdays); a weekend day made a working day (a
 * transfer) works by Monday's hours if the weekday itself is closed; a shortened day closes an hour early.
 */
export function hoursOn(days: ScheduleDays, date: string): ScheduleDay {
  const type = listedDays().get(date);
  const weekday = weekdayOf(date);
  const weekend = weekday === '6' || weekday === '7';
  if (type === 1) return null;
  if (!weekend && !isWorkingDay(date)) return null; // a fixed holiday beyond the calendar files
  const workingWeekend = weekend && (type === 2 || type === 3);
  const day = days[weekday] ?? (workingWeekend ? days['1'] : null);
  if (!day) return null;
  if (!isShortenedDay(date)) return day;
  const close = Math.max(minutesOf(day.open), minutesOf(day.close) - SHORTENED_BY_MINUTES);
  return { ...day, close: clockOf(close) };
}

// ------------------------------------------------------------ schedules

/** A schedule's days from an office's opening hours: the gaps between its intervals become breaks. */
export function daysFromOfficeHours(hours: WeeklyHours): ScheduleDays {
  const days = {} as ScheduleDays;
  for (const wd of WEEKDAYS) {
    const intervals = [...(hours[wd] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    if (intervals.length === 0) {
      days[wd] = null;
      continue;
    }
    const breaks: [string, string][] = [];
    for (let i = 1; i < intervals.length; i++) breaks.push([intervals[i - 1]![1], intervals[i]![0]]);
    days[wd] = { open: intervals[0]![0], close: intervals.at(-1)![1], breaks };
  }
  return days;
}

/** A desk's slot length: the longest of the measures it serves (each the office default unless overridden). */
export function deskMinutes(
  deskMeasureIds: number[],
  officeMeasureIds: number[],
  defaultMinutes: number,
  overrides: Map<number, number>,
): number {
  const served = deskMeasureIds.length > 0 ? deskMeasureIds : officeMeasureIds;
  let longest = 0;
  for (const id of served) longest = Math.max(longest, overrides.get(id) ?? defaultMinutes);
  return longest || defaultMinutes;
}

export interface PlannedSlot {
  start: string;
  end: string;
  reserved: boolean;
}

/**
 * One desk's slots in a day: back to back from opening, skipping breaks, none running past closing;
 * `share` percent of them (rounded down), spread evenly through the day, are kept for priority categories.
 */
export function daySlots(day: NonNullable<ScheduleDay>, minutes: number, share: number): PlannedSlot[] {
  const close = minutesOf(day.close);
  const breaks = day.breaks.map(([a, b]) => [minutesOf(a), minutesOf(b)] as const);
  const times: [number, number][] = [];
  let t = minutesOf(day.open);
  while (t + minutes <= close) {
    const clash = breaks.find(([a, b]) => t < b && t + minutes > a);
    if (clash) {
      t = clash[1];
      continue;
    }
    times.push([t, t + minutes]);
    t += minutes;
  }
  const n = times.length;
  const k = Math.floor((n * share) / 100);
  const reserved = new Set<number>();
  for (let j = 0; j < k; j++) reserved.add(Math.floor(((j + 0.5) * n) / k));
  return times.map(([a, b], i) => ({ start: clockOf(a), end: clockOf(b), reserved: reserved.has(i) }));
}

export interface SlotRow {
  deskId: number;
  startsAt: Date;
  endsAt: Date;
  reserved: boolean;
}

/** Every desk's slots from `from` to `to` inclusive (region dates), in instants. */
export function planSlots(
  s: { days: ScheduleDays; priorityShare: number },
  desks: { id: number; minutes: number }[],
  from: string,
  to: string,
): SlotRow[] {
  const rows: SlotRow[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const hours = hoursOn(s.days, date);
    if (!hours) continue;
    for (const desk of desks)
      for (const slot of daySlots(hours, desk.minutes, s.priorityShare))
        rows.push({
          deskId: desk.id,
          startsAt: regionInstant(date, slot.start),
          endsAt: regionInstant(date, slot.end),
          reserved: slot.reserved,
        });
  }
  return rows;
}

/** The last day slots are open for: `daysAhead` working days after today. */
export const horizonOf = (today: string, daysAhead: number) => addWorkingDays(today, daysAhead);

/** Validates a schedule day typed by staff; returns a message key suffix for the first problem. */
export function dayProblem(day: NonNullable<ScheduleDay>): 'time' | 'order' | 'break' | undefined {
  const all = [day.open, day.close, ...day.breaks.flat()];
  if (!all.every(isClockTime)) return 'time';
  if (minutesOf(day.open) >= minutesOf(day.close)) return 'order';
  for (const [a, b] of day.breaks)
    if (
      minutesOf(a) >= minutesOf(b) ||
      minutesOf(a) < minutesOf(day.open) ||
      minutesOf(b) > minutesOf(day.close)
    )
      return 'break';
  return undefined;
}
