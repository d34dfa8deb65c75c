// Staff routes of proactive work. Each reads: rate limit → access → CSRF → validate → transaction →
// handler. Multi-page flows (emergency measure, mass extension) carry their answers so far in one
// `state` value (query string and hidden field), so no page needs a server-side draft.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { formatDate, formatMoney, formatNumber, type MessageKey, pick } from '../../platform/i18n/i18n.ts';
import type { PageContext } from '../../platform/ui/context.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import * as emergency from './emergency.service.ts';
import {
  CheckAnswersPage,
  ConfirmPage,
  DeclinePage,
  EmergencyIndexPage,
  EmergencyPage,
  ExtensionsPage,
  ProposalPage,
  ProposalsPage,
  type Question,
  QuestionPage,
  SweepPage,
  SweepsPage,
  sweepDisplay,
} from './proactive.pages.tsx';
import * as proposals from './proactive.service.ts';
import * as sweeps from './sweep.service.ts';

const SWEEPERS: readonly StaffRole[] = ['ministry_analyst', 'administrator'];
const DECIDERS: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];
const ANALYSTS: readonly StaffRole[] = ['ministry_analyst'];

type Limiter = ReturnType<typeof rateLimit>;

const ID = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const today = () => new Date().toISOString().slice(0, 10);
const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const query = (request: FastifyRequest, name: string) => {
  const v = (request.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

// ---------------------------------------------------------------- flow state

export type State = Record<string, string | string[]>;

export function encodeState(state: State): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** Anything malformed reads as an empty state: every answer is validated again before use. */
export function decodeState(raw: string): State {
  try {
    const parsed = JSON.parse(Buffer.from(raw.slice(0, 20_000), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
      ),
    ) as State;
  } catch {
    return {};
  }
}

/** A form field that may repeat (checkboxes): always a list of trimmed strings. */
export function fieldList(body: unknown, name: string): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean);
}

const asText = (state: State) =>
  Object.fromEntries(Object.entries(state).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));

// ---------------------------------------------------------------- one question per page

/**
 * A multi-page flow: `${base}/<step>` asks one question, `${base}/check` shows the answers with links
 * to change each, and posting the check page does the thing. Answers so far travel in `state`.
 */
interface Flow {
  base: string;
  /** Where "Back" on the first question goes. */
  exit: string;
  steps: readonly string[];
  question(ctx: PageContext, step: string, answers: State): Promise<Question>;
  /** The answers with this step's fields read from the form. */
  read(step: string, body: unknown, state: State): State;
  problems(step: string, answers: State): Promise<Record<string, MessageKey>>;
  /** The first step whose answer is missing or wrong, or undefined when all are fine. */
  missing(state: State): Promise<string | undefined>;
  check(ctx: PageContext, state: State): Promise<CheckAnswers>;
  /** Does the thing; returns where to go, or the step to show again with its errors. */
  submit(
    request: FastifyRequest,
    state: State,
  ): Promise<string | { step: string; errors: Record<string, MessageKey>; status: number }>;
}
type CheckAnswers = { heading: string; submit: string; warning?: string; rows: CheckAnswerRow[] };
type CheckAnswerRow = { key: string; value: string; step: string };

