// The OpenID Connect client for ESIA (Gosuslugi): authorization code flow with PKCE (S256).
// The provider's metadata is discovered on first use and kept; a failed discovery is retried next time.
import * as oidc from 'openid-client';
import type { Config } from '../../platform/config.ts';

export const ESIA_SCOPE = 'openid profile email snils';
export const CALLBACK_PATH = '/auth/esia/callback';
const TIMEOUT_SECONDS = 10;

export type SignInFailure = 'cancelled' | 'invalid' | 'refused' | 'unavailable';

/** A sign-in that cannot complete; `reason` picks the page the resident sees. */
export class SignInError extends Error {
  readonly reason: SignInFailure;
  constructor(reason: SignInFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface EsiaClaims {
  sub: string;
  snils: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  email: string | null;
}

export interface EsiaClient {
  authorizationUrl(login: PendingLogin): Promise<URL>;
  /** Exchanges the code from the callback's query and returns the verified identity. */
  exchange(query: URLSearchParams, login: PendingLogin): Promise<EsiaClaims>;
}

export function newPendingLogin(): PendingLogin {
  return {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(),
  };
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const SEX: Record<string, 'M' | 'F'> = { male: 'M', female: 'F' };

/** Reads the claims Opora needs; anything missing or malformed refuses the sign-in. */
export function readClaims(claims: Record<string, unknown>): EsiaClaims {
  const snils = text(claims.snils)?.replace(/\D/g, '');
  const birthDate = text(claims.birthdate);
  const sex = SEX[text(claims.gender) ?? ''];
  const lastName = text(claims.family_name);
  const firstName = text(claims.given_name);
  const sub = text(claims.sub);
  if (
    !sub ||
    !snils ||
    snils.length !== 11 ||
    !lastName ||
    !firstName ||
    !sex ||
    !/^\d{4}-\d\d-\d\d$/.test(birthDate ?? '')
  ) {
    throw new SignInError('refused', 'identity provider returned incomplete claims');
  }
  return {
    sub,
    snils,
    lastName,
    firstName,
    patronymic: text(claims.middle_name) ?? null,
    birthDate: birthDate!,
    sex,
    email: text(claims.email) ?? null,
  };
}

/** Network trouble means "try later"; any other failure is a refusal. */
function classify(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const network =
    (error instanceof TypeError && !(error instanceof oidc.ClientError)) ||
    (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  return new SignInError(network ? 'unavailable' : 'refused', 'code exchange failed', { cause: error });
}

export function esiaClient(config: Config): EsiaClient {
  const issuer = new URL(config.oidc.issuer);
  const redirectUri = new URL(CALLBACK_PATH, config.baseUrl).href;
  const insecure = issuer.protocol === 'http:';
  let discovered: Promise<oidc.Configuration> | undefined;

  const configuration = async (): Promise<oidc.Configuration> => {
    // Plain HTTP is for the local simulator only; production must talk to the provider over TLS.
    if (insecure && config.production)
      throw new Error('OPORA_OIDC_ISSUER must be an https URL in production');
    discovered ??= discover(config, issuer, insecure).catch((error: unknown) => {
      discovered = undefined;
      throw new SignInError('unavailable', 'discovery failed', { cause: error });
    });
    return await discovered;
  };

  return {
    async authorizationUrl(login) {
      return oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: ESIA_SCOPE,
        state: login.state,
        nonce: login.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
        code_challenge_method: 'S256',
        // Always ask at the portal: on a shared computer (an MFC kiosk) the portal session of the
        // previous resident must not sign the next one in silently.
        prompt: 'login',
      });
    },
    async exchange(query, login) {
      // The callback URL as registered (not as the proxy saw it): its origin and path are the redirect_uri.
      const callbackUrl = new URL(redirectUri);
      callbackUrl.search = query.toString();
      try {
        const tokens = await oidc.authorizationCodeGrant(await configuration(), callbackUrl, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        return readClaims({ ...tokens.claims() });
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

async function discover(config: Config, issuer: URL, insecure: boolean): Promise<oidc.Configuration> {
  const found = await oidc.discovery(
    issuer,
    config.oidc.clientId,
    undefined,
    oidc.ClientSecretBasic(config.oidc.clientSecret),
    { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: TIMEOUT_SECONDS },
  );
  found.timeout = TIMEOUT_SECONDS;
  return found;
}
