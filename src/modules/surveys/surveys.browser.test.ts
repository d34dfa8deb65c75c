// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// Questionnaires in Chromium with an axe scan on every page: a researcher uploads an XLSForm with an
// unknown question type and a broken relevant expression, reads both in the error table with sheet,
// row and column, uploads the corrected file and lands on the questionnaire's page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';

const { baseUrl, db } = await startTestApp();
await staffUser(db, 'researcher', 'researcher');
const browser = await launchBrowser();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

describe('questionnaires in Chromium', () => {
  test('a broken XLSForm, its error table, the corrected file, the questionnaire page', async () => {
    const page = await signedIn('researcher');
    await page.goto(`${baseUrl}/staff/surveys`);
    assert.match(await page.locator('main').innerText(), /Анкет пока нет/);
    await assertAccessible(page);

    const survey = SATISFACTION.survey!.map((r) => [...r]);
    survey[2]![0] = 'geopoint';
    survey[4]![7] = "${used_online} = 'yes' and";
    await page.setInputFiles('#file', {
      name: 'анкета.xlsx',
      mimeType: XLSX,
      buffer: await xlsx({ ...SATISFACTION, survey }),
    });
    await page.getByRole('button', { name: 'Загрузить анкету' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Анкета не загружена/);
    const rows = page.locator('#problems tbody tr');
    assert.deepEqual(await rows.nth(0).locator('td').allTextContents(), [
      'survey',
      '3',
      'A',
      'Неизвестный тип вопроса «geopoint».',
    ]);
    assert.deepEqual(await rows.nth(1).locator('td').allTextContents(), [
      'survey',
      '5',
      'H',
      'Выражение не разбирается: выражение оборвано (символ 27).',
    ]);
    await assertAccessible(page);

    await page.setInputFiles('#file', {
      name: 'анкета.xlsx',
      mimeType: XLSX,
      buffer: await xlsx(SATISFACTION),
    });
    await page.getByRole('button', { name: 'Загрузить анкету' }).click();
    assert.match(new URL(page.url()).pathname, /^\/staff\/surveys\/\d+$/);
    assert.match(await page.locator('h1').innerText(), /Удовлетворённость услугами/);
    assert.match(await page.locator('main').innerText(), /Скачать версию 1 \(XLSForm\)/);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Анкеты' }).click();
    assert.match(
      await page.locator('main table').innerText(),
      /Удовлетворённость услугами\s+satisfaction\s+1/,
    );
    await assertAccessible(page);
  });
});
