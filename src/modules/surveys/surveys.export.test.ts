import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  codebookCsv,
  csvField,
  responsesCsv,
  spssCsv,
  spssSyntax,
  spssVariables,
  writeResponsesXlsx,
} from './surveys.export.ts';
import { writeXlsx } from './surveys.export.xlsx.ts';
import { type Dataset, multipleColumn, numericColumn, singleColumn } from './surveys.stats.ts';

function dataset(): Dataset {
  const sat = singleColumn(
    'satisfaction',
    'Довольны ли вы?',
    [
      { value: '1', label: 'Нет' },
      { value: '2', label: 'Скорее нет' },
      { value: '3', label: 'Да, "вполне"' },
    ],
    ['3', null, '1'],
  );
  const channel = multipleColumn(
    'channel',
    'Каналы',
    [
      { value: 'web', label: 'Портал' },
      { value: 'office', label: 'МФЦ, офис' },
    ],
    ['web office', [], null],
  );
  const age = numericColumn('age', 'Возраст', [34, 71.5, null]);
  const comment = {
    kind: 'text' as const,
    name: 'and',
    label: 'Комментарий',
    values: ['=HYPERLINK("x")', null, 'ok'],
  };
  return { n: 3, ids: ['r1', 'r2', 'r3'], columns: [sat, channel, age, comment] };
}

test('CSV with labels: quoted where needed, missing empty, formulas neutralised, BOM for Excel', () => {
  const csv = responsesCsv(dataset(), { values: 'labels' });
  const lines = csv.split('\r\n');
  assert.equal(lines[0], '\uFEFFid,satisfaction,channel,age,and');
  assert.equal(lines[1], `r1,"Да, ""вполне""","Портал; МФЦ, офис",34,"'=HYPERLINK(""x"")"`);
  assert.equal(lines[2], 'r2,,,71.5,');
  assert.equal(lines[3], 'r3,Нет,,,ok');
});

test('CSV with codes: choice names, multiple choice space-separated as in XLSForm', () => {
  const lines = responsesCsv(dataset(), { values: 'codes', header: 'labels' }).split('\r\n');
  assert.equal(lines[0], '\uFEFFid,Довольны ли вы?,Каналы,Возраст,Комментарий');
  assert.equal(lines[1]!.split(',').slice(0, 3).join(','), 'r1,3,web office');
  assert.equal(csvField(-5), '-5'); // numbers are not treated as formulas
});

test('SPSS-friendly CSV: numeric codes, one 0/1 variable per option, valid unique variable names', () => {
  const ds = dataset();
  const vars = spssVariables(ds);
  assert.deepEqual(
    vars.map((v) => v.variable),
    ['id', 'satisfaction', 'channel_web', 'channel_office', 'age', 'and_'], // AND is reserved in SPSS
  );
  const lines = spssCsv(ds).split('\r\n');
  assert.equal(lines[1], 'r1,3,1,1,34,"\'=HYPERLINK(""x"")"');
  assert.equal(lines[2], 'r2,,0,0,71.5,');
  assert.equal(lines[3], 'r3,1,,,,ok');
  const codebook = codebookCsv(ds);
  assert.match(
    codebook,
    /satisfaction,Довольны ли вы\?,numeric,"1=Нет; 2=Скорее нет; 3=Да, ""вполне""",satisfaction/,
  );
  const syntax = spssSyntax(ds);
  assert.match(syntax, /VALUE LABELS satisfaction 1 'Нет' 2 'Скорее нет' 3 'Да, "вполне"'\./);
  assert.match(syntax, /channel_web F8\.2/);
});

test('XLSX export reads back with the same cells and a codebook sheet', async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  await writeResponsesXlsx(dataset(), out, { values: 'labels' });
  await done;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('Responses')!;
  // A formula-looking answer is stored as text, not as a formula.
  assert.deepEqual((sheet.getRow(2).values as unknown[]).slice(1), [
    'r1',
    'Да, "вполне"',
    'Портал; МФЦ, офис',
    34,
    '=HYPERLINK("x")',
  ]);
  assert.equal(sheet.getRow(3).getCell(4).value, 71.5);
  assert.equal(sheet.getRow(3).getCell(2).value, null);
  const codebook = book.getWorksheet('Codebook')!;
  assert.equal(codebook.getRow(3).getCell(1).value, 'satisfaction');
});

test('the XLSX writer: columns past Z, XML special and control characters, numbers kept as numbers', async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const wide = Array.from({ length: 30 }, (_, i) => i);
  await writeXlsx(out, [
    { name: 'Лист <1>', rows: [wide, ['a & b < c', 'bell\u0007', null, -1.5, '  leading spaces']] },
  ]);
  await done;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('Лист <1>')!;
  assert.equal(sheet.getCell('AD1').value, 29);
  assert.equal(sheet.getCell('A2').value, 'a & b < c');
  assert.equal(sheet.getCell('B2').value, 'bell');
  assert.equal(sheet.getCell('C2').value, null);
  assert.equal(sheet.getCell('D2').value, -1.5);
  assert.equal(sheet.getCell('E2').value, '  leading spaces');
});
