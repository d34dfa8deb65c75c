import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../errors.ts';
import { loadCalendarYears, parseCalendarXml } from './calendar.data.ts';
import { civil, dayNumber, formatIsoDate, parseIsoDate } from './calendar.dates.ts';
import {
  addWorkingDays,
  calendarYears,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from './calendar.service.ts';

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let n = parseIsoDate(from); n <= parseIsoDate(to); n++) out.push(formatIsoDate(n));
  return out;
};

describe('ISO day numbers', () => {
  test('round-trip every day from 1899 to 2101 and agree with Date.UTC', () => {
    for (let n = dayNumber(1899, 1, 1); n <= dayNumber(2101, 12, 31); n++) {
      const { year, month, day } = civil(n);
      assert.equal(dayNumber(year, month, day), n);
      assert.equal(Date.UTC(year, month - 1, day) / 86_400_000, n);
    }
  });

  test('malformed or impossible dates are refused with invalid_date', () => {
    const bad = ['2026-02-29', '2024-02-30', '2026-13-01', '2026-00-10', '2026-1-5', '', '2026-01-01T00:00'];
    for (const date of [...bad, ' 2026-01-01', '26-01-01', null as unknown as string]) {
      assert.throws(
        () => isWorkingDay(date),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_date' && e.status === 422,
        String(date),
      );
    }
    assert.equal(isWorkingDay('2024-02-29'), true); // a leap day, a Thursday
  });
});

describe('production calendar facts', () => {
  test('2026: 1–11 January off (9 January transferred from Saturday 3 January), Monday 12th works', () => {
    for (const d of days('2026-01-01', '2026-01-11')) assert.equal(isWorkingDay(d), false, d);
    assert.equal(isWorkingDay('2026-01-12'), true);
    assert.equal(nextWorkingDay('2026-01-01'), '2026-01-12');
    assert.equal(nextWorkingDay('2026-01-12'), '2026-01-12');
  });

  test('31 December 2026 (a Thursday) is off, transferred from Sunday 4 January', () => {
    assert.equal(isWorkingDay('2026-12-31'), false);
    assert.equal(isWorkingDay('2026-12-30'), true);
  });

  test('worked weekends count as working days; shortened days are working days', () => {
    // t="3": Saturdays 27 April and 28 December 2024. t="2" on a Saturday: 1 November 2025,
    // 20 February 2027 (2025 and 2026 have no t="3" days at all).
    for (const d of ['2024-04-27', '2024-12-28', '2025-11-01', '2027-02-20'])
      assert.equal(isWorkingDay(d), true, d);
    // The weekdays they were swapped with are off.
    for (const d of ['2024-04-29', '2024-12-30', '2025-11-03', '2027-02-22'])
      assert.equal(isWorkingDay(d), false, d);
    // Shortened pre-holiday weekdays (30 April, 8 May 2026) still count.
    assert.equal(isWorkingDay('2026-04-30'), true);
    // After Wed 29.04.2026: Thu 30.04 (shortened), Fri 1.05 off, weekend, Mon 4 … Fri 8 (8th shortened).
    assert.equal(workingDaysBetween('2026-04-29', '2026-05-08'), 6);
  });

  test('10 working days from Friday 25 December 2026 end on Tuesday 19 January 2027', () => {
    // After 25.12.2026: Mon 28 (1), Tue 29 (2), Wed 30 (3); Thu 31.12 off (transferred, 2026.xml).
    // 2027.xml: 1–8 January off (Fri 1 … Fri 8), Sat 9 / Sun 10 weekend; Mon 11 (4), 12 (5), 13 (6),
    // 14 (7), Fri 15 (8); Sat 16 / Sun 17; Mon 18 (9), Tue 19 (10).
    assert.equal(addWorkingDays('2026-12-25', 10), '2027-01-19');
    assert.equal(workingDaysBetween('2026-12-25', '2027-01-19'), 10);
    assert.equal(workingDaysBetween('2027-01-19', '2026-12-25'), -10);
  });

  test('2020 presidential-decree days (30 March – 11 May, 24 June, 1 July) are non-working', () => {
    for (const d of days('2020-03-30', '2020-05-11')) assert.equal(isWorkingDay(d), false, d);
    assert.equal(isWorkingDay('2020-06-24'), false);
    assert.equal(isWorkingDay('2020-07-01'), false);
    assert.equal(isWorkingDay('2020-03-27'), true);
    assert.equal(isWorkingDay('2020-05-12'), true);
    // So a 10-working-day deadline from Friday 27 March 2020 ran to Monday 25 May (12–15, 18–22,
    // 25 May), not to 10 April as it would have without the decrees.
    assert.equal(addWorkingDays('2020-03-27', 10), '2020-05-25');
  });

  test('working days per year match the counts derived from the files', () => {
    // 2020: the official norm was 248 before the decrees; the 29 decree weekdays (30.03–03.04,
    // 06.04–30.04, 06–08.05, 24.06, 01.07) take it to 219. 2021: 247 minus 4–7 May and 1–3 November
    // (decrees 242 and 595) = 240. 2022–2027 are the published norms (2024: 248).
    const expected: Record<number, number> = {
      2020: 219,
      2021: 240,
      2022: 247,
      2023: 247,
      2024: 248,
      2025: 247,
      2026: 247,
      2027: 247,
      2028: 250, // fallback: 260 weekdays minus 3–7 Jan, 23 Feb, 8 Mar, 1 and 9 May, 12 Jun; no transfers
    };
    const { first, last } = calendarYears();
    for (let year = first; year <= last; year++) assert.ok(year in expected, `add ${year}'s count here`);
    for (const [year, count] of Object.entries(expected)) {
      const all = days(`${year}-01-01`, `${year}-12-31`);
      assert.equal(all.filter(isWorkingDay).length, count, year);
      assert.equal(workingDaysBetween(`${Number(year) - 1}-12-31`, `${year}-12-31`), count, year);
    }
  });

  test('every day of every file follows its <day> entry, or the weekday when it has none', () => {
    for (const { year, days: listed } of loadCalendarYears()) {
      const types = new Map(listed.map((d) => [`${d.month}.${d.day}`, d.type]));
      for (const date of days(`${year}-01-01`, `${year}-12-31`)) {
        const [, m, d] = date.split('-').map(Number);
        const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
        const type = types.get(`${m}.${d}`);
        assert.equal(isWorkingDay(date), type === undefined ? !weekend : type !== 1, date);
      }
    }
  });

  test('calendarYears reports the files and their versions', () => {
    const years = calendarYears();
    assert.equal(years.first, 2020);
    assert.equal(years.last, 2027);
    assert.equal(years.versions[2026], '2025-09-30');
    assert.equal(years.versions[2027], '2026-09-02');
    years.versions[2026] = 'changed';
    assert.equal(calendarYears().versions[2026], '2025-09-30');
  });
});

