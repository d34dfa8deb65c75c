// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// The questionnaire designer on a real database: a questionnaire built question by question publishes
// as version 1 and reads back as the same form; a change that would break the form (a broken
// `relevant`, a reference to a question that is not there, a taken name, removing a question others
// depend on) is refused and leaves the draft as it was; two designers on one revision cannot overwrite
// each other; a draft opened from an uploaded questionnaire publishes as its next version.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Trx } from '../../platform/db/database.ts';
import type { AppError } from '../../platform/errors.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import * as designer from './surveys.designer.service.ts';
import {
  addGroup,
  addQuestion,
  changeQuestion,
  findNode,
  type GroupInput,
  inputOf,
  moveNode,
  parseChoices,
  type QuestionInput,
  removeNode,
} from './surveys.designer.ts';
import { type Question, questions } from './surveys.form.ts';
import * as svc from './surveys.service.ts';

const { db } = await testDatabase();
const actor: StaffActor = {
  kind: 'staff',
  userId: await staffUser(db, 'designer', 'researcher'),
  login: 'designer',
  fullName: 'Test',
  role: 'researcher',
  districtIds: [],
  sessionId: 't',
};
const tx = <T>(f: (trx: Trx) => Promise<T>) => db.transaction().execute(f);

const question = (over: Partial<QuestionInput>): QuestionInput => ({
  type: 'text',
  name: 'q',
  label: { ru: 'Вопрос', en: 'Question' },
  hint: {},
  required: false,
  relevant: '',
  constraint: '',
  constraintMessage: {},
  appearance: '',
  calculation: '',
  listName: '',
  choices: '',
  ...over,
});
const group: GroupInput = {
  kind: 'group',
  name: 'about',
  label: { ru: 'О вас', en: 'About you' },
  relevant: '',
  appearance: '',
};

async function change(id: number, op: Parameters<typeof designer.changeDraft>[4]) {
  const d = await designer.draft(db, id);
  return await tx((trx) => designer.changeDraft(trx, actor, id, d.revision, op));
}