function flowRoutes(app: FastifyInstance, access: readonly StaffRole[], limit: Limiter, flow: Flow): void {
  const at = (step: string, state: State, extra = '') =>
    `${flow.base}/${step}?state=${encodeState(state)}${extra}`;
  const ask = async (
    request: FastifyRequest,
    reply: FastifyReply,
    step: string,
    answers: State,
    { errors = {}, status = 200, fromCheck = query(request, 'from') === 'check' } = {} as {
      errors?: Record<string, MessageKey>;
      status?: number;
      fromCheck?: boolean;
    },
  ) => {
    const ctx = pageContext(request, reply);
    const i = flow.steps.indexOf(step);
    // A step re-shown with errors keeps the state it came with; the typed answers show in the fields.
    const state = decodeState(query(request, 'state') || field(request.body, 'state'));
    const page = h(QuestionPage, {
      ctx,
      question: await flow.question(ctx, step, answers),
      action: `${flow.base}/${step}${fromCheck ? '?from=check' : ''}`,
      back: fromCheck ? at('check', state) : i <= 0 ? flow.exit : at(flow.steps[i - 1]!, state),
      state: encodeState(state),
      values: answers,
      errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, ctx.t(v)])),
    });
    return sendPage(reply, page, status);
  };

  app.get(`${flow.base}/:step`, { config: { access } }, async (request, reply) => {
    const step = (request.params as { step: string }).step;
    const state = decodeState(query(request, 'state'));
    if (step !== 'check') {
      if (!flow.steps.includes(step)) return seeOther(reply, `${flow.base}/${flow.steps[0]}`);
      return await ask(request, reply, step, state);
    }
    const missing = await flow.missing(state);
    if (missing) return seeOther(reply, at(missing, state));
    const ctx = pageContext(request, reply);
    const page = await flow.check(ctx, state);
    return sendPage(
      reply,
      h(CheckAnswersPage, {
        ctx,
        ...page,
        rows: page.rows.map((r) => ({
          key: r.key,
          value: r.value,
          change: at(r.step, state, '&from=check'),
        })),
        back: at(flow.steps.at(-1)!, state),
        action: `${flow.base}/check`,
        state: encodeState(state),
      }),
    );
  });

  app.post(`${flow.base}/:step`, { config: { access }, onRequest: limit }, async (request, reply) => {
    const step = (request.params as { step: string }).step;
    const state = decodeState(field(request.body, 'state'));
    if (step === 'check') {
      const missing = await flow.missing(state);
      if (missing) return seeOther(reply, at(missing, state));
      const outcome = await flow.submit(request, state);
      if (typeof outcome === 'string') return seeOther(reply, outcome);
      return await ask(request, reply, outcome.step, state, { ...outcome, fromCheck: true });
    }
    if (!flow.steps.includes(step)) return seeOther(reply, `${flow.base}/${flow.steps[0]}`);
    const answers = flow.read(step, request.body, state);
    const errors = await flow.problems(step, answers);
    if (Object.keys(errors).length > 0)
      return await ask(request, reply, step, answers, { errors, status: 422 });
    const next = flow.steps[flow.steps.indexOf(step) + 1];
    const target = query(request, 'from') === 'check' || !next ? 'check' : next;
    return seeOther(reply, at(target, answers));
  });
}

