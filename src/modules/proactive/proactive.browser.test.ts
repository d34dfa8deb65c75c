// The proactive pages in Chromium with an axe scan: the sweep page (live, with and without JavaScript),
// the emergency flow and the proposals a specialist decides.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import * as rules from '../rules/rules.service.ts';
import { runSweep } from './sweep.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 300);
const analystId = await staffUser(db, 'analyst', 'ministry_analyst');
const reviewerId = await staffUser(db, 'reviewer', 'ministry_analyst');
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
const browser = await launchBrowser();
const AS_OF = new Date().toISOString().slice(0, 10);

const draft = await rules.createDraft(db, {
  measureCode: 'VETERAN-EDV',
  effectiveFrom: '2020-01-01',
  definition: {
    conditions: [
      {
        id: 'old_enough',
        expr: 'person.age >= 60.0',
        pass: { ru: 'Возраст {{person.age|years}}', en: 'Age {{person.age|years}}' },
        fail: { ru: 'Младше 60', en: 'Under 60' },
      },
    ],
    amount: { expr: '900.0', explain: { ru: '900 ₽', en: '900 ₽' } },
  },
  tests: [{ name: 'old', as_of: '2025-01-01', facts: { person: { age: 60 } }, expect: { eligible: true } }],
  note: 'browser test',
  actorId: analystId,
});
await rules.propose(db, draft, analystId);
await rules.approve(db, draft, reviewerId);

async function signedIn(login: string, javaScriptEnabled = true): Promise<Page> {
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

describe('proactive pages in Chromium', () => {
  let sweepPath = '';

  test('the sweep page: errors, start, progress updated in place, reloaded when done', async () => {
    const page = await signedIn('analyst');
    await page.goto(`${baseUrl}/staff/sweeps`);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Начать проверку' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Выберите меру/);
    await assertAccessible(page);
    await page.selectOption('#measure', 'VETERAN-EDV');
    await page.check('#auto_assign');
    await page.getByRole('button', { name: 'Начать проверку' }).click();
    sweepPath = new URL(page.url()).pathname;
    assert.match(sweepPath, /^\/staff\/sweeps\/\d+$/);
    assert.match((await page.locator('[data-field="status"]').textContent()) ?? '', /в очереди/);
    await assertAccessible(page);

    // The worker runs the sweep; the script notices (no meta refresh with JavaScript on) and reloads.
    const sweepId = Number(sweepPath.split('/').pop());
    await db
      .updateTable('sweeps')
      .set({ status: 'running', total: 300, processed: 123 })
      .where('id', '=', sweepId)
      .execute();
    await page.waitForFunction(
      () => /123/.test(document.querySelector('[data-field="processed"]')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    assert.equal(
      await page.locator('[data-field="status"]').textContent(),
      'выполняется',
      'updated in place',
    );
    await assertAccessible(page);
    const reloaded = page.waitForEvent('load', { timeout: 10_000 });
    await runSweep(db, sweepId, undefined, { autoAssign: true });
    await reloaded;
    assert.equal(await page.locator('[data-field="status"]').textContent(), 'завершён');
    assert.doesNotMatch(await page.content(), /http-equiv="refresh"/);
    await assertAccessible(page);
  });

  test('without JavaScript a running sweep page refreshes itself', async () => {
    const [sweep] = await db
      .insertInto('sweeps')
      .values({
        measure_id: (
          await db
            .selectFrom('measures')
            .select('id')
            .where('code', '=', 'VETERAN-EDV')
            .executeTakeFirstOrThrow()
        ).id,
        as_of: AS_OF,
        started_by: analystId,
      })
      .returning('id')
      .execute();
    const page = await signedIn('analyst', false);
    await page.goto(`${baseUrl}/staff/sweeps/${sweep!.id}`);
    const navigated = page.waitForEvent('framenavigated', { timeout: 6000 });
    await navigated;
    assert.equal(new URL(page.url()).pathname, `/staff/sweeps/${sweep!.id}`);
  });

  test('the emergency flow, one question per page, to the dry run', async () => {
    const page = await signedIn('analyst');
    await page.goto(`${baseUrl}/staff/emergency`);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Создать экстренную меру' }).click();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Продолжить' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Выберите шаблон/);
    await assertAccessible(page);
    await page.check('#template-1');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    const fill = async (fields: Record<string, string>) => {
      for (const [name, value] of Object.entries(fields)) await page.fill(`#${name}`, value);
      await assertAccessible(page);
      await page.getByRole('button', { name: 'Продолжить' }).click();
    };
    await fill({ title_ru: 'Выплата одиноким пожилым', title_en: 'Payment to older people living alone' });
    await fill({ code: 'COVID-ELDERLY' });
    await fill({ amount: '2000' });
    await fill({ threshold: '65' });
    await fill({ effective_from: '2020-04-01' });
    await fill({ legal_basis_ru: 'Указ № 3', legal_basis_en: 'Decree No. 3' });
    assert.match((await page.locator('h1').textContent()) ?? '', /Проверьте данные меры/);
    await assertAccessible(page);
    await page.getByRole('link', { name: /Изменить Размер выплаты/ }).click();
    assert.equal(await page.inputValue('#amount'), '2000');
    await fill({ amount: '2500' });
    assert.match((await page.locator('main').textContent()) ?? '', /2\s500/);
    await page.getByRole('button', { name: 'Создать меру и черновик правила' }).click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Выплата одиноким пожилым/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    assert.match((await page.locator('main').textContent()) ?? '', /Получателей/);
    await assertAccessible(page);
  });

  test('the proposals page and a proposal, for a specialist', async () => {
    const analyst = await signedIn('analyst');
    await analyst.goto(`${baseUrl}/staff/sweeps`);
    await analyst.selectOption('#measure', 'VETERAN-EDV');
    await analyst.fill('#as_of', '2030-01-01');
    await analyst.getByRole('button', { name: 'Начать проверку' }).click();
    await runSweep(db, Number(new URL(analyst.url()).pathname.split('/').pop()));

    const page = await signedIn('spec.volgograd');
    await page.goto(`${baseUrl}/staff/proposals`);
    assert.match((await page.locator('h1').textContent()) ?? '', /Предложения/);
    await assertAccessible(page);
    await page.locator('main table a').first().click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Предложение о назначении/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Отказать в назначении' }).click();
    await page.getByRole('button', { name: 'Отказать' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Укажите причину/);
    await assertAccessible(page);
  });
});
