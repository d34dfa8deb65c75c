// Expert interviews in Chromium with an axe scan on every page: a researcher creates a code book,
// records two interviews, codes them (selecting text fills the excerpt), a second coder codes the
// same interviews without seeing the first's codes, and the analysis shows code frequencies per
// interview and expert group, the co-occurrence matrix and Cohen's kappa for the two coders.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';

const { baseUrl, db } = await startTestApp();
await staffUser(db, 'anna', 'researcher');
await staffUser(db, 'boris', 'researcher');
const browser = await launchBrowser();

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

const INTERVIEWS = [
  {
    title: 'Интервью 1, руководитель центра',
    group: 'руководители центров',
    transcript: [
      'И: Как жители узнают о мерах поддержки?',
      'Р: Чаще всего от соседей, а портал открывают единицы.',
      'И: Что мешает пожилым?',
      'Р: Им нужен живой звонок, очереди их пугают.',
    ].join('\n'),
  },
  {
    title: 'Интервью 2, специалист',
    group: 'специалисты',
    transcript: [
      'И: Откуда приходят заявители?',
      'Р: По совету соседей и после звонка из центра.',
      'И: А портал?',
      'Р: Портал удобен молодым, пожилым нужен звонок.',
    ].join('\n'),
  },
];

/** Codes one paragraph: selects `excerpt` in it (the page's script fills the field), ticks the codes. */
async function code(page: Page, interviewUrl: string, paragraph: number, codes: string[], excerpt?: string) {
  await page.goto(`${interviewUrl}/code`);
  await page.getByRole('link', { name: `Кодировать абзац ${paragraph}` }).click();
  if (excerpt) {
    // The enhancement is a deferred script: it has run once the document is parsed.
    await page.waitForLoadState('domcontentloaded');
    await page.evaluate((wanted) => {
      const quote = document.querySelector('[data-paragraph]')!;
      const node = quote.firstChild!;
      const at = node.textContent!.indexOf(wanted);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      quote.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }, excerpt);
    assert.equal(await page.inputValue('#excerpt'), excerpt, 'the selection fills the excerpt');
  }
  for (const name of codes) await page.getByLabel(name, { exact: true }).check();
  await assertAccessible(page);
  await page.getByRole('button', { name: 'Сохранить код' }).click();
  assert.equal(new URL(page.url()).pathname, `${new URL(interviewUrl).pathname}/code`);
}

