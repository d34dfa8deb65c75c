// Builds the Fastify application: security headers, cookies, CSRF, sessions, locale, access control,
// error pages, health checks, and every feature's routes.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import helmet from 'helmet';
import { sql } from 'kysely';
import { recordNow } from '../audit/audit.service.ts';
import type { Access } from '../auth/actor.ts';
import { loadSession, SESSION_COOKIE, touchesWritten } from '../auth/session.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AuditedRefusal, forbidden, unauthenticated } from '../errors.ts';
import { LOCALES, type Locale, negotiateLocale } from '../i18n/i18n.ts';
import { handleError, handleNotFound } from './errors.tsx';
import type {} from './fastify.d.ts';
import { safeReturnPath } from './render.ts';
import { registerMultipart } from './upload.ts';

export interface AppDeps {
  config: Config;
  db: Db;
}

/** A feature's routes: a function that adds them to the app. */
export type RouteModule = (app: FastifyInstance, deps: AppDeps) => void | Promise<void>;

export const LANGUAGE_COOKIE = 'opora_lang';
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One line per request, written when the response is done, instead of Fastify's two ("incoming" and
 * "completed" with the whole request serialised): at 500 requests a second logging was 13 % of the
 * server's CPU (docs/performance.md, Intake). The path is logged with its secrets masked.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: loggedUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

/** A request's path for the log, with the secrets some links carry (survey invitation and resume
 *  links, token query parameters) masked: log files are read by more people than personal data is. */
export function loggedUrl(url: string): string {
  return url
    .replace(/^(\/s\/[^/?]+\/[ir]\/|\/unsubscribe\/)[^/?]+/, '$1…')
    .replace(/([?&](?:token|secret)=)[^&]*/g, '$1…');
}

function cookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production };
}

export async function buildApp(deps: AppDeps, modules: RouteModule[]): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: process.env.OPORA_TRUST_PROXY === '1',
    bodyLimit: 1024 * 1024,
    logController: new OneLinePerRequest(),
  });

  // Security headers, helmet's middleware built once. (@fastify/helmet built it anew for every
  // request, parsing the policy each time: ~6 % of the server's allocations at the intake's peak.)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: config.production,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (e) => done(e as Error | undefined)),
  );
  await app.register(fastifyCookie, { secret: config.secret });
  await app.register(fastifyFormbody);
  registerMultipart(app, { fileSize: config.uploadLimitBytes, files: 5, fields: 100, fieldSize: 64 * 1024 });
  await app.register(fastifyCsrf, {
    cookieKey: 'opora_csrf',
    cookieOpts: { ...cookieOptions(config), signed: true },
    // A form carries the token as a field; a script (the enhanced portal, the API) as a header.
    getToken: (req) =>
      (req.body as Record<string, string> | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined),
  });
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../ui/assets/', import.meta.url)),
    prefix: '/assets/',
    maxAge: '1h',
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('locale', 'ru' as Locale);
  app.decorateRequest('pendingMfa', undefined);

  // Every route must declare who may call it; a route without a declaration is a bug caught at start.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets')) return;
    if (route.config?.access === undefined)
      throw new Error(`Route ${route.method} ${route.url} declares no access`);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.actor = { kind: 'anonymous' };
    const chosen = request.cookies[LANGUAGE_COOKIE];
    request.locale = (LOCALES as readonly string[]).includes(chosen ?? '')
      ? (chosen as Locale)
      : negotiateLocale(request.headers['accept-language']);
    if (request.url.startsWith('/assets/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await loadSession(db, token);
    if (!session) return;
    if (session.mfaPending && session.actor.kind === 'staff') {
      request.pendingMfa = { sessionId: session.actor.sessionId, userId: session.actor.userId };
    } else {
      request.actor = session.actor;
    }
  });

  // Sessions extended off the requests' path (session.service.ts) are written before the pool closes.
  app.addHook('onClose', () => touchesWritten(db));

  app.addHook('preValidation', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access !== undefined && redirectedToSignIn(access, request, reply)) return reply;
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (unsafe && request.routeOptions.config.csrf !== false) {
      await new Promise<void>((resolve, reject) =>
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())),
      );
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof AuditedRefusal)
      await recordNow(db, error.audit).catch((e: unknown) =>
        request.log.error({ err: e }, 'audit of a refusal failed'),
      );
    return handleError(error as FastifyError, request, reply);
  });
  app.setNotFoundHandler(handleNotFound);

  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    try {
      await sql`select 1 from kysely_migration limit 1`.execute(db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready' });
    }
  });

  // The language switch is a plain link, so it works without JavaScript and from any page.
  app.get('/language', { config: { access: 'public' } }, async (request, reply) => {
    const { to, back } = request.query as { to?: string; back?: string };
    if (to && (LOCALES as readonly string[]).includes(to)) {
      reply.setCookie(LANGUAGE_COOKIE, to, { ...cookieOptions(config), maxAge: 365 * 24 * 3600 });
    }
    return reply.redirect(safeReturnPath(back, '/'), 303);
  });

  for (const register of modules) await register(app, deps);
  return app;
}

/** Throws when the actor may not call the route; redirects an anonymous GET to the sign-in page. */
function redirectedToSignIn(access: Access, request: FastifyRequest, reply: FastifyReply): boolean {
  if (access === 'public') return false;
  const { actor } = request;
  const signIn = access === 'resident' ? '/sign-in' : '/staff/sign-in';
  const allowed =
    access === 'resident'
      ? actor.kind === 'resident'
      : actor.kind === 'staff' && (access === 'staff' || access.includes(actor.role));
  if (allowed) return false;
  const signedInAsRightKind = access === 'resident' ? actor.kind === 'resident' : actor.kind === 'staff';
  if (signedInAsRightKind) throw forbidden();
  // A person's browser is sent to sign in; a script calling the API is told it is not signed in.
  if (request.method === 'GET' && !request.url.startsWith('/api/')) {
    reply.redirect(`${signIn}?return=${encodeURIComponent(request.url)}`, 303);
    return true;
  }
  throw unauthenticated();
}

export { cookieOptions };
