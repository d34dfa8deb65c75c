// The interagency exchange end to end against the agency simulator over real HTTP: requests made
// when a case is registered, sent, answered, attached to the case; outages; bad input; both-side
// validation.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { testDatabase } from '../../../test/support/db.ts';
import { seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { pdfText } from '../../../test/support/pdf.ts';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { AgencyConfig } from '../../platform/config.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { type AgencyRegistry, dbRegistry } from '../../simulators/agency/agency.registry.ts';
import { type AgencySimulator, startAgencySimulator } from '../../simulators/agency/agency.simulator.ts';
import { act, documentsOf, registerAtCounter, submitComplete } from '../applications/applications.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { ADAPTERS } from './interagency.adapters.ts';
import { startDemoAgency } from './interagency.cli.ts';
import { buildEventXml } from './interagency.eventxml.ts';
import { buildMessage, buildPayload, buildSendRequest, REQUEST_TYPES } from './interagency.protocol.ts';
import * as repo from './interagency.repository.ts';
import {
  configureExchange,
  createRequests,
  pollOnce,
  processInbound,
  resendUnanswered,
  sendOne,
} from './interagency.service.ts';
import { interagencyTasks } from './interagency.tasks.ts';

const database = await testDatabase();
await seedSmallRegion(database, 300);
const { db } = database;
const blobDir = mkdtempSync(join(tmpdir(), 'opora-ia-blobs-'));
const store = blobStore({ storage: { kind: 'local', dir: blobDir } });
const CONTROL_KEY = 'test-control-key';

/** SNILS numbers the agencies have no record of (the rest of the region they know). */
const unknownToAgencies = new Set<string>();
const registry: AgencyRegistry = {
  person: async (snils) => (unknownToAgencies.has(snils) ? undefined : await dbRegistry(db).person(snils)),
};

const simulators: AgencySimulator[] = [];
after(async () => {
  for (const s of simulators) await s.close();
});
async function simulator(port = 0): Promise<AgencySimulator> {
  const started = await startAgencySimulator({ registry, controlKey: CONTROL_KEY, port });
  simulators.push(started);
  return started;
}

let sim = await simulator();
const gw = (): AgencyConfig => ({
  url: sim.url,
  pollIntervalMs: 20,
  retryBaseMs: 20,
  timeoutMs: 2000,
  resendAfterMs: 3_600_000,
});
configureExchange(gw());
const quiet = () => {};

const [districtId] = await districtIdsByCodes(db, ['volgograd']);
const specialist: StaffActor = {
  kind: 'staff',
  userId: await staffUser(db, 'ia.specialist', 'specialist', ['volgograd']),
  login: 'ia.specialist',
  fullName: 'Test ia.specialist',
  role: 'specialist',
  districtIds: [districtId!],
  sessionId: 'test',
};

/** Adults of Volgograd, one per call, so every test works on its own person. */
let nextPerson = 0;
async function person(): Promise<{
  id: number;
  snils: string;
  monthly_income: number;
  disability_group: number | null;
}> {
  const row = await db
    .selectFrom('persons')
    .select(['id', 'snils', 'monthly_income', 'disability_group'])
    .where('district_id', '=', districtId!)
    .where('birth_date', '<', '2000-01-01')
    .orderBy('id')
    .offset(nextPerson++)
    .executeTakeFirstOrThrow();
  return row;
}

/** A HOME-CARE case (needs income from FNS and disability from SFR) registered at the counter. */
async function homeCareCase(personId: number): Promise<number> {
  return await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      specialist,
      {
        personId,
        measureCode: 'HOME-CARE',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00' },
        emergency: false,
        idempotencyKey: `ia-case-${personId}`,
      },
      { ip: '127.0.0.1' },
    ),
  );
}