describe('expert interviews in Chromium', () => {
  test('a code book, two interviews, two coders, the analysis with frequencies and kappa', async () => {
    const anna = await signedIn('anna');
    await anna.goto(`${baseUrl}/staff/surveys`);
    await anna.getByRole('link', { name: 'Кодовые книги' }).click();
    await assertAccessible(anna);
    await anna.getByRole('link', { name: 'Новая кодовая книга' }).click();
    await anna.fill('#title', 'Информирование жителей');
    await anna.fill(
      '#codes',
      'Соседи — узнают от соседей\nПортал — сайт госуслуг\nЗвонок — телефонный звонок',
    );
    await anna.getByRole('button', { name: 'Создать кодовую книгу' }).click();
    assert.match(await anna.locator('h1').innerText(), /Информирование жителей/);
    assert.match(await anna.locator('main table').innerText(), /Звонок\s+телефонный звонок/);
    await assertAccessible(anna);

    const urls: string[] = [];
    for (const iv of INTERVIEWS) {
      await anna.goto(`${baseUrl}/staff/surveys/interviews`);
      await anna.getByRole('link', { name: 'Записать интервью' }).click();
      await anna.fill('#title', iv.title);
      await anna.selectOption('#code_book', { label: 'Информирование жителей' });
      await anna.fill(
        '#expert_role',
        iv.group === 'специалисты' ? 'специалист по соцподдержке' : 'руководитель центра',
      );
      await anna.fill('#expert_group', iv.group);
      await anna.fill('#interviewed_on', '2026-11-12');
      await anna.fill('#interviewer', 'Иванова');
      await anna.fill('#transcript', iv.transcript);
      await assertAccessible(anna);
      await anna.getByRole('button', { name: 'Сохранить интервью' }).click();
      assert.match(new URL(anna.url()).pathname, /^\/staff\/surveys\/interviews\/\d+$/);
      assert.equal(await anna.locator('ol.transcript > li').count(), 4);
      await assertAccessible(anna);
      urls.push(anna.url());
    }

    // Anna: interview 1 — "от соседей" (selected) as Соседи, paragraph 4 Звонок; interview 2 — 2 Соседи and Звонок, 4 Портал and Звонок.
    await code(anna, urls[0]!, 2, ['Соседи'], 'от соседей');
    await code(anna, urls[0]!, 4, ['Звонок']);
    await code(anna, urls[1]!, 2, ['Соседи', 'Звонок']);
    await code(anna, urls[1]!, 4, ['Портал', 'Звонок']);
    await anna.goto(`${urls[0]}/code`);
    assert.equal(await anna.locator('main mark').first().innerText(), 'от соседей');
    await assertAccessible(anna);

    // Boris codes independently: Anna's codes are not on his page.
    const boris = await signedIn('boris');
    await boris.goto(`${urls[0]}/code`);
    assert.equal(await boris.locator('main mark').count(), 0);
    assert.match(await boris.locator('main').innerText(), /У вас 0 кодов/);
    await assertAccessible(boris);
    await code(boris, urls[0]!, 2, ['Соседи', 'Портал']);
    await code(boris, urls[0]!, 4, ['Звонок']);
    await code(boris, urls[1]!, 2, ['Соседи']);
    await code(boris, urls[1]!, 4, ['Портал']);

    await boris.getByRole('link', { name: 'Сравнить кодировщиков' }).click();
    assert.match(await boris.locator('main').innerText(), /Test anna\s+Test boris/);
    await assertAccessible(boris);

    await anna.goto(`${baseUrl}/staff/surveys/interviews`);
    await anna.getByRole('link', { name: 'Качественный анализ интервью' }).click();
    await assertAccessible(anna);
    // Each code: excerpts, interviews, then per group (руководители центров, специалисты) "excerpts / interviews".
    const rows = async (selector: string) =>
      (await anna.locator(`${selector} tbody tr`).allInnerTexts()).map((r) =>
        r.split('\t').map((c) => c.trim()),
      );
    assert.deepEqual(await rows('#frequencies'), [
      ['Звонок', '3', '2', '1 / 1', '2 / 1'],
      ['Портал', '2', '2', '1 / 1', '1 / 1'],
      ['Соседи', '3', '2', '2 / 1', '1 / 1'],
    ]);
    assert.deepEqual(await rows('#by-interview'), [
      ['Интервью 1, руководитель центра', 'руководители центров', '1', '1', '2'],
      ['Интервью 2, специалист', 'специалисты', '2', '1', '1'],
    ]);
    // Units: 8 paragraphs. Звонок: A on 1/4, 2/2, 2/4; B on 1/4 → p_o 6/8, p_e (3·1 + 5·7)/64 = 38/64,
    // kappa = (48 − 38)/(64 − 38) = 0.38. Портал: A 2/4; B 1/2, 2/4 → p_o 7/8, p_e (1·2 + 7·6)/64 = 44/64,
    // kappa = 12/20 = 0.60. Соседи: A 1/2, 2/2; B 1/2, 2/2 → 1.00. Pooled (24 decisions, A 6 yes, B 5
    // yes): p_o 21/24, p_e (6·5 + 18·19)/576 = 372/576, kappa = (504 − 372)/(576 − 372) = 0.65.
    const kappa = await rows('table.agreement');
    assert.deepEqual(
      kappa.map((r) => [r[0], r[1], r[4]]),
      [
        ['Звонок', '0,38', 'слабое'],
        ['Портал', '0,60', 'умеренное'],
        ['Соседи', '1,00', 'почти полное'],
        ['Все коды', '0,65', 'существенное'],
      ],
    );
    assert.match(
      await anna.locator('table.agreement caption').innerText(),
      /Test anna — Test boris: 2 общих интервью, абзацев: 8/,
    );
    assert.match(
      await anna.locator('main').innerText(),
      /«от соседей»\s+— Интервью 1, руководитель центра, абзац 2, Test anna/,
    );

    // Filtered by expert group.
    await anna.selectOption('#group', 'специалисты');
    await anna.getByRole('button', { name: 'Показать' }).click();
    assert.deepEqual(await rows('#by-interview'), [['Интервью 2, специалист', 'специалисты', '2', '1', '1']]);
    await assertAccessible(anna);
  });
});
