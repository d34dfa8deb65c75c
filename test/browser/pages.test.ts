// A person's walk through the portal and the staff workspace in real Chromium, with an axe-core
// scan of every page that fails on any serious or critical accessibility violation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../support/app.ts';
import { assertAccessible, launchBrowser } from '../support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../support/fixtures.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 300);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
const browser = await launchBrowser();

async function newPage(options: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages themselves carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU', ...options });
  return await context.newPage();
}

async function visit(page: Page, path: string, expectedHeading: RegExp): Promise<void> {
  const response = await page.goto(`${baseUrl}${path}`);
  assert.equal(response?.status(), 200, `${path} should open`);
  assert.match((await page.locator('h1').textContent()) ?? '', expectedHeading);
  await assertAccessible(page);
}

describe('portal pages in Chromium', () => {
  test('home, a life situation, a sphere and a measure are readable and accessible', async () => {
    const page = await newPage();
    await visit(page, '/', /Меры социальной поддержки/);
    const situation = page.locator('a[href^="/situations/"]').first();
    const situationTitle = (await situation.textContent()) ?? '';
    await situation.click();
    assert.equal((await page.locator('h1').textContent())?.trim(), situationTitle.trim());
    await assertAccessible(page);
    await page.locator('main a[href^="/measures/"]').first().click();
    assert.match((await page.locator('main').textContent()) ?? '', /Правовое основание/);
    await assertAccessible(page);
    const sphere = await db.selectFrom('spheres').select('code').orderBy('sort').executeTakeFirstOrThrow();
    await visit(page, `/spheres/${sphere.code}`, /.+/);
  });

  test('the language switch works without JavaScript and the page says its language', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Switch to English' }).click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Social support measures/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  });

  test('a 404 page is a page, not a stack trace', async () => {
    const page = await newPage();
    const response = await page.goto(`${baseUrl}/measures/NO-SUCH-MEASURE`);
    assert.equal(response?.status(), 404);
    assert.match((await page.locator('h1').textContent()) ?? '', /Страница не найдена/);
    await assertAccessible(page);
  });
});

describe('staff workspace in Chromium', () => {
  test('sign-in errors are summarised and linked to their fields, then sign-in works', async () => {
    const page = await newPage();
    await visit(page, '/staff/sign-in', /Вход для сотрудников/);
    await page.getByRole('button', { name: 'Войти' }).click();
    const summary = page.locator('.error-summary');
    assert.match((await summary.textContent()) ?? '', /Введите логин/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.className),
      'error-summary',
      'focus moves to the summary',
    );
    await assertAccessible(page);
    await summary.getByRole('link', { name: 'Введите логин' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'login');

    await page.fill('#login', 'spec.volgograd');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    assert.equal(new URL(page.url()).pathname, '/staff');
    assert.match((await page.locator('h1').textContent()) ?? '', /Здравствуйте/);
    await assertAccessible(page);

    const person = await db
      .selectFrom('persons')
      .innerJoin('districts', 'districts.id', 'persons.district_id')
      .select(['persons.snils', 'persons.last_name'])
      .where('districts.code', '=', 'volgograd')
      .executeTakeFirstOrThrow();
    await page.fill('#snils', person.snils);
    await page.getByRole('button', { name: 'Найти' }).click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Карточка жителя/);
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(person.last_name));
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Выйти', exact: true }).click();
    assert.equal(new URL(page.url()).pathname, '/staff/sign-in');
  });

  test('the staff pages work without JavaScript', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'spec.volgograd');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    assert.equal(new URL(page.url()).pathname, '/staff');
    await page.goto(`${baseUrl}/staff/security`);
    assert.match((await page.locator('h1').textContent()) ?? '', /Безопасность входа/);
  });
});
