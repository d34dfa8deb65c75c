// The EGISSO staff page over HTTP, without JavaScript: "export now" needs the CSRF token and queues
// one job (a second press while it is queued reuses it); the job's result shows counts and a package
// that downloads as XML valid against the schema; the rejections page and CSV name the reasons and
// are audited; district roles have no access.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { createAssignment } from '../registry/assignments.service.ts';
import { egissoSchema } from './egisso.format.ts';
import { egissoTasks } from './egisso.tasks.ts';

const { baseUrl, db, database, config } = await startTestApp();
await seedSmallRegion(database, 60);
await staffUser(db, 'analyst', 'ministry_analyst');
const clerk = await staffUser(db, 'spec.volzhsky', 'specialist', ['volzhsky']);
const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as never;
const tasks = egissoTasks(db, config);

const [edv] = await measureRefs(db, { codes: ['VETERAN-EDV'] });
const persons = await db.selectFrom('persons').select(['id', 'snils']).orderBy('id').limit(3).execute();
for (const [i, p] of persons.entries()) {
  await db.transaction().execute((trx) =>
    createAssignment(trx, {
      personId: p.id,
      measureId: edv!.id,
      basis: 'application',
      // The third has no amount: a cash measure without one is rejected.
      amount: i === 2 ? 0 : 1500,
      startDate: '2025-01-01',
      endDate: null,
      ruleVersionId: null,
      parameters: {},
      actorId: clerk,
    }),
  );
}

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}

const queuedJobs = async () => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs where task_identifier = 'egisso:export'`.execute(db);
  return rows[0]!.n;
};

describe('the EGISSO page over HTTP', () => {
  test('export now: CSRF required, one job queued, the result downloadable and valid', async () => {
    const analyst = await signIn('analyst');
    const home = await analyst.get('/staff');
    assert.match(home.body, /href="\/staff\/registry\/egisso"/, 'the staff home links the page');
    const page = await analyst.get('/staff/registry/egisso');
    assert.equal(page.status, 200);
    assert.match(text(page.body), /Ждут выгрузки 3/);

    const forged = await analyst.post('/staff/registry/egisso/exports', {});
    assert.equal(forged.status, 403, 'no CSRF token, no export');

    const queued = await analyst.submit('/staff/registry/egisso', '/staff/registry/egisso/exports', {});
    assert.equal(queued.status, 303);
    const again = await analyst.submit('/staff/registry/egisso', '/staff/registry/egisso/exports', {});
    assert.equal(again.location, queued.location, 'a queued export is reused');
    assert.equal(await queuedJobs(), 1);
    const exportId = Number(queued.location!.split('/').pop());
    const waiting = await analyst.get(queued.location!);
    assert.match(text(waiting.body), /в очереди/);
    assert.match(waiting.body, /http-equiv="refresh"/);

    await tasks['egisso:export']!({ exportId }, helpers);
    await tasks['egisso:export']!({ exportId }, helpers); // safe to run twice
    const done = await analyst.get(queued.location!);
    const shown = text(done.body);
    assert.match(shown, /завершена/);
    assert.match(shown, /Новые 2/);
    assert.match(shown, /Отклонены 1/);
    const link = /href="(\/staff\/registry\/egisso\/packages\/[0-9a-f-]{36})"/.exec(done.body)?.[1];
    assert.ok(link, 'a package link');
    const xml = await analyst.get(link);
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type') ?? '', /application\/xml/);
    assert.match(xml.headers.get('content-disposition') ?? '', new RegExp(`egisso-facts-${exportId}-`));
    assert.deepEqual(egissoSchema().validate(xml.body), []);
    assert.ok(xml.body.includes(persons[0]!.snils) && !xml.body.includes(persons[2]!.snils));

    const nothing = await analyst.follow(
      await analyst.submit('/staff/registry/egisso', '/staff/registry/egisso/exports', {}),
    );
    const nextId = Number(/Выгрузка № (\d+)/.exec(text(nothing.body))?.[1]);
    await tasks['egisso:export']!({ exportId: nextId }, helpers);
    const empty = await analyst.get(`/staff/registry/egisso/exports/${nextId}`);
    assert.match(text(empty.body), /ничего не изменилось/);
  });

  test('rejections: the reason on the page and in the CSV, both audited', async () => {
    const analyst = await signIn('analyst');
    const page = await analyst.get('/staff/registry/egisso/rejections');
    assert.equal(page.status, 200);
    assert.match(text(page.body), /Для денежной меры не указан размер/);
    assert.ok(page.body.includes(persons[2]!.snils));
    const csv = await analyst.get('/staff/registry/egisso/rejections.csv');
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(csv.body, /amount_missing/);
    const actions = (
      await db.selectFrom('audit_log').select('action').where('action', 'like', 'egisso.%').execute()
    ).map((r) => r.action);
    for (const a of ['egisso.package.download', 'egisso.rejections.read', 'egisso.rejections.download'])
      assert.ok(actions.includes(a), a);
  });

  test('a district specialist has no access', async () => {
    const spec = await signIn('spec.volzhsky');
    const page = await spec.get('/staff/registry/egisso');
    assert.equal(page.status, 403);
    const home = await spec.get('/staff');
    assert.equal(csrfToken(home.body).length > 0, true);
    assert.doesNotMatch(home.body, /href="\/staff\/registry\/egisso"/);
  });
});
