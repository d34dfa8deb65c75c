import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Form, Group, Question } from './surveys.form.ts';
import { datasetFromResponses } from './surveys.stats.dataset.ts';
import { crosstab, frequencies, MISSING } from './surveys.stats.ts';

const question = (
  type: Question['type'],
  name: string,
  ru: string,
  listName: string | null = null,
): Question => ({
  kind: 'question',
  type,
  name,
  label: { ru, en: name },
  hint: {},
  required: false,
  requiredMessage: {},
  relevant: null,
  constraint: null,
  constraintMessage: {},
  appearance: null,
  listName,
  choiceFilter: null,
  calculation: null,
  likert: false,
});

const repeat: Group = {
  kind: 'repeat',
  name: 'children',
  label: { ru: 'Дети' },
  hint: {},
  relevant: null,
  appearance: null,
  repeatCount: null,
  matrix: null,
  children: [question('integer', 'child_age', 'Возраст ребёнка')],
};

const form: Form = {
  settings: { title: 'Опрос', formId: 'f', version: '1', defaultLanguage: 'ru' },
  languages: [
    { name: 'Русский', code: 'ru' },
    { name: 'English', code: 'en' },
  ],
  lists: [
    {
      name: 'yn',
      choices: [
        { name: 'yes', label: { ru: 'Да', en: 'Yes' }, properties: {} },
        { name: 'no', label: { ru: 'Нет', en: 'No' }, properties: {} },
      ],
    },
    {
      name: 'ch',
      choices: [
        { name: 'web', label: { ru: 'Портал' }, properties: {} },
        { name: 'mfc', label: { ru: 'МФЦ' }, properties: {} },
      ],
    },
  ],
  children: [
    question('note', 'intro', 'Спасибо'),
    question('select_one', 'sat', 'Довольны?', 'yn'),
    question('select_multiple', 'channels', 'Каналы', 'ch'),
    question('integer', 'age', 'Возраст'),
    question('text', 'comment', 'Комментарий'),
    repeat,
  ],
};

test('stored responses become columns in form order; notes and repeats are left out', () => {
  const ds = datasetFromResponses(
    form,
    [
      {
        id: 'a',
        answers: { sat: 'yes', channels: ['web', 'mfc'], age: 70, comment: 'хорошо', children: [] },
      },
      { id: 'b', answers: { sat: 'no', channels: 'web', age: '35' } },
      { id: 'c', answers: { channels: [] } },
    ],
    'en',
  );
  assert.deepEqual(
    ds.columns.map((c) => `${c.kind}:${c.name}:${c.label}`),
    ['single:sat:sat', 'multiple:channels:channels', 'numeric:age:age', 'text:comment:comment'],
  );
  const sat = ds.columns[0]!;
  assert.equal(sat.kind, 'single');
  if (sat.kind !== 'single') return;
  assert.deepEqual([...sat.codes], [0, 1, MISSING]);
  assert.equal(sat.categories[0]!.label, 'Yes');
  assert.deepEqual(
    frequencies(sat).rows.map((r) => r.count),
    [1, 1],
  );
  const ch = ds.columns[1]!;
  if (ch.kind !== 'multiple') throw new Error('multiple expected');
  assert.deepEqual([...ch.answered], [1, 1, 1]);
  assert.deepEqual([...ch.selected], [1, 1, 1, 0, 0, 0]);
  const age = ds.columns[2]!;
  if (age.kind !== 'numeric') throw new Error('numeric expected');
  assert.deepEqual([...age.values], [70, 35, Number.NaN]);
  assert.throws(() => crosstab(sat, { ...sat, codes: new Int32Array(2) }), /different lengths/);
});

test('a Russian label falls back to the default language when the wanted one is missing', () => {
  const ds = datasetFromResponses(form, [{ id: 'a', answers: { channels: 'mfc' } }], 'en');
  const ch = ds.columns[1]!;
  assert.equal(ch.kind === 'multiple' && ch.categories[1]!.label, 'МФЦ');
});
