// Sampling in Chromium with an axe scan on every page: a researcher opens a linked wave's sample
// form, submits it empty (error summary), fills it in, reads the allocation per stratum, draws and
// invites, and lands on the invitations page with the counts by stratum.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { regionToday } from '../../platform/time.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import { importQuestionnaire } from './surveys.service.ts';
import { createWave } from './surveys.waves.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 200);
const userId = await staffUser(db, 'researcher', 'researcher');
const researcher: StaffActor = {
  kind: 'staff',
  userId,
  login: 'researcher',
  fullName: 'Test',
  role: 'researcher',
  districtIds: [],
  sessionId: 't',
};
// Adults receiving a measure: the frame.
await sql`insert into assignments (person_id, measure_id, status, basis, amount, start_date)
          select p.id, (select min(id) from measures), 'active', 'application', 100, '2025-01-01'
          from persons p where p.birth_date < now() - interval '20 years'`.execute(db);
const file = await xlsx(SATISFACTION);
const version = await db.transaction().execute((trx) => importQuestionnaire(trx, researcher, file));
assert.ok(version.ok);
const today = regionToday();
const waveId = await db.transaction().execute((trx) =>
  createWave(trx, researcher, {
    versionId: version.versionId,
    title: 'Удовлетворённость 2026',
    mode: 'linked',
    opensOn: today,
    closesOn: `${Number(today.slice(0, 4)) + 1}-01-31`,
  }),
);
const browser = await launchBrowser();

async function signedIn(login: string): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages themselves carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff');
  return page;
}

describe('sampling in Chromium', () => {
  test('form, errors, preview, draw and invite, invitations', async () => {
    const page = await signedIn('researcher');
    await page.goto(`${baseUrl}/staff/surveys/waves/${waveId}/sample`);
    assert.match(await page.locator('h1').innerText(), /Выборка получателей/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Посмотреть распределение' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Введите размер выборки/);
    await assertAccessible(page);

    await page.fill('#size', '20');
    await page.getByLabel('Канал последнего обращения').check();
    await page.getByLabel('Возрастная группа').uncheck();
    await page.getByLabel('Равное').check();
    await page.fill('#seed', '2026');
    await page.getByRole('button', { name: 'Посмотреть распределение' }).click();
    assert.match(await page.locator('h1').innerText(), /Проверьте выборку/);
    const total = await page.locator('#allocation tfoot tr').innerText();
    assert.match(total, /Всего\s+\d+\s+20/);
    assert.match(await page.locator('#allocation').innerText(), /не обращался/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Выбрать и пригласить' }).click();
    assert.equal(new URL(page.url()).pathname, `/staff/surveys/waves/${waveId}/invitations`);
    assert.match(await page.locator('.panel').innerText(), /Выбрано и приглашено 20 получателей/);
    assert.match(await page.locator('#by-stratum tfoot').innerText(), /Всего\s+20\s+0\s+0\s+0\s?%/);
    assert.match(await page.locator('#samples tbody').innerText(), /2026/);
    await assertAccessible(page);
    await page.context().close();
  });
});
