// The staff workspace over HTTP with the cookie-jar client: registering at the counter to a decision
// and an assignment, the queue's order and overdue marking, district scope and its audit, document
// views, optimistic locking between two specialists, the statutory clock, and appeals at both levels.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { bigFile, ELF_EXECUTABLE, SMALL_PDF } from '../../../test/support/documents.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { pdfText } from '../../../test/support/pdf.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { addWorkingDays, workingDaysBetween } from '../../platform/calendar/calendar.service.ts';
import { formatDate } from '../../platform/i18n/i18n.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { regionToday } from '../../platform/time.ts';
import { measureForApplication } from '../catalog/catalog.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { assignmentsForPerson } from '../registry/assignments.service.ts';
import { importRules } from '../rules/rules.service.ts';
import {
  acceptUpload,
  act,
  appealsOf,
  documentsToUpload,
  registerAtCounter,
  submitComplete,
} from './applications.service.ts';

const { baseUrl, db, database, config } = await startTestApp({ config: { uploadLimitBytes: 1024 * 1024 } });
await seedSmallRegion(database, 400);
await importRules(db);
const TODAY = regionToday();
const ctx = { ip: '127.0.0.1' };

const VALENTINA = '11223344595'; // Смирнова Валентина Петровна, a labour veteran of Volgograd
const EDV_TITLE = 'Ежемесячная денежная выплата ветеранам труда';
const [VOLGOGRAD] = await districtIdsByCodes(db, ['volgograd']);

// The queue test works in a district of its own, so other tests' cases do not mix into its order.
const queueDistrict = await db
  .selectFrom('persons as p')
  .innerJoin('districts as d', 'd.id', 'p.district_id')
  .select(['d.id', 'd.code', (eb) => eb.fn.countAll<string>().as('n')])
  .where('d.code', 'not in', ['volgograd', 'olkhovsky'])
  .where(sql<boolean>`cardinality(p.categories) = 0`)
  .where('p.disability_group', 'is', null)
  .groupBy(['d.id', 'd.code'])
  .orderBy(sql`count(*)`, 'desc')
  .executeTakeFirstOrThrow();

const ids = {
  spec: await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']),
  spec2: await staffUser(db, 'spec2.volgograd', 'specialist', ['volgograd']),
  stranger: await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']),
  head: await staffUser(db, 'head.volgograd', 'district_head', ['volgograd']),
  analyst: await staffUser(db, 'analyst', 'ministry_analyst'),
  queue: await staffUser(db, 'spec.queue', 'specialist', [queueDistrict.code]),
};

function actor(userId: number, role: StaffActor['role'], districtIds: number[]): StaffActor {
  return { kind: 'staff', userId, login: 'x', fullName: 'Test', role, districtIds, sessionId: 't' };
}
const specialist = actor(ids.spec, 'specialist', [VOLGOGRAD!]);
const queueSpecialist = actor(ids.queue, 'specialist', [queueDistrict.id]);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

const used = new Set<number>();
/** A person of the district not used by another test: a labour veteran, or someone with no categories. */
async function person(kind: 'veteran' | 'plain', districtId = VOLGOGRAD!): Promise<number> {
  let q = db
    .selectFrom('persons')
    .select('id')
    .where('district_id', '=', districtId)
    .where('snils', '!=', VALENTINA);
  q =
    kind === 'veteran'
      ? q.where(sql<boolean>`'labour_veteran' = any(categories)`).where('birth_date', '<', '1960-01-01')
      : q.where(sql<boolean>`cardinality(categories) = 0`).where('disability_group', 'is', null);
  const rows = await q.orderBy('id').execute();
  const row = rows.find((r) => !used.has(r.id));
  assert.ok(row, `a ${kind} person in district ${districtId}`);
  used.add(row.id);
  return row.id;
}

let keys = 0;
/** Registers a VETERAN-EDV application through the service, on a chosen day. */
async function registered(
  personId: number,
  o: { today?: string; emergency?: boolean; staff?: StaffActor } = {},
): Promise<number> {
  return await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      o.staff ?? specialist,
      {
        personId,
        measureCode: 'VETERAN-EDV',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
        emergency: o.emergency ?? false,
        idempotencyKey: `staff-test-${++keys}-key`,
      },
      { ...ctx, today: o.today },
    ),
  );
}

