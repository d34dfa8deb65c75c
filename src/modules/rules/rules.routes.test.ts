// The rule editor over HTTP and in Chromium: field errors for a broken rule (nothing saved), a draft
// with its check, tests and dry run, then four eyes: propose, refused self-approval, approval by a
// second analyst, and the version in force from its effective_from.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import type { RuleDefinition } from './rules.format.ts';
import { importRules, listVersions, paramsAsOf, ruleBookAsOf } from './rules.service.ts';

const MEASURE = 'VETERAN-EDV';
const FROM = '2030-01-01';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 300);
await importRules(db);
await staffUser(db, 'analyst.one', 'ministry_analyst');
await staffUser(db, 'analyst.two', 'ministry_analyst');
await staffUser(db, 'admin', 'administrator');
await staffUser(db, 'spec', 'specialist', ['volgograd']);
const edv = (await paramsAsOf(db, FROM)).labour_veteran_edv!;
const current = (await listVersions(db, MEASURE)).at(-1)!;

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `${login} signs in`);
  return client;
}

/** The editor's fields for a definition, as the browser would post them. */
function fields(
  def: RuleDefinition,
  tests: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {
    effective_from: FROM,
    note: 'Raised by 100 roubles (test)',
    conditions: String(def.conditions.length),
    amount_expr: def.amount?.expr ?? '',
    amount_explain_ru: def.amount?.explain.ru ?? '',
    amount_explain_en: def.amount?.explain.en ?? '',
    tests,
  };
  def.conditions.forEach((c, i) => {
    Object.assign(out, {
      [`c${i}_id`]: c.id,
      [`c${i}_expr`]: c.expr,
      [`c${i}_pass_ru`]: c.pass.ru,
      [`c${i}_pass_en`]: c.pass.en,
      [`c${i}_fail_ru`]: c.fail.ru,
      [`c${i}_fail_en`]: c.fail.en,
    });
  });
  return { ...out, ...extra };
}

const raised: RuleDefinition = {
  ...current.definition,
  amount: {
    expr: 'params.labour_veteran_edv + 100.0',
    explain: { ru: 'ЕДВ плюс 100 ₽', en: 'EDV plus 100 roubles' },
  },
};
const goodTests = (amount: number) =>
  [
    `- name: a labour veteran of 70 gets the raised amount`,
    `  as_of: ${FROM}`,
    `  facts: { person: { age: 70, sex: F, categories: [labour_veteran] } }`,
    `  expect: { eligible: true, amount: ${amount} }`,
  ].join('\n');

const versionCount = async () => (await listVersions(db, MEASURE)).length;
const newDraft = (client: Client, body: Record<string, string>) =>
  client.submit(`/staff/rules/${MEASURE}/new`, `/staff/rules/${MEASURE}/new`, body);

