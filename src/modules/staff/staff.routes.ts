// Staff sign-in (password, then TOTP when enabled), the workspace home, and a resident's record.
// Each route reads: rate limit → access → validate → transaction → handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { scopeOf } from '../../platform/auth/actor.ts';
import { endSession, SESSION_COOKIE } from '../../platform/auth/session.service.ts';
import { totpUri } from '../../platform/auth/totp.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, safeReturnPath, seeOther, sendPage } from '../../platform/http/render.ts';
import { type AppDeps, cookieOptions, type RouteModule } from '../../platform/http/server.ts';
import { field, required, validate } from '../../platform/http/validate.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { categoryTitles } from '../catalog/catalog.service.ts';
import { districtsByIds } from '../geography/geography.service.ts';
import * as registry from '../registry/registry.service.ts';
import { CodePage, HomePage, PersonPage, SecurityPage, SignInPage } from './staff.pages.tsx';
import type { StaffRole } from './staff.schema.ts';
import * as staff from './staff.service.ts';

/** Roles that work with individual residents' records. Analysts and researchers see aggregates only. */
export const PERSON_READERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];

const staffReturn = (value: unknown) => {
  const path = safeReturnPath(value, '/staff');
  return path.startsWith('/staff') ? path : '/staff';
};

const client = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