const load = (id: number) =>
  db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
const daysAgo = (n: number) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const daysAhead = (n: number) => daysAgo(-n);
const folded = (s: string) => s.replace(/\s+/g, ' ');

/** Posts one of the case page's forms with the version shown on the page. */
async function caseAction(client: Client, id: number, action: string, fields: Record<string, string> = {}) {
  const page = await client.get(`/staff/applications/${id}`);
  return await client.submit(`/staff/applications/${id}`, `/staff/applications/${id}/actions/${action}`, {
    version: versionOn(page.body),
    ...fields,
  });
}

async function auditRows(action: string, actorId: number) {
  return await db
    .selectFrom('audit_log')
    .select(['subject_id', 'details'])
    .where('action', '=', action)
    .where('actor_id', '=', String(actorId))
    .execute();
}

async function pdf(client: Client, path: string): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { cookie: `opora_session=${client.cookie('opora_session')}` },
  });
  assert.equal(response.status, 200, path);
  assert.equal(response.headers.get('content-type'), 'application/pdf');
  return folded(await pdfText(Buffer.from(await response.arrayBuffer())));
}

describe('registering at the counter', () => {
  test('find by SNILS, register, upload a scan, print, review, approve: the registry has the assignment', async () => {
    const spec = await signIn('spec.volgograd');
    const bad = await spec.get('/staff/applications/new?by=snils&snils=11223344590');
    assert.equal(bad.status, 422);
    assert.match(text(bad.body), /контрольное число не совпадает/);

    const found = await spec.get(`/staff/applications/new?by=snils&snils=${VALENTINA}`);
    assert.equal(found.status, 303);
    const personPath = found.location!;
    const personId = Number(personPath.split('/').pop());
    const choose = await spec.get(personPath);
    assert.match(text(choose.body), /Смирнова Валентина Петровна/);

    const noMeasure = await spec.submit(personPath, personPath, { measure: '', channel: 'in_person' });
    assert.equal(noMeasure.status, 422);
    assert.match(text(noMeasure.body), /Выберите меру поддержки/);
    const chosen = await spec.submit(personPath, personPath, {
      measure: 'VETERAN-EDV',
      channel: 'in_person',
    });
    assert.equal(chosen.status, 303);
    const detailsPath = chosen.location!;
    const details = await spec.get(detailsPath);
    const key = /name="key" value="([^"]+)"/.exec(details.body)![1]!;
    const form = {
      measure: 'VETERAN-EDV',
      channel: 'in_person',
      key,
      phone: '+7 902 123-45-67',
      email: '',
      method: 'bank',
      bik: '044525225',
      account: '40817810000000000001',
    };
    const action = `${personPath}/details`;
    const wrongAccount = await spec.submit(detailsPath, action, form);
    assert.equal(wrongAccount.status, 422);
    assert.match(text(wrongAccount.body), /не подходит к этому БИК/);
    assert.equal(
      await db.selectFrom('applications').select('id').where('person_id', '=', personId).executeTakeFirst(),
      undefined,
    );

    const done = await spec.submit(detailsPath, action, { ...form, method: 'post' });
    assert.equal(done.status, 303);
    const casePath = done.location!;
    assert.match(casePath, /^\/staff\/applications\/\d+$/);
    // The same form sent again (a double click) is the same application.
    const again = await spec.submit(detailsPath, action, { ...form, method: 'post' });
    assert.equal(again.location, casePath);
    const id = Number(casePath.split('/').pop());
    const app = await load(id);
    assert.equal(app.state, 'registered');
    assert.equal(app.channel, 'in_person');
    assert.equal(app.registered_on, TODAY);

    // A scan of the passport, picked from the measure's list.
    const page = await spec.get(casePath);
    const passport = /<option value="(\d+)">Паспорт/.exec(page.body)![1]!;
    const uploaded = await spec.upload(
      casePath,
      `${casePath}/documents`,
      { document: passport, title: '' },
      { file: { name: 'паспорт.pdf', bytes: SMALL_PDF, type: 'application/pdf' } },
    );
    assert.equal(uploaded.status, 303);
    const withDoc = text((await spec.get(casePath)).body);
    assert.match(withDoc, /паспорт\.pdf/);

    const application = await pdf(spec, `${casePath}/letters/application.pdf`);
    assert.match(application, /Смирнова Валентина Петровна/);
    assert.ok(application.includes(app.number!), 'the application carries its number');
    const receipt = await pdf(spec, `${casePath}/letters/receipt.pdf`);
    assert.match(receipt, /Смирнова Валентина Петровна/);
    assert.ok(receipt.includes(app.number!));
    assert.equal((await spec.get(`${casePath}/letters/decision.pdf`)).status, 404, 'no decision yet');

    assert.equal((await caseAction(spec, id, 'start_review')).status, 303);
    const review = text((await spec.get(casePath)).body);
    assert.match(review, /на рассмотрении/);
    assert.match(review, /имеет право/);
    assert.match(review, /Гражданин имеет звание «Ветеран труда»/);
    assert.equal((await caseAction(spec, id, 'approve')).status, 303);

    const decided = text((await spec.get(casePath)).body);
    assert.match(decided, /назначено/);
    const assignments = await assignmentsForPerson(db, personId);
    const edv = assignments.find((a) => a.measure_code === 'VETERAN-EDV');
    assert.ok(edv, 'the registry has the assignment');
    assert.equal(edv.start_date, TODAY);
    assert.equal(edv.basis, 'application');
    assert.equal((await load(id)).assignment_id, edv.id);
    const decision = await pdf(spec, `${casePath}/letters/decision.pdf`);
    assert.ok(decision.includes(EDV_TITLE), decision);
  });

  test('find by name and date of birth (audited), or add a new person with a checked SNILS', async () => {
    const spec = await signIn('spec.volgograd');
    const missing = await spec.get('/staff/applications/new?by=name&last_name=Смирнова');
    assert.equal(missing.status, 422);
    assert.match(text(missing.body), /Введите имя/);
    const found = await spec.get(
      '/staff/applications/new?by=name&last_name=смирнова&first_name=Валентина&birth_date=1957-04-12',
    );
    assert.equal(found.status, 200);
    assert.match(text(found.body), /Смирнова Валентина Петровна/);
    assert.ok((await auditRows('person.search', ids.spec)).length >= 1);

    const form = {
      snils: '112-233-445 90',
      last_name: 'Новикова',
      first_name: 'Ольга',
      patronymic: 'Ивановна',
      birth_date: '1950-02-03',
      sex: 'F',
      district: String(VOLGOGRAD),
      address: 'Волгоград, ул. Мира, д. 1',
      phone: '',
    };
    const page = '/staff/applications/new/person';
    const badSnils = await spec.submit(page, page, form);
    assert.equal(badSnils.status, 422);
    assert.match(text(badSnils.body), /контрольное число не совпадает/);
    const taken = await spec.submit(page, page, { ...form, snils: VALENTINA });
    assert.equal(taken.status, 422);
    assert.match(text(taken.body), /уже есть в реестре/);
    const otherDistrict = await spec.submit(page, page, {
      ...form,
      snils: '987-654-321 83',
      district: '999999',
    });
    assert.equal(otherDistrict.status, 422);
    assert.match(text(otherDistrict.body), /Выберите район/);

    const created = await spec.submit(page, page, { ...form, snils: '987-654-321 83' });
    assert.equal(created.status, 303);
    const personId = Number(created.location!.split('/').pop());
    const row = await db
      .selectFrom('persons')
      .selectAll()
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    assert.equal(row.snils, '98765432183');
    assert.equal(row.last_name, 'Новикова');
    assert.equal(row.district_id, VOLGOGRAD);
    const audit = await auditRows('person.created', ids.spec);
    assert.ok(audit.some((a) => a.subject_id === String(personId)));
    assert.match(text((await spec.get(created.location!)).body), /Новикова Ольга Ивановна/);
  });
});