describe('who may use the editor', () => {
  test('analysts and administrators see the rules; a specialist does not; an administrator cannot draft', async () => {
    const home = await (await signIn('analyst.one')).get('/staff/rules');
    assert.equal(home.status, 200);
    assert.match(text(home.body), /Правила назначения мер/);
    assert.match(home.body, new RegExp(`href="/staff/rules/${MEASURE}"`));
    assert.equal((await (await signIn('spec')).get('/staff/rules')).status, 403);
    const admin = await signIn('admin');
    assert.equal((await admin.get(`/staff/rules/${MEASURE}`)).status, 200);
    assert.doesNotMatch((await admin.get(`/staff/rules/${MEASURE}`)).body, /\/new"/);
    assert.equal((await admin.get(`/staff/rules/${MEASURE}/new`)).status, 403);
  });

  test('the form is filled in from the version in force', async () => {
    const form = await (await signIn('analyst.one')).get(`/staff/rules/${MEASURE}/new`);
    assert.equal(form.status, 200);
    assert.match(
      form.body,
      /name="c0_id"[^>]*value="labour_veteran"|value="labour_veteran"[^>]*name="c0_id"/,
    );
    assert.match(form.body, /<textarea[^>]*name="tests"[^>]*>[^<]*woman exactly 55/);
  });
});

describe('a rule with mistakes', () => {
  test('a syntax error and an unknown fact are field errors, and nothing is saved', async () => {
    const client = await signIn('analyst.one');
    const before = await versionCount();
    const broken = structuredClone(current.definition);
    broken.conditions[0]!.expr = 'person.shoe_size > 40.0';
    broken.conditions[1]!.expr = 'person.age >= (';
    const r = await newDraft(client, fields(broken, goodTests(edv + 100)));
    assert.equal(r.status, 422);
    const page = text(r.body);
    assert.match(page, /Исправьте ошибки/);
    assert.match(page, /unknown fact person\.shoe_size/);
    assert.match(page, /syntax error/);
    assert.match(r.body, /href="#c0_expr"/);
    assert.match(r.body, /href="#c1_expr"/);
    assert.match(r.body, /id="c1_expr-error"/);
    assert.match(r.body, />person\.age >= \(<\/textarea>/, 'what was typed is kept');
    assert.equal(await versionCount(), before);
  });

  test('a missing note, a bad date and YAML that does not parse are reported in the page language', async () => {
    const client = await signIn('analyst.one');
    client.setCookie('opora_lang', 'en');
    const r = await newDraft(client, fields(raised, '- name: [', { note: '', effective_from: '2030-13' }));
    assert.equal(r.status, 422);
    const page = text(r.body);
    assert.match(page, /Describe what changed/);
    assert.match(page, /Enter a date as YYYY-MM-DD/);
    assert.match(page, /The test cases are not valid YAML/);
  });

  test('"add a condition" brings the form back with one more blank fieldset, without saving', async () => {
    const client = await signIn('analyst.one');
    const before = await versionCount();
    const r = await newDraft(client, fields(raised, '', { action: 'add' }));
    assert.equal(r.status, 200);
    assert.match(r.body, new RegExp(`name="c${raised.conditions.length}_id"`));
    assert.equal(await versionCount(), before);
  });
});

describe('four eyes', () => {
  test('a draft whose test fails cannot be proposed, even by a forged request', async () => {
    const client = await signIn('analyst.one');
    const saved = await newDraft(client, fields(raised, goodTests(1)));
    assert.equal(saved.status, 303);
    const page = await client.get(saved.location!);
    assert.match(text(page.body), /не пройден/);
    assert.match(text(page.body), /expected amount 1/);
    assert.match(page.body, /<button[^>]*disabled/);
    const id = saved.location!.split('/').at(-1)!;
    const forged = await client.submit(saved.location!, `/staff/rules/versions/${id}/propose`, {});
    assert.equal(forged.status, 422);
    assert.equal((await listVersions(db, MEASURE)).find((v) => v.id === Number(id))!.status, 'draft');
  });

  test('draft → check, tests and dry run → propose → the proposer cannot approve → another analyst does', async () => {
    const one = await signIn('analyst.one');
    const saved = await newDraft(one, fields(raised, goodTests(edv + 100)));
    assert.equal(saved.status, 303);
    const path = saved.location!;
    const id = Number(path.split('/').at(-1));
    const page = await one.get(path);
    const body = text(page.body);
    assert.match(body, /Ошибок не найдено/);
    assert.match(body, /Пройдено 1 из 1/);
    assert.match(body, /Пробный расчёт на жителях/);
    const dry = page.body.slice(page.body.indexOf('Пробный расчёт'), page.body.indexOf('Условия и размер'));
    assert.equal((dry.match(/<tr>/g) ?? []).length - 1, 20, 'twenty sample residents, district and age only');
    assert.doesNotMatch(page.body, /<button[^>]*disabled/);

    assert.equal((await one.submit(path, `${path}/propose`, {})).status, 303);
    const own = await one.get(path);
    assert.match(text(own.body), /Вы предложили эту версию/);
    assert.doesNotMatch(own.body, /value="approve"/, 'no approve button for the proposer');
    const forged = await one.submit(path, `${path}/review`, { decision: 'approve', note: '' });
    assert.equal(forged.status, 403);
    assert.match(text(forged.body), /Нельзя утвердить свою версию/);
    assert.equal((await listVersions(db, MEASURE)).find((v) => v.id === id)!.status, 'proposed');

    const two = await signIn('analyst.two');
    const home = await two.get('/staff/rules');
    const awaiting = home.body.slice(home.body.indexOf('Ожидают проверки'), home.body.indexOf('Черновики'));
    assert.match(awaiting, new RegExp(`href="${path}"`));
    assert.match(text((await two.get(path)).body), /Утвердить и опубликовать/);
    const approved = await two.submit(path, `${path}/review`, { decision: 'approve', note: 'Проверено' });
    assert.equal(approved.status, 303);
    const published = (await listVersions(db, MEASURE)).find((v) => v.id === id)!;
    assert.equal(published.status, 'published');
    assert.notEqual(published.reviewed_by, published.proposed_by);

    const inForce = await ruleBookAsOf(db, FROM, [MEASURE]);
    assert.equal(inForce.byMeasure.get(MEASURE)?.ruleVersionId, id, 'in force from its effective_from');
    const dayBefore = await ruleBookAsOf(db, '2029-12-31', [MEASURE]);
    assert.notEqual(dayBefore.byMeasure.get(MEASURE)?.ruleVersionId, id, 'not a day earlier');

    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'rule_version')
      .where('subject_id', '=', String(id))
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['rules.draft', 'rules.propose', 'rules.approve'],
    );
  });

  test('a rejection needs a note; an administrator may look but not act', async () => {
    const two = await signIn('analyst.two');
    const saved = await newDraft(two, fields(raised, goodTests(edv + 100), { effective_from: '2031-01-01' }));
    const path = saved.location!;
    assert.equal((await two.submit(path, `${path}/propose`, {})).status, 303);
    const admin = await signIn('admin');
    const look = await admin.get(path);
    assert.equal(look.status, 200);
    assert.doesNotMatch(look.body, /value="approve"/);
    assert.equal((await admin.submit(path, `${path}/review`, { decision: 'approve' })).status, 403);

    const one = await signIn('analyst.one');
    const noNote = await one.submit(path, `${path}/review`, { decision: 'reject', note: '' });
    assert.equal(noNote.status, 422);
    assert.match(text(noNote.body), /Объясните, почему версия отклонена/);
    assert.equal(
      (await one.submit(path, `${path}/review`, { decision: 'reject', note: 'Нет основания' })).status,
      303,
    );
    assert.match(text((await one.get(path)).body), /Версия отклонена: Нет основания/);
  });
});

