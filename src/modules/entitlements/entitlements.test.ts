// "What am I entitled to" end to end: a resident signed in through the ESIA simulator, the anonymous
// questionnaire, the counter page with its district scope and audit, the cache, and the pages in
// Chromium with axe.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { ESIA_PASSWORD, startAppWithEsia } from '../../../test/support/resident.ts';
import { factsForPerson } from '../registry/facts.service.ts';
import { formatRub, formatYears } from '../rules/rules.format.ts';
import { importRules, paramsAsOf } from '../rules/rules.service.ts';
import {
  answerStep,
  cachedRuleBook,
  entitlementsFor,
  entitlementsForPerson,
  factsFromAnswers,
  invalidateRuleBooks,
  today,
} from './entitlements.service.ts';

// Смирнова Валентина Петровна: a demo resident, a pensioner and labour veteran in Volgograd.
const VALENTINA = '11223344595';
/** As text() folds it: any run of white space (Intl puts no-break spaces in money) is one space. */
const folded = (s: string) => s.replace(/\s+/g, ' ');

const database = await testDatabase();
const { db } = database;
await seedSmallRegion(database, 300);
await importRules(db);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);
const { baseUrl, issuer, signIn } = await startAppWithEsia(database);

const valentina = await db
  .selectFrom('persons')
  .select(['id', 'birth_date'])
  .where('snils', '=', VALENTINA)
  .executeTakeFirstOrThrow();
const asOf = today();
const age = (await factsForPerson(db, valentina.id, asOf)).person.age;
const edv = (await paramsAsOf(db, asOf)).labour_veteran_edv!;

async function staff(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303);
  return client;
}

