// The notification pages in Chromium with an axe scan: a resident signs in through the ESIA simulator
// and changes their notification settings (with an error on the way); the unsubscribe page; the staff's
// delivery figures, template preview and letters list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { testConfig } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { ESIA_PASSWORD, startAppWithEsia } from '../../../test/support/resident.ts';
import { notify } from './notifications.service.ts';
import { unsubscribeToken } from './notifications.tokens.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 100);
const { baseUrl, issuer } = await startAppWithEsia(database);
const browser = await launchBrowser();
await staffUser(db, 'head', 'district_head', ['volgograd']);

async function newPage(): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
  return await context.newPage();
}

const main = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('notification pages in the browser', () => {
  test('a resident sets how to be told; every state of the page passes axe', async () => {
    const me = await db.selectFrom('persons').select(['id', 'snils']).orderBy('id').executeTakeFirstOrThrow();
    await db
      .updateTable('persons')
      .set({ email: null, phone: '+79004445566', preferred_channel: 'portal' })
      .where('id', '=', me.id)
      .execute();
    const page = await newPage();
    await page.goto(`${baseUrl}/me/notifications`);
    await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
    assert.ok(page.url().startsWith(issuer), 'on the Gosuslugi simulator');
    await page.fill('#snils', me.snils);
    await page.fill('#password', ESIA_PASSWORD);
    await page.getByRole('button', { name: /^Войти/ }).click();
    assert.equal(new URL(page.url()).pathname, '/me/notifications');
    await assertAccessible(page);

    await page.getByRole('radio', { name: 'Электронная почта' }).check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    assert.match(await main(page), /нет адреса электронной почты/);
    await assertAccessible(page);

    await page.getByRole('radio', { name: 'SMS' }).check();
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    assert.match(await main(page), /Настройки уведомлений сохранены/);
    await assertAccessible(page);

    await page.goto(`${baseUrl}/unsubscribe/${unsubscribeToken(testConfig().secret, me.id)}`);
    assert.match(await main(page), /Отказ от информационных рассылок/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Отказаться от рассылок' }).click();
    assert.match(await main(page), /Вы отказались/);
    await assertAccessible(page);
  });

  test('the staff’s delivery figures, template preview and letters pass axe', async () => {
    // Something to show: a delivered message and a failed one.
    const [a, b] = await db.selectFrom('persons').select('id').orderBy('id', 'desc').limit(2).execute();
    await db.transaction().execute(async (trx) => {
      await notify(trx, {
        personId: a!.id,
        event: 'message',
        params: { number: '2026-1', text: 'Добрый день' },
      });
      await notify(trx, { personId: b!.id, event: 'payment', params: { amount: 500 } });
    });
    await db
      .updateTable('notifications')
      .set({
        status: 'failed',
        channel: 'sms',
        attempts: 1,
        last_error: 'SMS gateway refused the message: invalid_phone',
      })
      .where('person_id', '=', b!.id)
      .execute();
    const page = await newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'head');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    for (const path of [
      '/staff/notifications',
      '/staff/notifications/templates',
      '/staff/notifications/letters',
    ]) {
      await page.goto(`${baseUrl}${path}`);
      assert.equal(new URL(page.url()).pathname, path);
      await assertAccessible(page);
    }
    assert.match(await main(page), /Письма для печати/);
    await page.goto(`${baseUrl}/staff/notifications`);
    assert.match(await main(page), /invalid_phone/);
  });
});
