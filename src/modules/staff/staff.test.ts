import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { verifyChain } from '../../platform/audit/audit.service.ts';
import { currentTotp } from '../../platform/auth/totp.ts';
import { MAX_FAILED_ATTEMPTS } from './staff.service.ts';

const { baseUrl, db, database } = await startTestApp();
await seedSmallRegion(database);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'researcher', 'researcher');
await staffUser(db, 'admin', 'administrator');

async function signIn(login: string, password = PASSWORD): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password });
  assert.equal(response.status, 303, `sign-in of ${login} should redirect`);
  return client;
}

async function personIn(districtCode: string): Promise<{ id: number; snils: string }> {
  return await db
    .selectFrom('persons')
    .innerJoin('districts', 'districts.id', 'persons.district_id')
    .select(['persons.id', 'persons.snils'])
    .where('districts.code', districtCode === 'volgograd' ? '=' : '<>', 'volgograd')
    .orderBy('persons.id')
    .limit(1)
    .executeTakeFirstOrThrow();
}

describe('staff sign-in', () => {
  test('a correct password opens the workspace, showing the role and districts', async () => {
    const client = await signIn('spec.volgograd');
    const home = await client.get('/staff');
    assert.equal(home.status, 200);
    assert.match(text(home.body), /специалист/);
    assert.match(text(home.body), /Волгоград/);
  });

  test('a wrong password gets a clear error and no session', async () => {
    const client = new Client(baseUrl);
    const response = await client.submit('/staff/sign-in', '/staff/sign-in', {
      login: 'admin',
      password: 'wrong password!!',
    });
    assert.equal(response.status, 401);
    assert.match(text(response.body), /Неверный логин или пароль/);
    assert.equal((await client.get('/staff')).status, 303);
  });

  test('empty fields are reported field by field, in English when asked', async () => {
    const client = new Client(baseUrl);
    client.setCookie('opora_lang', 'en');
    const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login: '', password: '' });
    assert.equal(response.status, 422);
    assert.match(text(response.body), /There is a problem/);
    assert.match(text(response.body), /Enter your login/);
    assert.match(text(response.body), /Enter your password/);
  });

  test('a form without its CSRF token is refused', async () => {
    const client = new Client(baseUrl);
    await client.get('/staff/sign-in');
    const response = await client.post('/staff/sign-in', { login: 'admin', password: PASSWORD });
    assert.equal(response.status, 403);
    assert.match(text(response.body), /Форма устарела/);
  });

  test(`after ${MAX_FAILED_ATTEMPTS} wrong passwords the account locks, even for the right one`, async () => {
    await staffUser(db, 'victim', 'specialist', ['volgograd']);
    const client = new Client(baseUrl);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) {
      await client.submit('/staff/sign-in', '/staff/sign-in', {
        login: 'victim',
        password: `guess-${i}-guess-guess`,
      });
    }
    const response = await client.submit('/staff/sign-in', '/staff/sign-in', {
      login: 'victim',
      password: PASSWORD,
    });
    assert.equal(response.status, 423);
    assert.match(text(response.body), /заблокирована/);
  });

  test('with TOTP enabled, the password alone opens nothing until the code is given', async () => {
    await staffUser(db, 'careful', 'district_head', ['volgograd']);
    const client = await signIn('careful');
    const security = await client.get('/staff/security');
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(security.body)![1]!;
    const bad = await client.submit('/staff/security', '/staff/security/totp', { secret, code: '000000' });
    assert.equal(bad.status, 422);
    const enabled = await client.submit('/staff/security', '/staff/security/totp', {
      secret,
      code: currentTotp(secret),
    });
    assert.equal(enabled.status, 303);

    const second = new Client(baseUrl);
    const step1 = await second.submit('/staff/sign-in', '/staff/sign-in', {
      login: 'careful',
      password: PASSWORD,
    });
    assert.match(step1.location ?? '', /\/staff\/sign-in\/code/);
    assert.equal((await second.get('/staff')).status, 303, 'workspace stays closed before the code');
    const wrong = await second.submit('/staff/sign-in/code', '/staff/sign-in/code', { code: '123456' });
    assert.equal(wrong.status, 401);
    const right = await second.submit('/staff/sign-in/code', '/staff/sign-in/code', {
      code: currentTotp(secret),
    });
    assert.equal(right.status, 303);
    assert.equal((await second.get('/staff')).status, 200);
  });

  test('sign out everywhere ends the sessions on every device', async () => {
    const laptop = await signIn('admin');
    const phone = await signIn('admin');
    await laptop.submit('/staff', '/staff/sign-out-everywhere', {});
    assert.equal((await phone.get('/staff')).status, 303);
    assert.equal((await laptop.get('/staff')).status, 303);
  });
});

