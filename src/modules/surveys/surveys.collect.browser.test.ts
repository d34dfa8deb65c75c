// Collection in Chromium, with an axe scan on every page: a researcher creates a wave and opens its
// page (link, QR code, counts); a respondent answers on the portal — an error in the summary, the
// matrix of radios, a repeat with "add another", check your answers, done — once with JavaScript and
// once without it (the pages are plain forms); a researcher opens the fieldwork page as an interviewer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { regionToday } from '../../platform/time.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';

const { baseUrl, db } = await startTestApp();
await staffUser(db, 'researcher', 'researcher');
const browser = await launchBrowser();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TODAY = regionToday();
const inDays = (days: number) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

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

let link = '';

/** The respondent's whole path; axe runs on each page when JavaScript is on (it needs a script). */
async function answer(javaScriptEnabled: boolean): Promise<void> {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU', javaScriptEnabled });
  const page = await context.newPage();
  const scan = javaScriptEnabled ? assertAccessible : async () => {};
  await page.goto(link);
  assert.match(await page.locator('main').innerText(), /анонимный/);
  await scan(page);
  await page.getByRole('button', { name: 'Начать опрос' }).click();

  // Page 1: an age out of range is explained in the error summary with the form's own message.
  await page.getByLabel('Сколько вам лет?').fill('130');
  await page.getByRole('group', { name: 'Вы подавали заявление через интернет?' }).getByLabel('Да').check();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.locator('.error-summary').getByRole('link', { name: 'От 14 до 120' }).waitFor();
  await scan(page);
  await page.getByLabel('Сколько вам лет?').fill('67');
  await page.getByLabel('Портал').check();
  await page
    .getByRole('group', { name: 'В целом я доволен обслуживанием' })
    .getByLabel('Согласен', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // Page 2: the matrix, each radio labelled with its row and column.
  await page.getByRole('heading', { name: 'Оцените сотрудников' }).waitFor();
  await scan(page);
  await page.getByLabel('Вежливы — Полностью согласен').check();
  await page.getByLabel('Компетентны — Согласен', { exact: true }).check();
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // Page 3: loose questions, with the cascading select.
  await page.getByLabel('Что улучшить?').fill('Больше окон приёма');
  await page.getByRole('group', { name: 'Район' }).getByLabel('Южный', { exact: true }).check();
  await page.getByLabel('Южный посёлок').check();
  await scan(page);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // Page 4: the repeat, with "add another".
  await page.getByRole('heading', { name: 'Члены семьи' }).waitFor();
  await page.getByLabel('Имя').fill('Анна');
  await page.getByRole('button', { name: 'Добавить ещё' }).click();
  await page.locator('[name="household.1.member_name"]').fill('Иван');
  await scan(page);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // Check your answers, then send.
  await page.getByRole('heading', { name: 'Проверьте ответы' }).waitFor();
  const summary = await page.locator('main').innerText();
  assert.match(summary, /Южный посёлок/);
  assert.match(summary, /Иван/);
  await scan(page);
  await page.getByRole('button', { name: 'Отправить' }).click();
  await page.getByRole('heading', { name: 'Спасибо, ответы отправлены' }).waitFor();
  await scan(page);
  await context.close();
}

describe('collection in Chromium', () => {
  test('a researcher creates a wave: the form with an error, the wave page with link and QR code', async () => {
    const page = await signedIn('researcher');
    await page.goto(`${baseUrl}/staff/surveys`);
    await page.setInputFiles('#file', {
      name: 'satisfaction.xlsx',
      mimeType: XLSX,
      buffer: await xlsx(SATISFACTION),
    });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.locator('#waves').waitFor();
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Создать волну' }).click();
    await assertAccessible(page);
    await page.getByLabel('Название волны').fill('Осень 2026');
    await page.getByLabel('Анонимный опрос').check();
    await page.getByLabel('Дата окончания').fill(inDays(-1));
    await page.getByRole('button', { name: 'Создать волну' }).click();
    await page.locator('.error-summary').getByRole('link', { name: 'Дата окончания уже прошла' }).waitFor();
    await assertAccessible(page);
    await page.getByLabel('Дата окончания').fill(inDays(30));
    await page.getByLabel(/В целом я доволен обслуживанием/).check();
    await page.getByRole('button', { name: 'Создать волну' }).click();
    await page.getByRole('heading', { name: 'Осень 2026' }).waitFor();
    await page.getByRole('img', { name: /QR-код ссылки/ }).waitFor();
    await assertAccessible(page);
    // The link is absolute, from the configured public address (not the test server's port).
    const href = (await page.locator('#public-link').getAttribute('href')) ?? '';
    assert.match(href, /^https?:\/\/[^/]+\/s\/[A-Za-z0-9_-]{32}$/);
    link = `${baseUrl}${new URL(href).pathname}`;
  });

  test('a respondent answers with JavaScript, every page accessible', async () => {
    await answer(true);
  });

  test('a respondent answers without JavaScript', async () => {
    await answer(false);
    const rows = await db.selectFrom('survey_responses').select(['status']).execute();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['complete', 'complete'],
    );
  });

  test('the fieldwork page lists the open wave and starts an anonymous interview', async () => {
    // Researchers interview too (specialists need a seeded district).
    const page = await signedIn('researcher');
    await page.goto(`${baseUrl}/staff/fieldwork`);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Осень 2026' }).click();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Начать анонимное интервью' }).click();
    await page.getByLabel('Сколько вам лет?').waitFor();
    await assertAccessible(page);
  });
});
