// Expert interviews over HTTP: only survey designers get in; guides and code books are created from
// typed text and refused with clear messages; an interview is recorded from a long pasted transcript
// or a Windows-1251 .txt (anything else refused); two coders code it without seeing each other's
// codes, then compare; the analysis shows frequencies and kappa, and the codings download as CSV.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';

const { baseUrl, db, database } = await startTestApp();
// A small region: districts for the specialist and the interview's district list.
await seedSmallRegion(database, 20);
const [district] = await db.selectFrom('districts').select('code').limit(1).execute();
await staffUser(db, 'anna', 'researcher');
await staffUser(db, 'boris', 'researcher');
await staffUser(db, 'spec', 'specialist', [district!.code]);
const BASE = '/staff/surveys';

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}

/** Posts a form whose fields may repeat (checkboxes), with the page's CSRF token. */
async function post(client: Client, page: string, action: string, fields: [string, string][]) {
  const token = csrfToken((await client.get(page)).body);
  return client.request('POST', action, new URLSearchParams([['_csrf', token], ...fields]));
}

function cp1251(s: string): Buffer {
  return Buffer.from(
    [...s].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      throw new Error(ch);
    }),
  );
}

const META = {
  title: 'Интервью с руководителем',
  expert_role: 'руководитель районного центра',
  expert_group: 'руководители центров',
  interviewed_on: '2026-11-10',
  interviewer: 'Петрова',
  duration: '50',
};

