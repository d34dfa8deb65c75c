// The ESIA simulator on its own: what it advertises, what it refuses, and the ID token it signs.
import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { Client, text } from '../../../test/support/http.ts';
import { freePort } from '../../platform/db/embedded.ts';
import { type EsiaAccount, startEsiaSimulator } from './esia.simulator.ts';

const SNILS = '11223344595';
const account: EsiaAccount = {
  snils: SNILS,
  family_name: 'Иванова',
  given_name: 'Мария',
  middle_name: 'Петровна',
  birthdate: '1958-03-14',
  gender: 'female',
  email: 'maria@example.ru',
};
const client = { client_id: 'rp', client_secret: 'rp-secret', redirect_uris: ['http://127.0.0.1:9/cb'] };

async function simulator() {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const sim = await startEsiaSimulator({
    port,
    issuer,
    clients: [client],
    password: 'pw',
    lookupBySnils: async (snils) => (snils === SNILS ? account : undefined),
  });
  after(() => sim.close());
  const config = await oidc.discovery(
    new URL(issuer),
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(client.client_secret),
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  return { issuer, config };
}

/** Signs in through the form and returns the redirect back to the client (code and state). */
async function authorize(issuer: string, config: oidc.Configuration, verifier: string) {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirect_uris[0]!,
    scope: 'openid profile email snils',
    state: 'st',
    nonce: 'nn',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new Client(issuer);
  const form = await browser.follow(await browser.get(url.href));
  const action = /action="([^"]+\/login)"/.exec(form.body)![1]!;
  let r = await browser.request(
    'POST',
    `${issuer}${action}`,
    new URLSearchParams({ snils: SNILS, password: 'pw' }),
  );
  while (r.location && !r.location.startsWith('http://127.0.0.1:9/')) r = await browser.get(r.location);
  return new URL(r.location!);
}

function verifyRs256(jwt: string, jwks: { keys: (JsonWebKey & { kid?: string })[] }): boolean {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (alg !== 'RS256' || !jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
}

describe('ESIA simulator', async () => {
  const { issuer, config } = await simulator();

  test('advertises the code flow, S256 PKCE and the snils scope', () => {
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, issuer);
    assert.deepEqual(meta.response_types_supported, ['code']);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.scopes_supported?.includes('snils'));
    assert.ok(meta.claims_supported?.includes('snils'));
  });

  test('issues an RS256 ID token carrying the profile and SNILS under an opaque subject', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const back = await authorize(issuer, config, verifier);
    assert.equal(back.searchParams.get('state'), 'st');
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: 'st',
      expectedNonce: 'nn',
    });
    const claims = tokens.claims()!;
    assert.equal(claims.snils, SNILS);
    assert.equal(claims.family_name, 'Иванова');
    assert.equal(claims.birthdate, '1958-03-14');
    assert.equal(claims.email, 'maria@example.ru');
    assert.ok(!String(claims.sub).includes(SNILS));
    const jwks = await (await fetch(config.serverMetadata().jwks_uri!)).json();
    assert.ok(verifyRs256(tokens.id_token!, jwks));
  });

  test('the subject is the same after a restart', async () => {
    const subjectAt = async () => {
      const { issuer: other, config: otherConfig } = await simulator();
      const verifier = oidc.randomPKCECodeVerifier();
      const back = await authorize(other, otherConfig, verifier);
      const tokens = await oidc.authorizationCodeGrant(otherConfig, back, {
        pkceCodeVerifier: verifier,
        expectedState: 'st',
        expectedNonce: 'nn',
      });
      return tokens.claims()!.sub;
    };
    assert.equal(await subjectAt(), await subjectAt());
  });

  test('a request without PKCE is sent back with an error', async () => {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: client.redirect_uris[0]!,
      scope: 'openid',
      state: 'st',
    });
    const r = await new Client(issuer).get(url.href);
    assert.equal(r.status, 303);
    assert.equal(new URL(r.location!).searchParams.get('error'), 'invalid_request');
  });

  test('an unknown client gets the simulator error page, not a stack trace', async () => {
    const r = await new Client(issuer).get(`${issuer}/auth?client_id=nobody&response_type=code&scope=openid`);
    assert.equal(r.status, 400);
    assert.match(text(r.body), /Запрос на вход отклонён/);
  });

  test('an interaction page without its cookie says the sign-in has expired', async () => {
    const r = await new Client(issuer).get(`${issuer}/interaction/abc`);
    assert.equal(r.status, 400);
    assert.match(text(r.body), /Сеанс входа истёк/);
  });
});
