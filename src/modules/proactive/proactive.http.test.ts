// The staff flows over HTTP with the cookie-jar client: sweeps, proposals, the emergency measure
// (with four eyes) and mass extensions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { formatMoney } from '../../platform/i18n/i18n.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import * as rules from '../rules/rules.service.ts';
import { runSweep } from './sweep.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database, 400);
const analystId = await staffUser(db, 'analyst', 'ministry_analyst');
const secondId = await staffUser(db, 'analyst2', 'ministry_analyst');
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);
const AS_OF = new Date().toISOString().slice(0, 10);

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}

async function publish(code: string, minAge: number) {
  const id = await rules.createDraft(db, {
    measureCode: code,
    effectiveFrom: '2020-01-01',
    definition: {
      conditions: [
        {
          id: 'old_enough',
          expr: `person.age >= ${minAge}.0`,
          pass: { ru: 'Возраст {{person.age|years}}', en: 'Age {{person.age|years}}' },
          fail: { ru: 'Младше', en: 'Younger' },
        },
      ],
      amount: { expr: '700.0', explain: { ru: 'Сумма 700 ₽', en: 'Amount 700 ₽' } },
    },
    tests: [
      { name: 'old', as_of: '2025-01-01', facts: { person: { age: minAge } }, expect: { eligible: true } },
    ],
    note: 'test',
    actorId: analystId,
  });
  await rules.propose(db, id, analystId);
  await rules.approve(db, id, secondId);
}

/** Posts a step of a flow from its page and returns where it redirects. */
async function step(client: Client, page: string, action: string, fields: Record<string, string | string[]>) {
  const html = (await client.get(page)).body;
  const body = new URLSearchParams({ _csrf: csrfToken(html) });
  const state = /name="state" value="([^"]*)"/.exec(html)?.[1];
  if (state !== undefined) body.set('state', state);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return await client.request('POST', action, body);
}

await publish('SANATORIUM', 65);

describe('sweeps', () => {
  test('only analysts and administrators may open the sweep page', async () => {
    const specialist = await signIn('spec.volgograd');
    assert.equal((await specialist.get('/staff/sweeps')).status, 403);
    assert.equal((await new Client(baseUrl).get('/staff/sweeps')).status, 303);
  });

  test('starting a sweep enqueues its job in the same transaction and shows live progress', async () => {
    const analyst = await signIn('analyst');
    const form = await analyst.get('/staff/sweeps');
    assert.equal(form.status, 200);
    const missing = await analyst.submit('/staff/sweeps', '/staff/sweeps', { measure: '', as_of: 'soon' });
    assert.equal(missing.status, 422);
    assert.match(text(missing.body), /Выберите меру поддержки/);
    const refused = await analyst.submit('/staff/sweeps', '/staff/sweeps', {
      measure: 'SANATORIUM',
      as_of: AS_OF,
      auto_assign: 'yes',
    });
    assert.equal(refused.status, 422, 'SANATORIUM is not offered proactively');

    const started = await analyst.submit('/staff/sweeps', '/staff/sweeps', {
      measure: 'SANATORIUM',
      as_of: AS_OF,
    });
    assert.equal(started.status, 303);
    const sweepId = Number(/\/staff\/sweeps\/(\d+)$/.exec(started.location ?? '')![1]);
    const { rows: jobs } = await sql<{ task_identifier: string; payload: { sweepId: number } }>`
      select t.identifier as task_identifier, j.payload
        from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`.execute(
      db,
    );
    assert.deepEqual(
      jobs.map((j) => [j.task_identifier, j.payload.sweepId]),
      [['proactive:sweep', sweepId]],
    );

    const queued = await analyst.get(started.location!);
    assert.match(queued.body, /<meta http-equiv="refresh" content="2"/);
    assert.match(queued.body, /src="\/assets\/proactive-progress.js"/);
    assert.match(text(queued.body), /в очереди/);
    const json = JSON.parse((await analyst.get(`/staff/sweeps/${sweepId}/progress.json`)).body);
    assert.equal(json.status, 'queued');

    await runSweep(db, sweepId); // what the worker does
    const done = await analyst.get(started.location!);
    assert.doesNotMatch(done.body, /http-equiv="refresh"/);
    assert.match(text(done.body), /завершён/);
    const final = JSON.parse((await analyst.get(`/staff/sweeps/${sweepId}/progress.json`)).body);
    assert.equal(final.status, 'done');
    assert.ok(final.proposalsCreated > 0);
    assert.equal(final.processed, final.total);
  });
});