describe('in Chromium', () => {
  test('every page of the editor is accessible, errors included', async () => {
    const chromium = await launchBrowser();
    const context = await chromium.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/staff/sign-in`);
    await page.fill('#login', 'analyst.one');
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'Правила назначения мер' }).click();
    assert.match((await page.locator('h1').textContent()) ?? '', /Правила назначения мер/);
    await assertAccessible(page);
    await page.goto(`${baseUrl}/staff/rules/${MEASURE}`);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Новая версия' }).click();
    await assertAccessible(page);
    await page.fill('#note', 'Проверка редактора');
    await page.fill('#c0_expr', 'person.shoe_size > 40.0');
    await page.getByRole('button', { name: 'Проверить и сохранить черновик' }).click();
    assert.match(
      (await page.locator('.error-summary').textContent()) ?? '',
      /unknown fact person\.shoe_size/,
    );
    await assertAccessible(page);
    await page.locator('.error-summary a[href="#c0_expr"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'c0_expr');

    const [version] = (await listVersions(db, MEASURE)).filter((v) => v.status === 'published').slice(-1);
    await page.goto(`${baseUrl}/staff/rules/versions/${version!.id}`);
    await assertAccessible(page);
    const draft = (await listVersions(db, MEASURE)).find((v) => v.status === 'draft');
    if (draft) {
      await page.goto(`${baseUrl}/staff/rules/versions/${draft.id}`);
      await assertAccessible(page);
    }
    await context.close();
  });
});
