// Duplicate review in Chromium: a specialist opens the list from the workspace, compares a pair,
// forgets to choose (error summary), keeps one record, checks and merges, then undoes the merge —
// every page scanned by axe.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { runDedup } from './dedup.detect.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 200);
await staffUser(db, 'dedup.browser', 'specialist', ['volgograd']);
const volgograd = await db
  .selectFrom('districts')
  .select('id')
  .where('code', '=', 'volgograd')
  .executeTakeFirstOrThrow();
const plant = async (nine: string, last: string) =>
  (
    await db
      .insertInto('persons')
      .values({
        snils: nine + snilsChecksum(nine),
        last_name: last,
        first_name: 'Тамара',
        patronymic: 'Ивановна',
        birth_date: '1949-12-01',
        sex: 'F',
        district_id: volgograd.id,
        address: 'Волгоград, ул. Пархоменко, д. 11, кв. 4',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const kept = await plant('976000111', 'Белоусова');
const duplicate = await plant('976000222', 'Белоусва');

await db
  .insertInto('inbox_messages')
  .values({ person_id: duplicate, subject_ru: 'Тема', subject_en: 'Subject', body_ru: 'Т', body_en: 'T' })
  .execute();

await runDedup(db, database.url);
const browser = await launchBrowser();

describe('duplicate review in Chromium', () => {
  test('a specialist reviews a pair, merges it, then undoes the merge', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'dedup.browser');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Возможные дубликаты в реестре' }).click();
    await page.getByRole('heading', { name: 'Возможные дубликаты в реестре' }).waitFor();
    await assertAccessible(page);

    await page
      .getByRole('row', { name: /Белоусва/ })
      .getByRole('link', { name: /Сравнить/ })
      .click();
    await page.getByRole('heading', { name: 'Это один и тот же человек?' }).waitFor();
    assert.ok(await page.getByText('опечатка в имени').first().isVisible(), 'the reasons are shown');
    await assertAccessible(page);

    // Continue without choosing: the error summary links to the question.
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await page.getByRole('link', { name: 'Выберите, какую запись оставить' }).waitFor();
    await assertAccessible(page);

    await page.getByLabel(/Белоусова Тамара Ивановна/).check();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await page.getByRole('heading', { name: 'Проверьте перед объединением' }).waitFor();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Объединить записи' }).click();
    await page.getByText('Записи объединены.').waitFor();
    await assertAccessible(page);
    assert.equal(
      await db.selectFrom('persons').select('id').where('id', '=', duplicate).executeTakeFirst(),
      undefined,
    );
    const moved = await db
      .selectFrom('inbox_messages')
      .select('person_id')
      .where('subject_ru', '=', 'Тема')
      .execute();
    assert.deepEqual(
      moved.map((m) => m.person_id),
      [kept],
    );

    await page.getByRole('link', { name: 'Объединённые записи' }).click();
    await page.getByRole('heading', { name: 'Объединённые записи' }).waitFor();
    await assertAccessible(page);
    await page
      .getByRole('link', { name: /Отменить объединение/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Отменить объединение?' }).waitFor();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Отменить объединение' }).click();
    await page.getByText('Объединение отменено, пара снова ждёт проверки.').waitFor();
    await assertAccessible(page);

    const back = await db
      .selectFrom('persons')
      .select(['id', 'last_name'])
      .where('id', '=', duplicate)
      .executeTakeFirst();
    assert.deepEqual(back, { id: duplicate, last_name: 'Белоусва' });
    const returned = await db
      .selectFrom('inbox_messages')
      .select('person_id')
      .where('subject_ru', '=', 'Тема')
      .execute();
    assert.deepEqual(
      returned.map((m) => m.person_id),
      [duplicate],
    );
    await context.close();
  });
});
