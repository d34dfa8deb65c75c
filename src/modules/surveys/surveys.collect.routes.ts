// Routes of surveys — Collection of responses: waves (/staff/surveys/:id/waves/new,
// /staff/surveys/waves/:id), portal self-completion (/s/:token, public, rate-limited, works without
// JavaScript) and interviewer mode (/staff/fieldwork). Each is thin: rate limit → access → CSRF →
// validation → transaction → page; the page engine is surveys.fill.ts, the rules
// surveys.collect.service.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import QRCode from 'qrcode';
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import { cookieOptions, type RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { formatDate, type MessageKey, translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { findPersonIdBySnils } from '../registry/registry.service.ts';
import type { Answers } from './surveys.answers.ts';
import {
  CheckAnswersPage,
  DonePage,
  FIELDWORK,
  FieldworkPage,
  FillPage,
  type FillTarget,
  InterviewStartPage,
  RefusalPage,
  StartPage,
  SURVEYS,
  WaveNewPage,
  WavePage,
} from './surveys.collect.pages.tsx';
import * as collect from './surveys.collect.service.ts';
import {
  isPageShown,
  minutesToAnswer,
  nextPage,
  type Posted,
  pagesOf,
  previousPage,
  problemText,
  questionCount,
  readPage,
  summaryOf,
} from './surveys.fill.ts';
import * as surveys from './surveys.service.ts';
import * as waves from './surveys.waves.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;
const ID_PAGE = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 }, n: { type: 'integer', minimum: 0, maximum: 1000 } },
  required: ['id', 'n'],
} as const;
const TOKEN = {
  type: 'object',
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
  required: ['token'],
} as const;
const TOKEN_PAGE = {
  type: 'object',
  properties: {
    token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
    n: { type: 'integer', minimum: 0, maximum: 1000 },
  },
  required: ['token', 'n'],
} as const;
const TOKEN_SECRET = {
  type: 'object',
  properties: {
    token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
    secret: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' },
  },
  required: ['token', 'secret'],
} as const;

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
type Params = { id: number; n: number; token: string; secret: string };
const params = (request: FastifyRequest) => request.params as Params;
const posted = (request: FastifyRequest) => (request.body ?? {}) as Posted;

/** The cookie holding a portal respondent's resume secret, one per wave. */
const cookieName = (waveId: number) => `opora_survey_${waveId}`;
/** A respondent may come back for up to 90 days (the wave closes before that in practice). */
const COOKIE_DAYS = 90;

/** The posted fields without one instance of a (top-level) repeat, the later ones renumbered. */
function withoutInstance(body: Posted, repeat: string, index: number): Posted {
  const out: Posted = {};
  const prefix = `${repeat}.`;
  const count = Number(field(body, `${repeat}._count`)) || 0;
  for (const [key, value] of Object.entries(body)) {
    const m = key.startsWith(prefix) ? /^(\d+)\.(.+)$/.exec(key.slice(prefix.length)) : null;
    if (!m) {
      out[key] = value;
      continue;
    }
    const i = Number(m[1]);
    if (i === index) continue;
    out[`${prefix}${i > index ? i - 1 : i}.${m[2]}`] = value;
  }
  out[`${repeat}._count`] = String(Math.max(0, count - 1));
  return out;
}

/** Where to continue a response: its saved page when shown, else the next shown one, else check answers. */
async function continueAt(db: Db, base: string, response: collect.Response): Promise<string> {
  const form = await collect.formOf(db, response.version_id);
  const pages = pagesOf(form);
  const saved = pages[response.page];
  if (saved && isPageShown(form, saved, response.answers)) return `${base}/p/${saved.index}`;
  const next = response.page < pages.length ? nextPage(form, response.answers, response.page) : null;
  return next === null ? `${base}/check` : `${base}/p/${next}`;
}

