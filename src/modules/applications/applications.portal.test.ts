// The resident's side of applications over HTTP: a labour veteran signed in through the ESIA simulator
// applies online for VETERAN-EDV step by step, resumes a draft, sends it twice (one application),
// uploads bad files, withdraws, reads messages and letters, and appeals a refusal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/db.ts';
import { bigFile, ELF_EXECUTABLE, SMALL_PDF } from '../../../test/support/documents.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { pdfText } from '../../../test/support/pdf.ts';
import { startAppWithEsia } from '../../../test/support/resident.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { addWorkingDays } from '../../platform/calendar/calendar.service.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { formatSnils } from '../registry/snils.ts';
import { act, addNote, decideAppeal, documentsToUpload, validBankAccount } from './applications.service.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 300);
const { baseUrl, signIn } = await startAppWithEsia(database);
const ctx = { ip: '127.0.0.1' };

const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
async function staffActor(login: string, role: StaffActor['role']): Promise<StaffActor> {
  const userId = await staffUser(db, login, role, ['volgograd']);
  return {
    kind: 'staff',
    userId,
    login,
    fullName: `Test ${login}`,
    role,
    districtIds: [volgograd!],
    sessionId: 't',
  };
}
const specialist = await staffActor('spec.volgograd', 'specialist');
const head = await staffActor('head.volgograd', 'district_head');

// Labour veterans of Volgograd from the seeded registry; each test takes its own.
const veterans = await db
  .selectFrom('persons')
  .select(['id', 'snils', 'last_name', 'first_name', 'patronymic', 'birth_date', 'address'])
  .where('district_id', '=', volgograd!)
  .where(sql<boolean>`'labour_veteran' = any(categories)`)
  .orderBy('id')
  .limit(10)
  .execute();
assert.ok(veterans.length >= 8, 'the seed has labour veterans in Volgograd');
let nextVeteran = 0;
const veteran = () => veterans[nextVeteran++]!;

const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
const certificate = documentsToUpload(measure)[0]!;
assert.equal(certificate.title_en, "Veteran's certificate", 'the one document a veteran uploads');

const BIK = '044525225';
/** A 20-digit account that passes the Bank of Russia key check with BIK. */
const ACCOUNT = (() => {
  for (let k = 0; k < 10; k++) {
    const account = `40817810${k}00000012345`;
    if (validBankAccount(BIK, account)) return account;
  }
  throw new Error('no key digit fits');
})();

