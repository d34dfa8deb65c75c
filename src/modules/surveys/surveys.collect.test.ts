// Collection over HTTP: a researcher creates waves (with the form's errors), the wave page shows the
// link, QR code and counts; an anonymous respondent answers page by page on the portal (errors in
// the error summary, in their language), continues on another device through the "continue later"
// link, checks the answers and sends them once; closed, not-yet-open and unknown waves; a linked
// wave refuses strangers and takes invited and signed-in residents; interviewers type interviews in.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { startAppWithEsia } from '../../../test/support/resident.ts';
import { regionToday } from '../../platform/time.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { SATISFACTION, xlsx } from './fixtures/forms.ts';
import * as waves from './surveys.waves.service.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 120);
const { baseUrl, signIn: residentSignIn } = await startAppWithEsia(database);
const researcherId = await staffUser(db, 'researcher', 'researcher');
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);
const [VOLGOGRAD, OLKHOVSKY] = await districtIdsByCodes(db, ['volgograd', 'olkhovsky']);

const TODAY = regionToday();
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}

/** Posts fields (repeated names allowed) with the CSRF token of the page at `pagePath`. */
async function post(client: Client, pagePath: string, action: string, fields: [string, string][]) {
  const page = await client.get(pagePath);
  return await client.request(
    'POST',
    action,
    new URLSearchParams([['_csrf', csrfToken(page.body)], ...fields]),
  );
}

const researcher = await signIn('researcher');
const uploaded = await researcher.upload(
  '/staff/surveys',
  '/staff/surveys',
  {},
  { file: { name: 'form.xlsx', bytes: await xlsx(SATISFACTION) } },
);
assert.equal(uploaded.status, 303);
const QID = Number(uploaded.location!.split('/').pop());

async function createWave(fields: Record<string, string>): Promise<waves.Wave> {
  const response = await researcher.submit(`/staff/surveys/${QID}/waves/new`, `/staff/surveys/${QID}/waves`, {
    opensOn: TODAY,
    closesOn: addDays(TODAY, 30),
    satisfactionQuestion: '',
    ...fields,
  });
  assert.equal(response.status, 303, text(response.body));
  return await waves.findWave(db, Number(response.location!.split('/').pop()));
}

const anonymous = await createWave({
  title: 'Осень 2026',
  mode: 'anonymous',
  satisfactionQuestion: 'overall',
});
const linked = await createWave({ title: 'Получатели, осень 2026', mode: 'linked' });

const responseRows = (waveId: number) =>
  db.selectFrom('survey_responses').selectAll().where('wave_id', '=', waveId).orderBy('id').execute();

