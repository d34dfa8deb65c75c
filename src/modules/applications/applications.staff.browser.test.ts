// The staff workspace in Chromium with an axe scan on every page: a specialist signs in, registers an
// application at the counter step by step, uploads a scan and reaches a decision; the district head
// opens the appeals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { SMALL_PDF } from '../../../test/support/documents.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { assignmentsForPerson } from '../registry/assignments.service.ts';
import { importRules } from '../rules/rules.service.ts';
import { act, fileAppeal, registerAtCounter } from './applications.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 300);
await importRules(db);
const specId = await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']);
const browser = await launchBrowser();
const VALENTINA = '11223344595';

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

const path = (page: Page) => new URL(page.url()).pathname;

describe('the staff workspace in Chromium', () => {
  test('a specialist registers an application at the counter, uploads a scan and approves it', async () => {
    const page = await signedIn('spec.volgograd');
    await page.getByRole('link', { name: 'Зарегистрировать заявление' }).click();
    assert.equal(path(page), '/staff/applications/new');
    await assertAccessible(page);

    // A mistyped SNILS: the error summary names it, the field says why.
    await page.fill('#snils', '112-233-445 90');
    await page
      .locator('form', { has: page.locator('#snils') })
      .getByRole('button', { name: 'Найти' })
      .click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /контрольное число/);
    await assertAccessible(page);

    // Found by name and date of birth instead.
    await page.fill('#last_name', 'Смирнова');
    await page.fill('#first_name', 'Валентина');
    await page.fill('#birth_date', '1957-04-12');
    await page
      .locator('form', { has: page.locator('#last_name') })
      .getByRole('button', { name: 'Найти' })
      .click();
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Смирнова Валентина Петровна' }).click();
    assert.match(path(page), /^\/staff\/applications\/new\/\d+$/);
    const personId = Number(path(page).split('/').pop());
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Продолжить' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Выберите меру поддержки/);
    await assertAccessible(page);
    await page.selectOption('#measure', 'VETERAN-EDV');
    await page.getByLabel('МФЦ').check();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    assert.match(path(page), /\/details$/);
    await assertAccessible(page);

    await page.fill('#phone', '+7 902 123-45-67');
    await page.getByRole('button', { name: 'Зарегистрировать заявление' }).click();
    assert.match(
      (await page.locator('.error-summary').textContent()) ?? '',
      /Выберите, куда перечислять выплату/,
    );
    await assertAccessible(page);
    await page.getByLabel('через почтовое отделение').check();
    await page.getByRole('button', { name: 'Зарегистрировать заявление' }).click();
    assert.match(path(page), /^\/staff\/applications\/\d+$/);
    assert.match((await page.locator('h1').textContent()) ?? '', /Заявление № \d{4}-\d{6}/);
    await assertAccessible(page);
    const casePath = path(page);
    const number = (await page.locator('h1').textContent())!.replace(/^.*№ /, '');

    // The new case is in the queue, assigned to the specialist who registered it.
    await page.goto(`${baseUrl}/staff/applications?assignee=mine`);
    assert.equal(await page.getByRole('link', { name: number }).count(), 1);
    await assertAccessible(page);
    await page.getByRole('link', { name: number }).click();
    assert.equal(path(page), casePath);

    // The scanned passport.
    await page
      .getByLabel('Какой это документ')
      .selectOption({ label: 'Паспорт гражданина Российской Федерации' });
    await page.setInputFiles('#upload-file', {
      name: 'паспорт.pdf',
      mimeType: 'application/pdf',
      buffer: SMALL_PDF,
    });
    await page.getByRole('button', { name: 'Добавить документ' }).click();
    assert.equal(await page.getByRole('link', { name: 'паспорт.pdf' }).count(), 1);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Начать рассмотрение' }).click();
    assert.match((await page.locator('main').textContent()) ?? '', /на рассмотрении/);
    await page.getByRole('button', { name: 'Назначить меру' }).click();
    assert.match((await page.locator('main p .tag').first().textContent()) ?? '', /назначено/);
    assert.equal(await page.getByRole('link', { name: 'Письмо с решением (PDF)' }).count(), 1);
    await assertAccessible(page);
    const assignments = await assignmentsForPerson(db, personId);
    assert.ok(assignments.some((a) => a.measure_code === 'VETERAN-EDV'));

    await page.goto(`${baseUrl}/staff/applications/new/person`);
    await page.getByRole('button', { name: 'Добавить и продолжить' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Введите СНИЛС/);
    await assertAccessible(page);
  });

  test('the district head opens the appeals and the appeal against a refusal', async () => {
    const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
    const specialist: StaffActor = {
      kind: 'staff',
      userId: specId,
      login: 'spec.volgograd',
      fullName: 'Test spec.volgograd',
      role: 'specialist',
      districtIds: [volgograd!],
      sessionId: 't',
    };
    const person = await db
      .selectFrom('persons')
      .select('id')
      .where('district_id', '=', volgograd!)
      .where('snils', '!=', VALENTINA)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const ctx = { ip: '127.0.0.1' };
    const appealId = await db.transaction().execute(async (trx) => {
      const id = await registerAtCounter(
        trx,
        specialist,
        {
          personId: person.id,
          measureCode: 'VETERAN-EDV',
          channel: 'post',
          answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
          emergency: false,
          idempotencyKey: 'browser-appeal-1',
        },
        ctx,
      );
      const app = await act(
        trx,
        specialist,
        id,
        1,
        'refuse',
        { ground: 'not_eligible', note: 'Нет звания' },
        ctx,
      );
      return await fileAppeal(
        trx,
        { kind: 'staff', actor: specialist },
        app.id,
        { grounds: 'Звание есть', idempotencyKey: 'browser-appeal-key', channel: 'post' },
        ctx,
      );
    });
    const page = await signedIn('head.volgograd');
    await page.getByRole('link', { name: 'Жалобы на отказы' }).click();
    assert.equal(path(page), '/staff/appeals');
    await assertAccessible(page);
    await page.locator(`a[href="/staff/appeals/${appealId}"]`).click();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Принять решение' }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Выберите решение по жалобе/);
    await assertAccessible(page);
    await page.getByLabel('Оставить без удовлетворения').check();
    await page.fill('#note', 'Звание не подтверждено');
    await page.getByRole('button', { name: 'Принять решение' }).click();
    assert.match((await page.locator('main').textContent()) ?? '', /оставлена без удовлетворения/);
    await assertAccessible(page);
  });
});
