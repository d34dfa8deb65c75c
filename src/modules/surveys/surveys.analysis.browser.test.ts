// The analysis of a wave in Chromium with an axe scan on every page: the results with their charts,
// the crosstab chosen in the form (and its error summary for a bad choice), the comparison of groups,
// and the English page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { seedAnalysisFixture } from './fixtures/responses.ts';

const { baseUrl, db } = await startTestApp();
const researcherId = await staffUser(db, 'researcher', 'researcher');
const { wave } = await seedAnalysisFixture(db, researcherId);
const browser = await launchBrowser();
const BASE = `${baseUrl}/staff/surveys/waves/${wave}`;

async function signedIn(login: string, locale = 'ru-RU'): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages themselves carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: locale === 'ru-RU' ? 'Войти' : 'Sign in' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff');
  return page;
}

describe('analysis of a wave in Chromium', () => {
  test('results, crosstab, comparison: figures, charts and no accessibility problems', async () => {
    const page = await signedIn('researcher');
    await page.goto(`${BASE}/results`);
    assert.match(await page.locator('#counts').innerText(), /Заполненных анкет: 10/);
    // Each question's chart is an image with a name a screen reader announces.
    const chart = page.getByRole('img', { name: /Вы подавали заявление через интернет\?: % от ответивших/ });
    assert.equal(await chart.count(), 1);
    await assertAccessible(page);

    // Weighting chosen in the form: no sample for this wave, so the page says why it stays unweighted.
    await page.getByLabel('Взвесить по стратам выборки (постстратификация)').check();
    await page.getByRole('button', { name: 'Применить' }).click();
    assert.match(await page.locator('#weighting').innerText(), /Взвешивание невозможно/);

    await page.getByRole('link', { name: 'Таблица сопряжённости' }).click();
    await page.selectOption('#row', 'used_online');
    await page.selectOption('#col', 'district');
    await page.getByRole('button', { name: 'Построить таблицу' }).click();
    const table = page.locator('#crosstab');
    assert.match(await table.locator('tbody tr').first().innerText(), /Да\s+4\s+80,0 % · 80,0 %/);
    assert.match(await page.locator('#chi-square').innerText(), /3,600[\s\S]*0,058[\s\S]*0,600/);
    await assertAccessible(page);

    // The same variable twice: the error summary links to the field.
    await page.selectOption('#col', 'used_online');
    await page.getByRole('button', { name: 'Построить таблицу' }).click();
    const summary = page.locator('.error-summary');
    assert.match((await summary.innerText()) ?? '', /Выберите две разные переменные/);
    assert.equal(await page.locator('#crosstab').count(), 0);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Сравнение групп' }).click();
    await page.selectOption('#by', 'bg:district');
    await page.selectOption('#question', 'overall');
    await page.getByRole('button', { name: 'Сравнить' }).click();
    assert.match(await page.locator('#groups').innerText(), /Альфинский\s+5\s+4,20/);
    await assertAccessible(page);
  });

  test('the English results page', async () => {
    const page = await signedIn('researcher', 'en-GB');
    await page.goto(`${BASE}/results?page=2`);
    assert.match(await page.locator('main').innerText(), /Settlement/);
    await assertAccessible(page);
  });
});
