// The simulator's interaction pages: the SNILS + password form, its submission and "cancel".
// Consent is granted automatically: every configured client is the state's own relying party.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, Provider } from 'oidc-provider';
import { type LookupBySnils, snilsFromInput } from './esia.accounts.ts';
import { errorPage, loginPage } from './esia.pages.ts';

export interface InteractionOptions {
  lookupBySnils: LookupBySnils;
  password: string;
  /** Remembers who signed in and returns their subject. */
  signIn: (snils: string) => string;
}

const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;
const MAX_FORM_BYTES = 8192;

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function samePassword(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const ERRORS = {
  format: {
    ru: 'Введите СНИЛС: 11 цифр, например 112-233-445 95.',
    en: 'Enter a SNILS: 11 digits, like 112-233-445 95.',
  },
  unknown: { ru: 'Учётная запись с таким СНИЛС не найдена.', en: 'No account with this SNILS was found.' },
  password: { ru: 'Неверный пароль.', en: 'The password is wrong.' },
};

/** Checks the form; returns the subject, or the error to show. */
async function checkCredentials(form: URLSearchParams, o: InteractionOptions) {
  const snils = snilsFromInput(form.get('snils') ?? '');
  if (!snils) return { error: ERRORS.format };
  const account = await o.lookupBySnils(snils);
  if (!account) return { error: ERRORS.unknown };
  if (!samePassword(form.get('password') ?? '', o.password)) return { error: ERRORS.password };
  return { sub: o.signIn(snils) };
}

async function grantAll(provider: Provider, details: Interaction, accountId: string): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  return await grant.save();
}

/**
 * Each sign-in starts a fresh portal session. Otherwise signing in as someone else in the same browser
 * (testers do it all the time) would pass through the library's logout page, which needs JavaScript.
 */
async function dropPortalSession(provider: Provider, details: Interaction): Promise<void> {
  if (!details.session?.uid) return;
  const session = await provider.Session.findByUid(details.session.uid);
  await session?.destroy();
  details.session = undefined;
  await details.persist();
}

async function login(
  provider: Provider,
  details: Interaction,
  req: IncomingMessage,
  res: ServerResponse,
  o: InteractionOptions,
) {
  const form = await readForm(req);
  const checked = await checkCredentials(form, o);
  if (checked.error) {
    const page = loginPage({
      uid: details.uid,
      clientId: String(details.params.client_id),
      snils: form.get('snils') ?? '',
      error: checked.error,
    });
    return send(res, 401, page);
  }
  await dropPortalSession(provider, details);
  const grantId = await grantAll(provider, details, checked.sub);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: checked.sub }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

async function show(provider: Provider, details: Interaction, req: IncomingMessage, res: ServerResponse) {
  if (details.prompt.name === 'login') {
    return send(res, 200, loginPage({ uid: details.uid, clientId: String(details.params.client_id) }));
  }
  // Already signed in at the portal: only consent is asked for, and it is given.
  const grantId = await grantAll(provider, details, details.session?.accountId ?? '');
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const EXPIRED = errorPage(
  'Сеанс входа истёк или уже завершён. Вернитесь на сайт, с которого пришли, и начните вход заново.',
  'The sign-in session has expired or already ended. Go back to the site you came from and start again.',
);

export function interactionHandler(provider: Provider, o: InteractionOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const match = ROUTE.exec(path);
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, EXPIRED);
    }
    if (!match || details.uid !== match[1]) return send(res, 400, EXPIRED);
    const action = match[2];
    if (req.method === 'GET' && !action) return await show(provider, details, req, res);
    if (req.method === 'POST' && action === 'login') return await login(provider, details, req, res, o);
    if (req.method === 'POST' && action === 'abort') {
      const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
      return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    send(res, 405, errorPage('Метод не поддерживается.', 'Method not allowed.'));
  };
}
