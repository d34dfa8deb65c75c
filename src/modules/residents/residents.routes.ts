// Resident sign-in through Gosuslugi (ESIA), "My profile" and signing out.
// Each route reads: rate limit → access → handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { ResidentActor } from '../../platform/auth/actor.ts';
import { SESSION_COOKIE } from '../../platform/auth/session.service.ts';
import { forbidden } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, safeReturnPath, seeOther, sendPage } from '../../platform/http/render.ts';
import { cookieOptions, type RouteModule } from '../../platform/http/server.ts';
import { openInbox } from '../inbox/inbox.service.ts';
import { CALLBACK_PATH, esiaClient, SignInError } from './residents.oidc.ts';
import { InboxPage, ProfilePage, SignInFailedPage, SignInPage } from './residents.pages.tsx';
import * as residents from './residents.service.ts';

/** Carries the state of a sign-in in progress, so only the browser that started it can finish it. */
const STATE_COOKIE = 'opora_esia_state';
const FAILURE_STATUS = { cancelled: 200, invalid: 400, refused: 400, unavailable: 503 } as const;

const returnOf = (request: FastifyRequest) =>
  safeReturnPath((request.query as { return?: unknown }).return, '/me');

function residentOf(request: FastifyRequest): ResidentActor {
  if (request.actor.kind !== 'resident') throw forbidden();
  return request.actor;
}

function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof SignInError)) throw error;
  request.log.warn({ reason: error.reason, err: error.cause ?? error }, 'resident sign-in failed');
  const page = h(SignInFailedPage, { ctx: pageContext(request, reply), reason: error.reason });
  return sendPage(reply, page, FAILURE_STATUS[error.reason]);
}

export const residentRoutes: RouteModule = (app, { config, db }) => {
  const esia = esiaClient(config);
  const limit = (name: string) => rateLimit(db, { name, max: 60, windowSeconds: 600 });
  const stateCookie = { ...cookieOptions(config), path: '/auth/esia' };

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor.kind === 'resident') return seeOther(reply, returnOf(request));
    return sendPage(reply, h(SignInPage, { ctx: pageContext(request, reply), returnTo: returnOf(request) }));
  });

  app.get(
    '/auth/esia/start',
    { config: { access: 'public' }, onRequest: limit('esia-start') },
    async (request, reply) => {
      try {
        const { url, state } = await residents.startSignIn(db, esia, returnOf(request));
        reply.setCookie(STATE_COOKIE, state, {
          ...stateCookie,
          signed: true,
          maxAge: residents.LOGIN_TTL_SECONDS,
        });
        return seeOther(reply, url.href);
      } catch (error) {
        return failed(request, reply, error);
      }
    },
  );

  app.get(
    CALLBACK_PATH,
    { config: { access: 'public' }, onRequest: limit('esia-callback') },
    async (request, reply) => {
      const signed = request.cookies[STATE_COOKIE];
      const browserState = signed ? request.unsignCookie(signed) : undefined;
      reply.clearCookie(STATE_COOKIE, stateCookie);
      try {
        const { token, returnTo } = await residents.finishSignIn(db, esia, {
          query: new URL(request.url, 'http://callback').searchParams,
          browserState: browserState?.valid ? (browserState.value ?? undefined) : undefined,
          previousToken: request.cookies[SESSION_COOKIE],
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.setCookie(SESSION_COOKIE, token, cookieOptions(config));
        return seeOther(reply, returnTo);
      } catch (error) {
        return failed(request, reply, error);
      }
    },
  );

  app.get('/me', { config: { access: 'resident' } }, async (request, reply) => {
    const profile = await residents.residentProfile(db, residentOf(request));
    return sendPage(reply, h(ProfilePage, { ctx: pageContext(request, reply), profile }));
  });

  app.get('/me/inbox', { config: { access: 'resident' } }, async (request, reply) => {
    const resident = residentOf(request);
    const messages = await openInbox(db, resident.personId);
    return sendPage(reply, h(InboxPage, { ctx: pageContext(request, reply), messages }));
  });

  // Public, so that a resident whose session has already expired is not shown an error for signing out.
  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor.kind === 'resident') await residents.signOut(db, request.actor);
    if (request.actor.kind !== 'staff') reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
    return seeOther(reply, '/');
  });

  app.post('/me/sign-out-everywhere', { config: { access: 'resident' } }, async (request, reply) => {
    await residents.signOutEverywhere(db, residentOf(request), request.ip);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
    return seeOther(reply, '/');
  });
};
