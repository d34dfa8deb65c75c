// The accessibility register over HTTP, without JavaScript: who may open it, the error summary of a bad
// audit, a saved audit in the list and in the indicator, a district head's own offices only, the CSV,
// the links from the dashboards, and both new indicators in the public open data (offices and pages
// published in full, satisfaction's small cells hidden).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { translate } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 40);

const districts = await db
  .selectFrom('districts')
  .select(['id', 'code', 'name_ru'])
  .orderBy('id')
  .limit(2)
  .execute();
const [A, B] = districts as [(typeof districts)[number], (typeof districts)[number]];
const officeOf = async (district: number) =>
  await db
    .selectFrom('offices')
    .select(['id', 'name_ru'])
    .where('district_id', '=', district)
    .where('kind', '=', 'social_protection_centre')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
const CA = await officeOf(A.id);
const CB = await officeOf(B.id);
await staffUser(db, 'analyst', 'ministry_analyst');
await staffUser(db, 'head.a', 'district_head', [A.code]);
await staffUser(db, 'specialist.a', 'specialist', [A.code]);

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('ru', key, params);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303, `sign-in of ${login}`);
  return client;
}
const analyst = await signIn('analyst');
const head = await signIn('head.a');
const specialist = await signIn('specialist.a');

const PAGE = '/staff/quality/accessibility';
const today = regionToday();
const month = today.slice(0, 7);
const blank = { kind: '', office: '', page: '', auditedOn: '', meets: '', findings: '', source: '' };

