import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { Client, text } from '../../../test/support/http.ts';
import { hit } from './rate-limit.ts';

test('the sign-in rate limit is counted across two instances of the app', async () => {
  const database = await testDatabase();
  const a = await startTestApp({ database });
  const b = await startTestApp({ database });
  const statuses: number[] = [];
  for (let i = 0; i < 32; i++) {
    const client = new Client(i % 2 ? a.baseUrl : b.baseUrl);
    const response = await client.submit('/staff/sign-in', '/staff/sign-in', {
      login: 'nobody',
      password: 'wrong',
    });
    statuses.push(response.status);
    if (response.status === 429) {
      assert.match(text(response.body), /Слишком много попыток/);
      assert.ok(Number(response.headers.get('retry-after')) > 0);
    }
  }
  // 30 attempts per 5 minutes from one address, wherever they land.
  assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401));
  assert.deepEqual(statuses.slice(30), [429, 429]);
});

test('a window ends and the count starts again', async () => {
  const { db } = await testDatabase();
  await hit(db, 'k', 1, 1);
  await assert.rejects(hit(db, 'k', 1, 1), { code: 'rate_limited' });
  await new Promise((r) => setTimeout(r, 1100));
  await hit(db, 'k', 1, 1);
});
