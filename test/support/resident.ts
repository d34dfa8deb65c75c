// The app on a known port with the ESIA simulator beside it, whose accounts are the registry's own
// persons, and a helper that signs a resident in over HTTP (the same flow as residents.test.ts).
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { createApp } from '../../src/app.ts';
import { freePort } from '../../src/platform/db/embedded.ts';
import { startEsiaSimulator } from '../../src/simulators/esia/esia.simulator.ts';
import { testConfig } from './app.ts';
import type { TestDatabase } from './db.ts';
import { Client } from './http.ts';

export const ESIA_PASSWORD = 'gosuslugi-demo';

export interface ResidentApp {
  baseUrl: string;
  issuer: string;
  /** A fresh browser (cookie jars for Opora and the portal) signed in as the person with this SNILS. */
  signIn(snils: string): Promise<Client>;
}

export async function startAppWithEsia(database: TestDatabase): Promise<ResidentApp> {
  const { db } = database;
  const [idpPort, appPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${idpPort}`;
  const baseUrl = `http://127.0.0.1:${appPort}`;
  const oidc = {
    issuer,
    clientId: 'opora-portal',
    clientSecret: 'test-client-secret',
    simulatorPort: idpPort,
  };
  const esia = await startEsiaSimulator({
    port: idpPort,
    issuer,
    password: ESIA_PASSWORD,
    clients: [
      {
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
        redirect_uris: [`${baseUrl}/auth/esia/callback`],
      },
    ],
    // The portal knows everyone the registry knows.
    lookupBySnils: async (snils) => {
      const p = await db
        .selectFrom('persons')
        .select(['snils', 'last_name', 'first_name', 'patronymic', 'birth_date', 'sex'])
        .where('snils', '=', snils)
        .executeTakeFirst();
      if (!p) return undefined;
      return {
        snils: p.snils,
        family_name: p.last_name,
        given_name: p.first_name,
        ...(p.patronymic ? { middle_name: p.patronymic } : {}),
        birthdate: p.birth_date,
        gender: p.sex === 'F' ? 'female' : 'male',
      };
    },
  });
  after(() => esia.close());
  const app = await createApp({ config: testConfig({ port: appPort, baseUrl, oidc }), db });
  await app.listen({ port: appPort, host: '127.0.0.1' });
  after(() => app.close());

  async function signIn(snils: string): Promise<Client> {
    const opora = new Client(baseUrl);
    const idp = new Client(issuer);
    const start = await opora.get('/auth/esia/start?return=%2Fme');
    const form = await idp.follow(start);
    const action = /<form method="post" action="([^"]+\/login)"/.exec(form.body)?.[1];
    assert.ok(action, 'the portal shows its sign-in form');
    let r = await idp.request(
      'POST',
      `${issuer}${action}`,
      new URLSearchParams({ snils, password: ESIA_PASSWORD }),
    );
    for (let i = 0; i < 10 && r.location && !r.location.startsWith(baseUrl); i++)
      r = await idp.get(r.location);
    assert.ok(
      r.location?.startsWith(`${baseUrl}/auth/esia/callback?`),
      `expected the callback, got ${r.location}`,
    );
    const callback = await opora.get(r.location!);
    assert.equal(callback.status, 303, 'the callback signs the resident in');
    return opora;
  }

  return { baseUrl, issuer, signIn };
}
