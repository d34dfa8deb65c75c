// A resident applies online in Chromium, end to end: from the measure page through sign-in on the
// ESIA simulator, every step of the form, to the confirmation, "My applications", the case page and a
// withdrawal, with an axe scan of every page; then the same without JavaScript, through to an appeal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { ELF_EXECUTABLE, SMALL_PDF } from '../../../test/support/documents.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { ESIA_PASSWORD, startAppWithEsia } from '../../../test/support/resident.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { act, documentsToUpload, validBankAccount } from './applications.service.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 200);
const { baseUrl, issuer } = await startAppWithEsia(database);
const browser = await launchBrowser();

const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
const veterans = await db
  .selectFrom('persons')
  .select(['id', 'snils'])
  .where('district_id', '=', volgograd!)
  .where(sql<boolean>`'labour_veteran' = any(categories)`)
  .orderBy('id')
  .limit(2)
  .execute();
assert.equal(veterans.length, 2, 'two labour veterans in the seed');
const certificate = documentsToUpload(await measureForApplication(db, { code: 'VETERAN-EDV' }))[0]!;
const BIK = '044525225';
const ACCOUNT = [...'0123456789']
  .map((k) => `40817810${k}00000012345`)
  .find((a) => validBankAccount(BIK, a))!;

const main = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const path = (page: Page) => new URL(page.url()).pathname;
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function newPage(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  // CSP is bypassed only so that axe can be injected; the pages carry no inline script.
  const context = await browser.newContext({
    bypassCSP: javaScriptEnabled,
    locale: 'ru-RU',
    javaScriptEnabled,
  });
  return { context, page: await context.newPage() };
}

/** From a sign-in page: through the ESIA simulator and back. */
async function signInOnPortal(page: Page, snils: string) {
  await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
  assert.ok(page.url().startsWith(issuer), 'on the Gosuslugi simulator');
  await page.fill('#snils', snils);
  await page.fill('#password', ESIA_PASSWORD);
  await page.getByRole('button', { name: /^Войти/ }).click();
}

/** Measure page to confirmation; `check` runs on every page (the axe scan when JavaScript is on). */
async function applyOnline(page: Page, snils: string, check: () => Promise<void>) {
  await page.goto(`${baseUrl}/measures/VETERAN-EDV`);
  await page.getByRole('link', { name: 'Подать заявление онлайн' }).click();
  assert.equal(path(page), '/measures/VETERAN-EDV/apply');
  assert.match(await main(page), /Удостоверение ветерана/);
  assert.match(await main(page), /запросим в: Социальный фонд России/);
  await check();
  await page.getByRole('link', { name: 'Начать' }).click();
  await signInOnPortal(page, snils);
  assert.equal(path(page), '/measures/VETERAN-EDV/apply', 'back at the start after signing in');
  await button(page, 'Начать').click();

  assert.match(path(page), /^\/me\/applications\/\d+\/contact$/);
  const base = path(page).replace(/\/contact$/, '');
  await check();
  await page.fill('#phone', '');
  await page.fill('#email', '');
  await button(page, 'Сохранить и продолжить').click();
  assert.match((await page.locator('.error-summary').textContent()) ?? '', /Укажите телефон/);
  await check();
  await page.fill('#phone', '+7 902 123-45-67');
  await button(page, 'Сохранить и продолжить').click();

  assert.equal(path(page), `${base}/payment`);
  await check();
  await page.check('#method');
  await page.fill('#bik', BIK);
  await page.fill('#account', ACCOUNT);
  await button(page, 'Сохранить и продолжить').click();

  assert.equal(path(page), `${base}/documents`);
  await check();
  const file = `#file-${certificate.id}`;
  await page.setInputFiles(file, { name: 'scan.pdf', mimeType: 'application/pdf', buffer: ELF_EXECUTABLE });
  await button(page, 'Загрузить').click();
  assert.match((await page.locator('.error-summary').textContent()) ?? '', /PDF, JPG или PNG/);
  await check();
  await page.setInputFiles(file, { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: SMALL_PDF });
  await button(page, 'Загрузить').click();
  assert.match(await main(page), /Загружено: certificate\.pdf/);
  await button(page, 'Продолжить').click();

  assert.equal(path(page), `${base}/check`);
  assert.match(await main(page), /Ваши данные из регистра/);
  assert.ok((await main(page)).includes(ACCOUNT));
  await check();
  await button(page, 'Отправить заявление').click();
  assert.match((await page.locator('.error-summary').textContent()) ?? '', /Подтвердите, что сведения верны/);
  await check();
  await page.check('#declared');
  await button(page, 'Отправить заявление').click();

  assert.equal(path(page), `${base}/sent`);
  assert.match((await page.locator('h1').textContent()) ?? '', /Заявление отправлено/);
  assert.match(await main(page), /\d{4}-\d{6}/);
  await check();
  return Number(base.split('/').pop());
}