describe('the accessibility register', () => {
  test('is for the ministry and district heads, and is linked from their dashboards', async () => {
    assert.equal((await specialist.get(PAGE)).status, 403);
    assert.equal((await analyst.get(PAGE)).status, 200);
    assert.ok((await analyst.get('/staff/quality')).body.includes(`href="${PAGE}"`));
    assert.ok((await head.get(`/staff/quality/districts/${A.code}`)).body.includes(`href="${PAGE}"`));
    assert.ok(
      (await analyst.get('/staff/quality/indicators/accessibility.offices_pages_accessible')).body.includes(
        `href="${PAGE}"`,
      ),
    );
    // A specialist's dashboard has no link to a page it may not open.
    assert.ok(!(await specialist.get(`/staff/quality/districts/${A.code}`)).body.includes(`href="${PAGE}"`));
  });

  test('a bad audit gets the error summary; a good one is listed, audited and counted', async () => {
    const bad = await analyst.submit(PAGE, PAGE, { ...blank, kind: 'page', page: 'no-slash', meets: 'no' });
    assert.equal(bad.status, 422);
    const page = text(bad.body);
    assert.match(bad.body, /class="error-summary"/);
    for (const key of [
      'quality.error.audit.page',
      'quality.error.audit.date',
      'quality.error.audit.findings',
      'quality.error.audit.source',
    ])
      assert.ok(page.includes(t(key as never)), key);
    // What was typed is kept.
    assert.match(bad.body, /name="page"[^>]*value="no-slash"/);

    const saved = await analyst.submit(PAGE, PAGE, {
      ...blank,
      kind: 'office',
      office: String(CA.id),
      auditedOn: today,
      meets: 'no',
      findings: 'Нет пандуса у входа',
      source: 'Паспорт доступности № 7',
    });
    assert.equal(saved.status, 303);
    const list = await analyst.follow(saved);
    assert.match(text(list.body), new RegExp(t('qualityPages.accessibility.recorded')));
    assert.ok(
      text(list.body).includes(
        `${CA.name_ru} ${A.name_ru} личный приём ${today} Нет Нет пандуса у входа Паспорт доступности № 7`,
      ),
    );
    const page2 = await analyst.submit(PAGE, PAGE, {
      ...blank,
      kind: 'page',
      page: '/measures',
      auditedOn: today,
      meets: 'yes',
      source: 'axe, сборка 41',
    });
    assert.equal(page2.status, 303);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_log where action = 'quality.accessibility.record'`.execute(db);
    assert.equal(rows[0]!.n, 2);

    // The indicator this month: the office fails, the page passes → 50 %; district A 0 %.
    const ind = await analyst.get(
      `/staff/quality/indicators/accessibility.offices_pages_accessible?from=${month}&to=${month}`,
    );
    assert.equal(ind.status, 200);
    assert.match(text(ind.body), /50 % 1 2/);
    const csv = await analyst.get(`${PAGE}?format=csv&table=accessibility`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.ok(csv.body.includes('/measures'));
  });

  test('a district head records and sees its own district’s offices only', async () => {
    const other = await head.submit(PAGE, PAGE, {
      ...blank,
      kind: 'office',
      office: String(CB.id),
      auditedOn: today,
      meets: 'yes',
      source: 'Паспорт',
    });
    assert.equal(other.status, 422);
    assert.ok(text(other.body).includes(t('quality.error.audit.office')));
    const pageAudit = await head.submit(PAGE, PAGE, {
      ...blank,
      kind: 'page',
      page: '/x',
      auditedOn: today,
      meets: 'yes',
      source: 'axe',
    });
    assert.equal(pageAudit.status, 422);
    const list = await head.get(PAGE);
    assert.ok(list.body.includes(CA.name_ru));
    assert.ok(!list.body.includes(CB.name_ru));
    assert.ok(!list.body.includes('/measures'));
    // No choice of a page for a district head.
    assert.ok(!list.body.includes('name="page"'));
  });
});

describe('open data', () => {
  test('offices and pages are published in full; satisfaction hides small cells', async () => {
    // One complete response today in district A, to a wave whose satisfaction question is 'overall'.
    const form = {
      settings: { title: 'S', formId: null, version: null, defaultLanguage: null },
      languages: [{ name: 'default', code: null }],
      children: [
        { kind: 'question', type: 'select_one', name: 'overall', label: { default: 'Overall' }, hint: {},
          required: false, requiredMessage: {}, relevant: null, constraint: null, constraintMessage: {},
          appearance: null, listName: 'agree', choiceFilter: null, calculation: null, likert: true }, // biome-ignore format: fixture
      ],
      lists: [{ name: 'agree', choices: ['1', '2', '3', '4', '5'].map((name) => ({ name, label: { default: name }, properties: {} })) }], // biome-ignore format: fixture
    };
    const by = (await db.selectFrom('staff_users').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const q = await sql<{
      id: number;
    }>`insert into questionnaires (title, created_by) values ('S', ${by}) returning id`.execute(db);
    const v = await sql<{ id: number }>`insert into questionnaire_versions (questionnaire_id, number, title, form, source, source_sha256, created_by)
      values (${q.rows[0]!.id}, 1, 'S', ${JSON.stringify(form)}, ${Buffer.from('x')}, ${'0'.repeat(64)}, ${by}) returning id`.execute(db); // biome-ignore format: fixture
    const w = await sql<{ id: number }>`insert into survey_waves (version_id, title, mode, token, opens_on, closes_on, satisfaction_question, created_by)
      values (${v.rows[0]!.id}, 'W', 'anonymous', 'open-data-test-wave-token', ${today}, ${today}, 'overall', ${by}) returning id`.execute(db); // biome-ignore format: fixture
    await sql`insert into survey_responses (wave_id, version_id, channel, background, answers, status, completed_at)
      values (${w.rows[0]!.id}, ${v.rows[0]!.id}, 'portal', ${JSON.stringify({ district: String(A.id), channel: 'portal' })},
              ${JSON.stringify({ overall: '5' })}, 'complete', now())`.execute(db); // biome-ignore format: fixture
    const anonymous = new Client(baseUrl);
    const json = await anonymous.get(`/open-data/quality.json?from=${month}&to=${month}`);
    assert.equal(json.status, 200);
    const body = JSON.parse(json.body) as {
      records: { indicator: string; district: string | null; value: number | null; suppressed: boolean }[];
    };
    const acc = body.records.filter((r) => r.indicator === 'accessibility.offices_pages_accessible');
    assert.deepEqual(
      acc
        .filter((r) => r.district === null || r.district === A.code)
        .map((r) => [r.district, r.value, r.suppressed]),
      [
        [null, 0.5, false],
        [A.code, 0, false],
      ],
    );
    // Satisfaction of district A this month rests on one response: hidden, in the region and the district.
    const sat = body.records.filter(
      (r) => r.indicator === 'satisfaction.overall' && (r.district === null || r.district === A.code),
    );
    assert.deepEqual(
      sat.map((r) => [r.district, r.value, r.suppressed]),
      [
        [null, null, true],
        [A.code, null, true],
      ],
    );
    const page = await anonymous.get(
      `/open-data/quality?indicator=accessibility.offices_pages_accessible&from=${month}&to=${month}`,
    );
    assert.equal(page.status, 200);
    assert.ok(text(page.body).includes(t('qualityPages.openData.places')));
  });
});
