// Issue 8's whole path in Chromium, as the people involved do it, with an axe scan on the pages each
// of them sees: a researcher uploads an XLSForm, opens a wave for recipients and samples them; the
// invitation reaches a resident, who answers on the portal; a specialist interviews a resident by
// phone in interviewer mode; the researcher records and codes two expert interviews; and reads the
// results with their charts, a crosstab and the qualitative analysis.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { ensureDemoRecipients } from '../../demo/demo.recipients.ts';
import { demoForm } from '../../demo/demo.surveys.ts';
import { regionToday } from '../../platform/time.ts';
import { checkDraft } from './surveys.designer.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 400);
await ensureDemoRecipients(db);
await staffUser(db, 'researcher', 'researcher');
await staffUser(db, 'spec', 'specialist', ['volgograd']);
const browser = await launchBrowser();
const TODAY = regionToday();
const inDays = (days: number) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const { xlsx } = await checkDraft(await demoForm(TODAY));

async function signedIn(login: string): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', login);
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff');
  return page;
}

/** The demo questionnaire's three pages and the check page, as a respondent or interviewer fills them. */
async function answerPages(page: Page, a: { channel: string; satisfaction: string; polite: string }) {
  await page.getByRole('group', { name: 'Как вы подавали заявление?' }).getByLabel(a.channel).check();
  await page
    .getByRole('group', { name: /Насколько вы удовлетворены/ })
    .getByLabel(a.satisfaction, { exact: true })
    .check();
  await page.getByLabel('Сколько дней вы ждали решения?').fill('6');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('heading', { name: 'Работа специалистов' }).waitFor();
  await page.getByLabel(`Со мной говорили вежливо — ${a.polite}`, { exact: true }).check();
  await page
    .getByLabel('Мне понятно объяснили, что нужно сделать — Скорее согласен', { exact: true })
    .check();
  await page.getByLabel('Меня приняли без долгого ожидания — Трудно сказать', { exact: true }).check();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('heading', { name: 'Интернет и электронные услуги' }).waitFor();
  await page.getByRole('group', { name: 'Пользуетесь ли вы интернетом?' }).getByLabel('Да').check();
  await page.getByLabel('Смартфон').check();
  await page
    .getByRole('group', { name: /Готовы ли вы в следующий раз/ })
    .getByLabel('Скорее согласен', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await page.getByRole('heading', { name: 'Проверьте ответы' }).waitFor();
  assert.match(await page.locator('main').innerText(), new RegExp(a.channel));
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Отправить' }).click();
  await page.getByRole('heading', { name: /Спасибо, ответы отправлены|Интервью сохранено/ }).waitFor();
}

describe('a survey from questionnaire to analysis, in Chromium', () => {
  let researcher: Page;
  let waveUrl = '';

  test('the researcher uploads the XLSForm, opens a wave for recipients and samples them', async () => {
    researcher = await signedIn('researcher');
    await researcher.goto(`${baseUrl}/staff/surveys`);
    await researcher.setInputFiles('#file', {
      name: 'recipients.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: xlsx,
    });
    await researcher.getByRole('button', { name: 'Загрузить' }).click();
    await researcher.getByRole('heading', { name: 'Удовлетворённость получателей мер поддержки' }).waitFor();
    await researcher.getByRole('link', { name: 'Создать волну' }).click();
    await researcher.getByLabel('Название волны').fill('Получатели, ноябрь');
    await researcher.getByLabel('Опрос получателей').check();
    await researcher.getByLabel('Дата окончания').fill(inDays(30));
    await researcher.getByLabel(/Насколько вы удовлетворены/).check();
    await researcher.getByRole('button', { name: 'Создать волну' }).click();
    await researcher.getByRole('heading', { name: 'Получатели, ноябрь' }).waitFor();
    await researcher.getByRole('img', { name: /QR-код ссылки/ }).waitFor();
    await assertAccessible(researcher);
    waveUrl = researcher.url();

    await researcher.getByRole('link', { name: 'Выборка и приглашения' }).click();
    await researcher.fill('#size', '40');
    await researcher.getByLabel('Возрастная группа').check();
    await researcher.fill('#seed', '11');
    await researcher.getByRole('button', { name: 'Посмотреть распределение' }).click();
    assert.match(await researcher.locator('h1').innerText(), /Проверьте выборку/);
    await researcher.getByRole('button', { name: 'Выбрать и пригласить' }).click();
    assert.match(await researcher.locator('.panel').innerText(), /Выбрано и приглашено 40 получателей/);
    await assertAccessible(researcher);
  });

  test('an invited resident follows the link from the message and answers on the portal', async () => {
    // What the resident received (SMS or e-mail): the message's link.
    const message = await db
      .selectFrom('notification_messages')
      .select('params')
      .where('event', '=', 'survey_invitation')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const link = new URL(String(message.params.link));
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    // The invitation opens the first page directly: the resident is known by the link.
    await page.goto(`${baseUrl}${link.pathname}`);
    await page.getByRole('heading', { name: 'О полученной услуге' }).waitFor();
    await assertAccessible(page);
    await answerPages(page, {
      channel: 'Через портал',
      satisfaction: 'Полностью удовлетворён',
      polite: 'Полностью согласен',
    });
    await context.close();
  });

  test('a specialist interviews a resident of the district by phone, in interviewer mode', async () => {
    const person = await db
      .selectFrom('persons')
      .innerJoin('districts', 'districts.id', 'persons.district_id')
      .select(['persons.snils'])
      .where('districts.code', '=', 'volgograd')
      .where('persons.birth_date', '<', '1960-01-01')
      .orderBy('persons.id')
      .executeTakeFirstOrThrow();
    const spec = await signedIn('spec');
    await spec.getByRole('link', { name: /Опрос по телефону или лично/ }).click();
    await assertAccessible(spec);
    await spec.getByRole('link', { name: 'Получатели, ноябрь' }).click();
    await spec.getByLabel('СНИЛС жителя').fill(person.snils);
    await spec.getByRole('button', { name: 'Найти и начать интервью' }).click();
    await spec.getByRole('heading', { name: 'О полученной услуге' }).waitFor();
    await assertAccessible(spec);
    await answerPages(spec, {
      channel: 'В центре социальной защиты',
      satisfaction: 'Трудно сказать',
      polite: 'Скорее согласен',
    });
  });

  test('the researcher records two expert interviews and codes them', async () => {
    await researcher.goto(`${baseUrl}/staff/surveys/code-books`);
    await researcher.getByRole('link', { name: 'Новая кодовая книга' }).click();
    await researcher.fill('#title', 'Барьеры');
    await researcher.fill('#codes', 'Навыки — нет цифровых навыков\nСвязь — нет интернета');
    await researcher.getByRole('button', { name: 'Создать кодовую книгу' }).click();
    const interviews = [
      {
        title: 'Руководитель центра',
        group: 'руководители',
        text: 'И: Что мешает?\nР: В сёлах нет интернета, пожилые не умеют пользоваться порталом.',
      },
      {
        title: 'Специалист',
        group: 'специалисты',
        text: 'И: Что мешает?\nР: Заявители не умеют пользоваться порталом.',
      },
    ];
    for (const iv of interviews) {
      await researcher.goto(`${baseUrl}/staff/surveys/interviews`);
      await researcher.getByRole('link', { name: 'Записать интервью' }).click();
      await researcher.fill('#title', iv.title);
      await researcher.selectOption('#code_book', { label: 'Барьеры' });
      await researcher.fill('#expert_role', iv.title);
      await researcher.fill('#expert_group', iv.group);
      await researcher.fill('#interviewed_on', inDays(-3));
      await researcher.fill('#interviewer', 'Соколов');
      await researcher.fill('#transcript', iv.text);
      await researcher.getByRole('button', { name: 'Сохранить интервью' }).click();
      const url = researcher.url();
      await researcher.goto(`${url}/code`);
      await researcher.getByRole('link', { name: 'Кодировать абзац 2' }).click();
      await researcher.getByLabel('Навыки', { exact: true }).check();
      if (iv.group === 'руководители') await researcher.getByLabel('Связь', { exact: true }).check();
      await researcher.getByRole('button', { name: 'Сохранить код' }).click();
      assert.equal(await researcher.locator('main mark').count(), 1);
    }
    await researcher.goto(`${baseUrl}/staff/surveys/interviews/analysis`);
    const frequencies = await researcher.locator('main').innerText();
    assert.match(frequencies, /Навыки[\s\S]*2/);
    await assertAccessible(researcher);
  });

  test('the researcher reads the results with charts, and a crosstab', async () => {
    await researcher.goto(waveUrl);
    await researcher.getByRole('link', { name: 'Результаты' }).click();
    assert.match(await researcher.locator('#counts').innerText(), /Заполненных анкет: 2/);
    await researcher.getByRole('img', { name: /Как вы подавали заявление\?/ }).waitFor();
    assert.ok((await researcher.locator('main svg').count()) >= 3, 'a chart per question');
    await assertAccessible(researcher);
    await researcher.getByRole('link', { name: 'Таблица сопряжённости' }).click();
    await researcher.selectOption('#row', 'satisfaction');
    await researcher.selectOption('#col', 'channel_used');
    await researcher.getByRole('button', { name: 'Построить таблицу' }).click();
    assert.match(await researcher.locator('#chi-square').innerText(), /χ²/);
    await assertAccessible(researcher);
  });
});
