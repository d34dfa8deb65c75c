// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// XLSForm import and export: a full questionnaire becomes the model (languages, Likert items, a
// matrix, a repeat, cascading selects); every kind of error is reported with its sheet, row and
// column and nothing is imported; the two rejections (a broken `relevant`, an unknown type);
// and export then import gives back the same form.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { translator } from '../../platform/i18n/i18n.ts';
import { MINIMAL, type Rows, SATISFACTION, xlsx } from './fixtures/forms.ts';
import { type Form, type Group, type Question, questions } from './surveys.form.ts';
import { problemText } from './surveys.service.ts';
import { exportXlsForm, type FormProblem, importXlsForm } from './surveys.xlsform.ts';

async function imported(sheets: Record<string, Rows>): Promise<Form> {
  const result = await importXlsForm(await xlsx(sheets));
  if (!result.ok) assert.fail(JSON.stringify(result.problems, null, 1));
  return result.form;
}
async function problems(sheets: Record<string, Rows>): Promise<FormProblem[]> {
  const result = await importXlsForm(await xlsx(sheets));
  assert.equal(result.ok, false, 'the form should be rejected');
  return result.ok ? [] : result.problems;
}
const where = (p: FormProblem) => [p.sheet, p.row, p.column, p.code];
/** SATISFACTION with some survey rows replaced (index 0 is the header). */
const withSurvey = (edit: (rows: Rows) => void) => {
  const survey = SATISFACTION.survey!.map((r) => [...r]);
  edit(survey);
  return { ...SATISFACTION, survey };
};

describe('import', () => {
  test('a full questionnaire becomes the model', async () => {
    const form = await imported(SATISFACTION);
    assert.deepEqual(form.settings, {
      title: 'Удовлетворённость услугами',
      formId: 'satisfaction',
      version: '2026111901',
      defaultLanguage: 'ru',
    });
    assert.deepEqual(form.languages, [
      { name: 'Русский', code: 'ru' },
      { name: 'English', code: 'en' },
    ]);
    const byName = new Map([...questions(form.children)].map((q) => [q.question.name, q]));
    const age = byName.get('age')!.question;
    assert.deepEqual(age.label, { ru: 'Сколько вам лет?', en: 'How old are you?' });
    assert.equal(age.type, 'integer');
    assert.equal(age.required, true);
    assert.equal(age.constraint, '. >= 14 and . <= 120');
    assert.deepEqual(age.constraintMessage, { ru: 'От 14 до 120', en: 'From 14 to 120' });

    const channels = byName.get('channels')!.question;
    assert.equal(channels.type, 'select_multiple');
    assert.equal(channels.listName, 'channels');
    assert.equal(channels.relevant, "${used_online} = 'yes'");
    assert.deepEqual(channels.hint, { ru: 'Отметьте все', en: 'Tick all' });

    assert.equal(byName.get('overall')!.question.likert, true, 'likert appearance');
    assert.equal(byName.get('used_online')!.question.likert, false);

    const staff = form.children.find((n) => n.name === 'staff') as Group;
    assert.equal(staff.kind, 'group');
    assert.deepEqual(staff.matrix, { listName: 'agree5' }, 'a table-list of one list is a matrix');
    assert.deepEqual(
      staff.children.map((q) => [q.name, (q as Question).likert]),
      [
        ['staff_polite', true],
        ['staff_competent', true],
      ],
    );
    assert.deepEqual(
      byName.get('staff_polite')!.groups.map((g) => g.name),
      ['staff'],
    );

    const household = form.children.find((n) => n.name === 'household') as Group;
    assert.equal(household.kind, 'repeat');
    assert.deepEqual(
      household.children.map((q) => q.name),
      ['member_name', 'member_income'],
    );
    assert.equal(byName.get('is_senior')!.question.calculation, "if(${age} >= 60, 'yes', 'no')");
    assert.equal(byName.get('settlement')!.question.choiceFilter, 'district = ${district}');

    assert.deepEqual(
      form.lists.map((l) => [l.name, l.choices.length]),
      [
        ['yes_no', 2],
        ['channels', 3],
        ['agree5', 5],
        ['district', 2],
        ['settlement', 2],
      ],
    );
    const agree = form.lists.find((l) => l.name === 'agree5')!;
    assert.deepEqual(agree.choices[0], {
      name: '1',
      label: { ru: 'Совершенно не согласен', en: 'Strongly disagree' },
      properties: {},
    });
    assert.deepEqual(form.lists.at(-1)!.choices[0]!.properties, { district: 'north' });
  });

  test('a form in one unnamed language, without choices or settings', async () => {
    const form = await imported(MINIMAL);
    assert.deepEqual(form.languages, [{ name: 'default', code: null }]);
    assert.deepEqual(form.settings, { title: null, formId: null, version: null, defaultLanguage: null });
    assert.deepEqual((form.children[0] as Question).label, { default: 'Your name' });
  });

  test('default_language may name the language by code or by name', async () => {
    for (const value of ['English (en)', 'en', 'English']) {
      const form = await imported({
        survey: [
          ['type', 'name', 'label::Русский (ru)', 'label::English (en)'],
          ['text', 'q', 'Вопрос', 'Question'],
        ],
        settings: [['default_language'], [value]],
      });
      assert.equal(form.settings.defaultLanguage, 'en', value);
    }
  });

  test('pyxform spellings are accepted: begin_group, int, Type/Label in any case', async () => {
    const form = await imported({
      survey: [['Type', 'Name', 'Label'], ['begin_group', 'g', 'G'], ['int', 'n', 'N'], ['end_group']],
    });
    const g = form.children[0] as Group;
    assert.equal(g.kind, 'group');
    assert.equal((g.children[0] as Question).type, 'integer');
  });
});