describe('the work queue', () => {
  test('priority first, then the deadline; overdue cases are marked; the list view is audited', async () => {
    const plain1 = await person('plain', queueDistrict.id);
    const plain2 = await person('plain', queueDistrict.id);
    const plain3 = await person('plain', queueDistrict.id);
    const plain4 = await person('plain', queueDistrict.id);
    const o = { staff: queueSpecialist };
    const onTime = await registered(plain1, { ...o, today: TODAY });
    const overdue = await registered(plain2, { ...o, today: daysAgo(40) });
    const urgentLater = await registered(plain3, { ...o, today: TODAY, emergency: true });
    const urgentSooner = await registered(plain4, { ...o, today: daysAgo(3), emergency: true });
    const numbers = await Promise.all(
      [urgentSooner, urgentLater, overdue, onTime].map(async (id) => (await load(id)).number!),
    );

    const client = await signIn('spec.queue');
    const page = await client.get('/staff/applications');
    assert.equal(page.status, 200);
    const order = [...page.body.matchAll(/data-application="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, numbers);
    const row = (n: string) => text(new RegExp(`data-application="${n}"[\\s\\S]*?</tr>`).exec(page.body)![0]);
    const late = workingDaysBetween(TODAY, (await load(overdue)).deadline_on!);
    assert.ok(late < 0);
    assert.match(row(numbers[2]!), new RegExp(`просрочено на ${-late} рабоч`));
    assert.match(row(numbers[0]!), /чрезвычайная ситуация/);
    assert.match(row(numbers[3]!), /осталось 10 рабочих дней/);
    assert.doesNotMatch(row(numbers[3]!), /просрочено/);

    const audit = await auditRows('application.queue.viewed', ids.queue);
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0]!.details as { applications: number[] }).applications.map(Number), [
      urgentSooner,
      urgentLater,
      overdue,
      onTime,
    ]);

    const unassigned = await client.get('/staff/applications?assignee=unassigned');
    assert.doesNotMatch(
      unassigned.body,
      /data-application=/,
      'counter registrations are assigned to their registrar',
    );
  });
});