describe('expert interviews over HTTP', () => {
  let anna: Client;
  let bookId = '';
  let interviewUrl = '';

  test('a specialist is refused; the surveys page links here', async () => {
    const spec = await signIn('spec');
    assert.equal((await spec.get(`${BASE}/interviews`)).status, 403);
    anna = await signIn('anna');
    const list = (await anna.get(BASE)).body;
    assert.match(list, /href="\/staff\/surveys\/interviews">Экспертные интервью</);
    assert.match(text((await anna.get(`${BASE}/interviews`)).body), /Интервью пока нет/);
  });

  test('a guide: an outline without a topic is refused; a good one shows its topics', async () => {
    const bad = await anna.submit(`${BASE}/guides/new`, `${BASE}/guides`, {
      title: 'Путеводитель',
      topics: '',
    });
    assert.equal(bad.status, 422);
    assert.match(text(bad.body), /Добавьте хотя бы одну тему/);
    const ok = await anna.submit(`${BASE}/guides/new`, `${BASE}/guides`, {
      title: 'Информирование жителей',
      purpose: 'Как жители узнают о мерах',
      topics: '# Каналы\nКак жители узнают о мерах?\n- А пожилые?\n# Трудности\nЧто мешает?',
    });
    assert.equal(ok.status, 303);
    const page = text((await anna.follow(ok)).body);
    assert.match(page, /Каналы Как жители узнают о мерах\? А пожилые\? Трудности Что мешает\?/);
    assert.match(text((await anna.get(`${BASE}/guides`)).body), /Информирование жителей/);
  });

  test('a code book: duplicate names refused with the name; codes added later, an existing one refused', async () => {
    const twice = await anna.submit(`${BASE}/code-books/new`, `${BASE}/code-books`, {
      title: 'Информирование',
      codes: 'Соседи — от соседей\nсоседи',
    });
    assert.equal(twice.status, 422);
    assert.match(text(twice.body), /Код «соседи» указан дважды/);
    assert.match(twice.body, /Соседи — от соседей\nсоседи<\/textarea>/, 'the typed codes are kept');
    const ok = await anna.submit(`${BASE}/code-books/new`, `${BASE}/code-books`, {
      title: 'Информирование',
      codes: 'Соседи — от соседей и знакомых\nПортал — сайт госуслуг',
    });
    assert.equal(ok.status, 303);
    const url = ok.location!;
    bookId = url.split('/').pop()!;
    assert.match(
      text((await anna.follow(ok)).body),
      /2 кода Код Описание Портал сайт госуслуг Соседи от соседей и знакомых/,
    );
    const exists = await anna.submit(url, `${url}/codes`, { codes: 'ПОРТАЛ' });
    assert.equal(exists.status, 422);
    assert.match(text(exists.body), /Код «ПОРТАЛ» уже есть в этой кодовой книге/);
    const added = await anna.submit(url, `${url}/codes`, { codes: 'Звонок — телефон\nВизит' });
    assert.equal(added.status, 303);
    assert.match(text((await anna.follow(added)).body), /Добавлено 2 кода\. 4 кода/);
  });

  test('recording: missing fields and a .docx are refused; a long pasted transcript is taken', async () => {
    const empty = await anna.upload(
      `${BASE}/interviews/new`,
      `${BASE}/interviews`,
      { code_book: bookId },
      {},
    );
    assert.equal(empty.status, 422);
    const errors = text(empty.body);
    for (const message of [
      'Введите название',
      'Опишите должность или роль эксперта',
      'Укажите группу экспертов',
      'Введите дату интервью',
      'Вставьте текст расшифровки или загрузите файл .txt',
    ])
      assert.ok(errors.includes(message), message);

    const docx = await anna.upload(
      `${BASE}/interviews/new`,
      `${BASE}/interviews`,
      { ...META, code_book: bookId },
      { file: { name: 'интервью.docx', bytes: Buffer.from('PK\u0003\u0004 word') } },
    );
    assert.equal(docx.status, 422);
    assert.match(text(docx.body), /Загрузите расшифровку как текстовый файл \.txt/);
    assert.match(docx.body, /value="Интервью с руководителем"/, 'what was typed stays');

    const huge = await anna.upload(
      `${BASE}/interviews/new`,
      `${BASE}/interviews`,
      { ...META, code_book: bookId },
      { file: { name: 'интервью.txt', bytes: Buffer.alloc(1024 * 1024 + 10, 0x41) } },
    );
    assert.equal(huge.status, 413);
    assert.match(text(huge.body), /Файл должен быть не больше 1 МБ/);

    // Longer than the app's default 64 KB field: the route raises the limit for transcripts.
    const long = Array.from(
      { length: 2000 },
      (_, i) => `Р: Реплика номер ${i + 1} о мерах поддержки и каналах.`,
    ).join('\n');
    assert.ok(Buffer.byteLength(long) > 64 * 1024);
    const ok = await anna.upload(
      `${BASE}/interviews/new`,
      `${BASE}/interviews`,
      { ...META, title: 'Длинное интервью', code_book: bookId, transcript: long },
      {},
    );
    assert.equal(ok.status, 303);
    assert.match(text((await anna.follow(ok)).body), /Абзацев 2 000/);
  });

  test('a Windows-1251 .txt becomes an interview with numbered paragraphs', async () => {
    const transcript =
      'И: Как жители узнают о мерах?\r\nР: Чаще всего от соседей, реже через портал.\r\n\r\nИ: А пожилые?\r\nР: Им нужен звонок.';
    const response = await anna.upload(
      `${BASE}/interviews/new`,
      `${BASE}/interviews`,
      { ...META, code_book: bookId },
      { file: { name: 'интервью.txt', bytes: cp1251(transcript), type: 'text/plain' } },
    );
    assert.equal(response.status, 303);
    interviewUrl = response.location!;
    const page = await anna.follow(response);
    assert.match(page.body, /<li id="p2" value="2">Р: Чаще всего от соседей, реже через портал\.<\/li>/);
    assert.match(text(page.body), /Группа экспертов руководители центров/);
    assert.match(text(page.body), /50 минут/);
  });

  test('two coders code independently, then compare', async () => {
    const code = `${interviewUrl}/code`;
    const paragraph2 = `${code}/2`;
    const book = text((await anna.get(`${BASE}/code-books/${bookId}`)).body);
    assert.ok(book.includes('Соседи'));
    const form = (await anna.get(paragraph2)).body;
    const id = (name: string) => new RegExp(`value="(\\d+)"[^>]*/?>\\s*<label[^>]*>${name}<`).exec(form)![1]!;
    const [neighbours, portal] = [id('Соседи'), id('Портал')];

    const missing = await post(anna, paragraph2, paragraph2, [
      ['excerpt', 'от родственников'],
      ['codes', neighbours],
    ]);
    assert.equal(missing.status, 422);
    assert.match(text(missing.body), /Такого текста в абзаце нет/);
    const ok = await post(anna, paragraph2, paragraph2, [
      ['excerpt', 'от соседей'],
      ['codes', neighbours],
      ['memo', 'главный канал'],
    ]);
    assert.equal(ok.status, 303);
    assert.equal(ok.location, `${code}#p2`);
    const annaPage = (await anna.get(code)).body;
    assert.match(annaPage, /Чаще всего <mark>от соседей<\/mark>, реже через портал\./);
    assert.match(text(annaPage), /Соседи — «от соседей» Заметка: главный канал/);
    const again = await post(anna, paragraph2, paragraph2, [
      ['excerpt', 'от соседей'],
      ['codes', neighbours],
    ]);
    assert.equal(again.status, 422);
    assert.match(text(again.body), /Вы уже отметили этот фрагмент кодом «Соседи»/);

    const boris = await signIn('boris');
    const borisPage = (await boris.get(code)).body;
    assert.doesNotMatch(borisPage, /<mark>/, "Anna's codes are not shown to Boris");
    assert.match(text(borisPage), /У вас 0 кодов в этом интервью/);
    assert.equal(
      (
        await post(boris, paragraph2, paragraph2, [
          ['codes', neighbours],
          ['codes', portal],
        ])
      ).status,
      303,
    );
    const p4 = `${code}/4`;
    assert.equal((await post(boris, p4, p4, [['codes', portal]])).status, 303);

    const compare = text((await anna.get(`${interviewUrl}/compare`)).body);
    assert.match(compare, /Test anna Test boris/);
    assert.match(compare, /Соседи — «от соседей».*Портал — весь абзац Соседи — весь абзац/);

    // Boris removes his code of paragraph 4; Anna cannot remove his others.
    const borisCodes = (await boris.get(code)).body;
    const actions = [...borisCodes.matchAll(/action="([^"]+\/delete)"/g)].map((m) => m[1]!);
    assert.equal(actions.length, 3);
    const denied = await post(anna, code, actions[0]!, []);
    assert.equal(denied.status, 404);
    const removed = await post(boris, code, actions[2]!, []);
    assert.equal(removed.status, 303);
    assert.match(text((await boris.get(code)).body), /У вас 2 кода в этом интервью/);
  });

  test('the analysis shows frequencies and kappa; the codings download as CSV', async () => {
    const page = (await anna.get(`${BASE}/interviews/analysis?book=${bookId}`)).body;
    const body = text(page);
    assert.match(body, /Частоты кодов/);
    // Soседи: Anna's excerpt and Boris's whole paragraph 2 (different spans) — 2 excerpts, 1 interview.
    assert.match(body, /Соседи 2 1 2 \/ 1/);
    assert.match(body, /Test anna — Test boris: 1 общее интервью, абзацев: 4/);
    // Pooled over 8 decisions (Anna 1 yes, Boris 2 yes, 7 agreeing): p_o 7/8, p_e 44/64, kappa 0.60.
    assert.match(body, /Все коды 0,60 0,88 0,69 умеренное/);
    const csv = await anna.get(`${BASE}/interviews/analysis/codings.csv?book=${bookId}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 4);
    assert.ok(
      lines.some((l) => l.includes(',Соседи,Test anna,2,') && l.endsWith(',от соседей,главный канал')),
    );
  });

  test('the English pages', async () => {
    const page = text((await anna.get(`${BASE}/interviews`, { 'accept-language': 'en' })).body);
    assert.match(page, /Expert interviews/);
  });
});
