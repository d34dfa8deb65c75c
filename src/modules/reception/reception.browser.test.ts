// Personal reception in Chromium with an axe scan on every page: a resident books an appointment step
// by step, gets the confirmation, moves it to a time today and attends: staff check them in, call them
// to a desk (the hall's queue screen shows the ticket) and mark them served.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { accessibilityProblems, assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { ESIA_PASSWORD, startAppWithEsia } from '../../../test/support/resident.ts';
import { minutesToRegionMidnight, regionToday } from '../../platform/time.ts';
import { districtIdsByCodes, listOffices } from '../geography/geography.service.ts';
import * as svc from './reception.service.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 200);
const { baseUrl, issuer } = await startAppWithEsia(database);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']);
const browser = await launchBrowser();

const [VOLGOGRAD] = await districtIdsByCodes(db, ['volgograd']);
const OFFICE = (await listOffices(db, { districtIds: [VOLGOGRAD!] })).find(
  (o) => o.kind === 'social_protection_centre',
)!;
await svc.openSlots(db, { officeId: OFFICE.id });
const resident = await db
  .selectFrom('persons')
  .select(['id', 'snils', 'last_name'])
  .where('district_id', '=', VOLGOGRAD!)
  .where(sql<boolean>`cardinality(categories) = 0`)
  .where('disability_group', 'is', null)
  .orderBy('id')
  .executeTakeFirstOrThrow();

const other = await db
  .selectFrom('persons')
  .select(['id', 'snils'])
  .where('district_id', '=', VOLGOGRAD!)
  .where('id', '<>', resident.id)
  .orderBy('id')
  .executeTakeFirstOrThrow();

