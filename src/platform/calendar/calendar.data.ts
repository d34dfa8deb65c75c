// Reads the production calendar files (data/production-calendar/ru/YYYY.xml, format in that folder's
// README). The files are small and regular, so a few regular expressions replace an XML parser.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import { daysInMonth } from './calendar.dates.ts';

export const CALENDAR_DIR = fileURLToPath(new URL('../../../data/production-calendar/ru/', import.meta.url));

/** t="1" non-working, t="2" shortened working day, t="3" working Saturday/Sunday. */
export type DayType = 1 | 2 | 3;

export interface CalendarYear {
  year: number;
  /** The file's `date` attribute (when xmlcalendar published it), as YYYY-MM-DD. */
  version: string;
  days: { month: number; day: number; type: DayType }[];
}

const attrs = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));

const invalid = (file: string, why: string) =>
  new AppError('calendar_data_invalid', 500, `Production calendar ${file}: ${why}`);

export function parseCalendarXml(xml: string, file: string): CalendarYear {
  const root = /<calendar\b([^>]*)>/.exec(xml);
  if (!root) throw invalid(file, 'no <calendar> element');
  const { year: yearText, date } = attrs(root[1]!);
  const year = Number(yearText);
  if (!Number.isInteger(year)) throw invalid(file, `bad year "${yearText}"`);
  const stamp = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(date ?? '');
  if (!stamp) throw invalid(file, `bad date attribute "${date}"`);
  const days: CalendarYear['days'] = [];
  for (const [tag] of xml.matchAll(/<day\b[^>]*>/g)) {
    const { d, t } = attrs(tag);
    const md = /^(\d{2})\.(\d{2})$/.exec(d ?? '');
    const month = Number(md?.[1]);
    const day = Number(md?.[2]);
    if (!md || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw invalid(file, `bad day "${d}"`);
    }
    if (t !== '1' && t !== '2' && t !== '3') throw invalid(file, `bad type t="${t}" on ${d}`);
    days.push({ month, day, type: Number(t) as DayType });
  }
  return { year, version: `${stamp[1]}-${stamp[2]}-${stamp[3]}`, days };
}

export function loadCalendarYears(dir = CALENDAR_DIR): CalendarYear[] {
  const files = readdirSync(dir).filter((name) => /^\d{4}\.xml$/.test(name));
  if (files.length === 0) throw new AppError('calendar_data_invalid', 500, `No calendar files in ${dir}`);
  return files.sort().map((name) => {
    const parsed = parseCalendarXml(readFileSync(join(dir, name), 'utf8'), name);
    if (`${parsed.year}.xml` !== name) throw invalid(name, `says year ${parsed.year}`);
    return parsed;
  });
}
