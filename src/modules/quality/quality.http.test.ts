// The quality pages over HTTP, without JavaScript, on a small fixture of April 2025 whose figures are
// worked out by hand: the ministry dashboard (tiles, trend with its table, the district map), a bad
// filter getting the error summary and no chart, the district dashboard and its scope, the indicator
// page with breakdowns and a comparison, CSV and XLSX exports, programme targets (errors, check
// answers, save, off track, delete), the monthly PDF and the public open data with small cells hidden.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { SESSION_COOKIE } from '../../platform/auth/session.service.ts';
import { translate } from '../../platform/i18n/i18n.ts';
import { refreshAggregates } from './quality.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 40);

const districts = await db
  .selectFrom('districts')
  .select(['id', 'code', 'name_ru'])
  .orderBy('id')
  .limit(2)
  .execute();
const [A, B] = districts as [(typeof districts)[number], (typeof districts)[number]];
const [M1, M2] = (await db
  .selectFrom('measures')
  .select(['id', 'code'])
  .orderBy('id')
  .limit(2)
  .execute()) as [{ id: number; code: string }, { id: number; code: string }];
await staffUser(db, 'analyst', 'ministry_analyst');
await staffUser(db, 'head.a', 'district_head', [A.code]);

const personIn = async (districtId: number) =>
  Number(
    (
      await db
        .selectFrom('persons')
        .select('id')
        .where('district_id', '=', districtId)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id,
  );
const PA = await personIn(A.id);
const PB = await personIn(B.id);

/** A decided case of April 2025 (Mon–Fri working days, no holidays that month). */
async function decided(c: {
  district: number;
  person: number;
  measure: number;
  channel: string;
  registered: string;
  deadline: string;
  decided: string;
}) {
  const decision = {
    outcome: 'approved',
    on: c.decided,
    measureTitle: { ru: 'м', en: 'm' },
    legalBasis: { ru: 'ФЗ-178 ст. 12', en: 'FZ-178 art. 12' },
    note: '',
    decidedBy: 'Test',
  };
  await sql`insert into applications (person_id, district_id, measure_id, channel, state, priority, decision_days,
      registered_on, deadline_on, paused_days, decision, decided_at, submitted_at)
    values (${c.person}, ${c.district}, ${c.measure}, ${c.channel}, 'approved', false, 10, ${c.registered},
      ${c.deadline}, 0, ${JSON.stringify(decision)}, ${`${c.decided}T10:00:00+03:00`},
      ${`${c.registered}T09:00:00+03:00`})`.execute(db);
}

// District A: three portal cases (two on time, one late) and one in person (on time).
// District B: one MFC case, late. April: 4 of 5 decided on time in A+B... by district A 3/4, B 0/1.
await decided({ district: A.id, person: PA, measure: M1.id, channel: 'portal', registered: '2025-04-01', deadline: '2025-04-15', decided: '2025-04-08' }); // biome-ignore format: fixture
await decided({ district: A.id, person: PA, measure: M1.id, channel: 'portal', registered: '2025-04-01', deadline: '2025-04-15', decided: '2025-04-10' }); // biome-ignore format: fixture
await decided({ district: A.id, person: PA, measure: M2.id, channel: 'portal', registered: '2025-04-01', deadline: '2025-04-10', decided: '2025-04-22' }); // biome-ignore format: fixture
await decided({ district: A.id, person: PA, measure: M1.id, channel: 'in_person', registered: '2025-04-02', deadline: '2025-04-16', decided: '2025-04-04' }); // biome-ignore format: fixture
await decided({ district: B.id, person: PB, measure: M2.id, channel: 'mfc', registered: '2025-04-03', deadline: '2025-04-08', decided: '2025-04-17' }); // biome-ignore format: fixture
await refreshAggregates(db);

const APRIL = 'from=2025-04&to=2025-04';
const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('ru', key, params);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

const analyst = await signIn('analyst');
const head = await signIn('head.a');

/** The rows of the table whose caption is `title`, as text. */
function tableRows(html: string, title: string): string[] {
  const start = html.indexOf(`<caption class="visually-hidden">${title}</caption>`);
  assert.ok(start >= 0, `table ${title}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!));
}

describe('the ministry dashboard', () => {
  test('shows each headline figure with its change in words, a trend with its table, and the map', async () => {
    const r = await analyst.get(`/staff/quality?${APRIL}&map=timeliness.decided_on_time`);
    assert.equal(r.status, 200);
    const page = text(r.body);
    assert.match(page, /Качество предоставления услуг/);
    // Decided on time in April: 3 of 5 (the A portal case of 04-22 and the B case were late).
    assert.match(page, /Своевременность .*60 %/);
    // No figure for March: the change says so instead of a colour.
    assert.match(page, new RegExp(t('qualityPages.change.none')));
    // A trend chart per criterion: an image with a title and a description, and its table.
    assert.match(
      r.body,
      /<svg [^>]*role="img" aria-labelledby="trend-timeliness-title trend-timeliness-desc"/,
    );
    const title = t('quality.indicator.timeliness.decided_on_time.title' as never);
    assert.deepEqual(tableRows(r.body, title).slice(1), ['апрель 2025 г. 60 % 3 5']);
    // The district map: district A 3 of 4, B 0 of 1.
    const map = tableRows(r.body, t('qualityPages.map.title', { title }));
    assert.ok(map.includes(`${A.name_ru} 75 % ● ${t('qualityPages.map.band3')}`), map.join('\n'));
    assert.ok(map.includes(`${B.name_ru} 0 % ○ ${t('qualityPages.map.band0')}`), map.join('\n'));
    assert.match(r.body, /<svg [^>]*aria-labelledby="district-map-title district-map-desc"/);
  });

  test('reads in English, and a criterion with nothing to measure says so on its tile', async () => {
    const english = await signIn('analyst');
    english.setCookie('opora_lang', 'en');
    const r = await english.get(`/staff/quality?${APRIL}`);
    assert.equal(r.status, 200);
    const page = text(r.body);
    assert.match(page, /Quality of service/);
    assert.match(page, /Timeliness .*60%/);
    // No survey response in the fixture: satisfaction has its tile, with no figure rather than 0 %.
    assert.match(page, /Satisfaction Satisfaction no data/);
    const title = translate('en', 'quality.indicator.timeliness.decided_on_time.title' as never);
    assert.deepEqual(tableRows(r.body, title).slice(1), ['April 2025 60% 3 5']);
  });

  test('the map can show another indicator, chosen with a GET form', async () => {
    const r = await analyst.get(`/staff/quality?${APRIL}&map=accessibility.submitted_electronically`);
    assert.equal(r.status, 200);
    const title = t('quality.indicator.accessibility.submitted_electronically.title' as never);
    const map = tableRows(r.body, t('qualityPages.map.title', { title }));
    // A: 3 of 4 on the portal; B: 0 of 1.
    assert.ok(map.includes(`${A.name_ru} 75 % ● ${t('qualityPages.map.band3')}`), map.join('\n'));
  });

  test('an unknown district or an impossible period gets the error summary, never an empty chart', async () => {
    for (const [query, message] of [
      ['district=atlantis', 'quality.error.district'],
      ['from=2025-05&to=2025-04', 'quality.error.fromAfterTo'],
      ['from=2025-13', 'quality.error.from'],
      ['channel=pigeon', 'quality.error.channel'],
    ] as const) {
      const r = await analyst.get(`/staff/quality?${query}`);
      assert.equal(r.status, 422, query);
      assert.match(r.body, /class="error-summary"/);
      assert.ok(text(r.body).includes(t(message as never)), `${query}: ${message}`);
      assert.doesNotMatch(r.body, /<svg [^>]*role="img"/, query);
    }
  });

  test('every table exports as CSV, and all of them as one XLSX workbook', async () => {
    const csv = await analyst.get(`/staff/quality?${APRIL}&format=csv&table=trend-timeliness`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(csv.body, /^\uFEFF?Месяц;Значение;Числитель;Знаменатель\r\nапрель 2025 г\.;0\.6;3;5\r\n$/);
    const xlsx = await fetch(`${baseUrl}/staff/quality?${APRIL}&format=xlsx`, {
      headers: { cookie: analystCookie() },
    });
    assert.equal(xlsx.status, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    assert.ok(workbook.worksheets.length >= 3);
    const sheet = workbook.worksheets.find(
      (s) => s.getCell('A2').value === 'апрель 2025 г.' && s.getCell('B2').value === 0.6,
    );
    assert.ok(sheet, 'the timeliness trend as numbers');
    assert.equal(sheet.getColumn(2).numFmt, '0.0%');
  });

  test('the monthly report is a PDF', async () => {
    const r = await fetch(`${baseUrl}/staff/quality/report.pdf?month=2025-04`, {
      headers: { cookie: analystCookie() },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
  });
});

/** The analyst's session, for downloads read as bytes (the client reads bodies as text). */
const analystCookie = () => `${SESSION_COOKIE}=${analyst.cookie(SESSION_COOKIE)}`;

describe('the district dashboard', () => {
  test('a district head is taken to their district and may not open another', async () => {
    const home = await head.get('/staff/quality');
    assert.equal(home.status, 303);
    assert.equal(home.location, `/staff/quality/districts/${A.code}`);
    const own = await head.get(`/staff/quality/districts/${A.code}?${APRIL}`);
    assert.equal(own.status, 200);
    assert.match(text(own.body), /Своевременность .*75 %/);
    // No map of every district and no district choice on a district's page.
    assert.doesNotMatch(own.body, /district-map/);
    assert.doesNotMatch(own.body, /name="district"/);
    assert.equal((await head.get(`/staff/quality/districts/${B.code}`)).status, 403);
    assert.equal(
      (await head.get(`/staff/quality/indicators/timeliness.decided_on_time?district=${B.code}`)).status,
      403,
    );
  });

  test('the ministry opens any district', async () => {
    const r = await analyst.get(`/staff/quality/districts/${B.code}?${APRIL}`);
    assert.equal(r.status, 200);
    assert.match(text(r.body), /Своевременность .*0 %/);
  });

  test('the staff home links to the dashboards by role', async () => {
    assert.match((await analyst.get('/staff')).body, /href="\/staff\/quality">[^<]*показатели по области/);
    assert.match((await head.get('/staff')).body, /href="\/staff\/quality">[^<]*показатели района/);
  });
});

describe('one indicator', () => {
  const PAGE = '/staff/quality/indicators/timeliness.decided_on_time';

  test('shows its formula, the series by month and breakdowns by channel, district and measure', async () => {
    const r = await analyst.get(`${PAGE}?${APRIL}`);
    assert.equal(r.status, 200);
    const page = text(r.body);
    assert.ok(page.includes(t('quality.indicator.timeliness.decided_on_time.formula' as never)));
    const channels = tableRows(r.body, t('qualityPages.indicator.byChannel'));
    assert.ok(
      channels.some((row) => /^Портал 66,7 % 2 3$/.test(row)),
      channels.join('\n'),
    );
    assert.ok(
      channels.some((row) => /^Лично 100 % 1 1$/.test(row)),
      channels.join('\n'),
    );
    assert.ok(
      channels.some((row) => /^Почта нет данных/.test(row)),
      channels.join('\n'),
    );
    assert.ok(tableRows(r.body, t('qualityPages.indicator.byDistrict')).includes(`${A.name_ru} 75 % 3 4`));
    assert.ok(tableRows(r.body, t('qualityPages.indicator.byMeasure')).length >= 3);
  });

  test('compares two cuts month by month, and refuses the same cut twice', async () => {
    const r = await analyst.get(`${PAGE}?${APRIL}&a=channel:portal&b=channel:in_person`);
    assert.equal(r.status, 200);
    const title = t('qualityPages.compare.chartTitle', {
      a: t('qualityPages.compare.channel', { name: t('applications.channel.portal') }),
      b: t('qualityPages.compare.channel', { name: t('applications.channel.in_person') }),
    });
    assert.deepEqual(tableRows(r.body, title).slice(1), ['апрель 2025 г. 66,7 % 100 %']);
    const same = await analyst.get(`${PAGE}?${APRIL}&a=channel:portal&b=channel:portal`);
    assert.ok(text(same.body).includes(t('qualityPages.compare.same')));
  });

  test('a district head sees their own district only', async () => {
    const r = await head.get(`${PAGE}?${APRIL}`);
    assert.equal(r.status, 200);
    const rows = tableRows(r.body, t('qualityPages.indicator.byDistrict')).slice(1);
    assert.deepEqual(rows, [`${A.name_ru} 75 % 3 4`]);
  });

  test('an unknown indicator is not found', async () => {
    assert.equal((await analyst.get('/staff/quality/indicators/nothing.here')).status, 404);
  });
});

describe('programme targets', () => {
  test('are checked, shown for checking, saved, flagged off track, and deleted', async () => {
    assert.equal((await head.get('/staff/quality/targets')).status, 403);
    const bad = await analyst.submit('/staff/quality/targets', '/staff/quality/targets/check', {
      indicator: '',
      year: '20',
      target: 'much',
      source: '',
      district: '',
    });
    assert.equal(bad.status, 422);
    for (const key of ['quality.error.indicator', 'quality.error.year', 'quality.error.source'])
      assert.ok(text(bad.body).includes(t(key as never)), key);

    const fields = {
      indicator: 'timeliness.decided_on_time',
      year: '2025',
      target: '90',
      source: 'Госпрограмма, приложение 1, п. 3',
      district: '',
    };
    const check = await analyst.submit('/staff/quality/targets', '/staff/quality/targets/check', fields);
    assert.equal(check.status, 200);
    assert.match(
      text(check.body),
      /Проверьте целевое значение .*90 % .*Госпрограмма, приложение 1, п. 3 .*Вся область/,
    );
    // Nothing is saved by checking.
    assert.match(
      text((await analyst.get('/staff/quality/targets')).body),
      new RegExp(t('qualityPages.targets.none')),
    );
    const saved = await analyst.submit('/staff/quality/targets', '/staff/quality/targets', fields);
    assert.equal(saved.status, 303);
    const list = await analyst.get('/staff/quality/targets');
    assert.match(text(list.body), /90 %/);

    // April 2025 at 60 % against 90 %: off track on the dashboard, the region and both districts.
    const dash = text((await analyst.get(`/staff/quality?${APRIL}`)).body);
    assert.match(dash, new RegExp(t('qualityPages.targets.offTrackTitle')));
    assert.ok(dash.includes(`${A.name_ru}: `), 'district A flagged by name');
    assert.ok(dash.includes(`${B.name_ru}: `), 'district B flagged by name');

    const id = /action="\/staff\/quality\/targets\/(\d+)\/delete"/.exec(list.body)?.[1];
    assert.ok(id);
    const gone = await analyst.submit('/staff/quality/targets', `/staff/quality/targets/${id}/delete`, {});
    assert.equal(gone.status, 303);
    assert.match(
      text((await analyst.get('/staff/quality/targets')).body),
      new RegExp(t('qualityPages.targets.none')),
    );
  });
});

describe('open data', () => {
  test('is public, by district and month, and hides cuts of fewer than ten cases', async () => {
    const anonymous = new Client(baseUrl);
    const r = await anonymous.get(`/open-data/quality?indicator=timeliness.decided_on_time&${APRIL}`);
    assert.equal(r.status, 200);
    const title = t('qualityPages.map.title', {
      title: t('quality.indicator.timeliness.decided_on_time.title' as never),
    });
    const rows = tableRows(r.body, title);
    // District A has four cases: its share is not published.
    assert.ok(rows.includes(`${A.name_ru} меньше 10 нет данных`), rows.join('\n'));
    assert.doesNotMatch(text(r.body), /75 %/);
    const json = await anonymous.get(`/open-data/quality.json?${APRIL}`);
    assert.equal(json.status, 200);
    const body = JSON.parse(json.body) as {
      records: {
        indicator: string;
        district: string | null;
        month: string;
        value: number | null;
        suppressed: boolean;
      }[];
    };
    const a = body.records.find(
      (x) => x.indicator === 'timeliness.decided_on_time' && x.district === A.code && x.month === '2025-04',
    );
    assert.deepEqual({ value: a?.value, suppressed: a?.suppressed }, { value: null, suppressed: true });
    const csv = await anonymous.get(
      `/open-data/quality?indicator=timeliness.decided_on_time&${APRIL}&format=csv&table=open-map`,
    );
    assert.equal(csv.status, 200);
    assert.ok(csv.body.includes(`${A.name_ru};;;;меньше 10`));
    assert.equal((await anonymous.get('/open-data/quality?from=2030-01')).status, 422);
  });
});