describe('access to residents’ records', () => {
  test('a specialist reads a resident of their district, and the read is audited', async () => {
    const client = await signIn('spec.volgograd');
    const person = await personIn('volgograd');
    const found = await client.get(`/staff/persons?snils=${person.snils}`);
    assert.equal(found.location, `/staff/persons/${person.id}`);
    const card = await client.get(found.location!);
    assert.equal(card.status, 200);
    assert.match(text(card.body), /журнал аудита/);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind'])
      .where('subject_kind', '=', 'person')
      .where('subject_id', '=', String(person.id))
      .execute();
    assert.deepEqual(audit, [{ action: 'person.read', actor_kind: 'staff' }]);
    assert.deepEqual((await verifyChain(db)).ok, true);
  });

  test('a specialist cannot read a resident of another district; the attempt is audited', async () => {
    const client = await signIn('spec.volgograd');
    const person = await personIn('elsewhere');
    const response = await client.get(`/staff/persons/${person.id}`);
    assert.equal(response.status, 403);
    const denied = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', String(person.id))
      .where('action', '=', 'person.read.denied')
      .execute();
    assert.equal(denied.length, 1);
  });

  test('an administrator reads any district; a researcher reads no personal records at all', async () => {
    const person = await personIn('elsewhere');
    assert.equal((await (await signIn('admin')).get(`/staff/persons/${person.id}`)).status, 200);
    assert.equal((await (await signIn('researcher')).get(`/staff/persons/${person.id}`)).status, 403);
  });

  test('a SNILS with a wrong checksum is reported as such, not as "not found"', async () => {
    const client = await signIn('spec.volgograd');
    const response = await client.get('/staff/persons?snils=112-233-445-96');
    assert.equal(response.status, 422);
    assert.match(text(response.body), /контрольное число не совпадает/);
  });

  test('anonymous visitors are sent to sign in, and come back where they were going', async () => {
    const client = new Client(baseUrl);
    const response = await client.get('/staff/persons/1');
    assert.equal(response.status, 303);
    assert.equal(response.location, `/staff/sign-in?return=${encodeURIComponent('/staff/persons/1')}`);
  });
});

describe('workspace home by role', () => {
  const linksOn = (html: string) => [...html.matchAll(/<li><a href="(\/staff\/[a-z]+)">/g)].map((m) => m[1]!);

  test('an analyst reaches rules, sweeps, emergency measures, extensions and campaigns; each page opens', async () => {
    await staffUser(db, 'analyst', 'ministry_analyst');
    const client = await signIn('analyst');
    const links = linksOn((await client.get('/staff')).body);
    assert.deepEqual(links, [
      '/staff/applications',
      '/staff/appeals',
      '/staff/rules',
      '/staff/sweeps',
      '/staff/emergency',
      '/staff/extensions',
      '/staff/campaigns',
      '/staff/notifications',
      '/staff/quality',
      '/staff/surveys',
    ]);
    for (const link of links) assert.equal((await client.get(link)).status, 200, link);
    assert.match((await client.get('/staff')).body, /href="\/staff\/registry\/egisso"/);
    assert.equal((await client.get('/staff/registry/egisso')).status, 200);
  });

  test('a specialist reaches the queue, reception and proposals and nothing of the ministry’s', async () => {
    const client = await signIn('spec.volgograd');
    const links = linksOn((await client.get('/staff')).body);
    assert.deepEqual(links, [
      '/staff/applications',
      '/staff/reception',
      '/staff/proposals',
      '/staff/interagency',
      '/staff/quality',
      '/staff/fieldwork',
    ]);
    const home = (await client.get('/staff')).body;
    assert.match(home, /href="\/staff\/notifications\/letters"/);
    // The registry's quality work: duplicates and district files (EGISSO is the ministry's).
    assert.match(home, /href="\/staff\/registry\/duplicates"/);
    assert.match(home, /href="\/staff\/registry\/imports"/);
    assert.doesNotMatch(home, /href="\/staff\/registry\/egisso"/);
    for (const page of ['/staff/interagency', '/staff/registry/duplicates', '/staff/registry/imports'])
      assert.equal((await client.get(page)).status, 200, page);
    assert.equal((await client.get('/staff/registry/egisso')).status, 403);
    assert.equal((await client.get('/staff/reception')).status, 200);
    assert.match((await client.get('/staff')).body, /href="\/staff\/applications\/new"/);
    assert.equal((await client.get('/staff/proposals')).status, 200);
    assert.equal((await client.get('/staff/fieldwork')).status, 200);
    assert.equal((await client.get('/staff/appeals')).status, 403);
    assert.equal((await client.get('/staff/sweeps')).status, 403);
  });
});