describe('proposals', () => {
  const openIn = (district: string) =>
    db
      .selectFrom('proposals')
      .innerJoin('persons', 'persons.id', 'proposals.person_id')
      .innerJoin('districts', 'districts.id', 'persons.district_id')
      .select(['proposals.id', 'proposals.person_id', 'persons.last_name'])
      .where('districts.code', '=', district)
      .where('proposals.status', '=', 'open')
      .orderBy('proposals.id')
      .execute();

  test('a specialist sees the open proposals of their district only, each person read audited', async () => {
    const mine = await openIn('volgograd');
    assert.ok(mine.length > 0);
    const specialist = await signIn('spec.volgograd');
    const page = await specialist.get('/staff/proposals');
    assert.equal(page.status, 200);
    const body = text(page.body);
    assert.match(body, new RegExp(`${Math.min(mine.length, 20)}|${mine.length}`));
    for (const p of mine.slice(0, 20)) assert.match(page.body, new RegExp(`/staff/proposals/${p.id}"`));
    for (const p of (await openIn('olkhovsky')).slice(0, 5))
      assert.doesNotMatch(page.body, new RegExp(`/staff/proposals/${p.id}"`));
    assert.match(body, /Возраст/, 'the explanation is shown');
    const reads = await db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'person.read')
      .where(
        'actor_id',
        '=',
        String(
          (
            await db
              .selectFrom('staff_users')
              .select('id')
              .where('login', '=', 'spec.volgograd')
              .executeTakeFirstOrThrow()
          ).id,
        ),
      )
      .execute();
    assert.ok(mine.slice(0, 20).every((p) => reads.some((r) => r.subject_id === String(p.person_id))));
  });

  test('accepting creates the assignment with the proposal’s rule version and tells the resident', async () => {
    const [proposal] = await openIn('volgograd');
    const specialist = await signIn('spec.volgograd');
    const page = await specialist.get(`/staff/proposals/${proposal!.id}`);
    assert.equal(page.status, 200);
    const accepted = await specialist.submit(
      `/staff/proposals/${proposal!.id}`,
      `/staff/proposals/${proposal!.id}/accept`,
      {},
    );
    assert.equal(accepted.status, 303);
    const row = await db
      .selectFrom('proposals')
      .selectAll()
      .where('id', '=', proposal!.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'accepted');
    const assignment = await db
      .selectFrom('assignments')
      .selectAll()
      .where('id', '=', row.assignment_id!)
      .executeTakeFirstOrThrow();
    assert.equal(assignment.basis, 'proactive');
    assert.equal(assignment.rule_version_id, row.rule_version_id);
    assert.equal(assignment.amount, 700);
    const inbox = await db
      .selectFrom('inbox_messages')
      .select('subject_ru')
      .where('person_id', '=', proposal!.person_id)
      .execute();
    assert.ok(inbox.some((m) => /назначена/.test(m.subject_ru)));
    const again = await specialist.submit(
      `/staff/proposals/${proposal!.id}`,
      `/staff/proposals/${proposal!.id}/accept`,
      {},
    );
    assert.equal(again.status, 409, 'a decided proposal cannot be decided again');
  });

  test('declining needs a reason, which is kept and sent to the resident', async () => {
    const [, proposal] = await openIn('volgograd');
    const specialist = await signIn('spec.volgograd');
    const path = `/staff/proposals/${proposal!.id}/decline`;
    const empty = await specialist.submit(path, path, { reason: '' });
    assert.equal(empty.status, 422);
    assert.match(text(empty.body), /Укажите причину/);
    const declined = await specialist.submit(path, path, { reason: 'Проживает в доме-интернате' });
    assert.equal(declined.status, 303);
    const row = await db
      .selectFrom('proposals')
      .select('status')
      .where('id', '=', proposal!.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'declined');
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'proposal.declined')
      .where('subject_id', '=', String(proposal!.id))
      .executeTakeFirstOrThrow();
    assert.equal((audit.details as { reason: string }).reason, 'Проживает в доме-интернате');
    const inbox = await db
      .selectFrom('inbox_messages')
      .select('body_ru')
      .where('person_id', '=', proposal!.person_id)
      .execute();
    assert.ok(inbox.some((m) => m.body_ru.includes('Проживает в доме-интернате')));
  });

  test('a proposal in another district can be neither read nor decided', async () => {
    const [foreign] = await openIn('volgograd');
    const other = await signIn('spec.olkhovsky');
    assert.equal((await other.get(`/staff/proposals/${foreign!.id}`)).status, 403);
    const form = await other.get('/staff/proposals');
    const response = await other.request(
      'POST',
      `/staff/proposals/${foreign!.id}/accept`,
      new URLSearchParams({ _csrf: csrfToken(form.body) }),
    );
    assert.equal(response.status, 403);
    assert.equal((await signIn('analyst').then((c) => c.get('/staff/proposals'))).status, 403);
  });
});