export const staffRoutes: RouteModule = (app, deps) => {
  const { db, config } = deps;
  const signInLimit = rateLimit(db, { name: 'staff-sign-in', max: 30, windowSeconds: 300 });

  app.get('/staff/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor.kind === 'staff') return seeOther(reply, '/staff');
    const ctx = pageContext(request, reply);
    const returnTo = staffReturn((request.query as { return?: string }).return);
    return sendPage(reply, h(SignInPage, { ctx, errors: {}, login: '', returnTo }));
  });

  app.post(
    '/staff/sign-in',
    { config: { access: 'public' }, onRequest: signInLimit },
    async (request, reply) => {
      const form = validate<{ login: string; password: string }>(request.body, {
        login: required('staff.signIn.loginMissing', 40),
        password: required('staff.signIn.passwordMissing', 200),
      });
      const returnTo = staffReturn(field(request.body, 'return'));
      const login = field(request.body, 'login');
      const t = translator(request.locale);
      const again = (errors: Record<string, string>, status: number) =>
        sendPage(reply, h(SignInPage, { ctx: pageContext(request, reply), errors, login, returnTo }), status);
      if (!form.ok)
        return again(Object.fromEntries(Object.entries(form.errors).map(([k, v]) => [k, t(v)])), 422);

      const result = await staff.signIn(db, form.value.login, form.value.password, client(request));
      if (result.outcome === 'invalid') return again({ login: t('staff.signIn.invalid') }, 401);
      if (result.outcome === 'locked')
        return again({ login: t('staff.signIn.locked', { minutes: result.minutesLeft }) }, 423);
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(config));
      if (result.outcome === 'code_required')
        return seeOther(reply, `/staff/sign-in/code?return=${encodeURIComponent(returnTo)}`);
      return seeOther(reply, returnTo);
    },
  );

  app.get('/staff/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.pendingMfa) return seeOther(reply, '/staff/sign-in');
    const returnTo = staffReturn((request.query as { return?: string }).return);
    return sendPage(reply, h(CodePage, { ctx: pageContext(request, reply), errors: {}, returnTo }));
  });

  app.post(
    '/staff/sign-in/code',
    { config: { access: 'public' }, onRequest: signInLimit },
    async (request, reply) => {
      const pending = request.pendingMfa;
      if (!pending) return seeOther(reply, '/staff/sign-in');
      const returnTo = staffReturn(field(request.body, 'return'));
      const outcome = await staff.completeSecondFactor(db, pending, field(request.body, 'code'), request.ip);
      if (outcome === 'ok') return seeOther(reply, returnTo);
      if (outcome === 'locked') return seeOther(reply, '/staff/sign-in');
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(CodePage, { ctx, errors: { code: ctx.t('staff.code.invalid') }, returnTo }),
        401,
      );
    },
  );

  app.get('/staff', { config: { access: 'staff' } }, async (request, reply) => {
    return await renderHome(deps, request, reply, {}, '');
  });

  app.get('/staff/persons', { config: { access: PERSON_READERS } }, async (request, reply) => {
    const snils = String((request.query as { snils?: string }).snils ?? '').trim();
    const t = translator(request.locale);
    if (!snils)
      return await renderHome(deps, request, reply, { snils: t('staff.home.snilsMissing') }, snils, 422);
    let personId: number | undefined;
    try {
      personId = await registry.findPersonIdBySnils(db, snils);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_snils') {
        return await renderHome(deps, request, reply, { snils: t('staff.home.snilsInvalid') }, snils, 422);
      }
      throw error;
    }
    if (!personId)
      return await renderHome(deps, request, reply, { snils: t('staff.home.notFound') }, snils, 404);
    return seeOther(reply, `/staff/persons/${personId}`);
  });

  app.get(
    '/staff/persons/:id',
    {
      config: { access: PERSON_READERS },
      schema: { params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const actor = request.actor as StaffActor;
      const read = await db
        .transaction()
        .execute((trx) => registry.personForStaff(trx, actor, id, request.ip));
      if (read.denied) throw forbidden();
      const { person, household } = read;
      const titles = await categoryTitles(db);
      return sendPage(
        reply,
        h(PersonPage, { ctx: pageContext(request, reply), person, household, categoryTitles: titles }),
      );
    },
  );

  app.get('/staff/security', { config: { access: 'staff' } }, async (request, reply) => {
    const actor = request.actor as StaffActor;
    const profile = await staff.staffProfile(db, actor.userId);
    const secret = staff.proposeTotpSecret();
    const ctx = pageContext(request, reply);
    const page = h(SecurityPage, {
      ctx,
      totpEnabled: profile.totpEnabled,
      secret,
      uri: totpUri(secret, profile.login),
      errors: {},
    });
    return sendPage(reply, page);
  });

  app.post('/staff/security/totp', { config: { access: 'staff' } }, async (request, reply) => {
    const actor = request.actor as StaffActor;
    const secret = field(request.body, 'secret');
    if (await staff.enableTotp(db, actor.userId, secret, field(request.body, 'code')))
      return seeOther(reply, '/staff/security');
    const ctx = pageContext(request, reply);
    const errors = { code: ctx.t('staff.code.invalid') };
    const page = h(SecurityPage, {
      ctx,
      totpEnabled: false,
      secret,
      uri: totpUri(secret, actor.login),
      errors,
    });
    return sendPage(reply, page, 422);
  });

  app.post('/staff/sign-out', { config: { access: 'staff' } }, async (request, reply) => {
    await endSession(db, (request.actor as StaffActor).sessionId);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
    return seeOther(reply, '/staff/sign-in');
  });

  app.post('/staff/sign-out-everywhere', { config: { access: 'staff' } }, async (request, reply) => {
    await staff.signOutEverywhere(db, (request.actor as StaffActor).userId, request.ip);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
    return seeOther(reply, '/staff/sign-in');
  });
};

async function renderHome(
  { db }: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  errors: Record<string, string>,
  snils: string,
  status = 200,
) {
  const actor = request.actor as StaffActor;
  const scope = scopeOf(actor);
  const [districts, personCount] = await Promise.all([
    scope.all ? Promise.resolve('all' as const) : districtsByIds(db, scope.districtIds),
    registry.countPersonsInScope(db, actor),
  ]);
  const page = h(HomePage, {
    ctx: pageContext(request, reply),
    fullName: actor.fullName,
    role: actor.role,
    districts,
    personCount,
    errors,
    snils,
    canReadPersons: PERSON_READERS.includes(actor.role),
  });
  return sendPage(reply, page, status);
}
