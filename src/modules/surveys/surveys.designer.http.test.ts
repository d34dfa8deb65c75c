// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// The questionnaire designer over HTTP, as a researcher uses it without JavaScript: a new
// questionnaire, a group and two questions added through the forms, a broken condition refused with
// the reason beside the field, a question moved, a stale form refused with 409, the draft published as
// version 1 and opened again from the questionnaire's page. Specialists have no access.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { questions } from './surveys.form.ts';
import * as svc from './surveys.service.ts';

const database = await testDatabase();
await seedSmallRegion(database, 20);
const { baseUrl, db } = await startTestApp({ database });
await staffUser(db, 'researcher', 'researcher');
await staffUser(db, 'spec', 'specialist', ['volgograd']);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}
const revisionOn = (html: string) => /name="revision" value="(\d+)"/.exec(html)?.[1] ?? '';
/** Posts a designer form with the revision the page shows, as the browser does. */
async function post(client: Client, page: string, action: string, fields: Record<string, string>) {
  const revision = revisionOn((await client.get(page)).body);
  return await client.submit(page, action, { revision, ...fields });
}

describe('the designer over HTTP', () => {
  let client: Client;
  let draft = '';

  test('a new questionnaire: bad identifier refused, then a draft', async () => {
    client = await signIn('researcher');
    const bad = await client.submit('/staff/surveys/designer/new', '/staff/surveys/designer', {
      title: 'Цифровая грамотность',
      formId: 'Digital Literacy',
    });
    assert.equal(bad.status, 422);
    assert.match(text(bad.body), /Идентификатор: латинские строчные буквы/);
    const made = await client.submit('/staff/surveys/designer/new', '/staff/surveys/designer', {
      title: 'Цифровая грамотность',
      formId: 'digital_literacy',
    });
    assert.equal(made.status, 303);
    draft = made.location!;
    assert.match(draft, /^\/staff\/surveys\/drafts\/\d+$/);
    assert.match(text((await client.get(draft)).body), /В анкете пока нет вопросов/);
  });

  test('a group and questions are added through the forms; a broken condition is refused beside its field', async () => {
    const group = await post(client, `${draft}/add?kind=group`, `${draft}/add`, {
      kind: 'group',
      name: 'devices',
      label_ru: 'Устройства',
      label_en: 'Devices',
    });
    assert.equal(group.status, 303);
    const select = await post(client, `${draft}/add`, `${draft}/add`, {
      kind: 'question',
      type: 'select_one',
      name: 'has_phone',
      label_ru: 'Есть ли у вас смартфон?',
      label_en: 'Do you have a smartphone?',
      required: 'yes',
      listName: 'yes_no',
      choices: 'yes | Да | Yes\nno | Нет | No',
      into: 'devices',
    });
    assert.equal(select.status, 303);
    const broken = await post(client, `${draft}/add`, `${draft}/add`, {
      kind: 'question',
      type: 'text',
      name: 'which_apps',
      label_ru: 'Какими приложениями пользуетесь?',
      label_en: 'Which apps do you use?',
      relevant: "${has_phone} = 'yes' and",
      into: 'devices',
    });
    assert.equal(broken.status, 422);
    const page = text(broken.body);
    assert.match(page, /Выражение не разбирается/);
    assert.match(broken.body, /id="relevant-error"/);
    // What was typed is kept.
    assert.match(broken.body, /value="which_apps"/);
    const fixed = await post(client, `${draft}/add`, `${draft}/add`, {
      kind: 'question',
      type: 'text',
      name: 'which_apps',
      label_ru: 'Какими приложениями пользуетесь?',
      label_en: 'Which apps do you use?',
      relevant: "${has_phone} = 'yes'",
      into: 'devices',
    });
    assert.equal(fixed.status, 303);
    const outline = text((await client.follow(fixed)).body);
    assert.match(outline, /Изменение сохранено/);
    assert.match(
      outline,
      /devices Устройства группа .* ↳ has_phone Есть ли у вас смартфон\? один вариант .* ↳ which_apps/,
    );
  });

  test('a question moves up; a form posted on an old revision is refused, not applied', async () => {
    const page = (await client.get(draft)).body;
    const old = revisionOn(page);
    const moved = await client.submit(draft, `${draft}/nodes/which_apps/move`, {
      revision: old,
      direction: 'up',
    });
    assert.equal(moved.status, 303);
    const stale = await client.submit(draft, `${draft}/nodes/which_apps/remove`, { revision: old });
    assert.equal(stale.status, 409);
    assert.match(text(stale.body), /Черновик успел изменить другой сотрудник/);
    const now = text((await client.get(draft)).body);
    assert.match(now, /which_apps .* has_phone/);
  });

  test('publishing makes version 1; the questionnaire page opens the designer again', async () => {
    const published = await client.submit(draft, `${draft}/publish`, {
      revision: revisionOn((await client.get(draft)).body),
    });
    assert.equal(published.status, 303);
    assert.match(text((await client.follow(published)).body), /Опубликована версия 1/);
    const [q] = await svc.questionnaires(db);
    assert.equal(q?.title, 'Цифровая грамотность');
    const v = await svc.version(db, q!.latestVersionId);
    assert.deepEqual(
      [...questions(v.form.children)].map(({ question }) => question.name),
      ['which_apps', 'has_phone'],
    );
    const again = await client.submit(`/staff/surveys/${q!.id}`, `/staff/surveys/${q!.id}/designer`, {});
    assert.equal(again.status, 303);
    assert.equal(again.location, draft);
    const unchanged = await client.submit(draft, `${draft}/publish`, {
      revision: revisionOn((await client.get(draft)).body),
    });
    assert.equal(unchanged.status, 422);
    assert.match(text(unchanged.body), /Черновик не отличается от опубликованной версии/);
  });

  test('a specialist cannot open the designer', async () => {
    const spec = await signIn('spec');
    assert.equal((await spec.get('/staff/surveys/designer/new')).status, 403);
    assert.equal((await spec.get(draft)).status, 403);
  });
});