/** A complete portal application, as a resident sends it: submitted, not yet registered, nobody's yet. */
async function fromPortal(personId: number): Promise<number> {
  const measure = await measureForApplication(db, { code: 'VETERAN-EDV' });
  const upload = await acceptUpload(blobStore(config), SMALL_PDF, 'card.pdf', config.uploadLimitBytes);
  const resident = { kind: 'resident' as const, accountId: personId, personId, sessionId: 't' };
  const { application } = await db.transaction().execute((trx) =>
    submitComplete(
      trx,
      resident,
      {
        measureCode: 'VETERAN-EDV',
        answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
        documents: documentsToUpload(measure).map((d) => ({ measureDocumentId: d.id, upload })),
        idempotencyKey: `portal-${personId}-key`,
      },
      ctx,
    ),
  );
  return application.id;
}

describe('assignment', () => {
  test('a specialist takes an unassigned case; only the district head reassigns it, within the district', async () => {
    const id = await fromPortal(await person('veteran'));
    const spec = await signIn('spec.volgograd');
    const unassigned = await spec.get('/staff/applications?assignee=unassigned');
    const number = (await load(id)).number!;
    const row = text(new RegExp(`data-application="${number}"[\\s\\S]*?</tr>`).exec(unassigned.body)![0]);
    assert.match(row, /отправлено/);
    assert.match(row, /зарегистрировать до/);
    assert.match(row, /не назначен/);

    const path = `/staff/applications/${id}`;
    const page = await spec.get(path);
    assert.match(page.body, /Взять заявление в работу/);
    assert.match(text(page.body), /заявление отправлено/, 'the history shows the resident sending it');
    const take = await spec.submit(path, `${path}/assign`, {
      version: versionOn(page.body),
      assignee: String(ids.spec),
    });
    assert.equal(take.status, 303);
    assert.equal((await load(id)).assignee_id, ids.spec);
    const taken = await spec.get(path);
    assert.doesNotMatch(taken.body, /Взять заявление в работу/);
    const grab = await spec.submit(path, `${path}/assign`, {
      version: versionOn(taken.body),
      assignee: String(ids.spec2),
    });
    assert.equal(grab.status, 403, 'a specialist cannot reassign');
    assert.equal((await load(id)).assignee_id, ids.spec);

    const head = await signIn('head.volgograd');
    const headPage = await head.get(path);
    const outsider = await head.submit(path, `${path}/assign`, {
      version: versionOn(headPage.body),
      assignee: String(ids.stranger),
    });
    assert.equal(outsider.status, 422);
    assert.match(text(outsider.body), /Выберите специалиста этого района/);
    const reassigned = await head.submit(path, `${path}/assign`, {
      version: versionOn(headPage.body),
      assignee: String(ids.spec2),
    });
    assert.equal(reassigned.status, 303);
    assert.equal((await load(id)).assignee_id, ids.spec2);

    // Registering the portal application starts its clock today.
    assert.equal((await caseAction(head, id, 'register')).status, 303);
    const app = await load(id);
    assert.equal(app.state, 'registered');
    assert.equal(app.registered_on, TODAY);
    assert.equal(app.deadline_on, addWorkingDays(TODAY, 10));
  });
});

