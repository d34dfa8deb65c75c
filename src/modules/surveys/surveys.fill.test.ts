// The page engine on the satisfaction questionnaire: pages per group, skip logic across pages,
// posted fields read into typed answers, page checks with the form's own messages in the
// respondent's language, repeats, cascading choices, pruning of irrelevant answers, check answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import type { Answers } from './surveys.answers.ts';
import {
  checkPage,
  choicesFor,
  instancesToShow,
  isShown,
  minutesToAnswer,
  nextPage,
  pagesOf,
  previousPage,
  problemText,
  pruneIrrelevant,
  readPage,
  summaryOf,
} from './surveys.fill.ts';
import type { Question } from './surveys.form.ts';
import { importXlsForm } from './surveys.xlsform.ts';

const result = await importXlsForm(await xlsx(SATISFACTION));
assert.ok(result.ok);
const form = result.form;
const TODAY = '2026-11-23';
const pages = pagesOf(form);
const page = (i: number) => pages[i]!;
const names = (i: number) =>
  page(i).nodes.map((n) => (n.kind === 'question' ? n.name : `${n.kind}:${n.name}`));

test('one page per top-level group or repeat; loose questions in between make one page each run', () => {
  assert.deepEqual(
    pages.map((_, i) => names(i)),
    [
      ['intro', 'age', 'used_online', 'channels', 'overall'],
      ['group:staff'],
      ['last_visit', 'comment', 'district', 'settlement'],
      ['repeat:household'],
      ['is_senior'],
    ],
  );
});

test('navigation skips pages with nothing to ask: the matrix needs "overall", the calculation page is never shown', () => {
  assert.equal(nextPage(form, {}, -1, TODAY), 0);
  // The matrix group is relevant only when "overall" is answered.
  assert.equal(nextPage(form, {}, 0, TODAY), 2);
  assert.equal(nextPage(form, { overall: '4' }, 0, TODAY), 1);
  assert.equal(nextPage(form, {}, 2, TODAY), 3);
  // After the repeat only a calculation is left: check your answers comes next.
  assert.equal(nextPage(form, {}, 3, TODAY), null);
  assert.equal(previousPage(form, {}, 2, TODAY), 0);
  assert.equal(previousPage(form, { overall: '4' }, 2, TODAY), 1);
  assert.equal(previousPage(form, {}, pages.length, TODAY), 3);
  assert.equal(previousPage(form, {}, 0, TODAY), null);
});

test('posted fields become typed answers; empty fields remove the saved answer', () => {
  const read = readPage(
    form,
    page(0),
    { age: ' 67 ', used_online: 'yes', channels: ['portal', 'mfc'], overall: '4', stray: 'x' },
    { comment: 'kept', age: 30 },
    TODAY,
  );
  assert.deepEqual(read, {
    comment: 'kept',
    age: 67,
    used_online: 'yes',
    channels: ['portal', 'mfc'],
    overall: '4',
  });
  // A single checkbox arrives as a string; an unticked box list as nothing.
  assert.deepEqual(readPage(form, page(0), { channels: 'phone' }, {}, TODAY), { channels: ['phone'] });
  assert.deepEqual(readPage(form, page(0), { age: '' }, { age: 5 }, TODAY), {});
  // Typed as read, so the check can say what is wrong; dates typed the Russian way are understood.
  assert.deepEqual(readPage(form, page(0), { age: 'семьдесят' }, {}, TODAY), { age: 'семьдесят' });
  assert.deepEqual(readPage(form, page(2), { last_visit: '5.11.2026', comment: 'ok' }, {}, TODAY), {
    last_visit: '2026-11-05',
    comment: 'ok',
  });
});

test('page checks: required, type and constraint, with the form message in the respondent language', () => {
  const fallback = (code: string) => `generic:${code}`;
  const answers = readPage(form, page(0), { age: '130' }, {}, TODAY);
  const problems = checkPage(form, page(0), answers, TODAY);
  assert.deepEqual(
    problems.map((p) => [p.field, p.code]),
    [
      ['age', 'constraint'],
      ['used_online', 'required'],
      ['overall', 'required'],
    ],
  );
  assert.equal(problemText(form, problems[0]!, 'en', fallback), 'From 14 to 120');
  assert.equal(problemText(form, problems[0]!, 'ru', fallback), 'От 14 до 120');
  assert.equal(problemText(form, problems[1]!, 'en', fallback), 'generic:required');
  const typed = checkPage(form, page(0), { age: 'x', used_online: 'no', overall: '3' }, TODAY);
  assert.deepEqual(
    typed.map((p) => [p.field, p.code]),
    [['age', 'notInteger']],
  );
  // Only the page's own questions are checked.
  assert.deepEqual(checkPage(form, page(2), {}, TODAY), []);
  assert.deepEqual(
    checkPage(form, page(2), { last_visit: '2026-12-01' }, TODAY).map((p) => p.code),
    ['constraint'],
  );
});

