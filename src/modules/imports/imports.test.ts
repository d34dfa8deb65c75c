// Reading and checking import files, without a database: CSV with ";" and ",", Windows-1251, XLSX
// made with exceljs, bad files, and every kind of row error with its row and column.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { snilsChecksum } from '../registry/snils.ts';
import { SHEETS } from './imports.columns.ts';
import { decodeText, detectDelimiter, FileProblem, readImportFile } from './imports.parse.ts';
import { csvTemplate, xlsxTemplate } from './imports.templates.ts';
import { checkFile, type Lookups, parseAmount, parseDate } from './imports.validate.ts';

const snils = (n: number) => {
  const nine = String(n).padStart(9, '0');
  return `${nine}${snilsChecksum(nine)}`;
};
const A = snils(123_456_789);
const B = snils(223_456_789);
const C = snils(323_456_789);
const KNOWN = snils(423_456_789);
const FOREIGN = snils(523_456_789);

const look = (over: Partial<Lookups> = {}): Lookups => ({
  scope: { all: false, districtIds: [1] },
  districts: [
    { id: 1, code: 'volgograd', name_ru: 'Волгоград', name_en: 'Volgograd' },
    { id: 2, code: 'olkhovsky', name_ru: 'Ольховский район', name_en: 'Olkhovsky District' },
  ],
  settlements: new Map([
    [1, new Map([['волгоград', { id: 10, name_ru: 'Волгоград' }]])],
    [2, new Map([['ольховка', { id: 20, name_ru: 'Ольховка' }]])],
  ]),
  categories: new Map([
    ['pensioner', 'pensioner'],
    ['пенсионер', 'pensioner'],
    ['disabled', 'disabled'],
  ]),
  measures: new Map([
    ['VETERAN-EDV', { id: 5, code: 'VETERAN-EDV', title_ru: 'ЕДВ ветеранам', title_en: 'Veterans' }],
  ]),
  persons: new Map([
    [KNOWN, { id: 100, district_id: 1 }],
    [FOREIGN, { id: 200, district_id: 2 }],
  ]),
  liveAssignments: [{ id: 77, person_id: 100, measure_id: 5, end_date: null }],
  today: '2026-11-23',
  ...over,
});

const HEAD = 'СНИЛС;Фамилия;Имя;Отчество;Дата рождения;Пол;Код района;Населённый пункт;Адрес';

async function check(text: string, kind: 'residents' | 'assignments' = 'residents', lookups = look()) {
  const parsed = await readImportFile(Buffer.from(text, 'utf8'), kind);
  return checkFile(parsed.tables, lookups);
}

async function problem(bytes: Buffer, kind: 'residents' | 'assignments' = 'residents') {
  try {
    const parsed = await readImportFile(bytes, kind);
    checkFile(parsed.tables, look());
  } catch (e) {
    assert.ok(e instanceof FileProblem, String(e));
    return e;
  }
  assert.fail('expected a problem with the file');
}

