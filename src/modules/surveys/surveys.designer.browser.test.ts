// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// The designer in Chromium, with an axe scan on each page: a new questionnaire, a question with its
// choices, a broken condition shown in the error summary beside its field, the outline, publishing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';

const { baseUrl, db } = await startTestApp();
await staffUser(db, 'researcher', 'researcher');
const browser = await launchBrowser();

describe('the designer in Chromium', () => {
  test('build, correct and publish a questionnaire; every page accessible', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'researcher');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.goto(`${baseUrl}/staff/surveys`);
    await page.getByRole('link', { name: 'Создать анкету в конструкторе' }).click();
    await assertAccessible(page);
    await page.getByLabel('Название анкеты').fill('Выездные приёмы');
    await page.getByLabel('Идентификатор (form_id)').fill('field_visits');
    await page.getByRole('button', { name: 'Создать черновик' }).click();
    await page.getByText('В анкете пока нет вопросов.').waitFor();
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Добавить вопрос' }).click();
    await page.getByLabel('один вариант', { exact: true }).check();
    await page.getByLabel('Имя вопроса').fill('came');
    await page.getByLabel('Текст (Русский)').fill('Приезжал ли к вам выездной приём?');
    await page.getByLabel('Текст (English)').fill('Did a field visit come to you?');
    await page.getByLabel('Имя списка вариантов').fill('yes_no');
    await page.getByLabel('Варианты ответа').fill('yes | Да | Yes\nno | Нет | No');
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Изменение сохранено.').waitFor();

    await page.getByRole('link', { name: 'Добавить вопрос' }).click();
    await page.getByLabel('текст', { exact: true }).check();
    await page.getByLabel('Имя вопроса').fill('what_helped');
    await page.getByLabel('Текст (Русский)').fill('Чем помог приём?');
    await page.getByLabel('Текст (English)').fill('How did it help?');
    await page.getByLabel(/Когда задавать/).fill("${came} = 'yes' and");
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page
      .locator('.error-summary')
      .getByRole('link', { name: /Выражение не разбирается/ })
      .waitFor();
    await assertAccessible(page);
    await page.getByLabel(/Когда задавать/).fill("${came} = 'yes'");
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Изменение сохранено.').waitFor();
    assert.match(await page.locator('main table').innerText(), /came[\s\S]*what_helped/);
    await assertAccessible(page);

    await page.locator('form[action$="/publish"]').getByRole('button', { name: 'Опубликовать' }).click();
    await page.getByText('Опубликована версия 1.').waitFor();
    await context.close();
  });
});