describe('emergency measure', () => {
  const base = '/staff/emergency/new';

  test('template → fields → check answers → draft → dry run → propose → four eyes → published', async () => {
    const analyst = await signIn('analyst');
    assert.equal((await analyst.get('/staff/emergency')).status, 200);
    let r = await step(analyst, `${base}/template`, `${base}/template`, {});
    assert.equal(r.status, 422);
    assert.match(text(r.body), /Выберите шаблон/);
    r = await step(analyst, `${base}/template`, `${base}/template`, { template: 'children' });
    assert.equal(r.status, 303);
    const answers: [string, Record<string, string>][] = [
      ['title', { title_ru: 'Выплата на детей до 16 лет', title_en: 'Payment for children under 16' }],
      ['code', { code: 'COVID-CHILD' }],
      ['amount', { amount: '10000' }],
      ['threshold', { threshold: '16' }],
      ['date', { effective_from: '2020-04-01' }],
      ['legal', { legal_basis_ru: 'Указ Губернатора № 1', legal_basis_en: 'Governor’s decree No. 1' }],
    ];
    for (const [name, fields] of answers) {
      assert.match(r.location ?? '', new RegExp(`${base}/${name}\\?state=`));
      if (name === 'threshold') {
        const bad = await step(analyst, r.location!, `${base}/threshold`, { threshold: '40' });
        assert.equal(bad.status, 422, 'the threshold is bounded by the template');
      }
      r = await step(analyst, r.location!, `${base}/${name}`, fields);
      assert.equal(r.status, 303, `step ${name}`);
    }
    assert.match(r.location ?? '', /\/check\?state=/);
    const check = await analyst.get(r.location!);
    assert.match(text(check.body), /COVID-CHILD/);
    assert.match(text(check.body), /Выплата на детей до 16 лет/);
    const created = await step(analyst, r.location!, `${base}/check`, {});
    assert.equal(created.status, 303);
    const versionId = Number(/\/staff\/emergency\/(\d+)$/.exec(created.location ?? '')![1]);

    const [measure] = await measureRefs(db, { codes: ['COVID-CHILD'] });
    assert.equal(measure!.is_active, false, 'hidden until published');
    assert.equal((await rules.getVersion(db, versionId))!.status, 'draft');

    const dry = await analyst.get(`/staff/emergency/${versionId}/dry-run?as_of=${AS_OF}`);
    assert.equal(dry.status, 200);
    const children = await db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(sql<boolean>`birth_date > (${AS_OF}::date - interval '16 years')`)
      .executeTakeFirstOrThrow();
    const n = Number(children.n);
    assert.ok(n > 0);
    const shown = text(dry.body).replace(/\s/g, '');
    assert.ok(shown.includes(`Получателей${n}`), 'recipients as counted in the registry');
    assert.ok(shown.includes(formatMoney('ru', n * 10000).replace(/\s/g, '')), 'cost');
    assert.match(dry.body, /<th scope="row">/, 'a table by district');

    assert.equal(
      (await step(analyst, `/staff/emergency/${versionId}`, `/staff/emergency/${versionId}/propose`, {}))
        .status,
      303,
    );
    const self = await step(
      analyst,
      `/staff/emergency/${versionId}`,
      `/staff/emergency/${versionId}/approve`,
      {},
    );
    assert.equal(self.status, 403);
    assert.match(text(self.body), /другой аналитик/);
    assert.equal((await rules.getVersion(db, versionId))!.status, 'proposed');

    const second = await signIn('analyst2');
    const approved = await step(
      second,
      `/staff/emergency/${versionId}`,
      `/staff/emergency/${versionId}/approve`,
      {},
    );
    assert.equal(approved.status, 303);
    assert.equal((await rules.getVersion(db, versionId))!.status, 'published');
    assert.equal((await measureRefs(db, { codes: ['COVID-CHILD'] }))[0]!.is_active, true);
    assert.match(text((await second.get(`/staff/emergency/${versionId}`)).body), /опубликовано/);
  });

  test('a code already in the catalog is refused on the code page', async () => {
    const analyst = await signIn('analyst');
    let r = await step(analyst, `${base}/template`, `${base}/template`, { template: 'elderly_alone' });
    for (const [name, fields] of [
      ['title', { title_ru: 'Выплата одиноким пожилым', title_en: 'Payment to older people living alone' }],
      ['code', { code: 'SANATORIUM' }],
      ['amount', { amount: '3000' }],
      ['threshold', { threshold: '65' }],
      ['date', { effective_from: '2020-04-01' }],
      ['legal', { legal_basis_ru: 'Указ Губернатора № 2', legal_basis_en: 'Governor’s decree No. 2' }],
    ] as const)
      r = await step(analyst, r.location!, `${base}/${name}`, fields);
    const taken = await step(analyst, r.location!, `${base}/check`, {});
    assert.equal(taken.status, 409);
    assert.match(text(taken.body), /уже есть в каталоге/);
    // The corrected code goes straight back to the check page.
    assert.match(taken.body, /action="\/staff\/emergency\/new\/code\?from=check"/);
    const state = /name="state" value="([^"]*)"/.exec(taken.body)![1]!;
    const fixed = await analyst.request(
      'POST',
      `${base}/code?from=check`,
      new URLSearchParams({ _csrf: csrfToken(taken.body), state, code: 'COVID-ELDERLY' }),
    );
    assert.match(fixed.location ?? '', /\/staff\/emergency\/new\/check\?state=/);
    assert.match(text((await analyst.get(fixed.location!)).body), /COVID-ELDERLY/);
  });
});