describe('waves', () => {
  test('the form refuses a missing title, a past closing date and a closing date before the opening', async () => {
    const action = `/staff/surveys/${QID}/waves`;
    const form = `${action}/new`;
    let r = await researcher.submit(form, action, {
      title: '',
      mode: '',
      opensOn: TODAY,
      closesOn: addDays(TODAY, -1),
    });
    assert.equal(r.status, 422);
    let page = text(r.body);
    assert.match(page, /Исправьте ошибки|ошибк/i);
    assert.match(page, /Введите название волны/);
    assert.match(page, /Выберите, кто может ответить/);
    assert.match(page, /Дата окончания уже прошла/);
    assert.match(r.body, /href="#closesOn"/);
    r = await researcher.submit(form, action, {
      title: 'x',
      mode: 'linked',
      opensOn: addDays(TODAY, 10),
      closesOn: addDays(TODAY, 5),
    });
    assert.equal(r.status, 422);
    page = text(r.body);
    assert.match(page, /Дата окончания должна быть не раньше даты начала/);
    r = await researcher.submit(form, action, {
      title: 'x',
      mode: 'linked',
      opensOn: TODAY,
      closesOn: TODAY,
      satisfactionQuestion: 'comment',
    });
    assert.equal(r.status, 422, 'a text question cannot be the satisfaction indicator');
    assert.equal((await waves.wavesOf(db, QID)).length, 2);
  });

  test('the wave page shows the absolute link, an inline QR code, counts; the questionnaire lists its waves', async () => {
    const page = await researcher.get(`/staff/surveys/waves/${anonymous.id}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(`href="${baseUrl}/s/${anonymous.token}"`));
    assert.match(page.body, /<svg[^>]*viewBox/);
    assert.match(page.body, new RegExp(`/staff/surveys/waves/${anonymous.id}/sample`));
    assert.match(page.body, new RegExp(`/staff/surveys/waves/${anonymous.id}/results`));
    assert.equal(anonymous.satisfactionQuestion, 'overall');
    assert.equal(anonymous.token.length, 32);
    const qr = await researcher.get(`/staff/surveys/waves/${anonymous.id}/qr.svg`);
    assert.equal(qr.status, 200);
    assert.match(qr.headers.get('content-type') ?? '', /image\/svg\+xml/);
    assert.match(qr.body, /^<svg/);
    const q = text((await researcher.get(`/staff/surveys/${QID}`)).body);
    assert.match(q, /Осень 2026/);
    assert.match(q, /Создать волну/);
    // Interviewers do not design waves.
    const spec = await signIn('spec.volgograd');
    assert.equal((await spec.get(`/staff/surveys/waves/${anonymous.id}`)).status, 403);
  });
});

describe('portal self-completion', () => {
  test('anonymous: start, a page with errors, resume elsewhere, check answers, send once', async () => {
    const base = `/s/${anonymous.token}`;
    const browser = new Client(baseUrl);
    const start = await browser.get(base);
    assert.equal(start.status, 200);
    assert.match(text(start.body), /Осень 2026/);
    assert.match(text(start.body), /анонимный/);
    let r = await post(browser, base, `${base}/start`, []);
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/p/0`);
    assert.ok(browser.cookie(`opora_survey_${anonymous.id}`), 'the resume cookie is set');

    // The form's own constraint message, in the reader's language, in the error summary.
    r = await post(browser, `${base}/p/0`, `${base}/p/0`, [
      ['age', '130'],
      ['used_online', 'yes'],
    ]);
    assert.equal(r.status, 422);
    assert.match(r.body, /class="error-summary"/);
    assert.match(r.body, /<a href="#age">От 14 до 120<\/a>/);
    assert.match(r.body, /<a href="#overall">Ответьте на этот вопрос<\/a>/);
    assert.match(r.body, /value="130"/, 'what was typed is shown again');
    browser.setCookie('opora_lang', 'en');
    r = await post(browser, `${base}/p/0`, `${base}/p/0`, [['age', '130']]);
    assert.match(r.body, /<a href="#age">From 14 to 120<\/a>/);
    browser.setCookie('opora_lang', 'ru');
    assert.deepEqual((await responseRows(anonymous.id))[0]!.answers, {}, 'a page with errors is not saved');

    r = await post(browser, `${base}/p/0`, `${base}/p/0`, [
      ['age', '67'],
      ['used_online', 'yes'],
      ['channels', 'portal'],
      ['channels', 'phone'],
      ['overall', '4'],
    ]);
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/p/1`, 'the matrix page follows, as "overall" is answered');
    const matrix = await browser.get(`${base}/p/1`);
    assert.match(matrix.body, /<table class="table matrix__table">/);
    const resumeLink = new RegExp(`${baseUrl}${base}/r/([A-Za-z0-9_-]+)`).exec(matrix.body);
    assert.ok(resumeLink, 'the page shows the continue-later link');
    let [row] = await responseRows(anonymous.id);
    assert.deepEqual(row!.answers, {
      age: 67,
      used_online: 'yes',
      channels: ['portal', 'phone'],
      overall: '4',
    });
    assert.equal(row!.page, 1);
    assert.equal(row!.resume_sha256, createHash('sha256').update(resumeLink[1]!).digest('hex'));

    // Another device: the link restores the response at its page.
    const phone = new Client(baseUrl);
    r = await phone.get(resumeLink[0]!.slice(baseUrl.length));
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/p/1`);
    r = await post(phone, `${base}/p/1`, `${base}/p/1`, [
      ['staff_polite', '5'],
      ['staff_competent', '4'],
    ]);
    assert.equal(r.location, `${base}/p/2`);
    r = await post(phone, `${base}/p/2`, `${base}/p/2`, [
      ['last_visit', '01.11.2026'],
      ['comment', 'Больше окон'],
      ['district', 'south'],
      ['settlement', 'n1'],
    ]);
    assert.equal(r.status, 422, 'a settlement of another district');
    assert.match(text(r.body), /Выберите один из вариантов/);
    r = await post(phone, `${base}/p/2`, `${base}/p/2`, [
      ['last_visit', '2026-11-01'],
      ['comment', 'Больше окон'],
      ['district', 'south'],
      ['settlement', 's1'],
    ]);
    assert.equal(r.location, `${base}/p/3`);
    // The repeat: "add another" shows a second instance without saving.
    r = await post(phone, `${base}/p/3`, `${base}/p/3`, [
      ['household._count', '1'],
      ['household.0.member_name', 'Анна'],
      ['_action', 'add:household'],
    ]);
    assert.equal(r.status, 200);
    assert.match(r.body, /name="household\.1\.member_name"/);
    assert.match(r.body, /value="Анна"/);
    // "Remove" drops exactly that instance and renumbers the rest, saving nothing either.
    r = await post(phone, `${base}/p/3`, `${base}/p/3`, [
      ['household._count', '2'],
      ['household.0.member_name', 'Ошибка'],
      ['household.1.member_name', 'Анна'],
      ['_action', 'remove:household:0'],
    ]);
    assert.equal(r.status, 200);
    assert.match(
      r.body,
      /name="household\.0\.member_name"[^>]*value="Анна"|value="Анна"[^>]*name="household\.0\.member_name"/,
    );
    assert.doesNotMatch(r.body, /Ошибка/);
    r = await post(phone, `${base}/p/3`, `${base}/p/3`, [
      ['household._count', '2'],
      ['household.0.member_name', 'Анна'],
      ['household.0.member_income', '12,5'],
      ['household.1.member_name', 'Иван'],
    ]);
    assert.equal(r.location, `${base}/check`);
    const check = text((await phone.get(`${base}/check`)).body);
    assert.match(check, /Проверьте ответы/);
    assert.match(check, /Вы подавали заявление через интернет\? Да/);
    assert.match(check, /Портал, Телефон/);
    assert.match(check, /Члены семьи 2: Имя Иван/);

    const token = csrfToken((await phone.get(`${base}/check`)).body);
    r = await post(phone, `${base}/check`, `${base}/submit`, []);
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/done`);
    assert.match(text((await phone.get(`${base}/done`)).body), /Спасибо/);
    [row] = await responseRows(anonymous.id);
    assert.equal(row!.status, 'complete');
    assert.ok(row!.completed_at);
    assert.deepEqual(row!.answers.household, [
      { member_name: 'Анна', member_income: 12.5 },
      { member_name: 'Иван' },
    ]);

    // Sending again, or posting a page, changes nothing; the first browser is told it is done.
    r = await phone.request('POST', `${base}/submit`, new URLSearchParams({ _csrf: token }));
    assert.equal(r.location, `${base}/done`);
    r = await phone.request('POST', `${base}/p/0`, new URLSearchParams({ _csrf: token, age: '20' }));
    assert.equal(r.location, `${base}/done`);
    const [after] = await responseRows(anonymous.id);
    assert.deepEqual(after!.completed_at, row!.completed_at);
    assert.equal(after!.answers.age, 67);
    assert.equal((await browser.get(`${base}/p/2`)).location, `${base}/done`);
    const counts = await waves.waveCounts(db, anonymous.id);
    assert.equal(counts.complete, 1);
    assert.equal(counts.byChannel.portal.complete, 1);
  });

  test('skip logic: answers of questions that became irrelevant are dropped', async () => {
    const base = `/s/${anonymous.token}`;
    const browser = new Client(baseUrl);
    await post(browser, base, `${base}/start`, []);
    const r = await post(browser, `${base}/p/0`, `${base}/p/0`, [
      ['age', '30'],
      ['used_online', 'no'],
      ['channels', 'portal'],
      ['overall', '2'],
    ]);
    assert.equal(r.status, 303);
    const rows = await responseRows(anonymous.id);
    assert.deepEqual(rows.at(-1)!.answers, { age: 30, used_online: 'no', overall: '2' });
    // A page with nothing to ask (only a calculation) is passed over even when typed in.
    assert.equal((await browser.get(`${base}/p/4`)).location, `${base}/check`);
  });

  test('closed, not yet open and unknown waves', async () => {
    const closed = await createWave({ title: 'Закрытая', mode: 'anonymous' });
    const future = await createWave({
      title: 'Будущая',
      mode: 'anonymous',
      opensOn: addDays(TODAY, 5),
      closesOn: addDays(TODAY, 9),
    });
    await db
      .updateTable('survey_waves')
      .set({ opens_on: addDays(TODAY, -20), closes_on: addDays(TODAY, -1) })
      .where('id', '=', closed.id)
      .execute();
    const visitor = new Client(baseUrl);
    let r = await visitor.get(`/s/${closed.token}`);
    assert.equal(r.status, 410);
    assert.match(text(r.body), /Опрос завершён/);
    r = await visitor.get(`/s/${future.token}`);
    assert.equal(r.status, 403);
    assert.match(text(r.body), /Опрос ещё не начался/);
    assert.equal((await visitor.get(`/s/${'x'.repeat(32)}`)).status, 404);
  });

  test('a linked wave refuses a visitor without an invitation', async () => {
    const base = `/s/${linked.token}`;
    const visitor = new Client(baseUrl);
    let r = await visitor.get(base);
    assert.equal(r.status, 403);
    assert.match(text(r.body), /Откройте ссылку из приглашения или войдите/);
    // A token from a page with a form (the anonymous wave's start page).
    r = await post(visitor, `/s/${anonymous.token}`, `${base}/start`, []);
    assert.equal(r.status, 403);
    assert.equal((await visitor.get(`${base}/i/${'a'.repeat(43)}`)).status, 404);
    assert.equal((await responseRows(linked.id)).length, 0);
  });

  test('an invitation link: one response per invitation, with the invitation strata as background', async () => {
    const person = await db
      .selectFrom('persons')
      .select(['id'])
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const sample = await db
      .insertInto('survey_samples')
      .values({
        wave_id: linked.id,
        seed: 1,
        strata: ['district', 'ageGroup'],
        allocation: 'proportional',
        size: 1,
        population: 1,
        created_by: researcherId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const secret = 'b'.repeat(43);
    await db
      .insertInto('survey_invitations')
      .values({
        wave_id: linked.id,
        sample_id: sample.id,
        person_id: person.id,
        strata: JSON.stringify({ district: '7', ageGroup: '60-74' }),
        token_sha256: createHash('sha256').update(secret).digest('hex'),
      })
      .execute();
    const base = `/s/${linked.token}`;
    const invited = new Client(baseUrl);
    let r = await invited.get(`${base}/i/${secret}`);
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/p/0`);
    r = await post(invited, `${base}/p/0`, `${base}/p/0`, [
      ['age', '66'],
      ['used_online', 'no'],
      ['overall', '5'],
    ]);
    assert.equal(r.status, 303);
    // The same link again (another device) continues the same response.
    const again = new Client(baseUrl);
    r = await again.get(`${base}/i/${secret}`);
    assert.equal(r.location, `${base}/p/1`);
    const rows = await responseRows(linked.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.person_id, person.id);
    assert.ok(rows[0]!.invitation_id);
    assert.deepEqual(rows[0]!.background, { district: '7', ageGroup: '60-74' });
    // Once sent, the link says so instead of opening the survey again.
    r = await post(again, `${base}/check`, `${base}/submit`, []);
    assert.equal(r.location, `${base}/done`);
    r = await new Client(baseUrl).get(`${base}/i/${secret}`);
    assert.equal(r.status, 200);
    assert.match(text(r.body), /Вы уже ответили на этот опрос/);
    assert.equal((await responseRows(linked.id)).length, 1);
  });

  test('a signed-in resident answers a linked wave with their registry background', async () => {
    const person = await db
      .selectFrom('persons')
      .select(['id', 'snils', 'district_id'])
      .where('district_id', '=', VOLGOGRAD!)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const resident = await residentSignIn(person.snils);
    const base = `/s/${linked.token}`;
    const start = await resident.get(base);
    assert.equal(start.status, 200);
    const r = await post(resident, base, `${base}/start`, []);
    assert.equal(r.status, 303);
    assert.equal(r.location, `${base}/p/0`);
    const row = (await responseRows(linked.id)).find((x) => x.person_id === person.id)!;
    assert.equal(row.channel, 'portal');
    assert.equal(row.background.district, String(person.district_id));
    assert.ok(row.background.channel);
    // No resume link: signing in again is how a linked respondent comes back.
    assert.doesNotMatch((await resident.get(`${base}/p/0`)).body, /\/r\//);
  });
});

