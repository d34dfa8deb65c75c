// The oidc-provider instance: code flow only, PKCE (S256) required, claims in the ID token,
// a signing key and cookie keys generated at each start (nothing outlives the process).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { type Account, type OidcContext, Provider } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { SCOPE_CLAIMS } from './esia.accounts.ts';
import { errorPage } from './esia.pages.ts';

export interface EsiaClientConfig {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface ProviderOptions {
  issuer: string;
  clients: EsiaClientConfig[];
  findAccount: (ctx: OidcContext, sub: string) => Promise<Account | undefined>;
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

async function renderError(ctx: OidcContext, out: { error?: string; error_description?: string }) {
  ctx.type = 'html';
  const detail = [out.error, out.error_description].filter(Boolean).join(': ');
  ctx.body = errorPage(
    `Запрос на вход отклонён (${detail}). Вернитесь на сайт, с которого пришли, и начните вход заново.`,
    `The sign-in request was refused (${detail}). Go back to the site you came from and start again.`,
  );
}

export function createProvider(o: ProviderOptions): Provider {
  return new Provider(o.issuer, {
    adapter: createMemoryAdapter(15),
    clients: o.clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: SCOPE_CLAIMS,
    scopes: Object.keys(SCOPE_CLAIMS),
    // Profile and SNILS go into the ID token itself, as the relying party reads them from there.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    // The library's development login pages are replaced by our own (esia.interactions.ts).
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: o.findAccount,
    renderError,
    ttl: { AccessToken: 600, IdToken: 600, Interaction: 900, Session: 3600, Grant: 3600 },
  });
}
