// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}; these are form text, not templates.
// Questionnaires over HTTP: only designers open /staff/surveys; a broken XLSForm is refused with the
// table of problems (sheet, row, column, reason) and nothing stored; a valid one becomes version 1
// and its page lists the version and the questions; the version downloads as an XLSForm that
// imports to the same form.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import * as svc from './surveys.service.ts';
import { importXlsForm } from './surveys.xlsform.ts';

const { baseUrl, db } = await startTestApp();
await staffUser(db, 'researcher', 'researcher');
await staffUser(db, 'admin', 'administrator');
const PAGE = '/staff/surveys';

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}
const upload = (client: Client, bytes: Buffer) =>
  client.upload(PAGE, PAGE, {}, { file: { name: 'form.xlsx', bytes } });

describe('questionnaires over HTTP', () => {
  test('a broken form shows its problems by sheet, row and column; nothing is stored', async () => {
    const client = await signIn('researcher');
    const survey = SATISFACTION.survey!.map((r) => [...r]);
    survey[2]![0] = 'geopoint';
    survey[4]![7] = "${used_online} = 'yes' and";
    const response = await upload(client, await xlsx({ ...SATISFACTION, survey }));
    assert.equal(response.status, 422);
    const page = text(response.body);
    assert.match(page, /Анкета не загружена/);
    assert.match(page, /В файле 2 ошибки/);
    assert.match(page, /survey 3 A Неизвестный тип вопроса «geopoint»\./);
    assert.match(page, /survey 5 H Выражение не разбирается: выражение оборвано \(символ 27\)\./);
    assert.deepEqual(await svc.questionnaires(db), []);
  });

  test('no file: the field error', async () => {
    const client = await signIn('researcher');
    const response = await client.upload(PAGE, PAGE, {}, {});
    assert.equal(response.status, 422);
    assert.match(text(response.body), /Выберите файл XLSForm/);
  });

  test('a valid form becomes version 1, listed, with its questions, downloadable', async () => {
    const client = await signIn('researcher');
    const file = await xlsx(SATISFACTION);
    const response = await upload(client, file);
    assert.equal(response.status, 303);
    const [listed] = await svc.questionnaires(db);
    assert.equal(response.location, `${PAGE}/${listed!.id}`);
    const page = text((await client.follow(response)).body);
    assert.match(page, /Удовлетворённость услугами/);
    assert.match(page, /Вопросы версии 1/);
    assert.match(page, /age — Сколько вам лет\? \(целое число\)/);
    assert.match(page, /Оцените сотрудников \(таблица \(матрица\)\)/);

    const list = text((await client.get(PAGE)).body);
    assert.match(list, /Удовлетворённость услугами satisfaction 1/);

    const download = await fetch(`${baseUrl}${PAGE}/versions/${listed!.latestVersionId}/form.xlsx`, {
      headers: { cookie: `opora_session=${client.cookie('opora_session')}` },
    });
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /satisfaction-v1\.xlsx/);
    const again = await importXlsForm(Buffer.from(await download.arrayBuffer()));
    assert.ok(again.ok);
    assert.deepEqual(again.form, (await svc.version(db, listed!.latestVersionId)).form);
  });

  test('the English page', async () => {
    const client = await signIn('admin');
    const page = text((await client.get(PAGE, { 'accept-language': 'en' })).body);
    assert.match(page, /Questionnaires/);
  });
});
