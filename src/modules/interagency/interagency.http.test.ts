// The staff pages over HTTP: /staff/interagency lists the district's requests (overdue first) and the
// rejected inbound messages, audited; the work queue marks a case whose agency answer is overdue.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { dbRegistry } from '../../simulators/agency/agency.registry.ts';
import { startAgencySimulator } from '../../simulators/agency/agency.simulator.ts';
import { registerAtCounter } from '../applications/applications.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { pollOnce, requestsForCase, sendOne } from './interagency.service.ts';

const { baseUrl, db, database, config } = await startTestApp({
  config: {
    agency: {
      url: 'http://127.0.0.1:9',
      pollIntervalMs: 20,
      retryBaseMs: 20,
      timeoutMs: 2000,
      resendAfterMs: 3_600_000,
    },
  },
});
await seedSmallRegion(database, 300);
/** The agencies know everyone but one resident (their answer is NOT_FOUND). */
const unknown = new Set<string>();
const sim = await startAgencySimulator({
  registry: {
    person: async (snils) => (unknown.has(snils) ? undefined : await dbRegistry(db).person(snils)),
  },
  controlKey: 'k',
});
after(() => sim.close());
const gw = { url: sim.url, pollIntervalMs: 20, retryBaseMs: 20, timeoutMs: 2000, resendAfterMs: 3_600_000 };

const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
const userId = await staffUser(db, 'ia.page', 'specialist', ['volgograd']);
await staffUser(db, 'ia.other', 'specialist', ['kamyshin']);
const actor = {
  kind: 'staff' as const,
  userId,
  login: 'ia.page',
  fullName: 'Test ia.page',
  role: 'specialist' as const,
  districtIds: [volgograd!],
  sessionId: 't',
};

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const r = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(r.status, 303);
  return client;
}

test('the requests page shows the district’s requests, overdue first, and rejected messages; the queue marks overdue', async () => {
  const p = await db
    .selectFrom('persons')
    .select(['id', 'last_name'])
    .where('district_id', '=', volgograd!)
    .where('birth_date', '<', '2000-01-01')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  // Registered a fortnight ago: its requests are past their five working days.
  const id = await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      actor,
      {
        personId: p.id,
        measureCode: 'HOME-CARE',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00' },
        emergency: false,
        idempotencyKey: `ia-page-${p.id}`,
      },
      { ip: '127.0.0.1', today: '2026-01-12' },
    ),
  );
  sim.inject('<Message>broken');
  await pollOnce(db, blobStore(config), gw, { log: () => {} });

  const spec = await signIn('ia.page');
  const page = await spec.get('/staff/interagency');
  assert.equal(page.status, 200);
  const body = text(page.body);
  assert.match(body, /Межведомственные запросы/);
  assert.ok(body.includes(p.last_name), 'the applicant is named');
  assert.match(body, /просрочен/);
  assert.match(body, /MALFORMED_XML/);
  const audited = await db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'interagency.requests.viewed')
    .where('actor_id', '=', String(userId))
    .execute();
  assert.equal(audited.length, 1);

  const queue = text((await spec.get('/staff/applications')).body);
  assert.match(queue, /ответ ведомства просрочен/);
  const casePage = text((await spec.get(`/staff/applications/${id}`)).body);
  assert.match(casePage, /ответ ведомства просрочен/);

  // An agency without a record of the person: the case page says so, for the specialist to ask.
  const stranger = await db
    .selectFrom('persons')
    .select(['id', 'snils'])
    .where('district_id', '=', volgograd!)
    .where('birth_date', '<', '2000-01-01')
    .orderBy('id')
    .offset(1)
    .executeTakeFirstOrThrow();
  unknown.add(stranger.snils);
  const notFound = await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      actor,
      {
        personId: stranger.id,
        measureCode: 'HOME-CARE',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00' },
        emergency: false,
        idempotencyKey: `ia-page-${stranger.id}`,
      },
      { ip: '127.0.0.1' },
    ),
  );
  for (const r of await requestsForCase(db, notFound)) await sendOne(db, gw, r.id, () => {});
  await sim.settled();
  await pollOnce(db, blobStore(config), gw, { log: () => {} });
  const errorPage = text((await spec.get(`/staff/applications/${notFound}`)).body);
  assert.match(errorPage, /ведомство не смогло ответить — запросите документ у заявителя/);
  assert.match(errorPage, /No record of the person/);

  const other = await signIn('ia.other');
  const theirs = text((await other.get('/staff/interagency')).body);
  assert.ok(!theirs.includes(p.last_name), 'another district sees nothing of it');
});