const caseRow = (id: number) =>
  db
    .selectFrom('applications')
    .select(['state', 'interagency_due_on', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

/** Sends every pending request of the case and takes every answer, as the worker would. */
async function exchange(applicationId: number) {
  for (const r of await repo.requestsOfApplication(db, applicationId)) await sendOne(db, gw(), r.id, quiet);
  await sim.settled();
  return await pollOnce(db, store, gw(), { log: quiet });
}

async function snapshot() {
  const [requests, documents, events, inbound] = await Promise.all([
    db.selectFrom('interagency_requests').select(['id', 'status', 'facts']).orderBy('id').execute(),
    db.selectFrom('application_documents').select('id').orderBy('id').execute(),
    db.selectFrom('application_events').select('id').orderBy('id').execute(),
    db.selectFrom('interagency_inbound').select(['id', 'status']).where('status', '=', 'processed').execute(),
  ]);
  return { requests, documents, events, inbound };
}

describe('a case that needs income and disability data', () => {
  test('gets them from the agencies without the resident: documents attached, case moved on (real worker)', async () => {
    const p = await person();
    const id = await homeCareCase(p.id);
    const requests = await repo.requestsOfApplication(db, id);
    assert.deepEqual(requests.map((r) => r.request_type).sort(), ['FNS_INCOME', 'SFR_DISABILITY']);
    const waiting = await caseRow(id);
    assert.equal(waiting.state, 'waiting_interagency');
    assert.ok(waiting.interagency_due_on, 'the statutory answer date is set');

    const worker = await startWorker({
      connectionString: database.url,
      tasks: interagencyTasks(db, { agency: gw(), storage: { kind: 'local', dir: blobDir } } as never),
    });
    try {
      for (let i = 0; i < 300 && (await caseRow(id)).state === 'waiting_interagency'; i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    assert.equal((await caseRow(id)).state, 'under_review');
    const answered = await repo.requestsOfApplication(db, id);
    assert.ok(answered.every((r) => r.status === 'answered'));
    const income = answered.find((r) => r.request_type === 'FNS_INCOME')!;
    assert.equal(income.facts?.totalIncome, Number(p.monthly_income) * 12);
    const disability = answered.find((r) => r.request_type === 'SFR_DISABILITY')!;
    assert.equal(disability.facts?.disabled, p.disability_group !== null);

    const docs = (await documentsOf(db, id)).filter((d) => d.source === 'agency');
    assert.equal(docs.length, 2);
    const incomeDoc = docs.find((d) => d.id === income.document_id)!;
    assert.equal(incomeDoc.content_type, 'application/pdf');
    const text = await pdfText(await store.get(incomeDoc.sha256));
    assert.match(text, /Сведения ФНС о доходах/);
  });
});

describe('an outage of the gateway', () => {
  test('delays but loses nothing and duplicates nothing', async () => {
    const p = await person();
    const id = await homeCareCase(p.id);
    const requests = await repo.requestsOfApplication(db, id);
    // Down by the switch: sending waits, counting its attempts; polling fails and is retried later.
    sim.settings({ outage: true });
    for (const r of requests) assert.equal(await sendOne(db, gw(), r.id, quiet), 'retry');
    await assert.rejects(pollOnce(db, store, gw(), { log: quiet }), /BUSY/);
    // Stopped altogether: connection refused is the same kind of wait.
    const port = Number(new URL(sim.url).port);
    await sim.close();
    for (const r of requests) assert.equal(await sendOne(db, gw(), r.id, quiet), 'retry');
    await assert.rejects(pollOnce(db, store, gw(), { log: quiet }));
    const waiting = await repo.requestsOfApplication(db, id);
    assert.ok(waiting.every((r) => r.status === 'pending' && r.attempts === 2 && r.last_attempt_error));
    assert.equal((await caseRow(id)).state, 'waiting_interagency');

    // Back on the same address: everything goes out and is answered, once.
    sim = await simulator(port);
    const summary = await exchange(id);
    assert.equal(summary.processed, 2);
    assert.equal((await caseRow(id)).state, 'under_review');
    assert.equal((await documentsOf(db, id)).filter((d) => d.source === 'agency').length, 2);
  });

  test('a gateway that lost what it accepted (restarted) gets the requests again and answers them', async () => {
    const p = await person();
    const id = await homeCareCase(p.id);
    const requests = await repo.requestsOfApplication(db, id);
    for (const r of requests) assert.equal(await sendOne(db, gw(), r.id, quiet), 'sent');
    // Restarted before answering: its queue (kept in memory) is gone.
    const port = Number(new URL(sim.url).port);
    await sim.close();
    sim = await simulator(port);
    // The first call after a restart may meet the old connection closed: retried, as the worker does.
    await pollOnce(db, store, gw(), { log: quiet }).catch(() => undefined);
    assert.equal((await pollOnce(db, store, gw(), { log: quiet })).processed, 0);
    // Not yet silent for long enough: nothing is sent again.
    assert.equal(await resendUnanswered(db, gw()), 0);
    // An hour later (resendAfterMs) the requests go out again with the same MessageIDs.
    const later = new Date(Date.now() + gw().resendAfterMs + 1000);
    assert.equal(await resendUnanswered(db, gw(), later), 2);
    const reopened = await repo.requestsOfApplication(db, id);
    assert.deepEqual(
      reopened.map((r) => [r.message_id, r.status]),
      requests.map((r) => [r.message_id, 'pending']),
    );
    const summary = await exchange(id);
    assert.equal(summary.processed, 2);
    assert.equal((await caseRow(id)).state, 'under_review');
    assert.equal((await documentsOf(db, id)).filter((d) => d.source === 'agency').length, 2);
  });

  test('the same request sent twice (our record of the first send was lost) is answered once', async () => {
    const p = await person();
    const id = await homeCareCase(p.id);
    const [r] = await repo.requestsOfApplication(db, id);
    assert.equal(await sendOne(db, gw(), r!.id, quiet), 'sent');
    await db.updateTable('interagency_requests').set({ status: 'pending' }).where('id', '=', r!.id).execute();
    assert.equal(await sendOne(db, gw(), r!.id, quiet), 'sent', 'the gateway accepts the repeat');
    const summary = await exchange(id);
    assert.equal(summary.processed, 2, 'two requests, two answers: the repeat was not answered again');
    assert.equal((await documentsOf(db, id)).filter((d) => d.source === 'agency').length, 2);
  });

  test('a message delivered twice (the Ack was lost) is applied once', async () => {
    const p = await person();
    const id = await homeCareCase(p.id);
    for (const r of await repo.requestsOfApplication(db, id)) await sendOne(db, gw(), r.id, quiet);
    await sim.settled();
    const res = await fetch(`${sim.url}/GetResponse`, {
      method: 'POST',
      body: '<GetResponse xmlns="urn:opora:smev:envelope:1"><Receiver>OPORA</Receiver></GetResponse>',
    });
    const xml = await res.text();
    const first = await processInbound(db, store, res.headers.get('x-message-id'), xml, quiet);
    assert.equal(first.outcome, 'processed');
    const again = await processInbound(db, store, res.headers.get('x-message-id'), xml, quiet);
    assert.equal(again.outcome, 'duplicate');
    await pollOnce(db, store, gw(), { log: quiet }); // the rest (the first is still invisible)
    const docs = (await documentsOf(db, id)).filter((d) => d.source === 'agency');
    assert.equal(docs.length, 2);
  });
});

describe('bad input from the gateway: a clear error, logged, nothing else changed', () => {
  async function rejected(xml: string, code: string) {
    const before = await snapshot();
    const gatewayId = sim.inject(xml);
    const summary = await pollOnce(db, store, gw(), { log: quiet });
    assert.equal(summary.rejected, 1);
    assert.deepEqual(await snapshot(), before, 'nothing but the error log changed');
    const logged = await db
      .selectFrom('interagency_inbound')
      .select(['error_code', 'error_text', 'status'])
      .where('gateway_message_id', '=', gatewayId)
      .executeTakeFirst();
    // Malformed XML carries no MessageID we can read: the gateway's header names it.
    assert.equal(logged?.status, 'rejected');
    assert.equal(logged?.error_code, code);
    assert.ok((logged?.error_text ?? '').length > 5, 'the reason is said');
    assert.equal((await sim.stats()).acknowledged >= 1, true, 'dropped from the gateway after logging');
  }

  test('malformed XML', async () => {
    await rejected('<Message xmlns="urn:opora:smev:envelope:1"><MessageID>oops</Message>', 'MALFORMED_XML');
  });

  test('a message that breaks the envelope schema', async () => {
    await rejected(
      '<Message xmlns="urn:opora:smev:envelope:1"><MessageID>not-a-uuid</MessageID></Message>',
      'SCHEMA_INVALID',
    );
  });

  test('a response to a request that was never sent', async () => {
    const id = crypto.randomUUID();
    const xml = buildMessage({
      kind: 'response',
      messageId: id,
      originalMessageId: crypto.randomUUID(),
      sender: 'FNS',
      requestType: 'FNS_INCOME',
      payload: buildPayload('FNS_INCOME', 'Response', [
        ['Snils', '11223344595'],
        ['PeriodFrom', '2025-11-01'],
        ['PeriodTo', '2026-10-31'],
        ['TotalIncome', '1000.00'],
        ['Months', 12],
      ]),
    });
    const before = await snapshot();
    const outcome = await processInbound(db, store, id, xml, quiet);
    assert.equal(outcome.outcome, 'rejected');
    assert.equal(outcome.outcome === 'rejected' && outcome.code, 'UNKNOWN_REQUEST');
    assert.deepEqual(await snapshot(), before);
  });

  test('a response whose payload breaks its request type’s schema', async () => {
    const p = await person();
    const [requestId] = await db.transaction().execute((trx) =>
      createRequests(trx, [
        {
          type: 'FNS_INCOME',
          measureDocumentId: null,
          applicationId: null,
          personId: p.id,
          districtId: districtId!,
          dueOn: '2030-01-01',
        },
      ]),
    );
    const r = (await repo.findRequest(db, requestId!))!;
    const xml = buildMessage({
      kind: 'response',
      messageId: crypto.randomUUID(),
      originalMessageId: r.message_id,
      sender: 'FNS',
      requestType: 'FNS_INCOME',
      payload: buildPayload('FNS_INCOME', 'Response', [
        ['Snils', p.snils],
        ['TotalIncome', 'lots'],
      ]),
    });
    const outcome = await processInbound(db, store, null, xml, quiet);
    assert.equal(outcome.outcome === 'rejected' && outcome.code, 'SCHEMA_INVALID');
    assert.equal(
      (await repo.findRequest(db, requestId!))?.status,
      'pending',
      'the request still waits for a proper answer',
    );
  });

  test('an unknown SNILS: the agency answers NOT_FOUND, shown on the case, the case goes on to review', async () => {
    const p = await person();
    unknownToAgencies.add(p.snils);
    const id = await homeCareCase(p.id);
    await exchange(id);
    const requests = await repo.requestsOfApplication(db, id);
    assert.ok(requests.every((r) => r.status === 'failed' && r.error_code === 'NOT_FOUND'));
    assert.match(requests[0]?.error_text ?? '', /No record of the person/);
    const events = await db
      .selectFrom('application_events')
      .select(['kind', 'details'])
      .where('application_id', '=', id)
      .where('kind', '=', 'agency_error')
      .execute();
    assert.equal(events.length, 2);
    assert.equal((await caseRow(id)).state, 'under_review', 'the specialist asks the resident instead');
    assert.equal((await documentsOf(db, id)).filter((d) => d.source === 'agency').length, 0);
  });
});

describe('both sides validate', () => {
  test('the simulator refuses a request that breaks the schema, and Opora fails it without retrying', async () => {
    const bad = buildSendRequest({
      messageId: crypto.randomUUID(),
      timestamp: new Date().toISOString(),
      recipient: 'FNS',
      requestType: 'FNS_INCOME',
      payload: buildPayload('FNS_INCOME', 'Request', [['Snils', '123']]),
    });
    const res = await fetch(`${sim.url}/SendRequest`, { method: 'POST', body: bad });
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(body, /<Code>INVALID_MESSAGE<\/Code>/);
    assert.match(body, /Snils/);
    const wrongAgency = bad.replace('<Recipient>FNS</Recipient>', '<Recipient>MVD</Recipient>');
    const res2 = await fetch(`${sim.url}/SendRequest`, { method: 'POST', body: wrongAgency });
    assert.equal(res2.status, 404);
    assert.match(await res2.text(), /UNKNOWN_RECIPIENT/);
  });

  test('a person Opora cannot describe validly is never sent; the case shows why', async () => {
    const p = await person();
    await db
      .updateTable('persons')
      .set({ first_name: 'Я'.repeat(400) })
      .where('id', '=', p.id)
      .execute();
    const id = await homeCareCase(p.id);
    const accepted = (await sim.stats()).accepted;
    for (const r of await repo.requestsOfApplication(db, id))
      assert.equal(await sendOne(db, gw(), r.id, quiet), 'failed');
    assert.equal((await sim.stats()).accepted, accepted, 'nothing reached the gateway');
    const requests = await repo.requestsOfApplication(db, id);
    assert.ok(requests.every((r) => r.error_code === 'INVALID_REQUEST'));
  });
});

describe('unasked events', () => {
  test('a valid event is applied and acknowledged; one that cannot be applied is not acknowledged and comes back', async () => {
    const p = await person();
    sim.queueEvent({
      kind: 'death',
      eventId: `death-${p.id}`,
      registeredOn: '2026-11-20',
      snils: p.snils,
      diedOn: '2026-11-19',
    });
    const applied = await pollOnce(db, store, gw(), { log: quiet });
    assert.equal(applied.processed, 1);
    const died = await db
      .selectFrom('persons')
      .select('died_on')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(died.died_on, '2026-11-19');

    // Nobody in the registry has this SNILS: applyAgencyEvent refuses, the event stays with the gateway.
    const unknown = `900000001${snilsChecksum('900000001')}`;
    assert.equal(
      await db.selectFrom('persons').select('id').where('snils', '=', unknown).executeTakeFirst(),
      undefined,
    );
    const before = sim.stats();
    sim.queueEvent({
      kind: 'disability',
      eventId: 'dis-unknown',
      registeredOn: '2026-11-20',
      snils: unknown,
      group: 2,
      establishedOn: '2026-11-18',
    });
    const refused = await pollOnce(db, store, gw(), { log: quiet });
    assert.equal(refused.processed, 0);
    assert.ok(refused.retried >= 1);
    const after = sim.stats();
    assert.equal(after.acknowledged, before.acknowledged, 'the refused event is not acknowledged');
    const events = await db
      .selectFrom('interagency_inbound')
      .select('status')
      .where('kind', '=', 'event')
      .where('status', '=', 'processed')
      .execute();
    assert.equal(events.length, 1, 'only the death was processed');
  });

  test('the control endpoint queues an event only with the key and only when valid', async () => {
    const xml = buildEventXml({
      kind: 'disability',
      eventId: 'dis-1',
      registeredOn: '2026-11-20',
      snils: '11223344595',
      group: 2,
      establishedOn: '2026-11-18',
    });
    const noKey = await fetch(`${sim.url}/control/events`, { method: 'POST', body: xml });
    assert.equal(noKey.status, 401);
    const invalid = await fetch(`${sim.url}/control/events`, {
      method: 'POST',
      headers: { 'x-control-key': CONTROL_KEY },
      body: xml.replace('<Group>2</Group>', '<Group>7</Group>'),
    });
    assert.equal(invalid.status, 400);
    const ok = await fetch(`${sim.url}/control/events`, {
      method: 'POST',
      headers: { 'x-control-key': CONTROL_KEY },
      body: xml,
    });
    assert.equal(ok.status, 202);
  });
});

test('a measure without agency-held documents makes no requests and the case stays registered', async () => {
  const p = await person();
  const id = await db.transaction().execute((trx) =>
    registerAtCounter(
      trx,
      specialist,
      {
        personId: p.id,
        measureCode: 'URGENT-SOCIAL-SERVICES',
        channel: 'in_person',
        answers: { phone: '+7 902 000-00-00' },
        emergency: false,
        idempotencyKey: `ia-urgent-${p.id}`,
      },
      { ip: '127.0.0.1' },
    ),
  );
  assert.equal((await repo.requestsOfApplication(db, id)).length, 0);
  assert.equal((await caseRow(id)).state, 'registered');
});

test('every agency and request type answers through the simulator, valid on both sides', async () => {
  const p = await person();
  const ids = await db.transaction().execute((trx) =>
    createRequests(
      trx,
      REQUEST_TYPES.map((type) => ({
        type,
        measureDocumentId: null,
        applicationId: null,
        personId: p.id,
        districtId: districtId!,
        dueOn: '2030-01-01',
      })),
    ),
  );
  for (const id of ids) assert.equal(await sendOne(db, gw(), id, quiet), 'sent');
  await sim.settled();
  const summary = await pollOnce(db, store, gw(), { log: quiet });
  // (An event left queued by an earlier test may be taken in the same round.)
  assert.ok(summary.processed >= REQUEST_TYPES.length);
  const rows = await db
    .selectFrom('interagency_requests')
    .select(['request_type', 'status', 'facts'])
    .where('id', 'in', ids)
    .execute();
  assert.ok(rows.every((r) => r.status === 'answered' && r.facts));
  assert.deepEqual(new Set(rows.map((r) => r.request_type)), new Set(REQUEST_TYPES));
  assert.deepEqual(
    new Set(REQUEST_TYPES.map((t) => ADAPTERS[t].agency)),
    new Set(['sfr', 'fns', 'zags', 'mvd', 'rosreestr', 'employment']),
  );
});

test('a portal application gets its requests when a specialist registers it', async () => {
  const p = await person();
  const resident = { kind: 'resident' as const, accountId: 7001, personId: p.id, sessionId: 's' };
  const { application } = await db.transaction().execute((trx) =>
    submitComplete(
      trx,
      resident,
      {
        measureCode: 'CHILD-BENEFIT',
        answers: { phone: '+7 902 111-22-33', payment: { method: 'post' } },
        documents: [],
        idempotencyKey: `ia-portal-${p.id}`,
      },
      { ip: '127.0.0.1' },
    ),
  );
  assert.equal(application.state, 'submitted');
  assert.equal(
    (await repo.requestsOfApplication(db, application.id)).length,
    0,
    'nothing is asked before registration',
  );
  const registered = await db
    .transaction()
    .execute((trx) =>
      act(trx, specialist, application.id, application.version, 'register', {}, { ip: '127.0.0.1' }),
    );
  assert.equal(registered.state, 'waiting_interagency');
  const types = (await repo.requestsOfApplication(db, application.id)).map((r) => r.request_type).sort();
  assert.deepEqual(types, ['FNS_INCOME', 'MVD_ADDRESS', 'ZAGS_BIRTH']);
  await exchange(application.id);
  assert.equal((await caseRow(application.id)).state, 'under_review');
  assert.equal((await documentsOf(db, application.id)).filter((d) => d.source === 'agency').length, 3);
});

test('npm start runs the simulator and points the app at it unless a gateway is configured', async () => {
  const rt = {
    config: { agency: undefined, agencySimulatorPort: 0 },
    db,
    url: database.url,
  } as never as Parameters<typeof startDemoAgency>[0];
  const stop = await startDemoAgency(rt);
  try {
    assert.match(rt.config.agency?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    // The demo gateway fails 5% of calls on purpose (transient 500s): ask again, as the worker would.
    let status = 500;
    for (let i = 0; i < 20 && status === 500; i++)
      status = (await fetch(`${rt.config.agency!.url}/GetResponse`, { method: 'POST', body: '<x/>' })).status;
    assert.equal(status, 400, 'a gateway that checks what it gets is listening');
  } finally {
    await stop();
  }
  const configured = {
    config: { agency: gw(), agencySimulatorPort: 0 },
    db,
    url: database.url,
  } as never as Parameters<typeof startDemoAgency>[0];
  await (await startDemoAgency(configured))();
  assert.equal(configured.config.agency?.url, sim.url);
});
