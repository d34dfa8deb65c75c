// The campaign pages in Chromium: the list, the group builder (counted, and with errors), the message
// with its preview, the schedule with an error, check answers, and the figures after launch — once
// with JavaScript off (the pages need none), once with it on and every page scanned by axe (axe itself
// is a script, so it cannot run in the first pass).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { launchBrowser, assertAccessible as scan } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { regionToday } from '../../platform/time.ts';
import { campaignsTasks } from './campaigns.tasks.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 300);
await staffUser(db, 'analyst', 'ministry_analyst');
const browser = await launchBrowser();
const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as never;

async function signedIn(login: string, javaScriptEnabled: boolean): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages themselves carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU', javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff');
  return page;
}

async function flow(javaScriptEnabled: boolean, title: string): Promise<void> {
  const page = await signedIn('analyst', javaScriptEnabled);
  const assertAccessible = javaScriptEnabled ? scan : async () => {};
  await page.goto(`${baseUrl}/staff/campaigns`);
  await assertAccessible(page);
  await page.getByRole('link', { name: 'Новая рассылка' }).click();
  await assertAccessible(page);

  // An impossible age range: errors in the summary and at the field.
  await page.getByLabel('От', { exact: true }).fill('70');
  await page.getByLabel('До', { exact: true }).fill('60');
  await page.getByRole('button', { name: 'Посчитать жителей' }).click();
  await page.getByRole('link', { name: 'Возраст «до» должен быть не меньше возраста «от»' }).waitFor();
  await assertAccessible(page);

  // A real group: count it, then go on.
  await page.getByLabel('До', { exact: true }).fill('');
  await page.getByLabel('От', { exact: true }).fill('60');
  await page.getByLabel('Волжский', { exact: true }).check();
  await page.getByLabel('Пенсионер', { exact: true }).check();
  await page.getByRole('button', { name: 'Посчитать жителей' }).click();
  const size = await page.locator('.campaign-count__number').textContent();
  assert.match(size ?? '', /^\d+ жител/);
  assert.ok(await page.getByLabel('Волжский', { exact: true }).isChecked(), 'the choices are kept');
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The message: a preview first.
  assert.match(new URL(page.url()).pathname, /\/new\/message$/);
  await page.getByLabel('Название рассылки').fill(title);
  await page.getByLabel('Тема', { exact: true }).fill('Компенсация за газ');
  await page
    .getByLabel('Текст', { exact: true })
    .fill('Пенсионеры старше 60 лет могут получить компенсацию.');
  await page.getByRole('button', { name: 'Предпросмотр' }).click();
  await page.getByRole('heading', { name: 'Как это увидят жители' }).waitFor();
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The schedule: a past time is refused, then a time tomorrow.
  await page.getByLabel('В выбранное время').check();
  await page.getByLabel('Дата').fill(regionToday(new Date(Date.now() - 86_400_000)));
  await page.getByLabel('Время', { exact: true }).fill('10:00');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('link', { name: 'Время отправки уже прошло; выберите время в будущем' }).waitFor();
  await assertAccessible(page);
  await page.getByLabel('Сразу после назначения').check();
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // Check answers, then schedule.
  await page.getByRole('heading', { name: 'Проверьте рассылку' }).waitFor();
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Назначить рассылку' }).click();
  await page.getByText('Рассылка назначена. Группа зафиксирована.').waitFor();
  await assertAccessible(page);

  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await campaignsTasks(db)['campaigns:launch']!({ campaignId: id }, helpers);
  await page.reload();
  await page.getByRole('table', { name: 'Сообщения по способу доставки и состоянию' }).waitFor();
  await assertAccessible(page);
  await page.getByRole('link', { name: 'Информационные рассылки' }).click();
  await page.getByRole('link', { name: title }).waitFor();
}

describe('campaign pages in Chromium', () => {
  test('without JavaScript: an analyst builds a group, writes, schedules and sees the figures', () =>
    flow(false, 'Газ для пенсионеров'));
  test('with JavaScript, every page passes the accessibility scan', () =>
    flow(true, 'Газ для пенсионеров — 2'));
});