describe('rejections (Done when)', () => {
  test('a broken relevant expression: sheet, row, column and reason', async () => {
    const found = await problems(
      withSurvey((rows) => {
        rows[4]![7] = "${used_online} = 'yes' and";
      }),
    );
    assert.equal(found.length, 1);
    const [p] = found;
    assert.deepEqual(where(p!), ['survey', 5, 'H', 'expression']);
    assert.equal(p!.header, 'relevant');
    assert.equal(p!.params.reason, 'unexpectedEnd');
    const t = translator('en');
    assert.deepEqual(problemText(t, p!), {
      where: 'Sheet “survey”, row 5, column H (relevant)',
      reason: 'The expression does not parse: the expression ends too early (character 27).',
    });
    assert.deepEqual(problemText(translator('ru'), p!), {
      where: 'Лист «survey», строка 5, столбец H (relevant)',
      reason: 'Выражение не разбирается: выражение оборвано (символ 27).',
    });
  });

  test('an unknown question type: sheet, row, column and reason', async () => {
    const found = await problems(
      withSurvey((rows) => {
        rows[2]![0] = 'geopoint';
      }),
    );
    assert.deepEqual(found.map(where), [['survey', 3, 'A', 'unknownType']]);
    assert.equal(problemText(translator('en'), found[0]!).reason, 'Unknown question type “geopoint”.');
  });
});

