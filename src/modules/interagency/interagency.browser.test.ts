// The interagency page in Chromium, scanned by axe: requests with an overdue and a failed one, and
// the log of rejected messages.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { dbRegistry } from '../../simulators/agency/agency.registry.ts';
import { startAgencySimulator } from '../../simulators/agency/agency.simulator.ts';
import { registerAtCounter } from '../applications/applications.service.ts';
import { districtIdsByCodes } from '../geography/geography.service.ts';
import * as repo from './interagency.repository.ts';
import { pollOnce, sendOne } from './interagency.service.ts';

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
const sim = await startAgencySimulator({ registry: dbRegistry(db), controlKey: 'k' });
after(() => sim.close());
const gw = { url: sim.url, pollIntervalMs: 20, retryBaseMs: 20, timeoutMs: 2000, resendAfterMs: 3_600_000 };
const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
const userId = await staffUser(db, 'ia.browser', 'specialist', ['volgograd']);
const actor = {
  kind: 'staff' as const,
  userId,
  login: 'ia.browser',
  fullName: 'Test',
  role: 'specialist' as const,
  districtIds: [volgograd!],
  sessionId: 't',
};
const browser = await launchBrowser();

test('the interagency page is accessible', async () => {
  const persons = await db
    .selectFrom('persons')
    .select('id')
    .where('district_id', '=', volgograd!)
    .where('birth_date', '<', '2000-01-01')
    .orderBy('id')
    .limit(2)
    .execute();
  for (const [i, p] of persons.entries()) {
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
          idempotencyKey: `ia-browser-${p.id}`,
        },
        { ip: '127.0.0.1', today: i === 0 ? '2026-01-12' : undefined },
      ),
    );
    if (i === 1)
      for (const r of await repo.requestsOfApplication(db, id)) await sendOne(db, gw, r.id, () => {});
  }
  await sim.settled();
  sim.inject('<Message>broken');
  await pollOnce(db, blobStore(config), gw, { log: () => {} });

  const context = await browser.newContext({ bypassCSP: true, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/staff/sign-in`);
  await page.fill('#login', 'ia.browser');
  await page.fill('#password', PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('link', { name: 'Межведомственные запросы' }).click();
  assert.equal(new URL(page.url()).pathname, '/staff/interagency');
  await page.getByRole('heading', { name: 'Отклонённые входящие сообщения' }).waitFor();
  assert.ok(await page.getByText('просрочен', { exact: true }).first().isVisible());
  await assertAccessible(page);
  await context.close();
});