export const proactiveRoutes: RouteModule = (app, deps) => {
  const { db } = deps;
  const dryRunLimit = rateLimit(db, { name: 'emergency-dry-run', max: 20, windowSeconds: 600 });
  const writeLimit = rateLimit(db, { name: 'proactive-write', max: 120, windowSeconds: 60 });

  // ------------------------------------------------------------ sweeps

  const renderSweeps = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values = { measure: query(request, 'measure'), as_of: today(), auto_assign: false },
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const [measures, recent] = await Promise.all([sweeps.sweepableMeasures(db), sweeps.recentSweeps(db)]);
    const ctx = pageContext(request, reply);
    return sendPage(reply, h(SweepsPage, { ctx, measures, sweeps: recent, values, errors }), status);
  };

  app.get('/staff/sweeps', { config: { access: SWEEPERS } }, (request, reply) =>
    renderSweeps(request, reply),
  );

  app.post(
    '/staff/sweeps',
    { config: { access: SWEEPERS }, onRequest: writeLimit },
    async (request, reply) => {
      const values = {
        measure: field(request.body, 'measure'),
        as_of: field(request.body, 'as_of'),
        auto_assign: fieldList(request.body, 'auto_assign').includes('yes'),
      };
      const measures = await sweeps.sweepableMeasures(db);
      const measure = measures.find((m) => m.code === values.measure);
      const errors: Record<string, MessageKey> = {};
      if (!measure) errors.measure = 'proactive.sweeps.measureMissing';
      if (!DATE.test(values.as_of) || Number.isNaN(Date.parse(values.as_of)))
        errors.as_of = 'proactive.sweeps.asOfInvalid';
      if (measure && values.auto_assign && !measure.autoAssignable)
        errors.auto_assign = 'proactive.sweeps.notAutoAssignable';
      if (Object.keys(errors).length > 0) {
        const t = pageContext(request, reply).t;
        const shown = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));
        return renderSweeps(request, reply, values, shown, 422);
      }
      const sweepId = await db.transaction().execute((trx) =>
        sweeps.startSweep(trx, {
          measureCode: values.measure,
          asOf: values.as_of,
          autoAssign: values.auto_assign,
          actorId: actorOf(request).userId,
          ip: request.ip,
        }),
      );
      return seeOther(reply, `/staff/sweeps/${sweepId}`);
    },
  );

  app.get(
    '/staff/sweeps/:id',
    { config: { access: SWEEPERS }, schema: { params: ID } },
    async (request, reply) => {
      const { sweep, accepted } = await sweeps.sweepWithMeasure(db, idOf(request));
      return sendPage(reply, h(SweepPage, { ctx: pageContext(request, reply), sweep, accepted }));
    },
  );

  app.get(
    '/staff/sweeps/:id/progress.json',
    { config: { access: SWEEPERS }, schema: { params: ID } },
    async (request, reply) => {
      const { sweep, accepted } = await sweeps.sweepWithMeasure(db, idOf(request));
      reply.header('cache-control', 'no-store');
      return {
        status: sweep.status,
        total: sweep.total,
        processed: sweep.processed,
        eligible: sweep.eligible,
        proposalsCreated: sweep.proposals_created,
        accepted,
        error: sweep.error,
        display: sweepDisplay(pageContext(request, reply), sweep, accepted),
      };
    },
  );

  // ------------------------------------------------------------ proposals

  app.get('/staff/proposals', { config: { access: DECIDERS } }, async (request, reply) => {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(query(request, 'page'), 10) || 1));
    const list = await db
      .transaction()
      .execute((trx) => proposals.listProposals(trx, actorOf(request), request.ip, page));
    return sendPage(reply, h(ProposalsPage, { ctx: pageContext(request, reply), ...list }));
  });

  app.get(
    '/staff/proposals/:id',
    { config: { access: DECIDERS }, schema: { params: ID } },
    async (request, reply) => {
      const proposal = await db
        .transaction()
        .execute((trx) => proposals.proposalForStaff(trx, actorOf(request), idOf(request), request.ip));
      return sendPage(reply, h(ProposalPage, { ctx: pageContext(request, reply), proposal }));
    },
  );

  app.post(
    '/staff/proposals/:id/accept',
    { config: { access: DECIDERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      await db
        .transaction()
        .execute((trx) => proposals.acceptProposal(trx, actorOf(request), idOf(request), request.ip));
      return seeOther(reply, '/staff/proposals');
    },
  );

  app.get(
    '/staff/proposals/:id/decline',
    { config: { access: DECIDERS }, schema: { params: ID } },
    async (request, reply) => {
      const ctx = pageContext(request, reply);
      return sendPage(reply, h(DeclinePage, { ctx, id: idOf(request), reason: '', errors: {} }));
    },
  );

  app.post(
    '/staff/proposals/:id/decline',
    { config: { access: DECIDERS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const reason = field(request.body, 'reason');
      if (!reason || reason.length > 500) {
        const ctx = pageContext(request, reply);
        const errors = { reason: ctx.t('proactive.decline.reasonMissing') };
        return sendPage(reply, h(DeclinePage, { ctx, id: idOf(request), reason, errors }), 422);
      }
      await db
        .transaction()
        .execute((trx) =>
          proposals.declineProposal(trx, actorOf(request), idOf(request), reason, request.ip),
        );
      return seeOther(reply, '/staff/proposals');
    },
  );

  // ------------------------------------------------------------ emergency measure

  app.get('/staff/emergency', { config: { access: ANALYSTS } }, async (request, reply) => {
    const pending = await emergency.emergencyVersions(db);
    return sendPage(reply, h(EmergencyIndexPage, { ctx: pageContext(request, reply), pending }));
  });

  flowRoutes(app, ANALYSTS, writeLimit, {
    base: '/staff/emergency/new',
    exit: '/staff/emergency',
    steps: emergency.STEP_ORDER,
    question: async (ctx, step, answers) => emergencyQuestion(ctx.t, step as emergency.Step, answers),
    read: (step, body, state) => {
      const answers: State = { ...state };
      for (const name of emergency.STEPS[step as emergency.Step]) answers[name] = field(body, name);
      // A changed template changes what the threshold means: ask it again.
      if (step === 'template' && state.template && state.template !== answers.template)
        delete answers.threshold;
      return answers;
    },
    problems: async (step, answers) => {
      const template = answers.template as emergency.TemplateCode | undefined;
      const errors: Record<string, MessageKey> = {};
      for (const name of emergency.STEPS[step as emergency.Step]) {
        const problem = emergency.answerProblem(name, String(answers[name] ?? ''), template);
        if (problem) errors[name] = problem;
      }
      return errors;
    },
    missing: async (state) => {
      const done = emergency.completeAnswers(asText(state));
      return 'missing' in done ? done.missing : undefined;
    },
    check: async ({ t, locale }, state) => {
      const a = (emergency.completeAnswers(asText(state)) as { answers: emergency.EmergencyAnswers }).answers;
      const kind = emergency.templateOf(a.template).threshold.kind;
      return {
        heading: t('proactive.emergency.checkHeading'),
        submit: t('proactive.emergency.create'),
        warning: t('proactive.emergency.createWarning'),
        rows: [
          {
            key: t('proactive.emergency.template'),
            value: t(`proactive.emergency.template.${a.template}`),
            step: 'template',
          },
          { key: t('proactive.emergency.titleRu'), value: a.title_ru, step: 'title' },
          { key: t('proactive.emergency.titleEn'), value: a.title_en, step: 'title' },
          { key: t('proactive.emergency.codeLabel'), value: a.code, step: 'code' },
          { key: t('proactive.emergency.amountLabel'), value: formatMoney(locale, a.amount), step: 'amount' },
          {
            key: t(`proactive.emergency.threshold.${kind}`),
            value: kind === 'income' ? formatMoney(locale, a.threshold) : formatNumber(locale, a.threshold),
            step: 'threshold',
          },
          {
            key: t('proactive.emergency.dateLabel'),
            value: formatDate(locale, a.effective_from),
            step: 'date',
          },
          { key: t('proactive.emergency.legalRu'), value: a.legal_basis_ru, step: 'legal' },
          { key: t('proactive.emergency.legalEn'), value: a.legal_basis_en, step: 'legal' },
        ],
      };
    },
    submit: async (request, state) => {
      const a = (emergency.completeAnswers(asText(state)) as { answers: emergency.EmergencyAnswers }).answers;
      try {
        const versionId = await db
          .transaction()
          .execute((trx) => emergency.createEmergencyMeasure(trx, a, actorOf(request).userId, request.ip));
        return `/staff/emergency/${versionId}`;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'measure_code_taken')) throw error;
        return { step: 'code', errors: { code: 'proactive.emergency.codeTaken' }, status: 409 };
      }
    },
  });

  const renderEmergency = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { asOf?: string; dryRun?: emergency.DryRunResult; errors?: Record<string, string> } = {},
    status = 200,
  ) => {
    const { version, measure } = await emergency.emergencyVersion(db, idOf(request));
    const ctx = pageContext(request, reply);
    const actor = actorOf(request);
    const page = h(EmergencyPage, {
      ctx,
      version,
      measure,
      // The later of today and the date the rule comes into force (ISO dates sort as text).
      asOf: options.asOf ?? [version.effective_from, today()].sort()[1]!,
      dryRun: options.dryRun,
      errors: options.errors ?? {},
      ownProposal: version.proposed_by === actor.userId,
    });
    return sendPage(reply, page, status);
  };

  app.get(
    '/staff/emergency/:id',
    { config: { access: ANALYSTS }, schema: { params: ID } },
    (request, reply) => renderEmergency(request, reply),
  );

  // A dry run changes nothing, so it is a GET form; it reads the whole registry, so it is rate limited.
  app.get(
    '/staff/emergency/:id/dry-run',
    { config: { access: ANALYSTS }, schema: { params: ID }, onRequest: dryRunLimit },
    async (request, reply) => {
      const asOf = query(request, 'as_of');
      if (!DATE.test(asOf) || Number.isNaN(Date.parse(asOf))) {
        const t = pageContext(request, reply).t;
        return renderEmergency(
          request,
          reply,
          { asOf, errors: { as_of: t('proactive.sweeps.asOfInvalid') } },
          422,
        );
      }
      const dryRun = await emergency.dryRun(db, idOf(request), asOf);
      return renderEmergency(request, reply, { asOf, dryRun });
    },
  );

  app.post(
    '/staff/emergency/:id/propose',
    { config: { access: ANALYSTS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      await emergency.proposeEmergency(db, idOf(request), actorOf(request).userId);
      return seeOther(reply, `/staff/emergency/${idOf(request)}`);
    },
  );

  app.post(
    '/staff/emergency/:id/approve',
    { config: { access: ANALYSTS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      try {
        await emergency.approveEmergency(db, idOf(request), actorOf(request).userId);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'four_eyes')) throw error;
        const t = pageContext(request, reply).t;
        return renderEmergency(
          request,
          reply,
          { errors: { approve: t('proactive.emergency.fourEyes') } },
          403,
        );
      }
      return seeOther(reply, `/staff/emergency/${idOf(request)}`);
    },
  );

  // ------------------------------------------------------------ mass extensions

  app.get('/staff/extensions', { config: { access: ANALYSTS } }, async (request, reply) => {
    const past = await proposals.pastExtensions(db);
    return sendPage(reply, h(ExtensionsPage, { ctx: pageContext(request, reply), past }));
  });

  const extendable = async () => (await proposals.extendableMeasures(db)).map((m) => m.code);
  flowRoutes(app, ANALYSTS, writeLimit, {
    base: '/staff/extensions/new',
    exit: '/staff/extensions',
    steps: proposals.EXTENSION_STEPS,
    question: async (ctx, step) => {
      const measures = (await proposals.extendableMeasures(db)).map((m) => ({
        value: m.code,
        label: `${pick(ctx.locale, m.title_ru, m.title_en)} (${m.code})`,
      }));
      return extensionQuestion(ctx.t, step as proposals.ExtensionStep, measures);
    },
    read: (step, body, state) => ({
      ...state,
      [step]: step === 'measures' ? fieldList(body, step) : field(body, step),
    }),
    problems: async (step, answers) => {
      const problem = proposals.extensionProblem(
        step as proposals.ExtensionStep,
        answers,
        await extendable(),
      );
      return problem ? { [problem.field]: problem.message } : {};
    },
    missing: async (state) => {
      const done = proposals.completeExtension(state, await extendable());
      return 'missing' in done ? done.missing : undefined;
    },
    check: async ({ t, locale }, state) => {
      const measures = await proposals.extendableMeasures(db);
      const a = (
        proposals.completeExtension(state, await extendable()) as { value: proposals.ExtensionAnswers }
      ).value;
      const titles = a.measureCodes.map((c) => {
        const m = measures.find((x) => x.code === c);
        return m ? pick(locale, m.title_ru, m.title_en) : c;
      });
      return {
        heading: t('proactive.extensions.checkHeading'),
        submit: t('proactive.extensions.run'),
        rows: [
          { key: t('proactive.extensions.measures'), value: titles.join('; '), step: 'measures' },
          { key: t('proactive.extensions.months'), value: String(a.months), step: 'months' },
          { key: t('proactive.extensions.reason'), value: a.reason, step: 'reason' },
        ],
      };
    },
    submit: async (request, state) => {
      const a = (
        proposals.completeExtension(state, await extendable()) as { value: proposals.ExtensionAnswers }
      ).value;
      await proposals.runExtension(db, a, actorOf(request).userId, today());
      return '/staff/extensions';
    },
  });

  app.get(
    '/staff/extensions/:id/revert',
    { config: { access: ANALYSTS }, schema: { params: ID } },
    async (request, reply) => {
      const found = (await proposals.pastExtensions(db)).find((x) => x.id === idOf(request));
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        h(ConfirmPage, {
          ctx,
          heading: ctx.t('proactive.extensions.revertHeading'),
          text: ctx.t('proactive.extensions.revertText', { count: found?.affected ?? 0 }),
          action: found && !found.reverted_at ? `/staff/extensions/${idOf(request)}/revert` : undefined,
          submit: ctx.t('proactive.extensions.revert'),
          back: '/staff/extensions',
        }),
      );
    },
  );

  app.post(
    '/staff/extensions/:id/revert',
    { config: { access: ANALYSTS }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      await proposals.revertExtension(db, idOf(request), actorOf(request).userId);
      return seeOther(reply, '/staff/extensions');
    },
  );
};