test('a question whose relevance hangs on the same page is shown; its answer is dropped when it turns out irrelevant', () => {
  const channels = page(0).nodes.find((n) => n.name === 'channels')!;
  assert.equal(isShown(form, page(0), channels, [], {}, null, TODAY), true);
  const answers = readPage(
    form,
    page(0),
    { age: '40', used_online: 'no', channels: 'portal', overall: '2' },
    {},
    TODAY,
  );
  assert.deepEqual(checkPage(form, page(0), answers, TODAY), []);
  assert.deepEqual(pruneIrrelevant(form, answers, TODAY), { age: 40, used_online: 'no', overall: '2' });
  // The matrix answers go when "overall" is cleared, in a chain.
  const withMatrix: Answers = { overall: '5', staff_polite: '4', staff_competent: '5' };
  assert.deepEqual(pruneIrrelevant(form, { ...withMatrix, overall: null }, TODAY), { overall: null });
  assert.deepEqual(pruneIrrelevant(form, withMatrix, TODAY), withMatrix);
});

test('cascading choices: the whole list while the parent is on the same page and unanswered, filtered once it is', () => {
  const settlement = page(2).nodes.find((n) => n.name === 'settlement') as Question;
  assert.deepEqual(
    choicesFor(form, settlement, {}, null, page(2), TODAY).map((c) => c.name),
    ['n1', 's1'],
  );
  assert.deepEqual(
    choicesFor(form, settlement, { district: 'south' }, null, page(2), TODAY).map((c) => c.name),
    ['s1'],
  );
  const problems = checkPage(form, page(2), { district: 'south', settlement: 'n1' }, TODAY);
  assert.deepEqual(
    problems.map((p) => [p.field, p.code]),
    [['settlement', 'notInList']],
  );
  assert.deepEqual(checkPage(form, page(2), { district: 'north', settlement: 'n1' }, TODAY), []);
});

test('repeats: instances posted with their count, empty ones dropped, each checked on its own', () => {
  const household = page(3);
  const repeat = household.nodes[0]!;
  assert.equal(repeat.kind, 'repeat');
  const read = readPage(
    form,
    household,
    {
      'household._count': '3',
      'household.0.member_name': 'Анна',
      'household.0.member_income': '12,5',
      'household.1.member_name': '',
      'household.2.member_name': 'Иван',
      'household.2.member_income': '-1',
    },
    {},
    TODAY,
  );
  assert.deepEqual(read, {
    household: [
      { member_name: 'Анна', member_income: 12.5 },
      { member_name: 'Иван', member_income: -1 },
    ],
  });
  assert.deepEqual(
    checkPage(form, household, read, TODAY).map((p) => [p.field, p.code]),
    [['household.1.member_income', 'constraint']],
  );
  // The page shows the saved instances, at least one, and one more when "add another" was pressed.
  if (repeat.kind === 'repeat') {
    assert.equal(instancesToShow(form, repeat, {}, {}, 0, TODAY).length, 1);
    assert.equal(instancesToShow(form, repeat, read, read, 1, TODAY).length, 3);
  }
  // More than the limit is never read.
  assert.equal(
    (
      readPage(form, household, { 'household._count': '999', 'household.0.member_name': 'x' }, {}, TODAY)
        .household as Answers[]
    ).length,
    1,
  );
});

test('check your answers lists shown pages with choice labels in the respondent language', () => {
  const answers: Answers = {
    age: 70,
    used_online: 'yes',
    channels: ['portal', 'phone'],
    overall: '5',
    staff_polite: '4',
    household: [{ member_name: 'Анна' }],
  };
  const en = summaryOf(form, answers, 'en', TODAY);
  assert.deepEqual(
    en.map((s) => s.page),
    [0, 1, 2, 3],
  );
  const first = en[0]!.rows.map((r) => [r.label, r.value]);
  assert.deepEqual(first, [
    ['How old are you?', '70'],
    ['Have you applied online?', 'Yes'],
    ['Which channels have you used?', 'Portal, Telephone'],
    ['Overall I am satisfied with the service', 'Strongly agree'],
  ]);
  assert.deepEqual(en[1]!.rows[0], { label: 'Polite', value: 'Agree', field: 'staff_polite' });
  assert.equal(en[3]!.rows[0]!.label, 'Household members 1: Name');
  const ru = summaryOf(form, { ...answers, used_online: 'no', channels: undefined }, 'ru', TODAY);
  assert.deepEqual(
    ru[0]!.rows.map((r) => r.label),
    ['Сколько вам лет?', 'Вы подавали заявление через интернет?', 'В целом я доволен обслуживанием'],
  );
  assert.ok(minutesToAnswer(form) >= 3);
});