/** A slot a few minutes from now at the office's first desk, so the resident can attend today. */
async function slotToday(): Promise<void> {
  const desk = await db
    .selectFrom('reception_desks')
    .select('id')
    .where('office_id', '=', OFFICE.id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const start = Math.ceil(Date.now() / 60_000) * 60_000 + 3 * 60_000 + 7_000;
  await db
    .insertInto('slots')
    .values({
      office_id: OFFICE.id,
      desk_id: desk.id,
      starts_at: new Date(start),
      ends_at: new Date(start + 15 * 60_000),
    })
    .execute();
}

const path = (page: Page) => new URL(page.url()).pathname;
const main = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const button = (page: Page, name: string | RegExp) =>
  page.getByRole('button', { name, exact: typeof name === 'string' });

async function newPage(): Promise<Page> {
  // CSP is bypassed only so that axe can be injected; the pages carry no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
  return await context.newPage();
}

describe('personal reception in Chromium', () => {
  test('a resident books, moves and attends an appointment; staff check in, call and serve', async (t) => {
    if (minutesToRegionMidnight() < 15)
      return t.skip('too close to midnight in Volgograd for a slot later today');
    const page = await newPage();
    await page.goto(`${baseUrl}/me/appointments`);
    // Signing in through the ESIA simulator returns to the appointments.
    await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
    assert.ok(page.url().startsWith(issuer));
    await page.fill('#snils', resident.snils);
    await page.fill('#password', ESIA_PASSWORD);
    await page.getByRole('button', { name: /^Войти/ }).click();
    assert.equal(path(page), '/me/appointments');
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Записаться на приём' }).click();
    assert.equal(path(page), '/me/appointments/new');
    await assertAccessible(page);
    await button(page, 'Продолжить').click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Выберите меру поддержки/);
    await assertAccessible(page);
    await page.getByLabel('Ежемесячная денежная выплата ветеранам труда').check();
    await button(page, 'Продолжить').click();

    assert.equal(path(page), '/me/appointments/new/office');
    await assertAccessible(page);
    await page.getByLabel(OFFICE.name_ru).check();
    await button(page, 'Продолжить').click();

    assert.equal(path(page), '/me/appointments/new/day');
    await assertAccessible(page);
    await page.locator('input[name="day"]').last().check();
    await button(page, 'Продолжить').click();

    assert.equal(path(page), '/me/appointments/new/time');
    await assertAccessible(page);
    await page.locator('input[name="slot"]').first().check();
    await button(page, 'Продолжить').click();

    assert.equal(path(page), '/me/appointments/new/check');
    assert.match(await main(page), /Проверьте запись/);
    await assertAccessible(page);
    await button(page, 'Записаться').click();

    assert.match(path(page), /^\/me\/appointments\/\d+$/);
    const appointmentUrl = path(page);
    assert.match(await main(page), /Вы записаны на приём/);
    await assertAccessible(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Добавить в календарь (файл .ics)' }).click();
    assert.match((await download).suggestedFilename(), /^appointment-\d+\.ics$/);

    // The cancel page, then "keep it".
    await page.getByRole('link', { name: 'Отменить запись' }).click();
    assert.match(await main(page), /Отменить запись\?/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Не отменять' }).click();
    assert.equal(path(page), appointmentUrl);

    // Move it to a time today.
    await slotToday();
    await page.getByRole('link', { name: 'Перенести на другое время' }).click();
    await assertAccessible(page);
    await page.locator(`input[name="day"][value="${regionToday()}"]`).check();
    await button(page, 'Продолжить').click();
    assert.match(path(page), /\/move\/time$/);
    await assertAccessible(page);
    await page.locator('input[name="slot"]').first().check();
    await button(page, 'Перенести запись').click();
    assert.equal(path(page), appointmentUrl);
    assert.match(await main(page), /Запись перенесена/);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Мои записи на приём' }).click();
    assert.match(await main(page), /Предстоящие/);
    await assertAccessible(page);

    // The reception day at the office.
    const staff = await newPage();
    await staff.goto(`${baseUrl}/staff/sign-in`);
    await staff.fill('#login', 'spec.volgograd');
    await staff.fill('#password', PASSWORD);
    await staff.getByRole('button', { name: 'Войти' }).click();
    await staff.goto(`${baseUrl}/staff/reception`);
    await assertAccessible(staff);
    await staff.goto(`${baseUrl}/staff/reception/offices/${OFFICE.id}/day?date=${regionToday()}`);
    assert.match(await main(staff), new RegExp(resident.last_name));
    await assertAccessible(staff);
    await button(staff, new RegExp(`^Пришёл ${resident.last_name}`)).click();
    assert.match(await main(staff), /Номер талона: A-001/);
    await assertAccessible(staff);
    await button(staff, 'Вызвать следующего — Окно 1').click();
    assert.match(await main(staff), /Вызван талон A-001 — Окно 1/);

    // The hall's screen, without signing in.
    const hall = await newPage();
    await hall.goto(`${baseUrl}/offices/${OFFICE.id}/queue`);
    const screen = (await hall.locator('main').textContent()) ?? '';
    assert.match(screen, /A-001/);
    assert.ok(!screen.includes(resident.last_name), 'no names on the hall screen');
    // The refreshing screen's only finding is its refresh: the point of a wall display (WCAG 2.2.1's
    // real-time exception); the link that turns it off gives a page that passes every rule.
    assert.deepEqual(
      (await accessibilityProblems(hall)).map((p) => p.id),
      ['meta-refresh'],
    );
    await hall.getByRole('link', { name: 'Остановить автообновление' }).click();
    assert.match((await hall.locator('main').textContent()) ?? '', /A-001/);
    await assertAccessible(hall);

    await button(staff, new RegExp(`^Принят ${resident.last_name}`)).click();
    assert.match(await main(staff), /Приём завершён/);
    assert.ok(
      await staff
        .getByRole('link', { name: new RegExp(`^Зарегистрировать заявление ${resident.last_name}`) })
        .count(),
    );
    await assertAccessible(staff);

    // The resident sees it served.
    await page.goto(`${baseUrl}${appointmentUrl}`);
    assert.match(await main(page), /принят/);
    await assertAccessible(page);

    // The schedule page for the district head, and field visits.
    const head = await newPage();
    await head.goto(`${baseUrl}/staff/sign-in`);
    await head.fill('#login', 'head.volgograd');
    await head.fill('#password', PASSWORD);
    await head.getByRole('button', { name: 'Войти' }).click();
    await head.goto(`${baseUrl}/staff/reception/offices/${OFFICE.id}/schedule`);
    await assertAccessible(head);
    await head.goto(`${baseUrl}/staff/reception/visits/new`);
    await assertAccessible(head);
    await head.fill('#visit_on', '2099-05-05');
    await head.locator('input[name="settlements"]').first().check();
    await head.fill('#route', 'Маршрут: центр — сёла');
    await button(head, 'Запланировать').click();
    assert.match(path(head), /^\/staff\/reception\/visits\/\d+$/);
    await assertAccessible(head);
    await head.goto(`${baseUrl}/staff/reception/visits`);
    await assertAccessible(head);
    // Booking on a resident's behalf, by phone.
    await head.goto(`${baseUrl}/staff/reception/book`);
    await assertAccessible(head);
    await head.fill('#snils', other.snils);
    await head
      .locator('form', { has: head.locator('#snils') })
      .getByRole('button', { name: 'Найти' })
      .click();
    assert.equal(path(head), `/staff/reception/book/${other.id}`);
    await assertAccessible(head);
    await head.getByLabel('Ежемесячная денежная выплата ветеранам труда').check();
    await button(head, 'Продолжить').click();
    await assertAccessible(head);
    await head.getByLabel(OFFICE.name_ru).check();
    await button(head, 'Продолжить').click();
    await assertAccessible(head);
    await head.locator('input[name="day"]').first().check();
    await button(head, 'Продолжить').click();
    await assertAccessible(head);
    await head.locator('input[name="slot"]').first().check();
    await button(head, 'Продолжить').click();
    await assertAccessible(head);
    await button(head, 'Записаться').click();
    assert.match((await head.locator('.error-summary').textContent()) ?? '', /по телефону или в офисе/);
    await assertAccessible(head);
    await head.getByLabel('по телефону').check();
    await button(head, 'Записаться').click();
    assert.match(await main(head), /Заявитель записан на приём/);
    await assertAccessible(head);
  });
});
