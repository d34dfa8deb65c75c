// The SMS gateway simulator answers like a gateway: the API key is required, numbers are validated,
// an outage is 503 and a failure rate gives 500s; accepted messages are kept in order.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startSmsSimulator } from './sms.simulator.ts';

const gateway = await startSmsSimulator({ apiKey: 'k-123' });
after(() => gateway.close());

async function send(body: unknown, key = 'k-123') {
  const r = await fetch(`${gateway.url}/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as { id?: string; error?: string } };
}

describe('SMS gateway simulator', () => {
  test('accepts a valid message and keeps it', async () => {
    const r = await send({ to: '+79001234567', text: 'Привет' });
    assert.equal(r.status, 200);
    assert.ok(r.body.id);
    const [kept] = gateway.messages();
    assert.deepEqual(
      { id: kept?.id, to: kept?.to, text: kept?.text },
      { id: r.body.id, to: '+79001234567', text: 'Привет' },
    );
  });

  test('refuses a wrong key, an invalid phone, an empty text and bad JSON', async () => {
    assert.equal((await send({ to: '+79001234567', text: 'x' }, 'wrong')).status, 401);
    for (const to of ['89001234567', '+7900123456', '+790012345678', '+19001234567', 42]) {
      const r = await send({ to, text: 'x' });
      assert.deepEqual([r.status, r.body.error], [400, 'invalid_phone'], String(to));
    }
    assert.deepEqual((await send({ to: '+79001234567', text: ' ' })).body.error, 'invalid_text');
    assert.deepEqual((await send('{oops')).body.error, 'invalid_json');
    assert.equal(gateway.messages().length, 1, 'nothing refused was kept');
  });

  test('an outage answers 503 until it ends; a failure rate of 1 fails every send', async () => {
    gateway.setOutage(true);
    assert.deepEqual(await send({ to: '+79001234567', text: 'x' }), {
      status: 503,
      body: { error: 'outage' },
    });
    gateway.setOutage(false);
    gateway.setFailureRate(1);
    assert.equal((await send({ to: '+79001234567', text: 'x' })).status, 500);
    gateway.setFailureRate(0);
    assert.equal((await send({ to: '+79001234567', text: 'x' })).status, 200);
    assert.throws(() => gateway.setFailureRate(2));
  });
});
