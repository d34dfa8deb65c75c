// Resident sign-in end to end over real HTTP: Opora on one port, the ESIA simulator on another,
// and a browser-like client with a cookie jar per origin.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestApp, testConfig } from '../../../test/support/app.ts';
import { assertAccessible, launchBrowser } from '../../../test/support/browser.ts';
import { testDatabase } from '../../../test/support/db.ts';
import { Client, text } from '../../../test/support/http.ts';
import { createApp } from '../../app.ts';
import { freePort } from '../../platform/db/embedded.ts';
import { type EsiaAccount, startEsiaSimulator } from '../../simulators/esia/esia.simulator.ts';
import { sendToInbox } from '../inbox/inbox.service.ts';
import { createPerson } from '../registry/registry.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { residentTasks } from './residents.tasks.ts';

const PASSWORD = 'gosuslugi-demo';
const MARIA = '11223344595';
const NEWCOMER = `987654321${snilsChecksum('987654321')}`;
const STRANGER = `111222333${snilsChecksum('111222333')}`;

const database = await testDatabase();
const { db } = database;

const district = await db
  .insertInto('districts')
  .values({
    code: 'volgograd',
    kind: 'city_okrug',
    name_ru: 'Волгоград',
    name_en: 'Volgograd',
    population: 1_004_000,
    remoteness: 'urban',
    internet_coverage: 0.95,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('recipient_categories')
  .values({ code: 'pensioner', title_ru: 'Пенсионер', title_en: 'Pensioner' })
  .execute();
const mariaId = await createPerson(db, {
  snils: MARIA,
  last_name: 'Иванова',
  first_name: 'Мария',
  patronymic: 'Петровна',
  birth_date: '1958-03-14',
  sex: 'F',
  district_id: district.id,
  address: 'г. Волгоград, ул. Мира, д. 5, кв. 12',
  phone: '+7 902 000-00-00',
});
await db
  .updateTable('persons')
  .set({ categories: ['pensioner'] })
  .where('id', '=', mariaId)
  .execute();
const husbandId = await createPerson(db, {
  snils: `200300400${snilsChecksum('200300400')}`,
  last_name: 'Иванов',
  first_name: 'Пётр',
  patronymic: 'Ильич',
  birth_date: '1955-07-01',
  sex: 'M',
  district_id: district.id,
  address: 'г. Волгоград, ул. Мира, д. 5, кв. 12',
});
const household = await db
  .insertInto('households')
  .values({ district_id: district.id, settlement_id: null, address: 'г. Волгоград, ул. Мира, д. 5, кв. 12' })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('household_members')
  .values([
    { household_id: household.id, person_id: mariaId, relationship: 'head' },
    { household_id: household.id, person_id: husbandId, relationship: 'spouse' },
  ])
  .execute();

// What the portal knows: Maria (also in Opora's registry) and a newcomer Opora has never seen.
const esiaAccounts: Record<string, EsiaAccount> = {
  [MARIA]: {
    snils: MARIA,
    family_name: 'Иванова',
    given_name: 'Мария',
    middle_name: 'Петровна',
    birthdate: '1958-03-14',
    gender: 'female',
  },
  [NEWCOMER]: {
    snils: NEWCOMER,
    family_name: 'Новикова',
    given_name: 'Анна',
    birthdate: '1990-11-02',
    gender: 'female',
    email: 'anna@example.ru',
  },
};

const [idpPort, appPort] = [await freePort(), await freePort()];
const issuer = `http://127.0.0.1:${idpPort}`;
const appBase = `http://127.0.0.1:${appPort}`;
const oidc = { issuer, clientId: 'opora-portal', clientSecret: 'test-client-secret', simulatorPort: idpPort };
const esia = await startEsiaSimulator({
  port: idpPort,
  issuer,
  password: PASSWORD,
  clients: [
    {
      client_id: oidc.clientId,
      client_secret: oidc.clientSecret,
      redirect_uris: [`${appBase}/auth/esia/callback`],
    },
  ],
  lookupBySnils: async (snils) => esiaAccounts[snils],
});
after(() => esia.close());

// The portal redirects back to Opora, so Opora needs a known port before it starts.
const config = testConfig({ port: appPort, baseUrl: appBase, oidc });
const app = await createApp({ config, db });
await app.listen({ port: appPort, host: '127.0.0.1' });
after(() => app.close());

interface Browser {
  opora: Client;
  idp: Client;
}
const browser = (): Browser => ({ opora: new Client(appBase), idp: new Client(issuer) });

/** From "Войти через Госуслуги" to the portal's sign-in form; returns the form page. */
async function toPortalForm(b: Browser, returnTo = '/me') {
  const start = await b.opora.get(`/auth/esia/start?return=${encodeURIComponent(returnTo)}`);
  assert.equal(start.status, 303);
  assert.ok(
    start.location?.startsWith(`${issuer}/auth?`),
    `start should go to the portal, went to ${start.location}`,
  );
  const form = await b.idp.follow(start);
  assert.equal(form.status, 200);
  const action = /<form method="post" action="([^"]+\/login)"/.exec(form.body)?.[1];
  assert.ok(action, 'the portal shows its sign-in form');
  return { form, action, abort: action.replace(/\/login$/, '/abort') };
}

