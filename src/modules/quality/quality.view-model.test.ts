// What the quality pages say about figures, with hand-made values: the change on a tile in words
// (direction, size in points, better or worse by the indicator's direction), headline choice, small
// cells in the open data, and CSV that a spreadsheet reads back as the same table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../platform/i18n/i18n.ts';
import type { IndicatorDefinition, IndicatorPoint } from './quality.types.ts';
import {
  changeText,
  formatValue,
  headlines,
  isSmall,
  openDataRecord,
  openDataTable,
  toCsv,
  trendDesc,
} from './quality.view-model.ts';

const en = translator('en');
const def = (over: Partial<IndicatorDefinition>): IndicatorDefinition => ({
  code: 'timeliness.decided_on_time',
  criterion: 'timeliness',
  unit: 'share',
  better: 'higher',
  dimensions: ['channel', 'district', 'measure', 'month'],
  titleKey: 'quality.indicator.timeliness.decided_on_time.title',
  formulaKey: 'quality.indicator.timeliness.decided_on_time.formula',
  available: true,
  ...over,
});
const value = (v: number | null, previous: number | null) => ({
  code: 'x',
  value: v,
  numerator: null,
  denominator: null,
  previous,
});

test('the change on a tile says the direction, the size and whether it is better, in words', () => {
  const share = def({});
  assert.equal(changeText('en', en, share, value(0.85, 0.8)), 'Up 5 percentage points (was 80%) — better');
  assert.equal(changeText('en', en, share, value(0.75, 0.8)), 'Down 5 percentage points (was 80%) — worse');
  const days = def({ unit: 'days', better: 'lower' });
  assert.equal(changeText('en', en, days, value(12, 14.5)), 'Down 2.5 days (was 14.5 days) — better');
  assert.equal(changeText('en', en, days, value(12, 12)), 'No change (previous period: 12 days)');
  assert.match(changeText('en', en, share, value(0.8, null)), /Nothing to compare with/);
  assert.match(changeText('en', en, share, value(null, 0.8)), /Nothing to compare with/);
});

test('figures read by unit, in the reader’s language', () => {
  assert.equal(formatValue('en', en, 'share', 0.8456), '84.6%');
  assert.equal(formatValue('ru', translator('ru'), 'share', 0.8456), '84,6\u00a0%');
  assert.equal(formatValue('en', en, 'days', 3), '3 days');
  assert.equal(formatValue('en', en, 'count', 1234.56), '1,234.6');
});

test('each criterion’s headline is its first available indicator with a trend', () => {
  const defs = [
    def({ code: 'a.now', criterion: 'accessibility', dimensions: ['district'] }),
    def({ code: 'a.trend', criterion: 'accessibility' }),
    def({ code: 's.none', criterion: 'satisfaction', available: false }),
  ];
  assert.deepEqual(
    headlines(defs).map((d) => d.code),
    ['a.trend'],
  );
});

test('the trend description names the first, last, lowest and highest months', () => {
  const points: IndicatorPoint[] = [
    { key: '2025-01', label: 'January', value: 0.5, numerator: 1, denominator: 2 },
    { key: '2025-02', label: 'February', value: null, numerator: null, denominator: null },
    { key: '2025-03', label: 'March', value: 0.9, numerator: 9, denominator: 10 },
  ];
  const desc = trendDesc('en', en, def({}), points);
  assert.match(desc, /50% in January, 90% in March; lowest 50% \(January\), highest 90% \(March\)/);
});

test('a cut of fewer than ten cases is published without its figures', () => {
  const small: IndicatorPoint = { key: '2025-04', label: 'April', value: 0.75, numerator: 3, denominator: 4 };
  const big: IndicatorPoint = { key: '2025-05', label: 'May', value: 0.5, numerator: 6, denominator: 12 };
  assert.equal(isSmall(small), true);
  assert.equal(isSmall(big), false);
  assert.deepEqual(openDataRecord(def({}), 'd1', small), {
    indicator: 'timeliness.decided_on_time',
    unit: 'share',
    district: 'd1',
    month: '2025-04',
    value: null,
    numerator: null,
    denominator: null,
    suppressed: true,
  });
  const table = openDataTable(en, 'id', 'Title', def({}), 'Month', [small, big]);
  assert.deepEqual(table.rows, [
    ['April', null, null, null, 'fewer than 10'],
    ['May', 0.5, 6, 12, ''],
  ]);
  // Offices and pages are not people: three offices of a district are published as they are.
  const places = def({ code: 'accessibility.offices_pages_accessible', counts: 'places' });
  assert.equal(isSmall(small, places), false);
  assert.equal(openDataRecord(places, 'd1', small).value, 0.75);
  assert.deepEqual(openDataTable(en, 'id', 'Title', places, 'Month', [small]).rows, [
    ['April', 0.75, 3, 4, ''],
  ]);
});

test('CSV quotes what needs quoting and keeps numbers raw', () => {
  const csv = toCsv({
    id: 't',
    title: 'T',
    columns: [
      { label: 'District', unit: 'text' },
      { label: 'Value', unit: 'share' },
    ],
    rows: [
      ['Town; "old"', 0.5],
      ['Other', null],
    ],
  }).toString('utf8');
  assert.equal(csv, '\uFEFFDistrict;Value\r\n"Town; ""old""";0.5\r\nOther;\r\n');
});
