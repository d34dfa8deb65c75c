// The quality pages in Chromium: the filters and the comparison work as plain GET forms with
// JavaScript off, a chart's table opens without script, and every page — both dashboards, one
// indicator with a comparison, a bad filter, targets with check answers, and the public open data —
// passes the axe scan (with JavaScript on, since axe is a script).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { refreshAggregates } from './quality.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 40);
const [A, B] = (await db.selectFrom('districts').select(['id', 'code']).orderBy('id').limit(2).execute()) as [
  { id: number; code: string },
  { id: number; code: string },
];
const [M] = (await db.selectFrom('measures').select('id').orderBy('id').limit(1).execute()) as [
  { id: number },
];
await staffUser(db, 'analyst', 'ministry_analyst');
await staffUser(db, 'head.a', 'district_head', [A.code]);

// A dozen decided cases over two months and both districts, so every chart has figures to draw.
for (let i = 0; i < 12; i++) {
  const district = i % 3 === 0 ? B.id : A.id;
  const person = (
    await db
      .selectFrom('persons')
      .select('id')
      .where('district_id', '=', district)
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
  const month = i < 6 ? '03' : '04';
  const decided = `2025-${month}-${String(10 + (i % 5)).padStart(2, '0')}`;
  const deadline = i % 4 === 0 ? `2025-${month}-05` : `2025-${month}-25`;
  const decision = JSON.stringify({
    outcome: 'approved',
    on: decided,
    measureTitle: { ru: 'м', en: 'm' },
    legalBasis: { ru: 'ФЗ-178', en: 'FZ-178' },
    note: '',
    decidedBy: 'Test',
  });
  await sql`insert into applications (person_id, district_id, measure_id, channel, state, priority, decision_days,
      registered_on, deadline_on, paused_days, decision, decided_at, submitted_at)
    values (${person}, ${district}, ${M.id}, ${i % 2 ? 'portal' : 'in_person'}, 'approved', false, 10,
      ${`2025-${month}-03`}, ${deadline}, 0, ${decision}, ${`${decided}T10:00:00+03:00`},
      ${`2025-${month}-03T09:00:00+03:00`})`.execute(db);
}
await refreshAggregates(db);

const browser = await launchBrowser();
const PERIOD = 'from=2025-03&to=2025-04';

async function signedIn(login: string, javaScriptEnabled: boolean): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU', javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff');
  return page;
}

describe('the quality pages in a browser', () => {
  test('the filter, the map indicator and the comparison are GET forms that work without JavaScript', async () => {
    const page = await signedIn('analyst', false);
    await page.getByRole('link', { name: /показатели по области/ }).click();
    assert.equal(new URL(page.url()).pathname, '/staff/quality');
    await page.fill('#from', '2025-03');
    await page.fill('#to', '2025-04');
    await page.getByRole('button', { name: 'Показать', exact: true }).click();
    assert.match(page.url(), /from=2025-03&to=2025-04/);
    assert.ok((await page.getByRole('img').count()) >= 4, 'trend charts and the map');
    // The table behind a chart opens without script.
    const details = page.locator('details.chart__details').first();
    await details.locator('summary').click();
    assert.ok(await details.locator('table').isVisible());
    // Another indicator on the map keeps the period.
    await page.selectOption('#map', 'accessibility.submitted_electronically');
    await page.getByRole('button', { name: 'Показать на схеме' }).click();
    assert.match(page.url(), /map=accessibility\.submitted_electronically/);
    assert.match(page.url(), /from=2025-03/);
    // An indicator's page from its tile, then a comparison of two channels.
    await page.goto(`${baseUrl}/staff/quality/indicators/timeliness.decided_on_time?${PERIOD}`);
    await page.selectOption('#a', 'channel:portal');
    await page.selectOption('#b', 'channel:in_person');
    await page.getByRole('button', { name: 'Сравнить' }).click();
    assert.ok(await page.locator('#compare svg[role="img"]').isVisible());
    // A bad period: the error summary links to the field, and no chart is drawn.
    await page.goto(`${baseUrl}/staff/quality?from=2025-05&to=2025-04`);
    assert.ok(await page.locator('.error-summary a[href="#from"]').isVisible());
    assert.equal(await page.getByRole('img').count(), 0);
  });

  test('every page passes the accessibility scan', async () => {
    const page = await signedIn('analyst', true);
    for (const path of [
      `/staff/quality?${PERIOD}`,
      `/staff/quality?from=2025-05&to=2025-04`,
      `/staff/quality/districts/${A.code}?${PERIOD}`,
      `/staff/quality/indicators/timeliness.decided_on_time?${PERIOD}&a=channel:portal&b=channel:in_person`,
      `/staff/quality/indicators/accessibility.days_to_free_appointment`,
      '/staff/quality/indicators/accessibility.offices_pages_accessible',
      `/staff/quality/indicators/satisfaction.overall?${PERIOD}`,
      '/staff/quality/accessibility',
      // Last: the targets form below starts from it.
      '/staff/quality/targets',
    ]) {
      await page.goto(`${baseUrl}${path}`);
      await assertAccessible(page);
    }
    // Targets: an error, then check answers.
    await page.getByRole('button', { name: 'Продолжить' }).click();
    assert.ok(await page.locator('.error-summary').isVisible());
    await assertAccessible(page);
    await page.selectOption('#indicator', 'timeliness.decided_on_time');
    await page.fill('#year', '2025');
    await page.fill('#target', '95');
    await page.fill('#source', 'Госпрограмма, приложение 1');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    assert.match(await page.locator('h1').innerText(), /Проверьте/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    assert.match(await page.locator('table').innerText(), /95\s%/);
    await assertAccessible(page);
    // The dashboard with a target missed.
    await page.goto(`${baseUrl}/staff/quality?${PERIOD}`);
    assert.ok(await page.getByRole('heading', { name: 'Отстают от цели' }).isVisible());
    await assertAccessible(page);

    // The accessibility register: an error, then an audit saved.
    await page.goto(`${baseUrl}/staff/quality/accessibility`);
    await page.getByRole('button', { name: 'Сохранить проверку' }).click();
    assert.ok(await page.locator('.error-summary').isVisible());
    await assertAccessible(page);
    await page.check('#kind');
    await page.selectOption('#office', { index: 1 });
    await page.fill('#auditedOn', '2025-04-10');
    await page.check('#meets');
    await page.fill('#source', 'Паспорт доступности № 3');
    await page.getByRole('button', { name: 'Сохранить проверку' }).click();
    assert.match(await page.locator('.notice').innerText(), /Проверка сохранена/);
    assert.match(await page.locator('table').first().innerText(), /Паспорт доступности № 3/);
    await assertAccessible(page);

    const head = await signedIn('head.a', true);
    await head.goto(`${baseUrl}/staff/quality?${PERIOD}`);
    assert.equal(new URL(head.url()).pathname, `/staff/quality/districts/${A.code}`);
    await assertAccessible(head);
  });

  test('the open data page is public and accessible', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/open-data/quality?indicator=timeliness.decided_on_time&${PERIOD}`);
    assert.match(await page.locator('h1').innerText(), /Открытые данные/);
    assert.ok(await page.getByText('меньше 10').first().isVisible());
    await assertAccessible(page);
    void B;
  });
});