/** Follows the portal's redirects until it sends the browser back to Opora; returns that URL. */
async function backToOpora(b: Browser, response: Awaited<ReturnType<Client['get']>>): Promise<string> {
  let r = response;
  for (let i = 0; i < 10 && r.location && !r.location.startsWith(appBase); i++) {
    r = await b.idp.get(r.location);
  }
  const location = r.location ?? '';
  assert.ok(
    location.startsWith(`${appBase}/auth/esia/callback?`),
    `expected the callback, got ${r.status} ${location}`,
  );
  return location;
}

/** Signs in at the portal and returns Opora's callback URL (not yet visited). */
async function portalCallback(b: Browser, snils: string, returnTo = '/me'): Promise<string> {
  const { action } = await toPortalForm(b, returnTo);
  const posted = await b.idp.request(
    'POST',
    `${issuer}${action}`,
    new URLSearchParams({ snils, password: PASSWORD }),
  );
  assert.equal(posted.status, 303);
  return await backToOpora(b, posted);
}

async function signedIn(snils = MARIA, returnTo = '/me'): Promise<Browser> {
  const b = browser();
  const callback = await b.opora.get(await portalCallback(b, snils, returnTo));
  assert.equal(callback.status, 303);
  assert.equal(callback.location, returnTo);
  return b;
}

describe('sign-in page', () => {
  test('explains Gosuslugi and offers the button, keeping where to come back to', async () => {
    const page = await browser().opora.get('/sign-in?return=%2Fmeasures%2FX');
    assert.equal(page.status, 200);
    assert.match(text(page.body), /Войти через Госуслуги/);
    assert.match(page.body, /href="\/auth\/esia\/start\?return=%2Fmeasures%2FX"/);
  });

  test('an outside return address is not followed', async () => {
    const page = await browser().opora.get('/sign-in?return=https%3A%2F%2Fevil.example');
    assert.match(page.body, /href="\/auth\/esia\/start\?return=%2Fme"/);
  });
});

