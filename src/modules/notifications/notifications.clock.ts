// Local time in the region (Europe/Volgograd) for quiet hours and the letters' day.
import { REGION_TIME_ZONE } from '../../platform/time.ts';

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: REGION_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface Local {
  year: number;
  month: number;
  day: number;
  minutes: number;
  /** Local time minus UTC, in milliseconds. */
  offsetMs: number;
}

function local(now: Date): Local {
  const p = Object.fromEntries(PARTS.formatToParts(now).map((x) => [x.type, x.value]));
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map(
    (k) => Number(p[k]),
  ) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMs = Math.round((asUtc - Math.floor(now.getTime() / 1000) * 1000) / 60_000) * 60_000;
  return { year, month, day, minutes: hour * 60 + minute, offsetMs };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the quiet period `now` falls in ends (the next `end` o'clock, local time), or undefined outside
 * it. A period may wrap midnight (21:00–09:00).
 */
export function quietUntil(now: Date, quiet: { start: string; end: string } | undefined): Date | undefined {
  if (!quiet) return undefined;
  const l = local(now);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const wraps = start > end;
  const inside = wraps ? l.minutes >= start || l.minutes < end : l.minutes >= start && l.minutes < end;
  if (!inside) return undefined;
  const nextDay = wraps && l.minutes >= start ? 1 : 0;
  const endLocal = Date.UTC(l.year, l.month - 1, l.day + nextDay, Math.floor(end / 60), end % 60);
  return new Date(endLocal - l.offsetMs);
}

/** A local wall-clock time on a local day, as an instant: atLocal('2026-11-23', '09:00'). */
export function atLocal(day: string, hhmm: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = new Date(Date.UTC(y, m - 1, d, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))));
  return new Date(guess.getTime() - local(guess).offsetMs);
}