describe('reading files', () => {
  test('CSV with ";" and with ",", BOM and CRLF: the same rows', async () => {
    const semicolon = `\uFEFF${HEAD}\r\n${A};Иванов;Иван;Иванович;05.03.1958;М;volgograd;Волгоград;ул. Мира, 1\r\n`;
    const comma = `${HEAD.replaceAll(';', ',')}\n${A},Иванов,Иван,Иванович,1958-03-05,м,volgograd,Волгоград,"ул. Мира, 1"\n`;
    for (const text of [semicolon, comma]) {
      const checked = await check(text);
      assert.deepEqual(checked.errors, []);
      assert.equal(checked.persons.length, 1);
      assert.deepEqual(checked.persons[0]!.values, {
        snils: A,
        last_name: 'Иванов',
        first_name: 'Иван',
        patronymic: 'Иванович',
        birth_date: '1958-03-05',
        sex: 'M',
        district_id: 1,
        settlement_id: 10,
        address: 'ул. Мира, 1',
      });
      assert.equal(checked.persons[0]!.row, 2);
    }
    assert.equal(detectDelimiter('a,b;c;d\n1,2,3,4'), ';');
    assert.equal(detectDelimiter('"a;b",c,d\n'), ',');
  });

  test('a CSV saved in Windows-1251 is read as Cyrillic', async () => {
    const text = `Фамилия;Имя\nЁжиков;Пётр\n`;
    // Windows-1251 by hand: А..я are 0xC0..0xFF, Ё 0xA8, ё 0xB8.
    const bytes = Buffer.from(
      [...text].map((ch) => {
        const code = ch.charCodeAt(0);
        if (ch === 'Ё') return 0xa8;
        if (ch === 'ё') return 0xb8;
        return code >= 0x410 && code <= 0x44f ? code - 0x410 + 0xc0 : code;
      }),
    );
    assert.equal(decodeText(bytes), text);
  });

  test('XLSX made with exceljs: residents and their assignments on two sheets, errors by sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    const people = workbook.addWorksheet(SHEETS.residents);
    people.addRow(HEAD.split(';'));
    people.addRow([
      Number(A),
      'Петрова',
      'Анна',
      null,
      new Date(Date.UTC(1950, 0, 2)),
      'Ж',
      'volgograd',
      null,
      'ул. Ленина, 2',
    ]);
    people.addRow([B, 'Сидоров', 'Олег', null, '31.02.1960', 'М', 'volgograd', null, 'ул. Ленина, 3']);
    const given = workbook.addWorksheet(SHEETS.assignments);
    given.addRow(['СНИЛС', 'Код меры', 'Размер', 'Дата начала', 'Дата окончания']);
    given.addRow([A, 'VETERAN-EDV', 1250.5, '01.01.2026', null]);
    workbook.addWorksheet(SHEETS.notes).addRow(['not read']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const parsed = await readImportFile(bytes, 'residents');
    assert.equal(parsed.format, 'xlsx');
    assert.deepEqual(
      parsed.tables.map((t) => [t.sheet, t.table, t.rows.length]),
      [
        [SHEETS.residents, 'residents', 2],
        [SHEETS.assignments, 'assignments', 1],
      ],
    );
    const checked = checkFile(parsed.tables, look());
    assert.deepEqual(
      checked.errors.map((e) => [e.sheet, e.row, e.column, e.key]),
      [[SHEETS.residents, 3, 'Дата рождения (E)', 'imports.row.date']],
    );
    assert.equal(checked.persons[0]!.values.snils, A, 'a SNILS typed as a number keeps its digits');
    assert.equal(checked.persons[0]!.values.birth_date, '1950-01-02');
    assert.equal(checked.assignments.length, 1, 'the new resident of the same file may be assigned');
    assert.equal(checked.assignments[0]!.amount, 1250.5);
  });

  test('bad files: empty, not a table, old Excel, broken XLSX, headers only, wrong headers', async () => {
    assert.equal((await problem(Buffer.alloc(0))).key, 'imports.file.empty');
    assert.equal((await problem(Buffer.from('   \r\n'))).key, 'imports.file.empty');
    assert.equal((await problem(Buffer.from('%PDF-1.7 ...'))).key, 'imports.file.notTable');
    assert.equal(
      (await problem(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).key,
      'imports.file.notTable',
    );
    assert.equal(
      (await problem(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).key,
      'imports.file.oldExcel',
    );
    assert.equal((await problem(Buffer.from('PK\u0003\u0004 not really a zip'))).key, 'imports.file.badXlsx');
    assert.equal((await problem(csvTemplate('residents'))).key, 'imports.file.noRows');
    assert.equal(
      (await problem(await xlsxTemplate('assignments'), 'assignments')).key,
      'imports.file.noRows',
    );
    const wrong = await problem(
      Buffer.from(
        `СНИЛС;Фамилие;Имя;Дата рождения;Пол;Код района;Адрес\n${A};x;y;01.01.1950;М;volgograd;z\n`,
      ),
    );
    assert.equal(wrong.key, 'imports.file.headers');
    assert.deepEqual(wrong.params, { sheet: '', missing: 'Фамилия', unknown: 'Фамилие' });
    const swapped = await problem(Buffer.from(`СНИЛС;Код меры;Размер;Дата начала\n${A};X;1;01.01.2020\n`));
    assert.equal(swapped.key, 'imports.file.looksLikeAssignments');
  });

  test('the templates read back as empty tables with every column known', async () => {
    for (const kind of ['residents', 'assignments'] as const) {
      const withRow = Buffer.concat([
        csvTemplate(kind),
        Buffer.from(
          kind === 'residents'
            ? `${A};Иванов;Иван;;01.01.1950;М;volgograd;;ул. 1;;;;;\r\n`
            : `${KNOWN};VETERAN-EDV;100;01.01.2020;31.12.2020\r\n`,
        ),
      ]);
      const parsed = await readImportFile(withRow, kind);
      assert.deepEqual(checkFile(parsed.tables, look({ liveAssignments: [] })).errors, [], kind);
    }
  });
});

describe('checking rows', () => {
  test('every kind of resident error, with its row and column', async () => {
    const head = `${HEAD};Телефон;Электронная почта;Категории;Группа инвалидности;Доход в месяц`;
    const rows = [
      `${A};Иванов;Иван;;05.03.1958;М;volgograd;;ул. 1;+7 912 345-67-89;a@b.ru;пенсионер;2;18 500,50`, // 2 ok
      `12345;Петров;Пётр;;05.03.1958;М;volgograd;;ул. 2;;;;;`, // 3 snils format
      `${A.slice(0, 9)}00;Петров;Пётр;;05.03.1958;М;volgograd;;ул. 2;;;;;`, // 4 checksum
      `${A};Петров;Пётр;;05.03.1958;М;volgograd;;ул. 2;;;;;`, // 5 duplicate of row 2
      `${B};;Пётр;;1958/13/01;X;volgograd;;;;;;;`, // 6 last name, date, sex, address
      `${C};Петров;Пётр;;01.01.2099;Ж;nowhere;;ул. 3;;;;;`, // 7 future, district
      `${snils(623_456_789)};Петров;Пётр;;01.01.1950;Ж;olkhovsky;;ул. 3;;;;;`, // 8 not my district
      `${snils(723_456_789)};Петров;Пётр;;01.01.1950;Ж;volgograd;Ольховка;ул. 3;123;bad@;king;4;-5`, // 9
      `${FOREIGN};Петров;Пётр;;01.01.1950;Ж;volgograd;;ул. 3;;;;;`, // 10 person of another district
      `${KNOWN};Старый;Житель;;01.01.1940;М;Волгоград;;ул. 4;;;;;`, // 11 update, district by name
    ];
    const checked = await check(`${head}\n${rows.join('\n')}\n`);
    const got = checked.errors.map((e) => `${e.row} ${e.column}: ${e.key}`);
    assert.deepEqual(got, [
      '3 СНИЛС: imports.row.snilsFormat',
      '4 СНИЛС: imports.row.snilsChecksum',
      '5 СНИЛС: imports.row.snilsDuplicate',
      '6 Фамилия: imports.row.required',
      '6 Адрес: imports.row.required',
      '6 Дата рождения: imports.row.date',
      '6 Пол: imports.row.sex',
      '7 Дата рождения: imports.row.birthFuture',
      '7 Код района: imports.row.district',
      '8 Код района: imports.row.districtScope',
      '9 Населённый пункт: imports.row.settlement',
      '9 Телефон: imports.row.phone',
      '9 Электронная почта: imports.row.email',
      '9 Категории: imports.row.category',
      '9 Группа инвалидности: imports.row.disability',
      '9 Доход в месяц: imports.row.amount',
      '10 СНИЛС: imports.row.personScope',
    ]);
    assert.deepEqual(checked.errors[2]!.params, { first: 2 });
    assert.deepEqual(
      checked.persons.map((p) => [p.row, p.existingId]),
      [
        [2, undefined],
        [11, 100],
      ],
    );
    assert.deepEqual(checked.persons[0]!.values, {
      snils: A,
      last_name: 'Иванов',
      first_name: 'Иван',
      patronymic: null,
      birth_date: '1958-03-05',
      sex: 'M',
      district_id: 1,
      settlement_id: null,
      address: 'ул. 1',
      phone: '+79123456789',
      email: 'a@b.ru',
      categories: ['pensioner'],
      disability_group: 2,
      monthly_income: 18500.5,
    });
    assert.deepEqual(checked.residentColumns, [
      'patronymic',
      'settlement',
      'phone',
      'email',
      'categories',
      'disability_group',
      'monthly_income',
    ]);
  });

  test('every kind of assignment error, with its row and column', async () => {
    const head = 'СНИЛС;Код меры;Размер;Дата начала;Дата окончания';
    const other = snils(823_456_789);
    const lookups = look({
      persons: new Map([
        [KNOWN, { id: 100, district_id: 1 }],
        [FOREIGN, { id: 200, district_id: 2 }],
        [other, { id: 300, district_id: 1 }],
      ]),
    });
    const rows = [
      `${other};VETERAN-EDV;1 250,50;01.01.2026;`, // 2 ok
      `${A};VETERAN-EDV;100;01.01.2026;`, // 3 nobody with this SNILS
      `${other};NO-SUCH;100;01.01.2026;`, // 4 measure
      `${other};VETERAN-EDV;-3;01.01.2026;`, // 5 amount
      `${other};VETERAN-EDV;100;2026-02-30;31.12.2025`, // 6 start date
      `${other};veteran-edv;100;01.01.2027;31.12.2026`, // 7 end before start
      `${KNOWN};VETERAN-EDV;100;01.01.2026;`, // 8 already assigned in the registry
      `${other};VETERAN-EDV;100;01.06.2026;31.12.2026`, // 9 overlaps row 2
      `${FOREIGN};VETERAN-EDV;100;01.01.2026;`, // 10 person of another district
      `${other};;;;`, // 11 required
    ];
    const checked = await check(`${head}\n${rows.join('\n')}\n`, 'assignments', lookups);
    assert.deepEqual(
      checked.errors.map((e) => `${e.row} ${e.column}: ${e.key}`),
      [
        '3 СНИЛС: imports.row.personMissing',
        '4 Код меры: imports.row.measure',
        '5 Размер: imports.row.amount',
        '5 Код меры: imports.row.assignmentDuplicate',
        '6 Дата начала: imports.row.date',
        '7 Дата окончания: imports.row.endBeforeStart',
        '7 Код меры: imports.row.assignmentDuplicate',
        '8 Код меры: imports.row.assignmentExists',
        '9 Код меры: imports.row.assignmentDuplicate',
        '10 СНИЛС: imports.row.personScope',
        '11 Код меры: imports.row.required',
        '11 Размер: imports.row.required',
        '11 Дата начала: imports.row.required',
      ],
    );
    assert.deepEqual(checked.errors[7]!.params, { id: 77 });
    assert.deepEqual(checked.errors[8]!.params, { first: 2 });
    assert.deepEqual(checked.assignments, [
      {
        sheet: null,
        row: 2,
        snils: other,
        measureId: 5,
        amount: 1250.5,
        startDate: '2026-01-01',
        endDate: null,
      },
    ]);
  });

  test('dates and amounts as offices write them', () => {
    assert.equal(parseDate('5.3.1958'), '1958-03-05');
    assert.equal(parseDate('1958-03-05'), '1958-03-05');
    assert.equal(parseDate('29.02.2023'), undefined);
    assert.equal(parseDate('03/05/58'), undefined);
    assert.equal(parseAmount('1 250,50'), 1250.5);
    assert.equal(parseAmount('1250 ₽'), 1250);
    assert.equal(parseAmount('12,345'), undefined, 'no fractions of kopecks');
    assert.equal(parseAmount('-1'), undefined);
  });
});