describe('every kind of error, by sheet, row and column', () => {
  test('survey sheet errors are all reported at once', async () => {
    const found = await problems({
      survey: [
        ['type', 'name', 'label', 'relevant', 'required', 'constraint', 'calculation'],
        ['text', 'q1', 'Q1'], // 2: fine
        ['text', 'q1', 'Again'], // 3: duplicate name
        ['text', '1bad', 'Bad name'], // 4: bad name
        ['text', null, 'No name'], // 5: missing name
        ['integer', 'nolabel'], // 6: missing label
        [null, 'notype', 'No type'], // 7: missing type
        ['select_one', 'sel', 'Select'], // 8: select without a list
        ['select_multiple nolist', 'sel2', 'Select'], // 9: unknown list
        ['text', 'ref', 'Ref', '${nowhere} = 1'], // 10: unknown reference
        ['text', 'req', 'Req', null, 'maybe'], // 11: bad required
        ['calculate', 'calc'], // 12: calculate without calculation
        ['integer', 'con', 'Con', null, null, '. >'], // 13: broken constraint
        ['end group'], // 14: end without begin
        ['begin repeat', 'r', 'R'], // 15: never closed
        ['text', 'in_r', 'In R'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['yn', 'yes', 'Yes'],
        ['yn', 'yes', 'Yes again'], // 3: duplicate choice
        [null, 'x', 'No list'], // 4: missing list name
        ['yn', null, 'No name'], // 5: missing name
        ['yn', 'n'], // 6: missing label
      ],
    });
    assert.deepEqual(found.map(where), [
      ['survey', 3, 'B', 'duplicateName'],
      ['survey', 4, 'B', 'badName'],
      ['survey', 5, 'B', 'missingName'],
      ['survey', 6, 'C', 'missingLabel'],
      ['survey', 7, 'A', 'missingType'],
      ['survey', 8, 'A', 'selectWithoutList'],
      ['survey', 9, 'A', 'unknownList'],
      ['survey', 10, 'D', 'unknownReference'],
      ['survey', 11, 'E', 'badRequired'],
      ['survey', 12, 'G', 'missingCalculation'],
      ['survey', 13, 'F', 'expression'],
      ['survey', 14, 'A', 'unbalanced'],
      ['survey', 15, 'A', 'unclosed'],
      ['choices', 3, 'B', 'duplicateChoice'],
      ['choices', 4, 'A', 'missingListName'],
      ['choices', 5, 'B', 'missingName'],
      ['choices', 6, 'C', 'missingLabel'],
    ]);
    const t = translator('ru');
    const text = (code: string) => problemText(t, found.find((p) => p.code === code)!).reason;
    assert.equal(text('duplicateName'), 'Имя «q1» уже использовано в строке 2.');
    assert.equal(text('unknownReference'), 'Ссылка на несуществующий вопрос ${nowhere} (символ 1).');
    assert.equal(text('unknownList'), 'Списка вариантов «nolist» нет на листе «choices».');
  });

  test('an end repeat closing a group is unbalanced', async () => {
    const found = await problems({
      survey: [
        ['type', 'name', 'label'],
        ['begin group', 'g', 'G'],
        ['text', 't', 'T'],
        ['end repeat'],
        ['end group'],
      ],
    });
    assert.deepEqual(found.map(where), [['survey', 4, 'A', 'unbalanced']]);
    assert.deepEqual(found[0]!.params, { type: 'end repeat', open: 'begin group', row: 2 });
  });

  test('a workbook without a survey sheet, a sheet without a type column, a file that is not xlsx', async () => {
    assert.deepEqual((await problems({ questions: [['type'], ['text']] })).map(where), [
      ['survey', null, null, 'missingSheet'],
    ]);
    assert.deepEqual(
      (
        await problems({
          survey: [
            ['kind', 'name'],
            ['text', 'a'],
          ],
        })
      ).map(where),
      [['survey', 1, null, 'missingColumn']],
    );
    const notXlsx = await importXlsForm(Buffer.from('type,name\ntext,a\n'));
    assert.deepEqual(notXlsx.ok ? [] : notXlsx.problems.map(where), [['', null, null, 'notXlsx']]);
  });
});

describe('export', () => {
  test('import(export(form)) equals form', async () => {
    const extras: Record<string, Rows> = {
      survey: [
        [
          'type',
          'name',
          'label',
          'label::English (en)',
          'required',
          'required_message::English (en)',
          'repeat_count',
        ],
        ['integer', 'children', 'Дети', 'Children', 'yes', 'Please answer'],
        ['begin_repeat', 'child', 'Ребёнок', null, null, null, '${children}'],
        ['date', 'birth', null, 'Birth date'],
        ['end_repeat'],
        ['start', 'started'],
      ],
      settings: [['version'], [3]],
    };
    for (const sheets of [SATISFACTION, MINIMAL, extras]) {
      const form = await imported(sheets);
      const again = await importXlsForm(await exportXlsForm(form));
      assert.ok(again.ok, JSON.stringify(again));
      assert.deepEqual(again.form, form);
    }
  });

  test('the exported workbook is a plain XLSForm', async () => {
    const form = await imported(SATISFACTION);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsForm(form)) as unknown as ExcelJS.Buffer);
    const survey = wb.getWorksheet('survey')!;
    const header = (survey.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(header.slice(0, 4), ['type', 'name', 'label::Русский (ru)', 'label::English (en)']);
    const types = survey.getColumn(1).values.slice(2);
    assert.ok(
      types.includes('begin group') && types.includes('end repeat') && types.includes('select_one agree5'),
    );
    assert.deepEqual((wb.getWorksheet('settings')!.getRow(2).values as unknown[]).slice(1), [
      'Удовлетворённость услугами',
      'satisfaction',
      '2026111901',
      'Русский (ru)',
    ]);
  });
});