/** Answers one question of the questionnaire; returns the response (a 303 when accepted). */
async function answer(client: Client, step: string, fields: Record<string, string> | URLSearchParams) {
  const page = await client.get(`/entitlements/check/${step}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const body = new URLSearchParams(fields);
  body.set('_csrf', token);
  return await client.request('POST', `/entitlements/check/${step}`, body);
}

describe('a signed-in resident', () => {
  test('sees the measures they may get, with an explanation carrying their own values', async () => {
    const resident = await signIn(VALENTINA);
    const page = await resident.get('/entitlements');
    assert.equal(page.status, 200);
    const body = text(page.body);
    assert.match(body, /Вам могут быть положены/);
    const eligible = body.slice(body.indexOf('Вам могут быть положены'), body.indexOf('Не положен'));
    assert.match(eligible, /Ежемесячная денежная выплата ветеранам труда|VETERAN-EDV|ветеран/i);
    assert.ok(
      eligible.includes(folded(`Возраст ${formatYears(age, 'ru')}`)),
      'her age, as of today, is in the explanation',
    );
    assert.ok(eligible.includes(folded(formatRub(edv, 'ru'))), 'the amount in force today is shown');
    assert.match(eligible, /✓/);
    assert.match(page.body, /<details class="not-eligible">/, 'measures not due are collapsed');
    assert.match(page.body, /href="\/measures\/VETERAN-EDV"/);
  });

  test('sees in English what the rule says in English, and what they already receive', async () => {
    const measure = await db
      .selectFrom('measures')
      .select('id')
      .where('code', '=', 'VETERAN-EDV')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('assignments')
      .values({
        person_id: valentina.id,
        measure_id: measure.id,
        basis: 'application',
        amount: edv,
        start_date: '2020-01-01',
      })
      .execute();
    try {
      const resident = await signIn(VALENTINA);
      resident.setCookie('opora_lang', 'en');
      const body = text((await resident.get('/entitlements')).body);
      const receiving = body.slice(body.indexOf('You already receive'));
      assert.ok(body.indexOf('You already receive') > 0, 'a section for what she receives');
      assert.match(receiving.slice(0, 300), /labour veteran/i);
      assert.match(body, /The person holds the labour veteran title|Age \d+ years/);
    } finally {
      await db.deleteFrom('assignments').where('person_id', '=', valentina.id).execute();
    }
  });

  test('an anonymous visitor is offered the questionnaire and sign-in instead', async () => {
    const page = await new Client(baseUrl).get('/entitlements');
    assert.equal(page.status, 200);
    assert.match(page.body, /href="\/entitlements\/check\/age"/);
    assert.match(page.body, /href="\/sign-in\?return=%2Fentitlements"/);
  });
});

describe('the anonymous questionnaire', () => {
  test('one question per page, a clear error, check your answers, then results from the answers', async () => {
    const visitor = new Client(baseUrl);
    visitor.setCookie('opora_lang', 'en');
    const bad = await answer(visitor, 'age', { age: 'abc' });
    assert.equal(bad.status, 422);
    assert.match(text(bad.body), /There is a problem/);
    assert.match(text(bad.body), /Enter your age in full years, for example 67/);
    assert.match(bad.body, /href="#age"/, 'the summary links to the field');
    assert.match(bad.body, /value="abc"/, 'the input is kept for correcting');

    const steps: [string, Record<string, string> | URLSearchParams][] = [
      ['age', { age: '67' }],
      ['size', { size: '2' }],
      ['children', { children: '' }],
      ['income', { income: '40 000' }],
      ['disability', { disability: '0' }],
      [
        'categories',
        new URLSearchParams([
          ['categories', 'pensioner'],
          ['categories', 'labour_veteran'],
        ]),
      ],
      ['district', { district: 'volgograd' }],
    ];
    for (const [i, [step, fields]] of steps.entries()) {
      const r = await answer(visitor, step, fields);
      assert.equal(r.status, 303, `${step} accepted`);
      assert.equal(r.location, `/entitlements/check/${steps[i + 1]?.[0] ?? 'answers'}`);
    }
    const summary = text((await visitor.get('/entitlements/check/answers')).body);
    assert.match(summary, /Check your answers/);
    assert.match(summary, /Age 67/);
    assert.match(summary, /Pensioner, Labour veteran/);
    assert.match(summary, /Volgograd/);

    const results = await visitor.get('/entitlements/check/results');
    assert.equal(results.status, 200);
    const body = text(results.body);
    const eligible = body.slice(body.indexOf('You may be entitled to'));
    assert.ok(
      eligible.includes(folded(`Age ${formatYears(67, 'en')}`)),
      'the explanation carries the answered age',
    );
    assert.ok(eligible.includes(folded(formatRub(edv, 'en'))));
  });

  test('a change from the summary comes back to it, and questions cannot be skipped', async () => {
    const visitor = new Client(baseUrl);
    const early = await visitor.get('/entitlements/check/income');
    assert.equal(early.location, '/entitlements/check/age');
    assert.equal((await visitor.get('/entitlements/check/results')).location, '/entitlements/check/age');
    for (const [step, value] of [
      ['age', '35'],
      ['size', '4'],
      ['children', '2, 7, 12'],
      ['income', '30000'],
      ['disability', '0'],
      ['categories', ''],
      ['district', 'volgograd'],
    ]) {
      assert.equal((await answer(visitor, step!, { [step!]: value! })).status, 303);
    }
    const tooMany = await answer(visitor, 'children', { children: '1, 2, 3, 4', return: 'answers' });
    assert.equal(tooMany.status, 422);
    assert.match(text(tooMany.body), /Детей больше, чем членов семьи/);
    const changed = await answer(visitor, 'age', { age: '36', return: 'answers' });
    assert.equal(changed.location, '/entitlements/check/answers');
    assert.match(text((await visitor.get('/entitlements/check/answers')).body), /Возраст 36/);
    const results = text((await visitor.get('/entitlements/check/results')).body);
    assert.match(results, /детей|Дет/i);
  });

  test('a tampered answers cookie is ignored', async () => {
    const visitor = new Client(baseUrl);
    await answer(visitor, 'age', { age: '40' });
    const signed = visitor.cookie('opora_check')!;
    visitor.setCookie('opora_check', signed.replace(/%22age%22%3A40|"age":40/, '%22age%22%3A90'));
    assert.equal((await visitor.get('/entitlements/check/size')).location, '/entitlements/check/age');
  });
});

describe('reading the answers', () => {
  const read = (step: Parameters<typeof answerStep>[0], value: string | string[], answers = {}) =>
    answerStep(step, { [step]: value }, answers, ['volgograd']);

  test('numbers are read as people write them, and nonsense is refused with the right message', () => {
    assert.deepEqual(read('income', '45 000 ₽'), { answers: { income: 45000 } });
    assert.deepEqual(read('income', '45\u00a0000,50'), { answers: { income: 45000.5 } });
    assert.deepEqual(read('income', '-5'), { error: 'entitlements.e.income', value: '-5' });
    assert.deepEqual(read('age', '121'), { error: 'entitlements.e.ageRange', value: '121' });
    assert.deepEqual(read('age', '6.5'), { error: 'entitlements.e.age', value: '6.5' });
    assert.deepEqual(read('children', '15; 3 7', { size: 4 }), {
      answers: { size: 4, children: [15, 3, 7] },
    });
    assert.deepEqual(read('district', 'atlantis'), { error: 'entitlements.e.district', value: 'atlantis' });
    assert.deepEqual(read('disability', '4'), { error: 'entitlements.e.disability', value: '4' });
  });

  test('only categories a visitor may claim are kept; a smaller household asks about children again', () => {
    const r = answerStep('categories', { categories: ['pensioner', 'disabled', 'nonsense'] }, {}, []);
    assert.deepEqual(r, { answers: { categories: ['pensioner'] } });
    const smaller = read('size', '2', { children: [3, 5] });
    assert.ok('answers' in smaller && smaller.answers.children === undefined);
  });

  test('facts from answers: per-capita income, children sorted, disability as a category', () => {
    const facts = factsFromAnswers({
      age: 34,
      size: 4,
      children: [12, 2, 19],
      income: 60000,
      disability: 3,
      categories: ['single_parent'],
      district: 'volgograd',
    });
    assert.equal(facts.household.per_capita_income, 15000);
    assert.deepEqual(facts.household.children_ages, [2, 12, 19]);
    assert.equal(facts.household.children_under_18, 2);
    assert.equal(facts.household.children_under_23, 3);
    assert.equal(facts.household.youngest_child_age, 2);
    assert.equal(facts.household.single_parent, true);
    assert.deepEqual(facts.person.categories, ['single_parent', 'disabled']);
    assert.equal(facts.person.sex, 'F', 'what is not asked stays neutral');
  });
});

describe('at the counter', () => {
  const personIn = async (code: string, same: boolean) =>
    await db
      .selectFrom('persons')
      .innerJoin('districts', 'districts.id', 'persons.district_id')
      .select(['persons.id', 'persons.last_name'])
      .where('districts.code', same ? '=' : '<>', code)
      .orderBy('persons.id')
      .executeTakeFirstOrThrow();

  test('a specialist checks a resident of their district; the read is audited', async () => {
    const client = await staff('spec.volgograd');
    const person = await personIn('volgograd', true);
    const card = await client.get(`/staff/persons/${person.id}`);
    assert.match(card.body, new RegExp(`href="/staff/persons/${person.id}/entitlements"`));
    const page = await client.get(`/staff/persons/${person.id}/entitlements`);
    assert.equal(page.status, 200);
    assert.match(text(page.body), new RegExp(person.last_name));
    assert.match(page.body, /<details class="not-eligible" open/, 'the printout carries the reasons');
    const reads = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', String(person.id))
      .execute();
    assert.equal(reads.filter((r) => r.action === 'person.read').length, 2, 'the card and the check');
  });

  test("another district's specialist is refused with 403, and the attempt is audited", async () => {
    const client = await staff('spec.olkhovsky');
    const person = await personIn('olkhovsky', false);
    const page = await client.get(`/staff/persons/${person.id}/entitlements`);
    assert.equal(page.status, 403);
    assert.doesNotMatch(page.body, new RegExp(person.last_name));
    const denied = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', String(person.id))
      .where('action', '=', 'person.read.denied')
      .execute();
    assert.equal(denied.length, 1);
  });

  test('a resident session does not open it', async () => {
    const resident = await signIn(VALENTINA);
    const r = await resident.get(`/staff/persons/${valentina.id}/entitlements`);
    assert.ok(r.status === 303 || r.status === 403, `got ${r.status}`);
  });
});

describe('speed and the rule-book cache', () => {
  // Speed itself is measured in bench/ (timings do not belong in tests); here: the cache is used.
  test('a repeated check reuses the compiled rule book instead of reading it again', async () => {
    const first = await cachedRuleBook(db, asOf);
    await entitlementsForPerson(db, valentina.id, asOf);
    assert.equal(await cachedRuleBook(db, asOf), first);
    invalidateRuleBooks();
    assert.notEqual(await cachedRuleBook(db, asOf), first);
  });

  test('a published version is seen at once after invalidation', async () => {
    const facts = await factsForPerson(db, valentina.id, asOf);
    const before = await entitlementsFor(db, facts, asOf);
    const all = [...before.eligible, ...before.notEligible, ...before.receiving];
    assert.ok(all.length > 10, 'every measure with a rule is evaluated');
    invalidateRuleBooks();
    const after = await entitlementsFor(db, facts, asOf);
    assert.deepEqual(
      after.eligible.map((o) => o.code),
      before.eligible.map((o) => o.code),
    );
  });
});

describe('in Chromium', () => {
  test('the questionnaire, its error, the summary and the results are accessible and work without JavaScript', async () => {
    const chromium = await launchBrowser();
    for (const javaScriptEnabled of [true, false]) {
      const context = await chromium.newContext({
        bypassCSP: javaScriptEnabled,
        locale: 'ru-RU',
        javaScriptEnabled,
      });
      const page = await context.newPage();
      const check = async () => {
        if (javaScriptEnabled) await assertAccessible(page);
      };
      await page.goto(`${baseUrl}/entitlements`);
      await check();
      await page.getByRole('link', { name: 'Начать' }).click();
      await page.fill('#age', 'abc');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      assert.match((await page.locator('.error-summary').textContent()) ?? '', /Введите возраст/);
      await check();
      await page.fill('#age', '70');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await check();
      await page.fill('#size', '1');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await check();
      await page.getByRole('button', { name: 'Продолжить' }).click(); // no children
      await page.fill('#income', '25000');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.check('#disability-2');
      await check();
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.check('#categories'); // the first category: pensioner
      await page.check('#categories-labour_veteran');
      await check();
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await page.selectOption('#district', 'volgograd');
      await check();
      await page.getByRole('button', { name: 'Продолжить' }).click();
      assert.match((await page.locator('h1').textContent()) ?? '', /Проверьте ответы/);
      await check();
      await page.getByRole('link', { name: 'Показать меры поддержки' }).click();
      assert.match((await page.locator('main').textContent()) ?? '', /Вам могут быть положены/);
      await check();
      await context.close();
    }
  });

  test("a resident's results and the counter page are accessible", async () => {
    const chromium = await launchBrowser();
    const context = await chromium.newContext({ bypassCSP: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in?return=%2Fentitlements`);
    await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
    assert.ok(page.url().startsWith(issuer));
    await page.fill('#snils', VALENTINA);
    await page.fill('#password', ESIA_PASSWORD);
    await page.getByRole('button', { name: /^Войти/ }).click();
    assert.equal(new URL(page.url()).pathname, '/entitlements');
    assert.match((await page.locator('main').textContent()) ?? '', /Вам могут быть положены/);
    await assertAccessible(page);

    const counter = await (await chromium.newContext({ bypassCSP: true, locale: 'ru-RU' })).newPage();
    await counter.goto(`${baseUrl}/staff/sign-in`);
    await counter.fill('#login', 'spec.volgograd');
    await counter.fill('#password', PASSWORD);
    await counter.getByRole('button', { name: 'Войти' }).click();
    await counter.goto(`${baseUrl}/staff/persons/${valentina.id}`);
    await counter.getByRole('link', { name: 'Проверить, какие меры положены' }).click();
    assert.match((await counter.locator('h1').textContent()) ?? '', /Положенные меры поддержки/);
    await assertAccessible(counter);
    await counter.emulateMedia({ media: 'print' });
    assert.equal(await counter.locator('header').isVisible(), false, 'the printout has no site header');
    await context.close();
  });
});
