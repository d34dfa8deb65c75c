// The staff registry view over HTTP: who may open it, district scope, the audit entry of every read,
// what the page shows (assignments with rule versions, accruals, change history), and an axe scan.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { testConfig } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { routeModules } from '../../app.ts';
import { buildApp } from '../../platform/http/server.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import * as rules from '../rules/rules.service.ts';
import { createAssignment } from './assignments.service.ts';
import { accrueMonth } from './ledger.service.ts';
import { registryRoutes } from './registry.routes.ts';

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 150);
// Until the composition root lists registryRoutes, the test adds them itself.
const modules = routeModules.includes(registryRoutes) ? routeModules : [...routeModules, registryRoutes];
const app = await buildApp({ config: testConfig(), db }, modules);
await app.listen({ port: 0, host: '127.0.0.1' });
after(() => app.close());
const address = app.server.address();
const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const clerk = await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.elsewhere', 'specialist', ['olkhovsky']);
await staffUser(db, 'researcher', 'researcher');
const author = await staffUser(db, 'author', 'ministry_analyst');
const reviewer = await staffUser(db, 'reviewer', 'ministry_analyst');

// Valentina Smirnova, a demo resident in Volgograd living with her husband.
const valentina = await db
  .selectFrom('persons')
  .select(['id', 'monthly_income'])
  .where('snils', '=', '11223344595')
  .executeTakeFirstOrThrow();
const edv = (await measureRefs(db, { codes: ['VETERAN-EDV'] }))[0]!;
await db
  .insertInto('rule_parameters')
  .values({ code: 'view_edv_amount', unit: 'rub', title_ru: 'ЕДВ', title_en: 'EDV' })
  .execute();
await db
  .insertInto('rule_parameter_values')
  .values({ parameter_code: 'view_edv_amount', effective_from: '2025-01-01', value: 1234, source: 'test' })
  .execute();
const versionId = await rules.createDraft(db, {
  measureCode: 'VETERAN-EDV',
  effectiveFrom: '2025-01-01',
  definition: {
    conditions: [
      { id: 'any', expr: 'person.age >= 0.0', pass: { ru: 'Да', en: 'Yes' }, fail: { ru: 'Нет', en: 'No' } },
    ],
    amount: { expr: 'params.view_edv_amount', explain: { ru: 'Сумма', en: 'Amount' } },
  },
  tests: [{ name: 'amount', as_of: '2025-02-01', expect: { eligible: true, amount: 1234 } }],
  note: 'view test',
  actorId: author,
});
await rules.propose(db, versionId, author);
await rules.approve(db, versionId, reviewer);
await db.transaction().execute((trx) =>
  createAssignment(trx, {
    personId: valentina.id,
    measureId: edv.id,
    basis: 'application',
    amount: 1234,
    startDate: '2025-01-01',
    ruleVersionId: versionId,
    parameters: { view_edv_amount: 1234 },
    actorId: clerk,
  }),
);
await accrueMonth(db, '2025-02-01');
await db.updateTable('persons').set({ monthly_income: 26_100 }).where('id', '=', valentina.id).execute();

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}

const auditOf = (action: string) =>
  db
    .selectFrom('audit_log')
    .select(['actor_id', 'subject_id'])
    .where('action', '=', action)
    .where('subject_id', '=', String(valentina.id))
    .execute();

const path = `/staff/registry/persons/${valentina.id}`;

describe('the staff registry view', () => {
  test('shows the household, assignments with their rule version, accruals and changes; audited', async () => {
    const client = await signIn('spec.volgograd');
    const before = (await auditOf('person.read')).length;
    const page = await client.get(path);
    assert.equal(page.status, 200);
    const body = text(page.body);
    assert.match(body, /Смирнова Валентина Петровна/);
    assert.match(body, /Семья/);
    assert.match(body, new RegExp(edv.title_ru.slice(0, 20)));
    assert.match(body, /действует/);
    assert.match(body, /по заявлению/);
    assert.match(body, /VETERAN-EDV, версия 1/);
    assert.match(body, /февраль 2025/);
    assert.match(body, /начисление/);
    assert.match(body, /1\s234/);
    assert.match(body, /Доход в месяц: 24\s800,00\s₽ → 26\s100,00\s₽/);
    assert.equal((await auditOf('person.read')).length, before + 1);
  });

  test('in English', async () => {
    const client = await signIn('spec.volgograd');
    client.setCookie('opora_lang', 'en');
    const body = text((await client.get(path)).body);
    assert.match(body, /Assignments/);
    assert.match(body, /VETERAN-EDV, version 1/);
    assert.match(body, /Change history/);
  });

  test('a specialist of another district is refused, and the refusal is audited', async () => {
    const client = await signIn('spec.elsewhere');
    const before = (await auditOf('person.read.denied')).length;
    assert.equal((await client.get(path)).status, 403);
    assert.equal((await auditOf('person.read.denied')).length, before + 1);
  });

  test('researchers and anonymous visitors cannot open it; unknown ids are 404', async () => {
    assert.equal((await (await signIn('researcher')).get(path)).status, 403);
    const anonymous = await new Client(baseUrl).get(path);
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.location ?? '', /\/staff\/sign-in/);
    const client = await signIn('spec.volgograd');
    assert.equal((await client.get('/staff/registry/persons/99999999')).status, 404);
    assert.equal((await client.get('/staff/registry/persons/abc')).status, 400);
  });
});

describe('the staff registry view in Chromium', () => {
  test('is accessible', async () => {
    const browser = await launchBrowser();
    const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'spec.volgograd');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`${baseUrl}/staff`);
    const response = await page.goto(`${baseUrl}${path}`);
    assert.equal(response?.status(), 200);
    await assertAccessible(page);
  });
});