describe('sign-in through the ESIA simulator', () => {
  test('the whole code flow signs the resident in and shows their profile', async () => {
    const b = await signedIn();
    const me = await b.opora.get('/me');
    assert.equal(me.status, 200);
    const page = text(me.body);
    assert.match(page, /Мой профиль/);
    assert.match(page, /Иванова Мария Петровна/);
    assert.match(page, /112-233-445 95/);
    assert.match(page, /14 марта 1958/);
    assert.match(page, /Пенсионер/);
    assert.match(page, /Иванов Пётр Ильич .* супруг\(а\)/);
    assert.equal(b.opora.cookie('opora_esia_state'), undefined, 'the state cookie is cleared');
  });

  test('the sign-in is audited, the account recorded, and the pending sign-in used up', async () => {
    await signedIn();
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'resident.sign_in')
      .execute();
    assert.ok(audit.length >= 1);
    assert.equal(audit.at(-1)!.subject_id, String(mariaId));
    const accounts = await db
      .selectFrom('resident_accounts')
      .selectAll()
      .where('person_id', '=', mariaId)
      .execute();
    assert.equal(accounts.length, 1, 'signing in again reuses the account');
    assert.ok(accounts[0]!.last_sign_in_at);
    const pending = await db.selectFrom('oidc_logins').select('state').execute();
    assert.equal(pending.length, 0);
  });

  test('a wrong password is refused by the portal with a clear error', async () => {
    const b = browser();
    const { action } = await toPortalForm(b);
    const r = await b.idp.request(
      'POST',
      `${issuer}${action}`,
      new URLSearchParams({ snils: MARIA, password: 'nope' }),
    );
    assert.equal(r.status, 401);
    assert.match(text(r.body), /Неверный пароль/);
    assert.match(r.body, /value="11223344595"/, 'the SNILS stays filled in');
    // The same form then accepts the right password.
    const ok = await b.idp.request(
      'POST',
      `${issuer}${action}`,
      new URLSearchParams({ snils: '112-233-445 95', password: PASSWORD }),
    );
    assert.equal((await b.opora.get(await backToOpora(b, ok))).status, 303);
  });

  test('a SNILS the portal does not know is refused, even with the right password', async () => {
    const b = browser();
    const { action } = await toPortalForm(b);
    const r = await b.idp.request(
      'POST',
      `${issuer}${action}`,
      new URLSearchParams({ snils: STRANGER, password: PASSWORD }),
    );
    assert.equal(r.status, 401);
    assert.match(text(r.body), /Учётная запись с таким СНИЛС не найдена/);
  });

  test('a resident the registry does not know yet is added to it from the portal data', async () => {
    const b = await signedIn(NEWCOMER);
    const me = text((await b.opora.get('/me')).body);
    assert.match(me, /Новикова Анна/);
    assert.match(me, /anna@example\.ru/);
    const person = await db
      .selectFrom('persons')
      .selectAll()
      .where('snils', '=', NEWCOMER)
      .executeTakeFirstOrThrow();
    assert.equal(person.district_id, district.id);
    assert.equal(person.sex, 'F');
  });

  test('cancelling at the portal comes back to a friendly page', async () => {
    const b = browser();
    const { abort } = await toPortalForm(b);
    const r = await b.idp.request('POST', `${issuer}${abort}`);
    const callback = await b.opora.get(await backToOpora(b, r));
    assert.equal(callback.status, 200);
    assert.match(text(callback.body), /Вход отменён/);
    assert.equal((await b.opora.get('/me')).status, 303);
  });

  test('a tampered state gets a friendly 400 page, and so does a replayed callback', async () => {
    const b = browser();
    const url = new URL(await portalCallback(b, MARIA));
    const tampered = new URL(url);
    tampered.searchParams.set('state', `${url.searchParams.get('state')}x`);
    const bad = await b.opora.get(tampered.href);
    assert.equal(bad.status, 400);
    assert.match(text(bad.body), /Не удалось войти/);

    const other = browser();
    const url2 = await portalCallback(other, MARIA);
    const stateCookie = other.opora.cookie('opora_esia_state')!;
    assert.equal((await other.opora.get(url2)).status, 303);
    other.opora.setCookie('opora_esia_state', stateCookie);
    const replayed = await other.opora.get(url2);
    assert.equal(replayed.status, 400);
  });

  test('a callback without any parameters is a 400 page, not a crash', async () => {
    const r = await browser().opora.get('/auth/esia/callback');
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  });

  test('a callback from another browser (no state cookie) is refused', async () => {
    const b = browser();
    const url = await portalCallback(b, MARIA);
    const r = await new Client(appBase).get(url);
    assert.equal(r.status, 400);
  });
});