describe('mass extension', () => {
  test('choose measures, months and reason, check, run; then revert', async () => {
    const analyst = await signIn('analyst');
    assert.equal((await analyst.get('/staff/extensions')).status, 200);
    const base = '/staff/extensions/new';
    let r = await step(analyst, `${base}/measures`, `${base}/measures`, {});
    assert.equal(r.status, 422);
    r = await step(analyst, `${base}/measures`, `${base}/measures`, {
      measures: ['SANATORIUM', 'VETERAN-EDV'],
    });
    assert.equal(r.status, 303);
    const monthsPage = r.location!;
    r = await step(analyst, monthsPage, `${base}/months`, { months: '99' });
    assert.equal(r.status, 422);
    r = await step(analyst, monthsPage, `${base}/months`, { months: '6' });
    assert.equal(r.status, 303);
    r = await step(analyst, r.location!, `${base}/reason`, { reason: 'Режим повышенной готовности' });
    assert.match(r.location ?? '', /check/);
    const check = await analyst.get(r.location!);
    assert.match(text(check.body), /Режим повышенной готовности/);
    const run = await step(analyst, r.location!, `${base}/check`, {});
    assert.equal(run.status, 303);
    const [batch] = await db.selectFrom('mass_extensions').selectAll().execute();
    assert.deepEqual([batch!.months, batch!.reason], [6, 'Режим повышенной готовности']);
    assert.deepEqual([...batch!.measure_codes].sort(), ['SANATORIUM', 'VETERAN-EDV']);
    const list = await analyst.get('/staff/extensions');
    assert.match(text(list.body), /Режим повышенной готовности/);
    const reverted = await step(
      analyst,
      `/staff/extensions/${batch!.id}/revert`,
      `/staff/extensions/${batch!.id}/revert`,
      {},
    );
    assert.equal(reverted.status, 303);
    const after = await db
      .selectFrom('mass_extensions')
      .select('reverted_at')
      .where('id', '=', batch!.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(after.reverted_at, null);
  });
});
