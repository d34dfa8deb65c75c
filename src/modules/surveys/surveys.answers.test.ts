// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// Answers against the satisfaction questionnaire: required questions, constraints with their form
// messages, skip logic (a question or group not asked is neither required nor checked), types and
// choice lists, repeats, and calculations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import { type Answers, calculate, checkAnswers } from './surveys.answers.ts';
import { importXlsForm } from './surveys.xlsform.ts';

const result = await importXlsForm(await xlsx(SATISFACTION));
assert.ok(result.ok);
const form = result.form;
const TODAY = '2026-11-23';
const check = (answers: Answers) =>
  checkAnswers(form, answers, { today: TODAY }).map((p) =>
    p.repeat ? `${p.repeat.name}[${p.repeat.index}].${p.name}:${p.code}` : `${p.name}:${p.code}`,
  );
const complete: Answers = { age: 70, used_online: 'no', overall: '4' };

test('required questions, and a complete set of answers', () => {
  assert.deepEqual(check({}), ['age:required', 'used_online:required', 'overall:required']);
  assert.deepEqual(check(complete), []);
});

test('constraints use the answer as ".", with the form message; empty answers are not checked', () => {
  const found = checkAnswers(form, { ...complete, age: 130 }, { today: TODAY });
  assert.deepEqual(
    found.map((p) => [p.name, p.code, p.message]),
    [['age', 'constraint', { ru: 'От 14 до 120', en: 'From 14 to 120' }]],
  );
  assert.deepEqual(check({ ...complete, last_visit: '2026-11-24' }), ['last_visit:constraint']);
  assert.deepEqual(check({ ...complete, last_visit: '2026-11-23' }), []);
  assert.deepEqual(check({ ...complete, last_visit: null }), []);
});

test('skip logic: a question not asked is neither required nor checked', () => {
  // channels is asked only when used_online = 'yes'; a wrong answer to it then counts.
  assert.deepEqual(check({ ...complete, channels: ['nowhere'] }), []);
  assert.deepEqual(check({ ...complete, used_online: 'yes', channels: ['nowhere'] }), ['channels:notInList']);
  assert.deepEqual(check({ ...complete, used_online: 'yes', channels: ['portal', 'mfc'] }), []);
  // The staff matrix group is relevant when overall is answered: its items are checked then.
  assert.deepEqual(check({ ...complete, overall: null, staff_polite: '9' }), ['overall:required']);
  assert.deepEqual(check({ ...complete, staff_polite: '9' }), ['staff_polite:notInList']);
});

test('types: integers, decimals, dates, one choice from the list', () => {
  assert.deepEqual(check({ ...complete, age: '3.5' }), ['age:notInteger']);
  assert.deepEqual(check({ ...complete, age: '45' }), []);
  assert.deepEqual(check({ ...complete, last_visit: '23.11.2026' }), ['last_visit:notDate']);
  assert.deepEqual(check({ ...complete, overall: '6' }), ['overall:notInList']);
  assert.deepEqual(check({ ...complete, overall: '4 5' }), ['overall:notInList']);
});

test('repeats are checked per instance', () => {
  const household = [
    { member_name: 'Анна', member_income: '12,5' },
    { member_name: 'Пётр', member_income: -1 },
    { member_name: 'Иван', member_income: 'много' },
  ];
  assert.deepEqual(check({ ...complete, household }), [
    'household[1].member_income:constraint',
    'household[2].member_income:notNumber',
  ]);
});

test('calculations read answers, empty ones included', () => {
  assert.equal(calculate(form, complete, '${is_senior}', TODAY), 'yes');
  assert.equal(calculate(form, { age: 30 }, '${is_senior}', TODAY), 'no');
  assert.equal(calculate(form, {}, '${is_senior}', TODAY), 'no');
  assert.equal(calculate(form, { household: [{}, {}] }, 'count-selected(${channels})', TODAY), 0);
});

test('the ODK documentation examples: constraint .<=40, relevant ${age} <= 18', async () => {
  // docs.getodk.org/form-interaction, with School made required so that its relevance shows.
  const odk = await importXlsForm(
    await xlsx({
      survey: [
        ['type', 'name', 'label', 'constraint', 'constraint_message', 'relevant', 'required'],
        [
          'integer',
          'age',
          'How old are you?',
          '.<=40',
          'Person must be 40 years old or younger to complete the survey.',
        ],
        ['text', 'School', 'Enter your school name', null, null, '${age} <= 18', 'yes'],
      ],
    }),
  );
  assert.ok(odk.ok);
  const problems = (answers: Answers) =>
    checkAnswers(odk.form, answers).map((p) => `${p.name}:${p.code}:${Object.values(p.message).join('')}`);
  assert.deepEqual(problems({ age: 41 }), [
    'age:constraint:Person must be 40 years old or younger to complete the survey.',
  ]);
  assert.deepEqual(problems({ age: 17 }), ['School:required:']);
  assert.deepEqual(problems({ age: 17, School: 'Lyceum 1' }), []);
  assert.deepEqual(problems({ age: 30 }), []);
  // Age unanswered: number('') <= 18 is false, so School is not asked.
  assert.deepEqual(problems({}), []);
});