describe('signed-in resident', () => {
  test('the portal asks again every time, so the next resident on a shared computer is not signed in as the last', async () => {
    const b = await signedIn();
    const first = b.opora.cookie('opora_session');
    await b.opora.submit('/me', '/sign-out', {});
    // Same browser, still signed in at the portal as Maria: the form is shown all the same.
    const again = await b.opora.get(await portalCallback(b, NEWCOMER));
    assert.equal(again.status, 303);
    assert.notEqual(b.opora.cookie('opora_session'), first);
    assert.match(text((await b.opora.get('/me')).body), /Новикова Анна/);
  });

  test('signing in while signed in replaces the old session', async () => {
    const b = await signedIn();
    const first = b.opora.cookie('opora_session');
    assert.equal((await b.opora.get(await portalCallback(b, MARIA))).status, 303);
    assert.notEqual(b.opora.cookie('opora_session'), first);
    const stale = new Client(appBase);
    stale.setCookie('opora_session', first!);
    assert.equal((await stale.get('/me')).status, 303);
  });

  test('/sign-in sends a signed-in resident straight on', async () => {
    const b = await signedIn();
    const r = await b.opora.get('/sign-in');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/me');
  });

  test('signing out ends the session: /me then asks to sign in', async () => {
    const b = await signedIn();
    const out = await b.opora.submit('/me', '/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal(out.location, '/');
    const me = await b.opora.get('/me');
    assert.equal(me.status, 303);
    assert.equal(me.location, '/sign-in?return=%2Fme');
  });

  test('signing out everywhere ends the sessions on other devices too', async () => {
    const phone = await signedIn();
    const laptop = await signedIn();
    const r = await laptop.opora.submit('/me', '/me/sign-out-everywhere', {});
    assert.equal(r.status, 303);
    assert.equal((await phone.opora.get('/me')).status, 303);
    assert.equal((await laptop.opora.get('/me')).status, 303);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'resident.sign_out_everywhere')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('a resident session does not open the staff workspace', async () => {
    const b = await signedIn();
    const r = await b.opora.get('/staff');
    if (r.status === 404) return; // staff routes not mounted in this build
    assert.ok(
      r.status === 403 || (r.status === 303 && r.location?.startsWith('/staff/sign-in')),
      `got ${r.status}`,
    );
  });

  test('the profile is in English when asked', async () => {
    const b = await signedIn();
    b.opora.setCookie('opora_lang', 'en');
    const me = text((await b.opora.get('/me')).body);
    assert.match(me, /My profile/);
    assert.match(me, /Pensioner/);
  });
});

describe('when the portal is down', () => {
  test('starting a sign-in shows a friendly "try later" page', async () => {
    const { baseUrl } = await startTestApp({
      database,
      config: { oidc: { ...oidc, issuer: `http://127.0.0.1:${await freePort()}` } },
    });
    const r = await new Client(baseUrl).get('/auth/esia/start');
    assert.equal(r.status, 503);
    assert.match(text(r.body), /Госуслуги временно недоступны/);
  });
});

describe('housekeeping', () => {
  test('abandoned sign-ins older than an hour are deleted', async () => {
    await toPortalForm(browser()); // a fresh one, kept
    const fresh = (await db.selectFrom('oidc_logins').select('state').execute()).length;
    await db
      .insertInto('oidc_logins')
      .values({
        state: 'old',
        nonce: 'n',
        code_verifier: 'v',
        return_to: '/me',
        created_at: new Date(Date.now() - 2 * 3600_000),
      })
      .execute();
    const log = { info: () => {} };
    await residentTasks(db)['residents:cleanup_logins']!({}, { logger: log } as never);
    const left = await db.selectFrom('oidc_logins').select('state').execute();
    assert.equal(left.length, fresh);
    assert.ok(!left.some((l) => l.state === 'old'));
  });
});

describe('in a real browser', () => {
  /** Walks the pages a resident sees; with JavaScript on, each page is also checked with axe. */
  async function walk(javaScriptEnabled: boolean) {
    const chromium = await launchBrowser();
    // CSP is bypassed only so axe can be injected; the pages themselves run no inline script.
    const context = await chromium.newContext({
      javaScriptEnabled,
      bypassCSP: javaScriptEnabled,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    const check = async () => {
      if (javaScriptEnabled) await assertAccessible(page);
    };
    await page.goto(`${appBase}/sign-in`);
    await check();
    await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
    assert.ok(page.url().startsWith(`${issuer}/interaction/`), `on the portal form, got ${page.url()}`);
    await check();

    await page.fill('#snils', '112-233-445 95');
    await page.fill('#password', 'wrong');
    await page.getByRole('button', { name: /^Войти/ }).click();
    assert.match((await page.locator('[role=alert]').textContent()) ?? '', /Неверный пароль/);
    await check();

    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: /^Войти/ }).click();
    assert.equal(page.url(), `${appBase}/me`);
    assert.match((await page.locator('h1').textContent()) ?? '', /Мой профиль/);
    await check();
    await context.close();
  }

  test('a resident signs in without JavaScript', async () => {
    await walk(false);
  });

  test('every page on the way is accessible', async () => {
    await walk(true);
  });
});

describe('inbox', () => {
  test('a resident reads their messages; new ones are marked, then read', async () => {
    await sendToInbox(db, [
      {
        personId: mariaId,
        subject: { ru: 'Вам может быть положена выплата', en: 'You may be entitled to a payment' },
        body: { ru: 'Специалист свяжется с вами.', en: 'A specialist will contact you.' },
      },
    ]);
    const b = await signedIn();
    const first = await b.opora.get('/me/inbox');
    assert.equal(first.status, 200);
    assert.match(text(first.body), /Вам может быть положена выплата новое/);
    const second = await b.opora.get('/me/inbox');
    assert.doesNotMatch(text(second.body), /новое/);
    const stranger = browser();
    assert.equal(
      (await stranger.opora.get('/me/inbox')).status,
      303,
      'anonymous visitors are sent to sign in',
    );
  });
});