describe('scope, documents and audit', () => {
  test('a specialist of another district gets 404 for a forged case id, and the refusal is audited', async () => {
    const id = await registered(await person('plain'));
    const stranger = await signIn('spec.olkhovsky');
    const read = await stranger.get(`/staff/applications/${id}`);
    assert.equal(read.status, 404);
    const before = await load(id);
    const write = await stranger.submit('/staff', `/staff/applications/${id}/actions/start_review`, {
      version: String(before.version),
    });
    assert.equal(write.status, 404);
    assert.equal((await load(id)).state, 'registered', 'nothing changed');
    const denied = await auditRows('application.read.denied', ids.stranger);
    assert.ok(denied.filter((a) => a.subject_id === String(id)).length >= 2);
    assert.equal((await stranger.get(`/staff/applications/${id}/letters/application.pdf`)).status, 404);
    const elsewhere = await stranger.get(`/staff/applications/new/${(await load(id)).person_id}`);
    assert.equal(elsewhere.status, 403);
    assert.match(text(elsewhere.body), /в районе, который вы не обслуживаете/);
    assert.ok((await auditRows('person.read.denied', ids.stranger)).length >= 1);
  });

  test('opening a document writes document.viewed; bad uploads are refused and leave nothing', async () => {
    const id = await registered(await person('plain'));
    const spec = await signIn('spec.volgograd');
    const casePath = `/staff/applications/${id}`;
    const upload = (
      name: string,
      bytes: Buffer,
      fields: Record<string, string> = { document: 'other', title: 'Справка' },
    ) => spec.upload(casePath, `${casePath}/documents`, fields, { file: { name, bytes } });

    const exe = await upload('справка.pdf', ELF_EXECUTABLE);
    assert.equal(exe.status, 415);
    assert.match(text(exe.body), /PDF, JPG или PNG/);
    const big = await upload('big.pdf', bigFile(2));
    assert.equal(big.status, 413);
    assert.match(text(big.body), /меньше 1 МБ/);
    const noTitle = await upload('scan.pdf', SMALL_PDF, { document: 'other', title: '' });
    assert.equal(noTitle.status, 422);
    assert.match(text(noTitle.body), /Укажите, что это за документ/);
    const docs = () =>
      db.selectFrom('application_documents').selectAll().where('application_id', '=', id).execute();
    assert.equal((await docs()).length, 0);

    assert.equal((await upload('справка.pdf', SMALL_PDF)).status, 303);
    const [doc] = await docs();
    assert.ok(doc);
    const response = await fetch(`${baseUrl}/staff/documents/${doc.id}`, {
      headers: { cookie: `opora_session=${spec.cookie('opora_session')}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename\*=UTF-8''/);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), SMALL_PDF);
    const viewed = await auditRows('document.viewed', ids.spec);
    assert.ok(viewed.some((a) => a.subject_id === String(doc.id)));

    const stranger = await signIn('spec.olkhovsky');
    assert.equal((await stranger.get(`/staff/documents/${doc.id}`)).status, 404);
  });
});

describe('optimistic locking and the rules of each action', () => {
  test('two specialists on one case: the second sees "someone else changed this case" and nothing is overwritten', async () => {
    const id = await registered(await person('plain'));
    const a = await signIn('spec.volgograd');
    const b = await signIn('spec2.volgograd');
    const path = `/staff/applications/${id}`;
    const pageA = await a.get(path);
    const pageB = await b.get(path);
    const seen = versionOn(pageB.body);
    assert.equal(versionOn(pageA.body), seen);
    const first = await a.submit(path, `${path}/actions/start_review`, { version: seen });
    assert.equal(first.status, 303);
    // B still holds the page as it was: its form carries the old version.
    const second = await b.submit(path, `${path}/actions/request_interagency`, { version: seen });
    assert.equal(second.status, 409);
    assert.match(text(second.body), /изменил другой сотрудник/);
    assert.match(text(second.body), /на рассмотрении/, 'the page shows the case as it is now');
    const app = await load(id);
    assert.equal(app.state, 'under_review');
    assert.equal(app.interagency_due_on, null);
    const kinds = (
      await db.selectFrom('application_events').select('kind').where('application_id', '=', id).execute()
    ).map((e) => e.kind);
    assert.ok(!kinds.includes('request_interagency'));
  });

  test('a refusal needs a legal ground; approving against the rules needs a reason', async () => {
    const spec = await signIn('spec.volgograd');
    const refuseId = await registered(await person('plain'));
    const noGround = await caseAction(spec, refuseId, 'refuse', { note: 'Нет звания' });
    assert.equal(noGround.status, 422);
    assert.match(text(noGround.body), /Выберите основание для отказа/);
    assert.equal((await load(refuseId)).state, 'registered');
    const refused = await caseAction(spec, refuseId, 'refuse', {
      ground: 'not_eligible',
      note: 'Нет звания',
    });
    assert.equal(refused.status, 303);
    const page = text((await spec.get(`/staff/applications/${refuseId}`)).body);
    assert.match(page, /отказано/);
    assert.match(page, /не относится к категории граждан/);

    // A person without the labour veteran title: the rules say no.
    const approveId = await registered(await person('plain'));
    const view = text((await spec.get(`/staff/applications/${approveId}`)).body);
    assert.match(view, /не имеет права/);
    assert.match(view, /В регистре нет сведений о звании «Ветеран труда»/);
    const silent = await caseAction(spec, approveId, 'approve');
    assert.equal(silent.status, 422);
    assert.match(text(silent.body), /укажите, почему вы всё же назначаете/);
    assert.equal((await load(approveId)).state, 'registered');
    const withReason = await caseAction(spec, approveId, 'approve', {
      note: 'Звание подтверждено удостоверением',
    });
    assert.equal(withReason.status, 303);
    const app = await load(approveId);
    assert.equal(app.state, 'approved');
    assert.equal(app.decision?.note, 'Звание подтверждено удостоверением');
  });

  test('asking the applicant for documents stops the clock; the deadline moves by the working days waited', async () => {
    const id = await registered(await person('plain'));
    const spec = await signIn('spec.volgograd');
    const before = await load(id);
    const empty = await caseAction(spec, id, 'request_documents', { note: '' });
    assert.equal(empty.status, 422);
    assert.match(text(empty.body), /Напишите, какие документы нужны/);
    const asked = await caseAction(spec, id, 'request_documents', { note: 'Нужна справка о составе семьи' });
    assert.equal(asked.status, 303);
    const waiting = await load(id);
    assert.equal(waiting.state, 'waiting_resident');
    assert.equal(waiting.paused_since, TODAY);
    assert.match(text((await spec.get(`/staff/applications/${id}`)).body), /срок приостановлен/);

    // The documents come in ten calendar days later.
    const later = daysAhead(10);
    await db
      .transaction()
      .execute((trx) =>
        act(trx, specialist, id, waiting.version, 'documents_received', {}, { ...ctx, today: later }),
      );
    const resumed = await load(id);
    const waited = workingDaysBetween(TODAY, later);
    assert.ok(waited > 0);
    assert.equal(resumed.state, 'under_review');
    assert.equal(resumed.paused_days, waited);
    assert.equal(resumed.deadline_on, addWorkingDays(before.deadline_on!, waited));
    const page = text((await spec.get(`/staff/applications/${id}`)).body);
    assert.ok(page.includes(formatDate('ru', resumed.deadline_on!)), 'the page shows the moved deadline');
    assert.match(page, new RegExp(`Срок приостанавливался на ${waited} рабоч`));
  });
});

describe('appeals', () => {
  test('refuse → appeal at the counter → the district head upholds → approved from the original registration date', async () => {
    const personId = await person('veteran');
    const registeredOn = daysAgo(20);
    const id = await registered(personId, { today: registeredOn });
    const spec = await signIn('spec.volgograd');
    assert.equal(
      (
        await caseAction(spec, id, 'refuse', {
          ground: 'false_information',
          note: 'Сведения не подтвердились',
        })
      ).status,
      303,
    );

    const casePath = `/staff/applications/${id}`;
    const page = await spec.get(casePath);
    const key = /name="key" value="([^"]+)"/.exec(page.body)![1]!;
    const noGrounds = await spec.submit(casePath, `${casePath}/appeals`, {
      grounds: '',
      channel: 'in_person',
      key,
    });
    assert.equal(noGrounds.status, 422);
    assert.match(text(noGrounds.body), /Опишите, с чем вы не согласны/);
    const filed = await spec.submit(casePath, `${casePath}/appeals`, {
      grounds: 'Удостоверение ветерана труда прилагаю',
      channel: 'in_person',
      key,
    });
    assert.equal(filed.status, 303);
    const [appeal] = await appealsOf(db, id);
    assert.ok(appeal);
    assert.equal(appeal.level, 'district_head');
    assert.equal(appeal.channel, 'in_person');

    assert.equal((await spec.get('/staff/appeals')).status, 403, 'specialists do not decide appeals');
    const head = await signIn('head.volgograd');
    const list = await head.get('/staff/appeals');
    assert.equal(list.status, 200);
    assert.ok(list.body.includes(`/staff/appeals/${appeal.id}`));
    const appealPath = `/staff/appeals/${appeal.id}`;
    const view = text((await head.get(appealPath)).body);
    assert.match(view, /Удостоверение ветерана труда прилагаю/);
    assert.match(view, /Представлены недостоверные сведения/);
    assert.ok((await auditRows('appeal.viewed', ids.head)).some((a) => a.subject_id === String(appeal.id)));

    const noOutcome = await head.submit(appealPath, `${appealPath}/decision`, {
      note: 'x',
      version: String(appeal.version),
    });
    assert.equal(noOutcome.status, 422);
    assert.match(text(noOutcome.body), /Выберите решение по жалобе/);
    const upheld = await head.submit(appealPath, `${appealPath}/decision`, {
      outcome: 'upheld',
      note: 'Звание подтверждено',
      version: String(appeal.version),
    });
    assert.equal(upheld.status, 303);
    const app = await load(id);
    assert.equal(app.state, 'approved');
    assert.equal(app.decision?.onAppeal, appeal.id);
    const edv = (await assignmentsForPerson(db, personId)).find((a) => a.measure_code === 'VETERAN-EDV');
    assert.ok(edv);
    assert.equal(edv.start_date, registeredOn, 'assigned retroactively from the registration date');
    assert.match(text((await head.get(appealPath)).body), /удовлетворена/);
    const letter = await pdf(head, `${appealPath}/letter.pdf`);
    assert.match(letter, /жалоба удовлетворена/);
  });

  test("an appeal against the district head's own refusal goes to the ministry", async () => {
    const id = await registered(await person('plain'));
    const head = await signIn('head.volgograd');
    assert.equal(
      (await caseAction(head, id, 'refuse', { ground: 'not_eligible', note: 'Нет звания' })).status,
      303,
    );
    const spec = await signIn('spec.volgograd');
    const casePath = `/staff/applications/${id}`;
    const key = /name="key" value="([^"]+)"/.exec((await spec.get(casePath)).body)![1]!;
    assert.equal(
      (await spec.submit(casePath, `${casePath}/appeals`, { grounds: 'Не согласна', channel: 'mfc', key }))
        .status,
      303,
    );
    const [appeal] = await appealsOf(db, id);
    assert.equal(appeal?.level, 'ministry');
    const path = `/staff/appeals/${appeal.id}`;
    assert.ok(!(await head.get('/staff/appeals')).body.includes(path), 'not on the district head’s list');
    const headView = text((await head.get(path)).body);
    assert.match(headView, /рассматривает министерство/);
    const refused = await head.submit(path, `${path}/decision`, {
      outcome: 'upheld',
      note: 'x',
      version: String(appeal.version),
    });
    assert.equal(refused.status, 403);

    const analyst = await signIn('analyst');
    assert.ok((await analyst.get('/staff/appeals')).body.includes(path));
    const dismissed = await analyst.submit(path, `${path}/decision`, {
      outcome: 'dismissed',
      note: 'Оснований для отмены нет',
      version: String(appeal.version),
    });
    assert.equal(dismissed.status, 303);
    assert.equal((await appealsOf(db, id))[0]?.state, 'dismissed');
    assert.equal((await load(id)).state, 'refused');
    // The analyst reads the case but has no forms to change it.
    const caseView = await analyst.get(casePath);
    assert.equal(caseView.status, 200);
    assert.doesNotMatch(caseView.body, /\/actions\//);
  });
});
