// The server-rendered charts: the SVG names itself (role, title, description), the figures are in
// the table behind it, an empty series says "no data" instead of drawing empty axes, ids do not clash
// between charts, nothing the CSP would refuse (style attributes, scripts) is left in, and a page with
// each kind of chart passes the axe scan in Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import {
  BarChart,
  bandOf,
  bandsOf,
  type ChartProps,
  DistrictMap,
  type DistrictMapProps,
  LineChart,
  lineSvg,
} from './charts.tsx';

const percent = (v: number) => `${(v * 100).toFixed(1)} %`;
const text = {
  noData: 'Nothing to show for this period.',
  showTable: 'Data table',
  category: 'Month',
  missing: '—',
};

const trend: ChartProps = {
  id: 'trend',
  title: 'Decided on time',
  desc: 'Decided on time rose from 71.0 % in January to 84.5 % in March.',
  format: percent,
  text,
  target: { value: 0.8, label: 'Target 80.0 %' },
  series: [
    {
      name: 'Decided on time',
      points: [
        { key: '2026-01', label: 'January', value: 0.71 },
        { key: '2026-02', label: 'February', value: 0.763 },
        { key: '2026-03', label: 'March', value: 0.845 },
      ],
    },
  ],
};

const bars: ChartProps = {
  id: 'bars',
  title: 'By channel',
  desc: 'The portal is highest at 92.0 %, the post lowest at 40.0 %.',
  format: percent,
  text: { ...text, category: 'Channel' },
  series: [
    {
      name: 'March',
      points: [
        { key: 'portal', label: 'Portal', value: 0.92 },
        { key: 'mfc', label: 'MFC', value: 0.66 },
        { key: 'post', label: 'Post', value: 0.4 },
      ],
    },
    {
      name: 'February',
      points: [
        { key: 'portal', label: 'Portal', value: 0.9 },
        { key: 'mfc', label: 'MFC', value: null },
        { key: 'post', label: 'Post', value: 0.35 },
      ],
    },
  ],
};

const map: DistrictMapProps = {
  id: 'map',
  title: 'Districts: decided on time',
  desc: 'Highest in Northern district, lowest in District 7.',
  format: percent,
  cells: [
    { code: 'n', name: 'Northern district', value: 0.95 },
    ...Array.from({ length: 36 }, (_, i) => ({ code: `d${i}`, name: `District ${i}`, value: 0.5 + i / 100 })),
    { code: 'x', name: 'Empty district', value: null },
  ],
  text: {
    noData: 'Nothing to show.',
    district: 'District',
    value: 'Value',
    band: 'Group',
    legend: 'Key',
    showTable: 'Data table',
    bands: ['lowest quarter', 'below the middle', 'above the middle', 'highest quarter'],
    missing: 'no data',
    range: (from, to) => `from ${from} to ${to}`,
  },
};

test('a line chart is an image with a title and a description, and its figures are in the table', () => {
  const html = renderToString(<LineChart {...trend} />);
  assert.match(html, /<svg [^>]*role="img"[^>]*aria-labelledby="trend-title trend-desc"/);
  assert.match(html, /<title id="trend-title">Decided on time<\/title>/);
  assert.match(html, /<desc id="trend-desc">Decided on time rose from 71\.0 %/);
  assert.match(html, /<figcaption class="chart__caption">Decided on time<\/figcaption>/);
  const table = html.slice(html.indexOf('<table'));
  for (const figure of ['71.0 %', '76.3 %', '84.5 %']) assert.ok(table.includes(figure), figure);
  assert.match(table, /<th scope="row">February<\/th><td>76\.3 %<\/td>/);
  // The target is drawn and labelled on the picture.
  assert.match(html, /Target 80\.0 %/);
});