describe('beyond the files: Mon–Fri minus the art. 112 holidays', () => {
  test('2028 and 2019', () => {
    assert.equal(isWorkingDay('2028-01-03'), false); // Monday, New Year holidays
    assert.equal(isWorkingDay('2028-01-07'), false);
    assert.equal(isWorkingDay('2028-01-10'), true); // Monday
    assert.equal(isWorkingDay('2028-02-23'), false); // Wednesday
    assert.equal(isWorkingDay('2028-01-15'), false); // Saturday
    assert.equal(isWorkingDay('2019-05-09'), false);
    assert.equal(isWorkingDay('2019-12-31'), true); // no transfers outside the files
  });

  test('a deadline running from 2027 into 2028 still computes', () => {
    // Fri 24.12.2027; Mon 27 … Thu 30 (1–4); 31.12.2027 off (2027.xml); 1–9 Jan 2028 off; Mon 10 (5).
    assert.equal(addWorkingDays('2027-12-24', 5), '2028-01-10');
    assert.equal(workingDaysBetween('2027-12-24', '2028-01-10'), 5);
    // After Fri 20.12.2019 (fallback): 23–27, 30, 31 Dec = 7; 2020–2027 from the files:
    // 219 + 240 + 247 + 247 + 248 + 247 + 247 + 247 = 1942; 2028 up to the 10th: 1.
    assert.equal(workingDaysBetween('2019-12-20', '2028-01-10'), 7 + 1942 + 1);
  });
});

describe('addWorkingDays and workingDaysBetween agree', () => {
  // mulberry32: a fixed seed keeps a failure reproducible.
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  test('for 5,000 random dates 2019–2028 and n in 0…90', () => {
    const next = random(20260112);
    const lo = parseIsoDate('2019-06-01');
    const span = parseIsoDate('2028-06-01') - lo;
    for (let i = 0; i < 5000; i++) {
      const from = formatIsoDate(lo + Math.floor(next() * span));
      const n = Math.floor(next() * 91);
      const due = addWorkingDays(from, n);
      if (n === 0) {
        assert.equal(due, nextWorkingDay(from));
        continue;
      }
      const dayBefore = formatIsoDate(parseIsoDate(due) - 1);
      assert.equal(isWorkingDay(due), true, `${from} + ${n}`);
      assert.equal(workingDaysBetween(from, due), n, `${from} + ${n}`);
      assert.equal(workingDaysBetween(due, from), -n, `${from} + ${n}`);
      assert.equal(workingDaysBetween(from, dayBefore), n - 1, `${from} + ${n} is the first such day`);
    }
  });

  test('between a day and itself is 0 (not −0); n must be a whole number ≥ 0', () => {
    assert.equal(workingDaysBetween('2026-01-10', '2026-01-10'), 0);
    assert.equal(workingDaysBetween('2026-01-10', '2026-01-09'), 0);
    assert.ok(Object.is(workingDaysBetween('2026-01-10', '2026-01-09'), 0));
    for (const n of [-1, 1.5, Number.NaN]) {
      assert.throws(() => addWorkingDays('2026-01-12', n), { code: 'invalid_working_days' });
    }
  });

  test('fast enough to call per queue row', () => {
    addWorkingDays('2026-03-02', 60); // load the files first
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) addWorkingDays('2026-03-02', 60);
    const micros = ((performance.now() - start) * 1000) / 10_000;
    assert.ok(micros < 20, `${micros.toFixed(2)} µs per call`);
  });
});

describe('calendar XML parsing', () => {
  test('refuses a file with an unknown day type', () => {
    const xml = '<calendar year="2030" date="2029.09.01"><days><day d="01.01" t="7"/></days></calendar>';
    assert.throws(() => parseCalendarXml(xml, '2030.xml'), { code: 'calendar_data_invalid' });
    const ok = parseCalendarXml(xml.replace('t="7"', 't="1"'), '2030.xml');
    assert.deepEqual(ok, { year: 2030, version: '2029-09-01', days: [{ month: 1, day: 1, type: 1 }] });
  });
});