describe('applying online in Chromium', () => {
  test('a resident applies, follows the case and withdraws it; every page passes axe', async () => {
    const { context, page } = await newPage(true);
    const id = await applyOnline(page, veterans[0]!.snils, () => assertAccessible(page));

    await page.getByRole('link', { name: 'Перейти к моим заявлениям' }).click();
    assert.equal(path(page), '/me/applications');
    assert.match(await main(page), /отправлено/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Ежемесячная денежная выплата ветеранам труда' }).click();
    assert.equal(path(page), `/me/applications/${id}`);
    assert.match(await main(page), /Заявление отправлено/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Отозвать заявление' }).click();
    assert.equal(path(page), `/me/applications/${id}/withdraw`);
    await assertAccessible(page);
    await button(page, 'Да, отозвать заявление').click();
    assert.equal(path(page), `/me/applications/${id}`);
    assert.match(await main(page), /отозвано/);
    await assertAccessible(page);
    await context.close();
  });

  test('without JavaScript: the whole application, then an appeal against a refusal', async () => {
    const { context, page } = await newPage(false);
    const id = await applyOnline(page, veterans[1]!.snils, async () => {});
    const row = await db
      .selectFrom('applications')
      .select(['state', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'submitted');

    const specialist: StaffActor = {
      kind: 'staff',
      userId: await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']),
      login: 'spec.volgograd',
      fullName: 'Test spec.volgograd',
      role: 'specialist',
      districtIds: [volgograd!],
      sessionId: 't',
    };
    await db.transaction().execute(async (trx) => {
      const ctx = { ip: '127.0.0.1' };
      const registered = await act(trx, specialist, id, row.version, 'register', {}, ctx);
      await act(trx, specialist, id, registered.version, 'refuse', { ground: 'not_eligible' }, ctx);
    });

    // The refused case and the appeal form pass axe (a scan needs JavaScript: a second browser).
    const scan = await newPage(true);
    await scan.page.goto(`${baseUrl}/sign-in?return=${encodeURIComponent(`/me/applications/${id}`)}`);
    await signInOnPortal(scan.page, veterans[1]!.snils);
    assert.equal(path(scan.page), `/me/applications/${id}`);
    assert.match(await main(scan.page), /отказано/);
    await assertAccessible(scan.page);
    await scan.page.getByRole('link', { name: 'Обжаловать решение' }).click();
    assert.equal(path(scan.page), `/me/applications/${id}/appeal`);
    await assertAccessible(scan.page);
    await scan.context.close();

    // The appeal itself, without JavaScript.
    await page.goto(`${baseUrl}/me/applications/${id}`);
    assert.match(await main(page), /отказано/);
    await page.getByRole('link', { name: 'Обжаловать решение' }).click();
    await page.fill('#grounds', 'Я ветеран труда, удостоверение приложено.');
    await button(page, 'Отправить жалобу').click();
    assert.equal(path(page), `/me/applications/${id}`);
    assert.match(await main(page), /Жалоба.*на рассмотрении/s);
    await context.close();
  });
});