test('the SVG carries nothing a strict CSP refuses or that a static picture does not need', () => {
  const svg = lineSvg(trend);
  assert.doesNotMatch(svg, /style=|<style|<script|ecmeta_|class="zr|zr\d+-/);
  assert.ok(svg.length < 12_000, `small output (${svg.length} characters)`);
});

test('two charts on one page do not share ids', () => {
  const html = renderToString(
    <>
      <BarChart {...bars} />
      <BarChart {...bars} id="bars2" />
    </>,
  );
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(' ')}`);
});

test('a bar chart with two series tabulates both, a missing value as such', () => {
  const html = renderToString(<BarChart {...bars} />);
  assert.match(html, /<th scope="col">March<\/th><th scope="col">February<\/th>/);
  assert.match(html, /<th scope="row">MFC<\/th><td>66\.0 %<\/td><td>—<\/td>/);
  // Several series: a legend on the picture names them.
  assert.match(html, />March<\/text>/);
});

test('an empty series says there is no data instead of drawing an empty chart', () => {
  const empty = { ...trend, series: [{ name: 'Decided on time', points: [] }] };
  const html = renderToString(<LineChart {...empty} />);
  assert.match(html, /<p class="chart__empty">Nothing to show for this period\.<\/p>/);
  assert.doesNotMatch(html, /<svg/);
  const nulls = { ...bars, series: [{ name: 'x', points: [{ key: 'a', label: 'A', value: null }] }] };
  assert.match(renderToString(<BarChart {...nulls} />), /chart__empty/);
  const noDistricts = { ...map, cells: map.cells.map((c) => ({ ...c, value: null })) };
  assert.match(
    renderToString(<DistrictMap {...noDistricts} />),
    /<p class="chart__empty">Nothing to show\.<\/p>/,
  );
});

test('the district map shows every district with its figure and band in words, not colour only', () => {
  const html = renderToString(<DistrictMap {...map} />);
  assert.match(html, /<svg [^>]*role="img"/);
  assert.match(html, /<title id="map-title">Districts: decided on time<\/title>/);
  assert.equal((html.match(/<rect [^>]*stroke="#505a5f"\/>/g) ?? []).length, 38);
  assert.match(html, /<th scope="row">Northern district<\/th><td>95\.0 %<\/td><td>● highest quarter<\/td>/);
  assert.match(html, /<th scope="row">Empty district<\/th><td>no data<\/td><td>no data<\/td>/);
  // The legend names each band with its mark and range.
  assert.match(html, /● highest quarter: from /);
  assert.match(html, /○ lowest quarter: from 50\.0 %/);
});

test('bands split the values into quarters', () => {
  const limits = bandsOf([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(limits, [1, 2, 4, 6, 8]);
  assert.equal(bandOf(limits, 1), 0);
  assert.equal(bandOf(limits, 3), 1);
  assert.equal(bandOf(limits, 5), 2);
  assert.equal(bandOf(limits, 8), 3);
  // Two districts, one at zero: the lowest band, not the highest.
  const two = bandsOf([0, 0.75]);
  assert.equal(bandOf(two, 0), 0);
  assert.equal(bandOf(two, 0.75), 3);
});

test('a page with each chart passes the accessibility scan', async () => {
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const css = readFileSync(new URL('../ui/assets/opora.css', import.meta.url), 'utf8');
  const body = renderToString(
    <main>
      <h1>Charts</h1>
      <LineChart {...trend} />
      <BarChart {...bars} />
      <DistrictMap {...map} />
      <LineChart {...trend} id="empty" series={[]} />
    </main>,
  );
  await page.setContent(
    `<!doctype html><html lang="en"><head><title>Charts</title><style>${css}</style></head><body>${body}</body></html>`,
  );
  assert.equal(await page.getByRole('img', { name: /Decided on time/ }).count(), 1);
  await assertAccessible(page);
  // The table behind a chart opens without script.
  await page.getByText('Data table').first().click();
  assert.ok(await page.getByRole('cell', { name: '84.5 %' }).isVisible());
});