describe('the questionnaire designer', () => {
  let draftId = 0;

  test('a new questionnaire needs a title and a free, well-formed form_id', async () => {
    const bad = await tx((trx) => designer.createDraft(trx, actor, { title: ' ', formId: '1 bad' }));
    assert.ok(!bad.ok);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['formId', 'title']);
    const made = await tx((trx) =>
      designer.createDraft(trx, actor, { title: 'Доступность услуг', formId: 'access_2026' }),
    );
    assert.ok(made.ok);
    draftId = made.id;
  });

  test('questions and groups are added, checked by the XLSForm rules after every change', async () => {
    assert.deepEqual(await change(draftId, (f) => addGroup(f, group, null)), { ok: true });
    const age = question({
      type: 'integer',
      name: 'age',
      label: { ru: 'Ваш возраст', en: 'Your age' },
      required: true,
      constraint: '. >= 18 and . <= 110',
      constraintMessage: { ru: 'От 18 до 110', en: 'From 18 to 110' },
    });
    assert.deepEqual(await change(draftId, (f) => addQuestion(f, age, 'about')), { ok: true });
    const channel = question({
      type: 'select_one',
      name: 'channel',
      label: { ru: 'Как вы обращались?', en: 'How did you apply?' },
      listName: 'channels',
      choices: 'portal | Через портал | Online\noffice | В центре | At the office',
    });
    assert.deepEqual(await change(draftId, (f) => addQuestion(f, channel, null)), { ok: true });
    const why = question({
      name: 'why_office',
      label: { ru: 'Почему не через портал?', en: 'Why not online?' },
      relevant: "${channel} = 'office'",
    });
    assert.deepEqual(await change(draftId, (f) => addQuestion(f, why, null)), { ok: true });

    const d = await designer.draft(db, draftId);
    assert.equal(d.revision, 5);
    assert.deepEqual(
      [...questions(d.form.children)].map(({ question: q, groups }) => [
        groups.map((g) => g.name),
        q.name,
        q.type,
      ]),
      [
        [['about'], 'age', 'integer'],
        [[], 'channel', 'select_one'],
        [[], 'why_office', 'text'],
      ],
    );
    assert.deepEqual(
      d.form.lists.find((l) => l.name === 'channels')?.choices.map((c) => [c.name, c.label.ru, c.label.en]),
      [
        ['portal', 'Через портал', 'Online'],
        ['office', 'В центре', 'At the office'],
      ],
    );
  });

  test('a change that breaks the form is refused, naming the question, and the draft stays as it was', async () => {
    const before = await designer.draft(db, draftId);
    const broken = await change(draftId, (f) =>
      addQuestion(f, question({ name: 'extra', relevant: "${channel} = = 'x'" }), null),
    );
    assert.ok(!broken.ok && 'problems' in broken);
    assert.equal(broken.problems[0]?.name, 'extra');
    assert.equal(broken.problems[0]?.problem.code, 'expression');

    const unknown = await change(draftId, (f) =>
      addQuestion(f, question({ name: 'extra', relevant: '${nowhere} > 1' }), null),
    );
    assert.ok(!unknown.ok && 'problems' in unknown);
    assert.equal(unknown.problems[0]?.problem.code, 'unknownReference');

    const taken = await change(draftId, (f) => addQuestion(f, question({ name: 'age' }), null));
    assert.deepEqual(taken, { ok: false, errors: { name: { key: 'surveys.designer.error.nameTaken' } } });

    // why_office depends on channel: removing channel would leave a dangling reference.
    const removal = await change(draftId, (f) => ({ ok: true, form: removeNode(f, 'channel') }));
    assert.ok(!removal.ok && 'problems' in removal);
    assert.equal(removal.problems[0]?.name, 'why_office');

    const after = await designer.draft(db, draftId);
    assert.equal(after.revision, before.revision);
    assert.deepEqual(after.form, before.form);
  });

  test('a select needs its choices; a bad choice line is named by its number', () => {
    const out = parseChoices('yes | Да | Yes\nno no | Нет | No', [
      { name: 'Русский', code: 'ru' },
      { name: 'English', code: 'en' },
    ]);
    assert.deepEqual(out, { ok: false, line: 2, reason: 'choiceName' });
    assert.deepEqual(parseChoices('a | A\na | B', [{ name: 'default', code: null }]), {
      ok: false,
      line: 2,
      reason: 'choiceDuplicate',
    });
  });

  test('questions move within their group and can be changed and removed', async () => {
    assert.deepEqual(await change(draftId, (f) => ({ ok: true, form: moveNode(f, 'why_office', 'up') })), {
      ok: true,
    });
    let d = await designer.draft(db, draftId);
    assert.deepEqual(
      d.form.children.map((n) => n.name),
      ['about', 'why_office', 'channel'],
    );
    const why = findNode(d.form, 'why_office') as Question;
    const changed = await change(draftId, (f) =>
      changeQuestion(f, 'why_office', {
        ...inputOf(f, why),
        required: true,
        label: { ru: 'Почему?', en: 'Why?' },
      }),
    );
    assert.deepEqual(changed, { ok: true });
    d = await designer.draft(db, draftId);
    assert.equal((findNode(d.form, 'why_office') as Question).required, true);
    assert.equal((findNode(d.form, 'why_office') as Question).label.en, 'Why?');
    assert.deepEqual(await change(draftId, (f) => ({ ok: true, form: removeNode(f, 'why_office') })), {
      ok: true,
    });
    d = await designer.draft(db, draftId);
    assert.equal(findNode(d.form, 'why_office'), null);
  });

  test('two designers on the same revision: the second change is refused, not lost', async () => {
    const d = await designer.draft(db, draftId);
    const first = await tx((trx) =>
      designer.changeDraft(trx, actor, draftId, d.revision, (f) => ({
        ok: true,
        form: moveNode(f, 'channel', 'up'),
      })),
    );
    assert.deepEqual(first, { ok: true });
    await assert.rejects(
      tx((trx) =>
        designer.changeDraft(trx, actor, draftId, d.revision, (f) => ({
          ok: true,
          form: removeNode(f, 'channel'),
        })),
      ),
      (e: AppError) => e.code === 'draft_changed' && e.status === 409,
    );
    assert.ok(findNode((await designer.draft(db, draftId)).form, 'channel'));
  });

  test('publishing makes version 1 of a new questionnaire with exactly the designed questions', async () => {
    const d = await designer.draft(db, draftId);
    const out = await tx((trx) => designer.publishDraft(trx, actor, draftId, d.revision, null));
    assert.ok(out.ok);
    assert.equal(out.number, 1);
    const q = await svc.questionnaire(db, out.questionnaireId);
    assert.equal(q.formId, 'access_2026');
    assert.equal(q.title, 'Доступность услуг');
    assert.deepEqual(q.latest.form.children, (await designer.draft(db, draftId)).form.children);
    // Publishing the same draft again makes no empty version.
    const again = await tx((trx) => designer.publishDraft(trx, actor, draftId, d.revision + 1, null));
    assert.deepEqual(again, { ok: false, reason: 'unchanged' });
  });

  test('an uploaded questionnaire opens in the designer and publishes as its next version', async () => {
    const file = await xlsx(SATISFACTION);
    const uploaded = await tx((trx) => svc.importQuestionnaire(trx, actor, file));
    assert.ok(uploaded.ok);
    const id = await tx((trx) => designer.openDraft(trx, actor, uploaded.questionnaireId));
    assert.equal(await tx((trx) => designer.openDraft(trx, actor, uploaded.questionnaireId)), id);
    const extra = question({
      name: 'closing_remark',
      label: { ru: 'Последнее слово', en: 'Closing remark' },
    });
    assert.deepEqual(await change(id, (f) => addQuestion(f, extra, null)), { ok: true });
    const d = await designer.draft(db, id);
    const out = await tx((trx) => designer.publishDraft(trx, actor, id, d.revision, null));
    assert.ok(out.ok);
    assert.equal(out.questionnaireId, uploaded.questionnaireId);
    assert.equal(out.number, 2);
    const versions = await svc.versions(db, uploaded.questionnaireId);
    const v1 = await svc.version(db, versions.find((v) => v.number === 1)!.id);
    const v2 = await svc.version(db, versions.find((v) => v.number === 2)!.id);
    assert.equal([...questions(v2.form.children)].length, [...questions(v1.form.children)].length + 1);
    assert.equal(findNode(v1.form, 'closing_remark'), null);
  });
});
