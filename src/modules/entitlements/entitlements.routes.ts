// "What am I entitled to": a signed-in resident's check on registry facts, an anonymous questionnaire
// (answers kept in a signed cookie, so no server session and no JavaScript are needed), and the same
// results for a resident at the counter, read through the audited, district-scoped registry read.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import { cookieOptions, type RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { categoryTitles } from '../catalog/catalog.service.ts';
import { listDistricts } from '../geography/geography.service.ts';
import * as registry from '../registry/registry.service.ts';
import { PERSON_READERS } from '../staff/staff.routes.ts';
import {
  CheckAnswersPage,
  CounterIntro,
  QuestionPage,
  ResultsPage,
  resultsLead,
  StartPage,
} from './entitlements.pages.tsx';
import {
  type Answers,
  answerStep,
  answersFromJson,
  entitlementsFor,
  entitlementsForPerson,
  factsFromAnswers,
  firstUnanswered,
  isStep,
  STEPS,
  today,
} from './entitlements.service.ts';

const ANSWERS_COOKIE = 'opora_check';
const STEP_PARAMS = {
  type: 'object',
  properties: { step: { type: 'string', pattern: '^[a-z]{1,20}$' } },
} as const;
const ID_PARAMS = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const entitlementRoutes: RouteModule = (app, { db, config }) => {
  // Scoped to the questionnaire, kept for the browser session at most two hours.
  const answersCookie = { ...cookieOptions(config), path: '/entitlements', signed: true, maxAge: 2 * 3600 };
  const checkLimit = rateLimit(db, { name: 'entitlements-check', max: 300, windowSeconds: 600 });

  const readAnswers = (request: FastifyRequest): Answers => {
    const signed = request.cookies[ANSWERS_COOKIE];
    const unsigned = signed ? request.unsignCookie(signed) : undefined;
    return unsigned?.valid ? answersFromJson(unsigned.value ?? undefined) : {};
  };

  const reference = async () => {
    const [districts, titles] = await Promise.all([listDistricts(db), categoryTitles(db)]);
    return { districts, categoryTitles: titles };
  };

  /** Back to the first unanswered question, or on to check-your-answers when none is left. */
  const onward = (reply: FastifyReply, answers: Answers) =>
    seeOther(reply, `/entitlements/check/${firstUnanswered(answers) ?? 'answers'}`);

  app.get('/entitlements', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    if (request.actor.kind !== 'resident') return sendPage(reply, h(StartPage, { ctx }));
    const results = await entitlementsForPerson(db, request.actor.personId);
    const lead = resultsLead(ctx, results, false);
    return sendPage(
      reply,
      h(ResultsPage, { ctx, area: 'portal', title: ctx.t('entitlements.title'), lead, results }),
    );
  });

  app.get('/entitlements/check/answers', { config: { access: 'public' } }, async (request, reply) => {
    const answers = readAnswers(request);
    if (firstUnanswered(answers)) return onward(reply, answers);
    const page = h(CheckAnswersPage, {
      ctx: pageContext(request, reply),
      answers: answers as Required<Answers>,
      ...(await reference()),
    });
    return sendPage(reply, page);
  });

  app.get(
    '/entitlements/check/results',
    { config: { access: 'public' }, onRequest: checkLimit },
    async (request, reply) => {
      const answers = readAnswers(request);
      if (firstUnanswered(answers)) return onward(reply, answers);
      const asOf = today();
      const results = await entitlementsFor(db, factsFromAnswers(answers as Required<Answers>), asOf);
      const ctx = pageContext(request, reply);
      const page = h(ResultsPage, {
        ctx,
        area: 'portal',
        title: ctx.t('entitlements.title'),
        lead: resultsLead(ctx, results, true),
        results,
        back: { href: '/entitlements/check/answers', text: ctx.t('entitlements.changeAnswers') },
      });
      return sendPage(reply, page);
    },
  );

  app.get(
    '/entitlements/check/:step',
    { config: { access: 'public' }, schema: { params: STEP_PARAMS } },
    async (request, reply) => {
      const { step } = request.params as { step: string };
      if (!isStep(step)) throw notFound('Page');
      const answers = readAnswers(request);
      // Questions are answered in order: a later one opened early sends the visitor back.
      const missing = firstUnanswered(answers);
      if (missing && STEPS.indexOf(missing) < STEPS.indexOf(step)) return onward(reply, answers);
      const fromSummary = (request.query as { change?: string }).change === '1';
      const page = h(QuestionPage, {
        ctx: pageContext(request, reply),
        step,
        answers,
        fromSummary,
        ...(await reference()),
      });
      return sendPage(reply, page);
    },
  );

  app.post(
    '/entitlements/check/:step',
    { config: { access: 'public' }, schema: { params: STEP_PARAMS }, onRequest: checkLimit },
    async (request, reply) => {
      const { step } = request.params as { step: string };
      if (!isStep(step)) throw notFound('Page');
      const answers = readAnswers(request);
      const ref = await reference();
      const outcome = answerStep(
        step,
        request.body,
        answers,
        ref.districts.map((d) => d.code),
      );
      const fromSummary = field(request.body, 'return') === 'answers';
      if ('error' in outcome) {
        const ctx = pageContext(request, reply);
        const props = {
          ctx,
          step,
          answers,
          fromSummary,
          value: outcome.value,
          error: ctx.t(outcome.error),
          ...ref,
        };
        return sendPage(reply, h(QuestionPage, props), 422);
      }
      reply.setCookie(ANSWERS_COOKIE, JSON.stringify(outcome.answers), answersCookie);
      // A change made from the summary goes back to it (unless it made another answer stale).
      if (fromSummary) return onward(reply, outcome.answers);
      const next = STEPS[STEPS.indexOf(step) + 1];
      return seeOther(reply, `/entitlements/check/${next ?? 'answers'}`);
    },
  );

  app.get(
    '/staff/persons/:id/entitlements',
    { config: { access: PERSON_READERS }, schema: { params: ID_PARAMS } },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const actor = request.actor as StaffActor;
      // The audited read decides scope; the facts are read in the same transaction after it.
      const outcome = await db.transaction().execute(async (trx) => {
        const read = await registry.personForStaff(trx, actor, id, request.ip);
        if (read.denied) return read;
        return { ...read, results: await entitlementsForPerson(trx, id) };
      });
      if (outcome.denied) throw forbidden();
      const ctx = pageContext(request, reply);
      const page = h(
        ResultsPage,
        {
          ctx,
          area: 'staff',
          title: ctx.t('entitlements.counter.title'),
          lead: resultsLead(ctx, outcome.results, false),
          results: outcome.results,
          back: { href: `/staff/persons/${id}`, text: ctx.t('entitlements.counter.back') },
        },
        h(CounterIntro, { ctx, person: outcome.person }),
      );
      return sendPage(reply, page);
    },
  );
};
