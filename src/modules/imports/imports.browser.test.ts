// The import flow in Chromium with an axe scan on every page: a specialist uploads an XLSX with one
// error, sees it with its row, uploads the corrected file, confirms, watches the progress and sees
// the result (the page updates itself when the write ends).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { SHEETS } from './imports.columns.ts';
import { runImport } from './imports.service.ts';

const { baseUrl, db, database, config } = await startTestApp();
await seedSmallRegion(database, 100);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
const browser = await launchBrowser();

const snils = (n: number) => `${n}${snilsChecksum(String(n))}`;
const people = [snils(711_111_111), snils(722_222_222)];

async function workbook(birthDate: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(SHEETS.residents);
  sheet.addRow(['СНИЛС', 'Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Код района', 'Адрес']);
  sheet.addRow([people[0], 'Орлова', 'Мария', 'Ивановна', '12.04.1949', 'Ж', 'volgograd', 'ул. Мира, 3']);
  sheet.addRow([people[1], 'Орлов', 'Пётр', 'Ильич', birthDate, 'М', 'volgograd', 'ул. Мира, 3']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

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

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('imports in Chromium', () => {
  test('an XLSX with an error, the corrected file, confirmation, progress and the result', async () => {
    const page = await signedIn('spec.volgograd');
    await page.getByRole('link', { name: 'Загрузка файлов районов в реестр' }).click();
    assert.equal(new URL(page.url()).pathname, '/staff/registry/imports');
    await assertAccessible(page);

    // Nothing chosen: the error summary names both questions.
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const summary = (await page.locator('.error-summary').textContent()) ?? '';
    assert.match(summary, /Выберите, что в файле/);
    assert.match(summary, /Выберите файл/);
    await assertAccessible(page);

    await page.check('#kind');
    await page.setInputFiles('#file', {
      name: 'район.xlsx',
      mimeType: XLSX,
      buffer: await workbook('31.02.1950'),
    });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const errorRow = page.locator('table tr', { hasText: 'Дата должна быть' });
    assert.deepEqual(await errorRow.locator('td').allTextContents(), [
      SHEETS.residents,
      '3',
      'Дата рождения (E)',
      'Дата должна быть в виде ДД.ММ.ГГГГ, например 05.03.1958',
    ]);
    assert.equal(await page.getByRole('button', { name: 'Записать в реестр' }).count(), 0);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Загрузить исправленный файл' }).first().click();
    await page.check('#kind');
    await page.setInputFiles('#file', {
      name: 'район.xlsx',
      mimeType: XLSX,
      buffer: await workbook('01.02.1950'),
    });
    await page.getByRole('button', { name: 'Проверить файл' }).click();
    const main = () => page.locator('main').innerText();
    assert.match(await main(), /Новых жителей\s+2/);
    assert.match(await main(), /Ошибок\s+0/);
    assert.match(await main(), /Орлов Пётр Ильич/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Записать в реестр' }).click();
    const importPath = new URL(page.url()).pathname;
    assert.match(importPath, /^\/staff\/registry\/imports\/\d+$/);
    assert.match((await page.locator('[data-field="status"]').textContent()) ?? '', /в очереди/);
    assert.equal(await page.locator('progress').getAttribute('value'), '0');
    assert.match((await page.locator('[data-field="processed"]').textContent()) ?? '', /0 из 2/);
    await assertAccessible(page);

    // The worker writes the file; the page's script notices the end and reloads.
    const reloaded = page.waitForEvent('load', { timeout: 15_000 });
    const result = await runImport(db, blobStore(config), Number(importPath.split('/').pop()));
    assert.equal(result?.inserted, 2);
    await reloaded;
    assert.match(await main(), /Файл записан в реестр/);
    assert.match(await main(), /Добавлено жителей\s+2/);
    assert.equal(await page.locator('progress').count(), 0);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Загрузки файлов' }).click();
    assert.match((await page.locator('table', { hasText: 'район.xlsx' }).innerText()) ?? '', /записан/);
    await assertAccessible(page);
  });
});
