import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp, testConfig } from '../../../test/support/app.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { PASSWORD, staffUser } from '../../../test/support/fixtures.ts';
import { Client, csrfToken, text } from '../../../test/support/http.ts';
import { buildApp, loggedUrl } from './server.ts';

const database = await testDatabase();
// Two instances of the app over one database, as behind a load balancer.
const a = await startTestApp({ database });
const b = await startTestApp({ database });
await staffUser(database.db, 'shared', 'administrator');

describe('HTTP platform', () => {
  test('health and readiness', async () => {
    assert.deepEqual(await (await fetch(`${a.baseUrl}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${a.baseUrl}/readyz`)).json(), { status: 'ready' });
  });

  test('security headers and a request id on every response', async () => {
    const response = await fetch(`${a.baseUrl}/staff/sign-in`, {
      headers: { 'x-request-id': 'trace-12345678' },
    });
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-request-id'), 'trace-12345678');
    const generated = await fetch(`${a.baseUrl}/healthz`);
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    // Error pages too, and an API refusal: the headers are set before any handler runs.
    for (const path of ['/no-such-page', '/api/applications/1']) {
      const refused = await fetch(`${a.baseUrl}${path}`);
      assert.ok(refused.status >= 400, path);
      assert.match(refused.headers.get('content-security-policy') ?? '', /object-src 'none'/, path);
      assert.equal(refused.headers.get('x-frame-options'), 'SAMEORIGIN', path);
    }
  });

  test('the request log masks the secrets of invitation and resume links and token parameters', () => {
    assert.equal(loggedUrl('/s/AbCdEfGhIjKlMnOpQr/i/secret-part_123'), '/s/AbCdEfGhIjKlMnOpQr/i/…');
    assert.equal(loggedUrl('/s/AbCdEfGhIjKlMnOpQr/r/secret?lang=en'), '/s/AbCdEfGhIjKlMnOpQr/r/…?lang=en');
    assert.equal(loggedUrl('/unsubscribe/4c.AbCdEfGhIjKlMnOpQrStUv'), '/unsubscribe/…');
    assert.equal(loggedUrl('/staff/x?person=4&token=abc.def&x=1'), '/staff/x?person=4&token=…&x=1');
    assert.equal(loggedUrl('/staff/applications/12?page=2'), '/staff/applications/12?page=2');
  });

  test('an unknown page is a friendly 404 in the visitor’s language', async () => {
    const ru = await fetch(`${a.baseUrl}/no-such-page`);
    assert.equal(ru.status, 404);
    assert.match(text(await ru.text()), /Страница не найдена/);
    const en = await fetch(`${a.baseUrl}/no-such-page`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.match(text(await en.text()), /Page not found/);
  });

  test('the language switch remembers the choice and returns to the page', async () => {
    const client = new Client(a.baseUrl);
    const response = await client.get('/language?to=en&back=%2Fstaff%2Fsign-in');
    assert.equal(response.location, '/staff/sign-in');
    assert.match(text((await client.get('/staff/sign-in')).body), /Staff sign-in/);
    const offsite = await client.get('/language?to=ru&back=%2F%2Fevil.example');
    assert.equal(offsite.location, '/', 'never redirects off site');
  });

  test('a route that does not declare who may call it stops the server from starting', async () => {
    await assert.rejects(
      buildApp({ config: testConfig(), db: database.db }, [
        (app) => void app.get('/forgotten', async () => 'x'),
      ]),
      /declares no access/,
    );
  });

  test('two instances share sessions and CSRF: sign in on one, carry on on the other', async () => {
    const onA = new Client(a.baseUrl);
    const page = await onA.get('/staff/sign-in');
    const token = csrfToken(page.body);
    const onB = new Client(b.baseUrl);
    onB.setCookie('opora_csrf', onA.cookie('opora_csrf')!);
    const signedIn = await onB.post('/staff/sign-in', { _csrf: token, login: 'shared', password: PASSWORD });
    assert.equal(signedIn.status, 303, 'instance B accepts the form instance A served');
    onA.setCookie('opora_session', onB.cookie('opora_session')!);
    assert.equal((await onA.get('/staff')).status, 200, 'instance A knows the session B created');
    await onA.submit('/staff', '/staff/sign-out', {});
    assert.equal((await onB.get('/staff')).status, 303, 'signing out on A ends it on B');
  });
});