export const surveysCollectRoutes: RouteModule = (app, { db, config }) => {
  const publicLimit = rateLimit(db, { name: 'survey-portal', max: 300, windowSeconds: 60 });
  const secretLimit = rateLimit(db, { name: 'survey-secret', max: 30, windowSeconds: 60 });
  const staffLimit = rateLimit(db, { name: 'survey-staff', max: 120, windowSeconds: 60 });
  const designers = surveys.SURVEY_DESIGNERS;
  const interviewers = collect.INTERVIEWERS;

  // ------------------------------------------------------------ the fill pages, for both channels

  const problemsAsErrors = (
    request: FastifyRequest,
    form: Parameters<typeof problemText>[0],
    problems: collect.SaveOutcome & { kind: 'invalid' },
  ) => {
    const t = translator(request.locale);
    const errors: Record<string, string> = {};
    for (const p of problems.problems)
      errors[p.field] ??= problemText(form, p, request.locale, (code) =>
        t(`surveys.collect.problem.${code}` as MessageKey),
      );
    return errors;
  };

  const renderFill = async (
    request: FastifyRequest,
    reply: FastifyReply,
    response: collect.Response,
    target: FillTarget,
    n: number,
    shown: { answers?: Answers; errors?: Record<string, string>; extra?: Record<string, number> } = {},
    status = 200,
  ) => {
    const form = await collect.formOf(db, response.version_id);
    const pages = pagesOf(form);
    const page = pages[n];
    if (!page) return seeOther(reply, await continueAt(db, target.base, response));
    const answers = shown.answers ?? response.answers;
    const today = regionToday();
    // A page skipped by the answers (typed into the address bar): on to the next one that is asked.
    if (!shown.answers && !isPageShown(form, page, answers, today)) {
      const next = nextPage(form, answers, n, today);
      return seeOther(reply, next === null ? `${target.base}/check` : `${target.base}/p/${next}`);
    }
    const shownPages = pages.filter((p) => isPageShown(form, p, answers, today));
    const number = shownPages.findIndex((p) => p.index === n) + 1 || 1;
    return sendPage(
      reply,
      h(FillPage, {
        ctx: pageContext(request, reply),
        target,
        form,
        page,
        number,
        total: Math.max(shownPages.length, number),
        answers,
        errors: shown.errors ?? {},
        previous: previousPage(form, answers, n, today),
        today,
        extra: shown.extra ?? {},
      }),
      status,
    );
  };

  const postFill = async (
    request: FastifyRequest,
    reply: FastifyReply,
    response: collect.Response,
    target: FillTarget,
    n: number,
    doneUrl: string,
  ) => {
    if (response.status === 'complete') return seeOther(reply, doneUrl);
    const action = field(request.body, '_action') || 'next';
    const body = posted(request);
    const form = await collect.formOf(db, response.version_id);
    const page = pagesOf(form)[n];
    if (!page) return seeOther(reply, await continueAt(db, target.base, response));
    // "Add another" / "remove" re-show the page with the typed answers, saving nothing yet.
    const add = /^add:(.+)$/.exec(action);
    const remove = /^remove:(.+):(\d+)$/.exec(action);
    if (add || remove) {
      const answers = readPage(form, page, body, response.answers);
      if (add) return renderFill(request, reply, response, target, n, { answers, extra: { [add[1]!]: 1 } });
      const [, repeat, index] = remove!;
      const reread = readPage(form, page, withoutInstance(body, repeat!, Number(index)), response.answers);
      return renderFill(request, reply, response, target, n, { answers: reread });
    }
    const outcome = await db.transaction().execute((trx) => collect.savePage(trx, response.id, n, body));
    if (outcome.kind === 'complete') return seeOther(reply, doneUrl);
    if (outcome.kind === 'invalid')
      return renderFill(
        request,
        reply,
        response,
        target,
        n,
        { answers: outcome.answers, errors: problemsAsErrors(request, form, outcome) },
        422,
      );
    return seeOther(
      reply,
      outcome.next === null ? `${target.base}/check` : `${target.base}/p/${outcome.next}`,
    );
  };

  const renderCheck = async (
    request: FastifyRequest,
    reply: FastifyReply,
    response: collect.Response,
    target: FillTarget,
  ) => {
    const form = await collect.formOf(db, response.version_id);
    const today = regionToday();
    return sendPage(
      reply,
      h(CheckAnswersPage, {
        ctx: pageContext(request, reply),
        target,
        sections: summaryOf(form, response.answers, request.locale, today),
        previous: previousPage(form, response.answers, pagesOf(form).length, today),
        errors: {},
      }),
    );
  };

  const postSubmit = async (
    reply: FastifyReply,
    response: collect.Response,
    target: FillTarget,
    doneUrl: string,
  ) => {
    const outcome = await db.transaction().execute((trx) => collect.submit(trx, response.id));
    if (outcome.kind === 'complete') return seeOther(reply, doneUrl);
    return seeOther(reply, `${target.base}/p/${outcome.page}`);
  };

  // ------------------------------------------------------------ the portal: /s/:token

  /** The wave of the URL; a page saying it is closed or not open yet instead, when so. */
  const openWave = async (request: FastifyRequest, reply: FastifyReply) => {
    const wave = await waves.waveByToken(db, params(request).token);
    if (!wave) throw new AppError('not_found', 404, 'Survey not found');
    const state = waves.waveState(wave);
    if (state === 'open') return { wave };
    const ctx = pageContext(request, reply);
    const closed = state === 'closed';
    const date = formatDate(ctx.locale, closed ? wave.closesOn : wave.opensOn);
    const page = h(RefusalPage, {
      ctx,
      title: wave.title,
      heading: ctx.t(closed ? 'surveys.collect.closed.title' : 'surveys.collect.notOpen.title'),
      text: ctx.t(closed ? 'surveys.collect.closed.text' : 'surveys.collect.notOpen.text', { date }),
    });
    sendPage(reply, page, closed ? 410 : 403);
    return { wave: null };
  };

  /** The portal respondent's response: the signed-in resident's (linked waves), else the cookie's. */
  const portalResponse = async (request: FastifyRequest, wave: waves.Wave) =>
    (await collect.responseOfResident(db, wave, request.actor)) ??
    (await collect.responseBySecret(db, wave, request.cookies[cookieName(wave.id)]));

  const setResumeCookie = (reply: FastifyReply, wave: waves.Wave, secret: string) =>
    reply.setCookie(cookieName(wave.id), secret, {
      ...cookieOptions(config),
      path: `/s/${wave.token}`,
      maxAge: COOKIE_DAYS * 24 * 3600,
    });

  const portalTarget = (request: FastifyRequest, wave: waves.Wave): FillTarget => {
    const secret = request.cookies[cookieName(wave.id)];
    const signedIn = wave.mode === 'linked' && request.actor.kind === 'resident';
    return {
      area: 'portal',
      base: `/s/${wave.token}`,
      title: wave.title,
      resumeLink:
        secret && !signedIn
          ? `${waves.waveLink(config.baseUrl, wave.token)}/r/${encodeURIComponent(secret)}`
          : null,
    };
  };

  const publicGet = { config: { access: 'public' as const }, onRequest: publicLimit };

  app.get('/s/:token', { ...publicGet, schema: { params: TOKEN } }, async (request, reply) => {
    const { wave } = await openWave(request, reply);
    if (!wave) return reply;
    const ctx = pageContext(request, reply);
    const response = await portalResponse(request, wave);
    if (response?.status === 'complete') return seeOther(reply, `/s/${wave.token}/done`);
    const form = await collect.formOf(db, wave.versionId);
    const needsIdentity = wave.mode === 'linked' && !response && request.actor.kind !== 'resident';
    return sendPage(
      reply,
      h(StartPage, {
        ctx,
        wave,
        title: wave.title,
        minutes: minutesToAnswer(form),
        questions: questionCount(form),
        continueAt: response ? await continueAt(db, `/s/${wave.token}`, response) : null,
        needsIdentity,
      }),
      needsIdentity ? 403 : 200,
    );
  });

  app.post('/s/:token/start', { ...publicGet, schema: { params: TOKEN } }, async (request, reply) => {
    const { wave } = await openWave(request, reply);
    if (!wave) return reply;
    const base = `/s/${wave.token}`;
    const existing = await portalResponse(request, wave);
    if (existing)
      return seeOther(
        reply,
        existing.status === 'complete' ? `${base}/done` : await continueAt(db, base, existing),
      );
    if (wave.mode === 'linked' && request.actor.kind !== 'resident') {
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(RefusalPage, {
          ctx,
          title: wave.title,
          heading: ctx.t('surveys.collect.linked.title'),
          text: ctx.t('surveys.collect.start.needsIdentity'),
        }),
        403,
      );
    }
    let started: Awaited<ReturnType<typeof collect.startPortal>>;
    try {
      started = await db.transaction().execute((trx) => collect.startPortal(trx, wave, request.actor));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'already_responded')) throw error;
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(RefusalPage, {
          ctx,
          title: wave.title,
          heading: ctx.t('surveys.collect.already.title'),
          text: ctx.t('surveys.collect.fieldwork.already'),
        }),
        409,
      );
    }
    if (started.secret) setResumeCookie(reply, wave, started.secret);
    return seeOther(reply, await continueAt(db, base, started.response));
  });

  // The "continue later" link: puts the secret back in this browser's cookie.
  app.get(
    '/s/:token/r/:secret',
    { config: { access: 'public' }, onRequest: secretLimit, schema: { params: TOKEN_SECRET } },
    async (request, reply) => {
      const { wave } = await openWave(request, reply);
      if (!wave) return reply;
      const { secret } = params(request);
      const response = await collect.responseBySecret(db, wave, secret);
      if (!response) throw new AppError('not_found', 404, 'Response not found');
      setResumeCookie(reply, wave, secret);
      const base = `/s/${wave.token}`;
      return seeOther(
        reply,
        response.status === 'complete' ? `${base}/done` : await continueAt(db, base, response),
      );
    },
  );

  // An invitation's own link (generated by sampling): the invited person's response.
  app.get(
    '/s/:token/i/:secret',
    { config: { access: 'public' }, onRequest: secretLimit, schema: { params: TOKEN_SECRET } },
    async (request, reply) => {
      const wave = await waves.waveByToken(db, params(request).token);
      if (!wave) throw new AppError('not_found', 404, 'Survey not found');
      const base = `/s/${wave.token}`;
      let redeemed: Awaited<ReturnType<typeof collect.redeemInvitation>>;
      try {
        redeemed = await db
          .transaction()
          .execute((trx) => collect.redeemInvitation(trx, wave, params(request).secret));
      } catch (error) {
        // Closed or not open yet: the same page as the wave's link says.
        if (error instanceof AppError && (error.code === 'wave_closed' || error.code === 'wave_not_open')) {
          await openWave(request, reply);
          return reply;
        }
        throw error;
      }
      if (redeemed.secret) setResumeCookie(reply, wave, redeemed.secret);
      const r = redeemed.response;
      if (r.status === 'complete' || !redeemed.secret) {
        // Answered already, or being interviewed by staff right now: not to be answered twice.
        const complete = r.status === 'complete';
        const ctx = pageContext(request, reply);
        return sendPage(
          reply,
          h(RefusalPage, {
            ctx,
            title: wave.title,
            heading: ctx.t('surveys.collect.already.title'),
            text: ctx.t(complete ? 'surveys.collect.already.text' : 'surveys.collect.fieldwork.already'),
          }),
          complete ? 200 : 409,
        );
      }
      return seeOther(reply, await continueAt(db, base, r));
    },
  );

  /** The respondent's unfinished response, or a redirect to the start page / the thanks page. */
  const portalFill = async (request: FastifyRequest, reply: FastifyReply) => {
    const { wave } = await openWave(request, reply);
    if (!wave) return null;
    const response = await portalResponse(request, wave);
    if (!response) {
      seeOther(reply, `/s/${wave.token}`);
      return null;
    }
    return { wave, response, target: portalTarget(request, wave), done: `/s/${wave.token}/done` };
  };

  app.get('/s/:token/p/:n', { ...publicGet, schema: { params: TOKEN_PAGE } }, async (request, reply) => {
    const found = await portalFill(request, reply);
    if (!found) return reply;
    if (found.response.status === 'complete') return seeOther(reply, found.done);
    return renderFill(request, reply, found.response, found.target, params(request).n);
  });

  app.post('/s/:token/p/:n', { ...publicGet, schema: { params: TOKEN_PAGE } }, async (request, reply) => {
    const found = await portalFill(request, reply);
    if (!found) return reply;
    return postFill(request, reply, found.response, found.target, params(request).n, found.done);
  });

  app.get('/s/:token/check', { ...publicGet, schema: { params: TOKEN } }, async (request, reply) => {
    const found = await portalFill(request, reply);
    if (!found) return reply;
    if (found.response.status === 'complete') return seeOther(reply, found.done);
    return renderCheck(request, reply, found.response, found.target);
  });

  app.post('/s/:token/submit', { ...publicGet, schema: { params: TOKEN } }, async (request, reply) => {
    const found = await portalFill(request, reply);
    if (!found) return reply;
    return postSubmit(reply, found.response, found.target, found.done);
  });

  app.get('/s/:token/done', { ...publicGet, schema: { params: TOKEN } }, async (request, reply) => {
    const wave = await waves.waveByToken(db, params(request).token);
    if (!wave) throw new AppError('not_found', 404, 'Survey not found');
    const response = await portalResponse(request, wave);
    if (response?.status !== 'complete') return seeOther(reply, `/s/${wave.token}`);
    return sendPage(
      reply,
      h(DonePage, { ctx: pageContext(request, reply), area: 'portal', title: wave.title }),
    );
  });

  // ------------------------------------------------------------ staff: waves of a questionnaire

  const waveValues = (body: unknown) => ({
    title: field(body, 'title'),
    mode: field(body, 'mode'),
    opensOn: field(body, 'opensOn'),
    closesOn: field(body, 'closesOn'),
    satisfactionQuestion: field(body, 'satisfactionQuestion'),
  });

  const renderNewWave = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: ReturnType<typeof waveValues>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const q = await surveys.questionnaire(db, params(request).id);
    return sendPage(
      reply,
      h(WaveNewPage, {
        ctx: pageContext(request, reply),
        questionnaireId: q.id,
        questionnaireTitle: q.title,
        versionNumber: q.latest.number,
        candidates: waves.satisfactionCandidates(q.latest.form),
        form: q.latest.form,
        values,
        errors,
      }),
      status,
    );
  };

  app.get(
    `${SURVEYS}/:id/waves/new`,
    { config: { access: designers }, schema: { params: ID } },
    async (request, reply) =>
      renderNewWave(
        request,
        reply,
        {
          title: '',
          mode: '',
          opensOn: regionToday(),
          closesOn: '',
          satisfactionQuestion: '',
        },
        {},
      ),
  );

  app.post(
    `${SURVEYS}/:id/waves`,
    { config: { access: designers }, onRequest: staffLimit, schema: { params: ID } },
    async (request, reply) => {
      const values = waveValues(request.body);
      const q = await surveys.questionnaire(db, params(request).id);
      try {
        const id = await db
          .transaction()
          .execute((trx) =>
            waves.createWave(
              trx,
              actorOf(request),
              { versionId: q.latest.id, ...values },
              { ip: request.ip },
            ),
          );
        return seeOther(reply, `${SURVEYS}/waves/${id}`);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const t = translator(request.locale);
        const errors = Object.fromEntries(
          Object.entries(error.fields).map(([k, key]) => [k, t(key as MessageKey)]),
        );
        return renderNewWave(request, reply, values, errors, 422);
      }
    },
  );

  app.get(
    `${SURVEYS}/waves/:id`,
    { config: { access: designers }, schema: { params: ID } },
    async (request, reply) => {
      const wave = await waves.findWave(db, params(request).id);
      const [q, counts] = await Promise.all([
        surveys.questionnaire(db, wave.questionnaireId),
        waves.waveCounts(db, wave.id),
      ]);
      const link = waves.waveLink(config.baseUrl, wave.token);
      return sendPage(
        reply,
        h(WavePage, {
          ctx: pageContext(request, reply),
          wave,
          questionnaireTitle: q.title,
          link,
          qrSvg: await QRCode.toString(link, {
            type: 'svg',
            margin: 2,
            width: 200,
            errorCorrectionLevel: 'M',
          }),
          counts,
          state: waves.waveState(wave),
        }),
      );
    },
  );

  // The printable QR code: vector, so it stays sharp on a poster.
  app.get(
    `${SURVEYS}/waves/:id/qr.svg`,
    { config: { access: designers }, schema: { params: ID } },
    async (request, reply) => {
      const wave = await waves.findWave(db, params(request).id);
      const svg = await QRCode.toString(waves.waveLink(config.baseUrl, wave.token), {
        type: 'svg',
        margin: 4,
        width: 1024,
        errorCorrectionLevel: 'M',
      });
      return reply
        .type('image/svg+xml')
        .header('content-disposition', `attachment; filename="survey-${wave.id}-qr.svg"`)
        .header('cache-control', 'no-store')
        .send(svg);
    },
  );

  // ------------------------------------------------------------ interviewer mode: /staff/fieldwork

  app.get(FIELDWORK, { config: { access: interviewers } }, async (request, reply) => {
    const [open, unfinished] = await Promise.all([
      waves.openWaves(db),
      collect.unfinishedInterviews(db, actorOf(request)),
    ]);
    return sendPage(
      reply,
      h(FieldworkPage, {
        ctx: pageContext(request, reply),
        waves: open,
        unfinished: unfinished.map((r) => ({
          id: r.id,
          title: r.title,
          personId: r.person_id,
          updatedAt: r.updated_at,
        })),
      }),
    );
  });

  const openWaveForStaff = async (request: FastifyRequest, reply: FastifyReply, waveId: number) => {
    const wave = await waves.findWave(db, waveId);
    const state = waves.waveState(wave);
    if (state === 'open') return wave;
    const ctx = pageContext(request, reply);
    const closed = state === 'closed';
    sendPage(
      reply,
      h(RefusalPage, {
        ctx,
        area: 'staff',
        title: wave.title,
        heading: ctx.t(closed ? 'surveys.collect.closed.title' : 'surveys.collect.notOpen.title'),
        text: ctx.t(closed ? 'surveys.collect.closed.text' : 'surveys.collect.notOpen.text', {
          date: formatDate(ctx.locale, closed ? wave.closesOn : wave.opensOn),
        }),
      }),
      closed ? 410 : 403,
    );
    return null;
  };

  app.get(
    `${FIELDWORK}/waves/:id`,
    { config: { access: interviewers }, schema: { params: ID } },
    async (request, reply) => {
      const wave = await openWaveForStaff(request, reply, params(request).id);
      if (!wave) return reply;
      return sendPage(
        reply,
        h(InterviewStartPage, { ctx: pageContext(request, reply), wave, snils: '', errors: {} }),
      );
    },
  );

  app.post(
    `${FIELDWORK}/waves/:id/start`,
    { config: { access: interviewers }, onRequest: staffLimit, schema: { params: ID } },
    async (request, reply) => {
      const wave = await openWaveForStaff(request, reply, params(request).id);
      if (!wave) return reply;
      const t = translator(request.locale);
      const snils = field(request.body, 'snils');
      const refuse = (key: MessageKey, status: number) =>
        sendPage(
          reply,
          h(InterviewStartPage, { ctx: pageContext(request, reply), wave, snils, errors: { snils: t(key) } }),
          status,
        );
      let personId: number | null = null;
      if (wave.mode === 'linked') {
        if (!snils) return refuse('surveys.collect.fieldwork.snilsMissing', 422);
        try {
          personId = (await findPersonIdBySnils(db, snils)) ?? null;
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_snils')
            return refuse('surveys.collect.fieldwork.snilsInvalid', 422);
          throw error;
        }
        if (personId === null) return refuse('surveys.collect.fieldwork.notFound', 404);
      }
      try {
        const response = await db
          .transaction()
          .execute((trx) =>
            collect.startInterview(trx, actorOf(request), wave, personId, { ip: request.ip }),
          );
        return seeOther(reply, await continueAt(db, `${FIELDWORK}/interviews/${response.id}`, response));
      } catch (error) {
        if (error instanceof AppError && error.code === 'already_responded')
          return refuse('surveys.collect.fieldwork.already', 409);
        throw error;
      }
    },
  );

  const interview = async (request: FastifyRequest) => {
    const response = await collect.interviewOf(db, actorOf(request), params(request).id);
    const wave = await waves.findWave(db, response.wave_id);
    const t = translator(request.locale);
    const base = `${FIELDWORK}/interviews/${response.id}`;
    const target: FillTarget = {
      area: 'staff',
      base,
      title: wave.title,
      respondent:
        response.person_id === null
          ? t('surveys.collect.fieldwork.anonymous')
          : t('surveys.collect.fieldwork.respondent', { id: response.person_id }),
    };
    return { response, wave, target, done: `${base}/done` };
  };

  app.get(
    `${FIELDWORK}/interviews/:id`,
    { config: { access: interviewers }, schema: { params: ID } },
    async (request, reply) => {
      const { response, target, done } = await interview(request);
      return seeOther(
        reply,
        response.status === 'complete' ? done : await continueAt(db, target.base, response),
      );
    },
  );

  app.get(
    `${FIELDWORK}/interviews/:id/p/:n`,
    { config: { access: interviewers }, schema: { params: ID_PAGE } },
    async (request, reply) => {
      const { response, target, done } = await interview(request);
      if (response.status === 'complete') return seeOther(reply, done);
      return renderFill(request, reply, response, target, params(request).n);
    },
  );

  app.post(
    `${FIELDWORK}/interviews/:id/p/:n`,
    { config: { access: interviewers }, onRequest: staffLimit, schema: { params: ID_PAGE } },
    async (request, reply) => {
      const { response, target, done } = await interview(request);
      return postFill(request, reply, response, target, params(request).n, done);
    },
  );

  app.get(
    `${FIELDWORK}/interviews/:id/check`,
    { config: { access: interviewers }, schema: { params: ID } },
    async (request, reply) => {
      const { response, target, done } = await interview(request);
      if (response.status === 'complete') return seeOther(reply, done);
      return renderCheck(request, reply, response, target);
    },
  );

  app.post(
    `${FIELDWORK}/interviews/:id/submit`,
    { config: { access: interviewers }, onRequest: staffLimit, schema: { params: ID } },
    async (request, reply) => {
      const { response, target, done } = await interview(request);
      return postSubmit(reply, response, target, done);
    },
  );

  app.get(
    `${FIELDWORK}/interviews/:id/done`,
    { config: { access: interviewers }, schema: { params: ID } },
    async (request, reply) => {
      const { response, wave, target } = await interview(request);
      if (response.status !== 'complete') return seeOther(reply, await continueAt(db, target.base, response));
      return sendPage(
        reply,
        h(DonePage, { ctx: pageContext(request, reply), area: 'staff', title: wave.title, back: FIELDWORK }),
      );
    },
  );
};
