// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// Questionnaires and interview guides in the service layer, on a real database: an upload becomes
// version 1 with an audit entry; the same file again is the same version; a changed file with the same
// form_id is version 2 while version 1 keeps its model; a wrong file stores nothing; only designers
// may upload; export gives back the model and the original file; guides keep their topics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { staffUser } from '../../../test/support/fixtures.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { AppError, ValidationError } from '../../platform/errors.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import { questions } from './surveys.form.ts';
import * as svc from './surveys.service.ts';
import { importXlsForm } from './surveys.xlsform.ts';

const { db } = await testDatabase();
const staff = (userId: number, role: StaffActor['role']): StaffActor => ({
  kind: 'staff',
  userId,
  login: 'x',
  fullName: 'Test',
  role,
  districtIds: [],
  sessionId: 't',
});
const researcher = staff(await staffUser(db, 'researcher', 'researcher'), 'researcher');
// Refused before anything is written, so the specialist needs no row (nor districts).
const specialist = staff(-1, 'specialist');
const upload = (file: Buffer, actor = researcher, options = {}) =>
  db.transaction().execute((trx) => svc.importQuestionnaire(trx, actor, file, options));

const v1File = await xlsx(SATISFACTION);
const v2File = await xlsx({
  ...SATISFACTION,
  survey: [...SATISFACTION.survey!, ['text', 'phone', 'Телефон', 'Telephone']],
  settings: [
    SATISFACTION.settings![0]!,
    ['Удовлетворённость услугами (2)', 'satisfaction', '2026112001', 'ru'],
  ],
});

describe('questionnaire versions', () => {
  let questionnaireId = 0;
  let v1 = 0;

  test('an upload is version 1 of a new questionnaire, audited', async () => {
    const out = await upload(v1File);
    assert.ok(out.ok);
    assert.equal(out.number, 1);
    assert.equal(out.created, true);
    questionnaireId = out.questionnaireId;
    v1 = out.versionId;
    const q = await svc.questionnaire(db, questionnaireId);
    assert.equal(q.formId, 'satisfaction');
    assert.equal(q.title, 'Удовлетворённость услугами');
    assert.equal(q.latest.id, v1);
    assert.equal(q.latest.sha256, svc.sha256(v1File));
    const parsed = await importXlsForm(v1File);
    assert.ok(parsed.ok);
    assert.deepEqual(q.latest.form, parsed.form, 'the stored model is the parsed form');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'details'])
      .where('subject_kind', '=', 'questionnaire')
      .where('subject_id', '=', String(questionnaireId))
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.actor_id, a.action, (a.details as { number: number }).number]),
      [[String(researcher.userId), 'questionnaire.version_imported', 1]],
    );
  });

  test('the same file again is the same version, nothing new stored', async () => {
    const out = await upload(v1File);
    assert.deepEqual(out, { ok: true, questionnaireId, versionId: v1, number: 1, created: false });
    assert.equal((await svc.versions(db, questionnaireId)).length, 1);
  });

  test('a changed file with the same form_id is version 2; version 1 keeps its form', async () => {
    const out = await upload(v2File);
    assert.ok(out.ok);
    assert.equal(out.questionnaireId, questionnaireId);
    assert.equal(out.number, 2);
    const list = await svc.versions(db, questionnaireId);
    assert.deepEqual(
      list.map((v) => [v.number, v.formVersion]),
      [
        [2, '2026112001'],
        [1, '2026111901'],
      ],
    );
    const names = async (versionId: number) =>
      [...questions((await svc.version(db, versionId)).form.children)].map((q) => q.question.name);
    assert.ok((await names(out.versionId)).includes('phone'));
    assert.ok(!(await names(v1)).includes('phone'), 'responses to version 1 still read against version 1');
    const q = await svc.questionnaire(db, questionnaireId);
    assert.equal(q.latest.number, 2);
    assert.equal(q.title, 'Удовлетворённость услугами (2)');
    assert.equal((await svc.questionnaires(db)).length, 1);
  });

  test('a file of another questionnaire cannot be a version of this one', async () => {
    const other = await xlsx({ ...SATISFACTION, settings: [['form_id'], ['other_form']] });
    await assert.rejects(
      upload(other, researcher, { questionnaireId }),
      (e: AppError) => e.code === 'form_id_mismatch',
    );
    const out = await upload(other);
    assert.ok(out.ok);
    assert.notEqual(out.questionnaireId, questionnaireId);
  });

  test('a wrong file returns its problems and stores nothing', async () => {
    const before = await svc.questionnaires(db);
    const bad = await xlsx({
      survey: [
        ['type', 'name', 'label', 'relevant'],
        ['rating', 'r', 'Rate'],
        ['text', 't', 'T', '${r} >'],
      ],
      settings: [['form_id'], ['broken']],
    });
    const out = await upload(bad);
    assert.equal(out.ok, false);
    assert.deepEqual(out.ok ? [] : out.problems.map((p) => [p.sheet, p.row, p.column, p.code]), [
      ['survey', 2, 'A', 'unknownType'],
      ['survey', 3, 'D', 'expression'],
    ]);
    assert.deepEqual(await svc.questionnaires(db), before);
  });

  test('only designers upload', async () => {
    await assert.rejects(upload(v1File, specialist), (e: AppError) => e.code === 'forbidden');
  });

  test('export: the stored model as XLSForm, or the file as uploaded', async () => {
    const canonical = await svc.exportQuestionnaire(db, v1);
    assert.equal(canonical.fileName, 'satisfaction-v1.xlsx');
    const again = await importXlsForm(canonical.bytes);
    assert.ok(again.ok);
    assert.deepEqual(again.form, (await svc.version(db, v1)).form);
    const source = await svc.exportQuestionnaire(db, v1, 'source');
    assert.equal(svc.sha256(source.bytes), svc.sha256(v1File));
  });
});

describe('interview guides', () => {
  test('an outline becomes topics with questions and probes', () => {
    assert.deepEqual(
      svc.parseGuideOutline(
        '# Цифровые услуги\nКак жители узнают о мерах поддержки?\n- Какие каналы работают лучше?\n\n# Кадры\nЧего не хватает специалистам?',
      ),
      [
        {
          title: 'Цифровые услуги',
          questions: [
            { text: 'Как жители узнают о мерах поддержки?', probes: ['Какие каналы работают лучше?'] },
          ],
        },
        { title: 'Кадры', questions: [{ text: 'Чего не хватает специалистам?', probes: [] }] },
      ],
    );
  });

  test('a guide is stored, audited and read back; an empty one is refused', async () => {
    const topics = svc.parseGuideOutline('# Тема\nВопрос?');
    const id = await db
      .transaction()
      .execute((trx) =>
        svc.createGuide(trx, researcher, { title: ' Интервью с руководителями ', purpose: '', topics }),
      );
    const g = await svc.guide(db, id);
    assert.equal(g.title, 'Интервью с руководителями');
    assert.deepEqual(g.topics, topics);
    assert.deepEqual(
      (await svc.guides(db)).map((x) => x.id),
      [id],
    );
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => svc.createGuide(trx, researcher, { title: '', purpose: '', topics: [] })),
      (e: ValidationError) =>
        e.fields.title === 'surveys.guide.titleMissing' && e.fields.topics === 'surveys.guide.noTopics',
    );
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => svc.createGuide(trx, specialist, { title: 'x', purpose: '', topics })),
      (e: AppError) => e.code === 'forbidden',
    );
  });
});