type T = (k: MessageKey, p?: Record<string, string | number>) => string;

function extensionQuestion(
  t: T,
  step: proposals.ExtensionStep,
  measures: { value: string; label: string }[],
): Question {
  const caption = t('proactive.extensions.caption');
  switch (step) {
    case 'measures':
      return {
        caption,
        heading: t('proactive.extensions.measuresHeading'),
        fields: [
          {
            kind: 'checkbox',
            name: 'measures',
            label: t('proactive.extensions.measuresHeading'),
            choices: measures,
          },
        ],
      };
    case 'months':
      return {
        caption,
        heading: t('proactive.extensions.monthsHeading'),
        fields: [
          {
            kind: 'text',
            name: 'months',
            label: t('proactive.extensions.monthsLabel'),
            hint: t('proactive.extensions.monthsHint'),
            width: 'short',
            inputMode: 'numeric',
          },
        ],
      };
    case 'reason':
      return {
        caption,
        heading: t('proactive.extensions.reasonHeading'),
        fields: [
          {
            kind: 'textarea',
            name: 'reason',
            label: t('proactive.extensions.reasonLabel'),
            hint: t('proactive.extensions.reasonHint'),
          },
        ],
      };
  }
}

/** The emergency flow's questions, worded for the chosen template where it matters. */
function emergencyQuestion(t: T, step: emergency.Step, state: State): Question {
  const caption = t('proactive.emergency.caption');
  switch (step) {
    case 'template':
      return {
        caption,
        heading: t('proactive.emergency.templateHeading'),
        fields: [
          {
            kind: 'radio',
            name: 'template',
            label: t('proactive.emergency.templateHeading'),
            choices: emergency.TEMPLATES.map((c) => ({
              value: c,
              label: t(`proactive.emergency.template.${c}`),
              hint: t(`proactive.emergency.template.${c}Hint`),
            })),
          },
        ],
      };
    case 'title':
      return {
        caption,
        heading: t('proactive.emergency.titleHeading'),
        fields: [
          { kind: 'text', name: 'title_ru', label: t('proactive.emergency.titleRu') },
          { kind: 'text', name: 'title_en', label: t('proactive.emergency.titleEn') },
        ],
      };
    case 'code':
      return {
        caption,
        heading: t('proactive.emergency.codeHeading'),
        fields: [
          {
            kind: 'text',
            name: 'code',
            label: t('proactive.emergency.codeLabel'),
            hint: t('proactive.emergency.codeHint'),
            width: 'half',
          },
        ],
      };
    case 'amount':
      return {
        caption,
        heading: t('proactive.emergency.amountHeading'),
        fields: [
          {
            kind: 'text',
            name: 'amount',
            label: t('proactive.emergency.amountLabel'),
            hint: t('proactive.emergency.amountHint'),
            width: 'short',
            inputMode: 'numeric',
          },
        ],
      };
    case 'threshold': {
      const template = emergency.TEMPLATES.find((c) => c === state.template) ?? 'children';
      const bounds = emergency.templateOf(template).threshold;
      return {
        caption,
        heading: t('proactive.emergency.thresholdHeading'),
        fields: [
          {
            kind: 'text',
            name: 'threshold',
            label: t(`proactive.emergency.threshold.${bounds.kind}`),
            hint: t(`proactive.emergency.threshold.${bounds.kind}Hint`, { min: bounds.min, max: bounds.max }),
            width: 'short',
            inputMode: 'numeric',
          },
        ],
      };
    }
    case 'date':
      return {
        caption,
        heading: t('proactive.emergency.dateHeading'),
        fields: [
          {
            kind: 'text',
            type: 'date',
            name: 'effective_from',
            label: t('proactive.emergency.dateLabel'),
            hint: t('proactive.emergency.dateHint'),
            width: 'half',
          },
        ],
      };
    case 'legal':
      return {
        caption,
        heading: t('proactive.emergency.legalHeading'),
        fields: [
          { kind: 'textarea', name: 'legal_basis_ru', label: t('proactive.emergency.legalRu') },
          { kind: 'textarea', name: 'legal_basis_en', label: t('proactive.emergency.legalEn') },
        ],
      };
  }
}