describe('interviewer mode', () => {
  test('an anonymous street interview, typed in and sent; resumable from the fieldwork page', async () => {
    const spec = await signIn('spec.volgograd');
    const home = await spec.get('/staff/fieldwork');
    assert.equal(home.status, 200);
    assert.match(text(home.body), /Осень 2026/);
    let r = await post(
      spec,
      `/staff/fieldwork/waves/${anonymous.id}`,
      `/staff/fieldwork/waves/${anonymous.id}/start`,
      [],
    );
    assert.equal(r.status, 303);
    const base = /^(\/staff\/fieldwork\/interviews\/\d+)\/p\/0$/.exec(r.location ?? '')?.[1];
    assert.ok(base, r.location ?? '');
    r = await post(spec, `${base}/p/0`, `${base}/p/0`, [
      ['age', '81'],
      ['used_online', 'no'],
      ['overall', '3'],
    ]);
    assert.equal(r.location, `${base}/p/1`);
    // Unfinished: listed on the fieldwork page, and only its interviewer may open it.
    assert.ok((await spec.get('/staff/fieldwork')).body.includes(`href="${base}"`));
    assert.equal((await spec.get(base)).location, `${base}/p/1`);
    const other = await signIn('spec.olkhovsky');
    assert.equal((await other.get(`${base}/p/1`)).status, 403);
    r = await post(spec, `${base}/p/1`, `${base}/p/1`, [['staff_polite', '4']]);
    r = await post(spec, `${base}/p/2`, `${base}/p/2`, []);
    r = await post(spec, `${base}/p/3`, `${base}/p/3`, [['household._count', '1']]);
    assert.equal(r.location, `${base}/check`);
    r = await post(spec, `${base}/check`, `${base}/submit`, []);
    assert.equal(r.location, `${base}/done`);
    const id = Number(base.split('/').pop());
    const row = await db
      .selectFrom('survey_responses')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.channel, 'interviewer');
    assert.equal(row.status, 'complete');
    assert.equal(row.person_id, null);
    assert.ok(row.interviewer_id);
    assert.ok(!(await spec.get('/staff/fieldwork')).body.includes(`href="${base}"`));
  });

  test('a linked interview: the resident found by SNILS in the district, audited; other districts refused', async () => {
    const spec = await signIn('spec.volgograd');
    const page = `/staff/fieldwork/waves/${linked.id}`;
    const action = `${page}/start`;
    let r = await spec.submit(page, action, { snils: '123' });
    assert.equal(r.status, 422);
    assert.match(text(r.body), /СНИЛС/);
    const mine = await db
      .selectFrom('persons')
      .select(['id', 'snils'])
      .where('district_id', '=', VOLGOGRAD!)
      .orderBy('id')
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    r = await spec.submit(page, action, { snils: mine.snils });
    assert.equal(r.status, 303, text(r.body));
    const row = (await responseRows(linked.id)).find((x) => x.person_id === mine.id)!;
    assert.equal(row.channel, 'interviewer');
    assert.equal(row.background.district, String(VOLGOGRAD));
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'survey_interview.started')
      .where('subject_id', '=', String(row.id))
      .executeTakeFirstOrThrow();
    assert.equal((audit.details as { reason: string }).reason, 'survey_interview');
    // Starting again resumes the same interview.
    r = await spec.submit(page, action, { snils: mine.snils });
    assert.equal(r.location, `/staff/fieldwork/interviews/${row.id}/p/0`);
    // Meanwhile the resident cannot take over the interview on the portal.
    const resident = await residentSignIn(mine.snils);
    const portal = `/s/${linked.token}`;
    assert.equal((await resident.get(portal)).status, 200);
    const refused = await post(resident, portal, `${portal}/start`, []);
    assert.equal(refused.status, 409);
    assert.equal((await responseRows(linked.id)).filter((x) => x.person_id === mine.id).length, 1);
    const theirs = await db
      .selectFrom('persons')
      .select(['snils'])
      .where('district_id', '=', OLKHOVSKY!)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    r = await spec.submit(page, action, { snils: theirs.snils });
    assert.equal(r.status, 403);
  });
});
