import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pdfInfo, pdfPageCount, pdfStructure, pdfText, structRoles } from '../../../test/support/pdf.ts';
import { type PdfLetter, renderPdf } from './pdf.ts';

/** The text with line breaks (where the layout wrapped) turned into spaces. */
const flat = async (pdf: Buffer) => (await pdfText(pdf)).replace(/\s+/g, ' ');

const decision: PdfLetter = {
  lang: 'ru',
  title: 'Решение о назначении ежемесячной денежной выплаты',
  issuer: [
    'Министерство социальной защиты населения области',
    'Управление социальной защиты населения Заречного района',
    'ул. Ленина, д. 12, г. Заречный, 123456',
  ],
  reference: '№ З-2026-000123 от 23.11.2026',
  blocks: [
    {
      kind: 'paragraph',
      text: 'Уважаемая Мария Петровна! Рассмотрев ваше заявление, сообщаем о принятом решении.',
    },
    { kind: 'heading', text: 'Сведения о заявителе' },
    {
      kind: 'fields',
      rows: [
        ['Фамилия, имя, отчество', 'Иванова Мария Петровна'],
        ['СНИЛС', '123-456-789 01'],
        ['Адрес', 'г. Заречный, ул. Садовая, д. 45, корп. 2, кв. 118, вход со двора, домофон не работает'],
        ['Телефон', ''],
      ],
    },
    { kind: 'heading', text: 'Решение' },
    { kind: 'paragraph', text: 'Назначить ежемесячную денежную выплату с 01.12.2026 по 30.11.2027.' },
    { kind: 'list', items: ['паспорт гражданина Российской Федерации', 'справка о составе семьи'] },
    { kind: 'spacer' },
    { kind: 'signature', label: 'Начальник управления / Петров П. П.' },
  ],
  footer: 'Документ сформирован в информационной системе «Опора».',
  now: new Date('2026-11-23T10:00:00Z'),
};

describe('renderPdf', () => {
  test('a Russian letter carries its Cyrillic text, fields, list, signature and footer', async (t) => {
    const started = performance.now();
    const pdf = await renderPdf(decision);
    const ms = performance.now() - started;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await pdfPageCount(pdf), 1);
    assert.ok(pdf.length < 100_000, `one-page letter is ${pdf.length} bytes`);
    const text = await flat(pdf);
    for (const expected of [
      'Министерство социальной защиты населения области',
      '№ З-2026-000123 от 23.11.2026',
      'Решение о назначении ежемесячной денежной выплаты',
      'Уважаемая Мария Петровна!',
      'Сведения о заявителе',
      'Фамилия, имя, отчество Иванова Мария Петровна',
      'СНИЛС 123-456-789 01',
      'Телефон —',
      '• справка о составе семьи',
      'Начальник управления / Петров П. П.',
      'Дата',
      'Документ сформирован в информационной системе «Опора».',
      'Страница 1 из 1',
    ]) {
      assert.ok(text.includes(expected), `missing ${JSON.stringify(expected)} in:\n${text}`);
    }
    // Reading order: letterhead, title, body, footer.
    assert.ok(text.indexOf('Министерство') < text.indexOf('Решение о назначении'));
    assert.ok(text.indexOf('Решение о назначении') < text.indexOf('Иванова Мария Петровна'));
    assert.ok(text.indexOf('Иванова Мария Петровна') < text.indexOf('Страница 1 из 1'));
    t.diagnostic(`one-page letter: ${pdf.length} bytes, ${ms.toFixed(0)} ms`);
  });

  test('metadata: title, language, tagged structure; DejaVu embedded as a subset, no Helvetica', async () => {
    const pdf = await renderPdf(decision);
    const { info, lang, tagged } = await pdfInfo(pdf);
    assert.equal(info.Title, decision.title);
    assert.equal(info.Author, decision.issuer[0]);
    assert.equal(info.Creator, 'Opora');
    assert.match(String(info.CreationDate), /^D:20261123/);
    assert.equal(lang, 'ru');
    assert.equal(tagged, true);
    const roles = structRoles(await pdfStructure(pdf));
    for (const role of ['Document', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD', 'L', 'LI', 'Lbl', 'LBody']) {
      assert.ok(roles.includes(role), `no ${role} in ${roles.join(' ')}`);
    }
    assert.equal(roles.filter((role) => role === 'H1').length, 1);
    assert.equal(roles.filter((role) => role === 'TH').length, 4);
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.doesNotMatch(raw, /Helvetica/);
  });

  test('an English letter', async () => {
    const pdf = await renderPdf({
      lang: 'en',
      title: 'Receipt of your application',
      issuer: ['Ministry of Social Protection', 'Zarechny District Office, 12 Lenin Street'],
      reference: 'No. A-2026-000042 of 23.11.2026',
      blocks: [
        { kind: 'paragraph', text: 'We have received your application and the documents listed below.' },
        { kind: 'fields', rows: [['Applicant', 'Maria Ivanova']] },
        { kind: 'list', items: ['Passport'] },
        { kind: 'signature', label: 'Specialist' },
      ],
    });
    const text = await flat(pdf);
    for (const expected of [
      'Ministry of Social Protection',
      'No. A-2026-000042 of 23.11.2026',
      'Receipt of your application',
      'Applicant Maria Ivanova',
      '• Passport',
      'Specialist',
      'Date',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `missing ${JSON.stringify(expected)} in:\n${text}`);
    }
    assert.doesNotMatch(text, /Страница|Дата/);
    const { info, lang } = await pdfInfo(pdf);
    assert.equal(info.Title, 'Receipt of your application');
    assert.equal(lang, 'en');
  });

  test('a long letter spans several pages, every page numbered "X из N"', async () => {
    const rows = Array.from({ length: 200 }, (_, i): [string, string] => [
      `Поле ${i + 1}`,
      `Значение ${i + 1}`,
    ]);
    const pdf = await renderPdf({ ...decision, blocks: [{ kind: 'fields', rows }, ...decision.blocks] });
    const pages = await pdfPageCount(pdf);
    assert.ok(pages > 1, `${pages} pages`);
    const text = await pdfText(pdf);
    for (let n = 1; n <= pages; n++) assert.ok(text.includes(`Страница ${n} из ${pages}`), `no page ${n}`);
    assert.ok(!text.includes(`Страница ${pages + 1} из`));
    // Every row is there, whole (label and value on one line) and in order.
    let at = 0;
    for (let i = 1; i <= 200; i++) {
      const found = text.indexOf(`Поле ${i} Значение ${i}\n`, at);
      assert.ok(found >= at, `row ${i} missing or out of order`);
      at = found;
    }
    assert.ok(text.indexOf('Значение 200') < text.indexOf('Начальник управления'));
  });

  test('a value taller than a page flows onto the next pages and the letter goes on after it', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `слово${i}`).join(' ');
    const pdf = await renderPdf({
      ...decision,
      blocks: [
        { kind: 'fields', rows: [['Основания', `${long} конец`]] },
        { kind: 'paragraph', text: 'После таблицы' },
      ],
    });
    assert.ok((await pdfPageCount(pdf)) >= 2);
    const text = await flat(pdf);
    assert.ok(text.includes('слово0') && text.includes('слово299 конец'));
    assert.ok(text.indexOf('слово299 конец') < text.indexOf('После таблицы'));
  });
});