/** The raw bytes of a download (the test client reads bodies as text). */
async function bytesOf(client: Client, path: string) {
  const response = await fetch(`${client.base}${path}`, {
    headers: { cookie: `opora_session=${client.cookie('opora_session')}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const idOf = (location: string | null) => Number(/\/me\/applications\/(\d+)/.exec(location ?? '')?.[1]);

async function start(client: Client): Promise<number> {
  const r = await client.submit('/measures/VETERAN-EDV/apply', '/me/applications', {
    measure: 'VETERAN-EDV',
  });
  assert.equal(r.status, 303);
  assert.match(r.location ?? '', /^\/me\/applications\/\d+\/contact$/);
  return idOf(r.location);
}

async function uploadCertificate(
  client: Client,
  id: number,
  bytes: Buffer = SMALL_PDF,
  name = 'certificate.pdf',
) {
  return await client.upload(
    `/me/applications/${id}/documents`,
    `/me/applications/${id}/documents`,
    { measure_document_id: String(certificate.id) },
    { file: { name, bytes, type: 'application/pdf' } },
  );
}

/** Fills every step of a fresh draft. */
async function fill(client: Client, id: number) {
  const base = `/me/applications/${id}`;
  assert.equal(
    (await client.submit(`${base}/contact`, `${base}/contact`, { phone: '+7 902 123-45-67' })).status,
    303,
  );
  const paid = await client.submit(`${base}/payment`, `${base}/payment`, {
    method: 'bank',
    bik: BIK,
    account: ACCOUNT,
  });
  assert.equal(paid.status, 303);
  assert.equal((await uploadCertificate(client, id)).status, 303);
}

async function send(client: Client, id: number) {
  const r = await client.submit(`/me/applications/${id}/check`, `/me/applications/${id}/check`, {
    declared: 'yes',
  });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/me/applications/${id}/sent`);
  return r;
}

async function submitted(client: Client): Promise<number> {
  const id = await start(client);
  await fill(client, id);
  await send(client, id);
  return id;
}

const version = async (id: number) =>
  (await db.selectFrom('applications').select('version').where('id', '=', id).executeTakeFirstOrThrow())
    .version;

async function refuse(id: number) {
  await db.transaction().execute(async (trx) => {
    const registered = await act(trx, specialist, id, await version(id), 'register', {}, ctx);
    await act(trx, specialist, id, registered.version, 'refuse', { ground: 'not_eligible' }, ctx);
  });
}

describe('applying online', () => {
  test('a labour veteran applies for VETERAN-EDV step by step, from the start page to the confirmation', async () => {
    const person = veteran();
    await db.updateTable('persons').set({ phone: '+7 902 555-01-02' }).where('id', '=', person.id).execute();

    // The start page says what to upload, what we request ourselves, and how long it takes.
    const anonymous = new Client(baseUrl);
    const startPage = await anonymous.get('/measures/VETERAN-EDV/apply');
    assert.equal(startPage.status, 200);
    const intro = text(startPage.body);
    assert.match(intro, /Удостоверение ветерана/);
    assert.match(intro, /Сведения о видах и размере пенсии — запросим в: Социальный фонд России/);
    assert.match(intro, /примем решение в течение 10 рабочих дней/);
    assert.match(
      startPage.body,
      /href="\/sign-in\?return=%2Fmeasures%2FVETERAN-EDV%2Fapply"/,
      'sign in first',
    );
    const english = text(
      (await anonymous.get('/measures/VETERAN-EDV/apply', { 'accept-language': 'en' })).body,
    );
    assert.match(english, /Documents you upload Veteran's certificate/);
    assert.match(english, /Type and amount of pension: we request it from Social Fund of Russia/);
    // A visitor whose session ended posts the start form: sent to sign in, and back to the start.
    const anonymousStart = await anonymous.submit('/staff/sign-in', '/me/applications', {
      measure: 'VETERAN-EDV',
    });
    assert.equal(anonymousStart.status, 303);
    assert.equal(anonymousStart.location, '/sign-in?return=%2Fmeasures%2FVETERAN-EDV%2Fapply');

    const resident = await signIn(person.snils);
    const measurePage = await resident.get('/measures/VETERAN-EDV');
    assert.match(
      measurePage.body,
      /href="\/measures\/VETERAN-EDV\/apply"/,
      'the measure page links to the form',
    );
    const id = await start(resident);
    const base = `/me/applications/${id}`;

    // Contact: pre-filled from the registry; an empty answer is refused with a clear error.
    const contact = await resident.get(`${base}/contact`);
    assert.match(contact.body, /value="\+7 902 555-01-02"/);
    const empty = await resident.submit(`${base}/contact`, `${base}/contact`, { phone: '', email: '' });
    assert.equal(empty.status, 422);
    assert.match(text(empty.body), /Исправьте ошибки Укажите телефон или адрес электронной почты/);
    const saved = await resident.submit(`${base}/contact`, `${base}/contact`, {
      phone: '+7 902 555-01-03',
      email: 'vet@example.ru',
    });
    assert.equal(saved.location, `${base}/payment`);

    // Payment: a cash measure asks where to pay; the bank's fields are on the page without a script.
    const payment = await resident.get(`${base}/payment`);
    assert.match(payment.body, /name="method" value="bank"/);
    assert.match(payment.body, /id="bik"/);
    const badBank = await resident.submit(`${base}/payment`, `${base}/payment`, {
      method: 'bank',
      bik: '12345',
      account: ACCOUNT,
    });
    assert.equal(badBank.status, 422);
    assert.match(text(badBank.body), /БИК состоит из 9 цифр/);
    assert.match(badBank.body, /value="12345"/, 'what was typed is kept');
    const paid = await resident.submit(`${base}/payment`, `${base}/payment`, {
      method: 'bank',
      bik: BIK,
      account: ACCOUNT,
    });
    assert.equal(paid.location, `${base}/documents`);

    // Documents: continuing without the certificate names it; uploading it lists it.
    const notYet = await resident.submit(`${base}/documents`, `${base}/documents/done`, {});
    assert.equal(notYet.status, 422);
    assert.match(text(notYet.body), /Загрузите документ: Удостоверение ветерана/);
    const uploaded = await uploadCertificate(resident, id);
    assert.equal(uploaded.status, 303);
    const documents = await resident.get(`${base}/documents`);
    assert.match(text(documents.body), /Загружено: certificate\.pdf/);
    assert.match(
      text(documents.body),
      /Сведения о видах и размере пенсии — запросим в: Социальный фонд России/,
    );
    const onward = await resident.submit(`${base}/documents`, `${base}/documents/done`, {});
    assert.equal(onward.location, `${base}/check`);

    // Check your answers: the registry's data read-only, the answers with "Change" links.
    const check = await resident.get(`${base}/check`);
    assert.equal(check.status, 200);
    const body = text(check.body);
    assert.ok(body.includes(`${person.last_name} ${person.first_name}`), 'name from the registry');
    assert.ok(body.includes(formatSnils(person.snils)), 'SNILS from the registry');
    assert.ok(body.includes(formatDate('ru', person.birth_date)), 'birth date from the registry');
    assert.ok(body.includes(person.address), 'address from the registry');
    assert.match(body, /Волгоград/);
    assert.match(body, /\+7 902 555-01-03/);
    assert.ok(body.includes(`на счёт ${ACCOUNT}, БИК ${BIK}`));
    assert.match(body, /certificate\.pdf/);
    assert.match(check.body, new RegExp(`href="${base}/payment\\?change=1"`));

    // A change from the summary comes back to it.
    const changed = await resident.submit(`${base}/contact?change=1`, `${base}/contact`, {
      phone: '+7 902 555-01-04',
      return: 'check',
    });
    assert.equal(changed.location, `${base}/check`);

    const undeclared = await resident.submit(`${base}/check`, `${base}/check`, {});
    assert.equal(undeclared.status, 422);
    assert.match(text(undeclared.body), /Подтвердите, что сведения верны/);

    // Send: the confirmation with the number; a second post of the same form lands on it too.
    const form = await resident.get(`${base}/check`);
    const token = csrfToken(form.body);
    const first = await resident.request(
      'POST',
      `${base}/check`,
      new URLSearchParams({ _csrf: token, declared: 'yes' }),
    );
    assert.equal(first.location, `${base}/sent`);
    const again = await resident.request(
      'POST',
      `${base}/check`,
      new URLSearchParams({ _csrf: token, declared: 'yes' }),
    );
    assert.equal(again.status, 303);
    assert.equal(again.location, `${base}/sent`, 'a retry lands on the same confirmation');
    const sent = await resident.get(`${base}/sent`);
    const row = await db
      .selectFrom('applications')
      .select(['number', 'state', 'answers'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'submitted');
    assert.match(row.number ?? '', /^\d{4}-\d{6}$/);
    assert.equal(row.answers.phone, '+7 902 555-01-04');
    assert.equal(row.answers.declared, true);
    assert.match(text(sent.body), new RegExp(`Заявление отправлено Номер вашего заявления ${row.number}`));
    const { n } = await db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 1, 'one application for two posts');

    // The step pages of a sent application lead to its page.
    assert.equal((await resident.get(`${base}/contact`)).location, base);
    const mine = text((await resident.get('/me/applications')).body);
    assert.match(
      mine,
      new RegExp(`Ежемесячная денежная выплата ветеранам труда Номер ${row.number} Статус отправлено`),
    );
    assert.match(mine, /10 рабочих дней со дня регистрации/);
    assert.match(mine, /Мы зарегистрируем заявление не позднее следующего рабочего дня/);
  });

  test('a draft is resumed where it was left, and two racing submissions make one application', async () => {
    const person = veteran();
    const resident = await signIn(person.snils);
    const id = await start(resident);
    const base = `/me/applications/${id}`;
    await resident.submit(`${base}/contact`, `${base}/contact`, { phone: '+7 902 123-45-67' });

    let mine = await resident.get('/me/applications');
    assert.match(text(mine.body), /черновик/);
    assert.match(mine.body, new RegExp(`href="${base}/payment"[^>]*>Продолжить заполнение`));
    assert.equal((await resident.get(base)).location, `${base}/payment`, 'the draft page continues the form');

    await resident.submit(`${base}/payment`, `${base}/payment`, { method: 'post' });
    mine = await resident.get('/me/applications');
    assert.match(mine.body, new RegExp(`href="${base}/documents"[^>]*>Продолжить заполнение`));
    assert.equal(await start(resident), id, 'starting again resumes the same draft');
    await uploadCertificate(resident, id);
    mine = await resident.get('/me/applications');
    assert.match(mine.body, new RegExp(`href="${base}/check"[^>]*>Продолжить заполнение`));
    assert.match(text((await resident.get(`${base}/check`)).body), /почтовым переводом/);

    // A double click: two posts of the same form at once.
    const token = csrfToken((await resident.get(`${base}/check`)).body);
    const post = () =>
      resident.request('POST', `${base}/check`, new URLSearchParams({ _csrf: token, declared: 'yes' }));
    const [a, b] = await Promise.all([post(), post()]);
    assert.deepEqual([a.status, b.status], [303, 303]);
    assert.deepEqual([a.location, b.location], [`${base}/sent`, `${base}/sent`]);
    const rows = await db
      .selectFrom('applications')
      .select(['state'])
      .where('person_id', '=', person.id)
      .execute();
    assert.deepEqual(rows, [{ state: 'submitted' }]);
    const submittedEvents = await db
      .selectFrom('application_events')
      .select('id')
      .where('application_id', '=', id)
      .where('kind', '=', 'submitted')
      .execute();
    assert.equal(submittedEvents.length, 1, 'sent once');
  });

  test('a bad upload gets a clear error and leaves nothing behind', async () => {
    const resident = await signIn(veteran().snils);
    const id = await start(resident);
    const tooBig = await uploadCertificate(resident, id, bigFile(11), 'big.pdf');
    assert.equal(tooBig.status, 413);
    assert.match(text(tooBig.body), /Исправьте ошибки Файл должен быть меньше 10 МБ/);
    assert.match(tooBig.body, new RegExp(`href="#file-${certificate.id}"`), 'the summary links to the field');
    const executable = await uploadCertificate(resident, id, ELF_EXECUTABLE, 'scan.pdf');
    assert.equal(executable.status, 415);
    assert.match(text(executable.body), /Файл должен быть в формате PDF, JPG или PNG/);
    const nothing = await resident.upload(
      `/me/applications/${id}/documents`,
      `/me/applications/${id}/documents`,
      { measure_document_id: String(certificate.id) },
      {},
    );
    assert.equal(nothing.status, 422);
    assert.match(text(nothing.body), /Выберите файл/);
    const emptyFile = await uploadCertificate(resident, id, Buffer.alloc(0), 'empty.pdf');
    assert.match(text(emptyFile.body), /Выбранный файл пустой/);
    const stored = await db
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', id)
      .execute();
    assert.deepEqual(stored, []);
  });
});

describe('after sending', () => {
  test("another resident's application does not exist for them", async () => {
    const owner = await signIn(veteran().snils);
    const id = await submitted(owner);
    const [doc] = await db
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', id)
      .execute();
    const other = await signIn(veteran().snils);
    for (const path of [
      `/me/applications/${id}`,
      `/me/applications/${id}/check`,
      `/me/applications/${id}/sent`,
      `/me/applications/${id}/withdraw`,
      `/me/applications/${id}/letter.pdf`,
      `/me/documents/${doc!.id}`,
    ])
      assert.equal((await other.get(path)).status, 404, path);
    const token = csrfToken((await other.get('/me/applications')).body);
    const forged = await other.request(
      'POST',
      `/me/applications/${id}/withdraw`,
      new URLSearchParams({ _csrf: token, version: String(await version(id)) }),
    );
    assert.equal(forged.status, 404);
    assert.equal(
      (await db.selectFrom('applications').select('state').where('id', '=', id).executeTakeFirstOrThrow())
        .state,
      'submitted',
    );
    assert.doesNotMatch(text((await other.get('/me/applications')).body), /ветеранам труда/);
  });

  test('withdrawal works before the decision and not after it', async () => {
    const resident = await signIn(veteran().snils);
    const id = await submitted(resident);
    const base = `/me/applications/${id}`;
    assert.match((await resident.get(base)).body, new RegExp(`href="${base}/withdraw"`));
    const confirm = await resident.get(`${base}/withdraw`);
    assert.match(text(confirm.body), /Отозвать заявление\?/);
    assert.match(confirm.body, /name="version"/);
    const done = await resident.submit(`${base}/withdraw`, `${base}/withdraw`, {
      version: String(await version(id)),
    });
    assert.equal(done.location, base);
    assert.match(text((await resident.get(base)).body), /Статус отозвано .* Вы отозвали заявление/);

    const refused = await submitted(resident);
    await refuse(refused);
    const late = `/me/applications/${refused}`;
    assert.doesNotMatch(
      (await resident.get(late)).body,
      /\/withdraw"/,
      'no withdraw link after the decision',
    );
    const page = await resident.get(`${late}/withdraw`);
    assert.match(text(page.body), /По заявлению уже принято решение, отозвать его нельзя/);
    const tried = await resident.submit(`${late}/withdraw`, `${late}/withdraw`, {
      version: String(await version(refused)),
    });
    assert.equal(tried.status, 409);
    assert.match(text(tried.body), /Исправьте ошибки По заявлению уже принято решение/);
    assert.equal(
      (
        await db
          .selectFrom('applications')
          .select('state')
          .where('id', '=', refused)
          .executeTakeFirstOrThrow()
      ).state,
      'refused',
    );
  });

  test('messages and a request for documents show on the case, and the resident answers with a document', async () => {
    const resident = await signIn(veteran().snils);
    const id = await submitted(resident);
    const base = `/me/applications/${id}`;
    await db.transaction().execute(async (trx) => {
      const registered = await act(trx, specialist, id, await version(id), 'register', {}, ctx);
      await addNote(trx, specialist, id, 'Внутренняя заметка', false, ctx);
      await addNote(trx, specialist, id, 'Здравствуйте! Заявление принято в работу.', true, ctx);
      await act(
        trx,
        specialist,
        id,
        registered.version,
        'request_documents',
        { note: 'Пришлите справку о стаже' },
        ctx,
      );
    });
    const detail = await resident.get(base);
    const body = text(detail.body);
    assert.match(body, /Здравствуйте! Заявление принято в работу\./);
    assert.doesNotMatch(body, /Внутренняя заметка/, 'internal notes stay internal');
    assert.match(body, /Нужны документы Специалист просит прислать: Пришлите справку о стаже/);
    assert.match(body, /срок приостановлен/);

    const noTitle = await resident.upload(
      base,
      `${base}/documents`,
      {},
      {
        file: { name: 'stazh.pdf', bytes: SMALL_PDF },
      },
    );
    assert.equal(noTitle.status, 422);
    assert.match(text(noTitle.body), /Укажите, что это за документ/);
    const answered = await resident.upload(
      base,
      `${base}/documents`,
      { title: 'Справка о стаже' },
      {
        file: { name: 'stazh.pdf', bytes: SMALL_PDF },
      },
    );
    assert.equal(answered.location, base);
    const after = await resident.get(base);
    const link = /href="(\/me\/documents\/\d+)">stazh\.pdf/.exec(after.body);
    assert.ok(link, 'the document is listed with a download link');
    assert.match(text(after.body), /Справка о стаже: stazh\.pdf/);
    const { response: download, bytes } = await bytesOf(resident, link[1]!);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/pdf');
    assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(download.headers.get('content-disposition'), "attachment; filename*=UTF-8''stazh.pdf");
    assert.deepEqual(bytes, SMALL_PDF);
  });

  test('a refusal can be appealed online: one appeal per form, its deadline, its outcome and letter', async () => {
    const resident = await signIn(veteran().snils);
    const id = await submitted(resident);
    const base = `/me/applications/${id}`;
    assert.equal((await resident.get(`${base}/appeal`)).location, base, 'nothing to appeal yet');
    assert.equal((await resident.get(`${base}/letter.pdf`)).status, 404, 'no decision letter yet');
    await refuse(id);

    const detail = await resident.get(base);
    const body = text(detail.body);
    assert.match(body, /Статус отказано/);
    assert.match(body, /Отказано: Заявитель не относится к категории граждан/);
    assert.match(detail.body, new RegExp(`href="${base}/letter.pdf"`));
    const letter = await resident.get(`${base}/letter.pdf`);
    assert.equal(letter.status, 200);
    assert.equal(letter.headers.get('content-type'), 'application/pdf');
    const number = (
      await db.selectFrom('applications').select('number').where('id', '=', id).executeTakeFirstOrThrow()
    ).number!;
    assert.match(await pdfText((await bytesOf(resident, `${base}/letter.pdf`)).bytes), new RegExp(number));

    assert.match(detail.body, new RegExp(`href="${base}/appeal"`));
    const form = await resident.get(`${base}/appeal`);
    const key = /name="key" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(key, 'the form carries an idempotency key');
    const token = csrfToken(form.body);
    const post = (grounds: string) =>
      resident.request('POST', `${base}/appeal`, new URLSearchParams({ _csrf: token, key, grounds }));
    const empty = await post('  ');
    assert.equal(empty.status, 422);
    assert.match(text(empty.body), /Опишите, с чем вы не согласны/);
    assert.ok(empty.body.includes(`value="${key}"`), 'the same key after an error');
    const grounds = 'Я ветеран труда с 2010 года, удостоверение приложено.';
    assert.equal((await post(grounds)).location, base);
    assert.equal((await post(grounds)).location, base, 'sent twice');
    const appeals = await db
      .selectFrom('appeals')
      .select(['id', 'version'])
      .where('application_id', '=', id)
      .execute();
    assert.equal(appeals.length, 1, 'one appeal for two posts');

    const due = addWorkingDays(regionToday(), 15);
    const withAppeal = text((await resident.get(base)).body);
    assert.match(withAppeal, /Жалоба Подана .* Статус на рассмотрении/);
    assert.ok(withAppeal.includes(formatDate('ru', due)), 'the appeal deadline');
    assert.match(withAppeal, /осталось 15 рабочих дней/);
    assert.match(withAppeal, /Подана жалоба/);
    assert.equal(
      (await resident.get(`${base}/appeal`)).location,
      base,
      'no second appeal while one is pending',
    );

    await db
      .transaction()
      .execute((trx) =>
        decideAppeal(trx, head, appeals[0]!.id, appeals[0]!.version, 'dismissed', 'Оснований нет.', ctx),
      );
    const decided = await resident.get(base);
    assert.match(text(decided.body), /оставлена без удовлетворения .* Решение по жалобе Оснований нет\./);
    const appealLetter = `${base}/appeals/${appeals[0]!.id}/letter.pdf`;
    assert.match(decided.body, new RegExp(`href="${appealLetter}"`));
    const appealPdf = await resident.get(appealLetter);
    assert.equal(appealPdf.status, 200);
    assert.equal(appealPdf.headers.get('content-type'), 'application/pdf');
  });
});
