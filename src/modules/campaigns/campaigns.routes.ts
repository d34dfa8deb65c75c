// Staff routes of informing campaigns. Each reads: rate limit → access → CSRF → validation →
// transaction → page. The flow (group → message → schedule → check) carries its answers in one
// `state` value (query string and hidden field), so nothing is saved until the analyst schedules;
// scheduling saves, freezes the group and enqueues the launch in one transaction.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { type StaffActor, scopeOf } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import {
  formatDate,
  type Locale,
  type MessageKey,
  pick,
  type Translate,
  translate,
} from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import {
  CampaignPage,
  CheckPage,
  type CheckRow,
  type Counted,
  type Draft,
  GroupPage,
  ListPage,
  MessagePage,
  type Preview,
  SchedulePage,
} from './campaigns.pages.tsx';
import type { CampaignFilter } from './campaigns.schema.ts';
import * as svc from './campaigns.service.ts';

const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const GROUP_FIELDS = ['districts', 'age_min', 'age_max', 'categories', 'measure', 'relation'] as const;
const LIST_FIELDS = new Set(['districts', 'categories']);
const MESSAGE_FIELDS = ['title', 'subject_ru', 'body_ru', 'subject_en', 'body_en'] as const;
const SCHEDULE_FIELDS = ['when', 'date', 'time'] as const;
const GROUP_ERRORS = new Set<string>([...GROUP_FIELDS, 'group']);
const SCHEDULE_ERRORS = new Set<string>(SCHEDULE_FIELDS);

const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

// ---------------------------------------------------------------- flow state

export function encodeState(state: Draft): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** Anything malformed reads as an empty state: every answer is validated again before use. */
export function decodeState(raw: string): Draft {
  try {
    const parsed = JSON.parse(Buffer.from(raw.slice(0, 30_000), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
      ),
    ) as Draft;
  } catch {
    return {};
  }
}

/** A field that may repeat (checkboxes): always a list of trimmed, non-empty strings. */
function list(source: unknown, name: string): string[] {
  const raw = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return all
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean)
    .slice(0, 100);
}

/** The draft with some fields read afresh from a form (query or body). */
function withFields(draft: Draft, source: unknown, names: readonly string[]): Draft {
  const next: Draft = { ...draft };
  for (const name of names) next[name] = LIST_FIELDS.has(name) ? list(source, name) : field(source, name);
  return next;
}

const str = (d: Draft, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
const strs = (d: Draft, k: string) => {
  const v = d[k];
  return Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : [];
};

const filterInput = (d: Draft): svc.FilterInput => ({
  districts: strs(d, 'districts'),
  ageMin: str(d, 'age_min'),
  ageMax: str(d, 'age_max'),
  categories: strs(d, 'categories'),
  measure: str(d, 'measure'),
  relation: str(d, 'relation'),
});
const messageInput = (d: Draft): svc.MessageInput => ({
  title: str(d, 'title'),
  subjectRu: str(d, 'subject_ru'),
  bodyRu: str(d, 'body_ru'),
  subjectEn: str(d, 'subject_en'),
  bodyEn: str(d, 'body_en'),
});
const scheduleInput = (d: Draft): svc.ScheduleInput => ({
  when: str(d, 'when'),
  date: str(d, 'date'),
  time: str(d, 'time'),
});

const shown = (t: Translate, errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v as MessageKey)]));

// ---------------------------------------------------------------- what pages show

/** A sample unsubscribe link of the usual length, for the preview. */
const SAMPLE_TOKEN = `${(1_234_567).toString(36)}.${'x'.repeat(22)}`;

function previewsOf(baseUrl: string, m: svc.MessageInput): Preview[] {
  const link = `${baseUrl.replace(/\/+$/, '')}/unsubscribe/${SAMPLE_TOKEN}`;
  const make = (lang: Locale, subject: string, body: string): Preview => {
    const line = translate(lang, 'campaigns.preview.unsubscribeLine', { link });
    const sms = `${subject}. ${body} ${line}`;
    return {
      lang,
      subject,
      sms: { text: sms, length: svc.smsLength(sms) },
      email: { subject, text: `${body}\n\n--\n${line}` },
    };
  };
  const previews = [make('ru', m.subjectRu, m.bodyRu)];
  if (m.subjectEn && m.bodyEn) previews.push(make('en', m.subjectEn, m.bodyEn));
  return previews;
}

function describeFilter(
  t: Translate,
  locale: Locale,
  choices: svc.FilterChoices,
  f: Pick<CampaignFilter, 'districts' | 'ageMin' | 'ageMax' | 'categories' | 'measure' | 'relation'>,
  regionWide: boolean,
) {
  const districts = f.districts.length
    ? f.districts
        .map((c) => choices.districts.find((d) => d.code === c))
        .map((d) => (d ? pick(locale, d.name_ru, d.name_en) : '?'))
        .join(', ')
    : t(regionWide ? 'campaigns.group.allDistricts' : 'campaigns.group.allOwnDistricts');
  const age =
    f.ageMin !== null && f.ageMax !== null
      ? t('campaigns.group.ageBetween', { min: f.ageMin, max: f.ageMax })
      : f.ageMin !== null
        ? t('campaigns.group.ageFrom', { min: f.ageMin })
        : f.ageMax !== null
          ? t('campaigns.group.ageTo', { max: f.ageMax })
          : t('campaigns.group.anyAge');
  const categories = f.categories.length
    ? f.categories
        .map((c) => choices.categories.find((x) => x.code === c))
        .map((c) => (c ? pick(locale, c.ru, c.en) : '?'))
        .join(', ')
    : t('campaigns.group.anyCategory');
  const measure = choices.measures.find((m) => m.code === f.measure);
  const measureText = measure
    ? `${pick(locale, measure.title_ru, measure.title_en)} — ${t(`campaigns.relation.${f.relation}` as MessageKey)}`
    : t('campaigns.group.noMeasure');
  return {
    districts,
    age,
    categories,
    measure: measureText,
    measureTitle: measure ? pick(locale, measure.title_ru, measure.title_en) : null,
  };
}

// ---------------------------------------------------------------- routes

export const campaignsRoutes: RouteModule = (app, { db, config }) => {
  const access = svc.CAMPAIGNERS;
  const countLimit = rateLimit(db, { name: 'campaigns-count', max: 60, windowSeconds: 60 });
  const writeLimit = rateLimit(db, { name: 'campaigns-write', max: 60, windowSeconds: 60 });
  const at = (step: string, state: Draft, from = false) =>
    `/staff/campaigns/new${step ? `/${step}` : ''}?state=${encodeState(state)}${from ? '&from=check' : ''}`;
  const fromCheck = (request: FastifyRequest) =>
    field(queryOf(request), 'from') === 'check' || field(request.body, 'from') === 'check';

  /** The first step whose answers are missing or wrong, with its errors. */
  const firstProblem = (
    draft: Draft,
    choices: svc.FilterChoices,
  ): { step: '' | 'message' | 'schedule'; errors: Record<string, MessageKey> } | undefined => {
    const group = svc.parseFilter(choices, filterInput(draft), regionToday());
    if ('errors' in group) return { step: '', errors: group.errors };
    const message = svc.parseMessage(messageInput(draft));
    if (Object.keys(message).length > 0) return { step: 'message', errors: message };
    const schedule = svc.parseSchedule(scheduleInput(draft));
    if ('errors' in schedule) return { step: 'schedule', errors: schedule.errors };
    return undefined;
  };

  // ------------------------------------------------------------ the list

  app.get('/staff/campaigns', { config: { access } }, async (request, reply) => {
    const campaigns = await svc.campaignsForStaff(db, actorOf(request));
    return sendPage(reply, h(ListPage, { ctx: pageContext(request, reply), campaigns }));
  });

  // ------------------------------------------------------------ the target group

  const groupPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Draft,
    o: {
      errors?: Record<string, string>;
      counted?: Counted | null;
      offerSweep?: boolean;
      status?: number;
    } = {},
  ) => {
    const staff = actorOf(request);
    const ctx = pageContext(request, reply);
    const rest = Object.fromEntries(
      Object.entries(values).filter(([k]) => !(GROUP_FIELDS as readonly string[]).includes(k)),
    );
    return sendPage(
      reply,
      h(GroupPage, {
        ctx,
        choices: await svc.filterChoices(db, staff),
        regionWide: scopeOf(staff).all,
        values,
        state: Object.keys(rest).length > 0 ? encodeState(rest) : '',
        fromCheck: fromCheck(request),
        errors: shown(ctx.t, o.errors ?? {}),
        counted: o.counted ?? null,
        offerSweep: o.offerSweep ?? false,
      }),
      o.status ?? 200,
    );
  };

  app.get('/staff/campaigns/new', { config: { access }, onRequest: countLimit }, async (request, reply) => {
    const staff = actorOf(request);
    const q = queryOf(request);
    const state = decodeState(field(q, 'state'));
    const action = field(q, 'action');
    if (action !== 'count' && action !== 'continue') return await groupPage(request, reply, state);
    const values = withFields(state, q, GROUP_FIELDS);
    const today = regionToday();
    const parsed = svc.parseFilter(await svc.filterChoices(db, staff), filterInput(values), today);
    if ('errors' in parsed)
      return await groupPage(request, reply, values, { errors: parsed.errors, status: 422 });
    let counted: Counted;
    try {
      const { count, sweep } = await svc.countGroup(db, staff, parsed.filter);
      counted = { count, asOf: today, sweepAsOf: sweep?.asOf ?? null };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return await groupPage(request, reply, values, {
        errors: error.fields,
        offerSweep: error.fields.relation === 'campaigns.error.noSweep',
        status: 422,
      });
    }
    if (action === 'count') return await groupPage(request, reply, values, { counted });
    if (counted.count === 0)
      return await groupPage(request, reply, values, {
        counted,
        errors: { group: 'campaigns.error.emptyGroup' },
        status: 422,
      });
    return seeOther(reply, fromCheck(request) ? at('check', values) : at('message', values));
  });

  // ------------------------------------------------------------ the message

  const messagePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Draft,
    errors: Record<string, string>,
    previews: Preview[] | null,
    status = 200,
  ) => {
    const ctx = pageContext(request, reply);
    const from = fromCheck(request);
    return sendPage(
      reply,
      h(MessagePage, {
        ctx,
        values,
        state: encodeState(values),
        fromCheck: from,
        back: from ? at('check', values) : at('', values),
        errors: shown(ctx.t, errors),
        previews,
      }),
      status,
    );
  };

  app.get('/staff/campaigns/new/message', { config: { access } }, async (request, reply) => {
    const state = decodeState(field(queryOf(request), 'state'));
    const problem = firstProblem(state, await svc.filterChoices(db, actorOf(request)));
    if (problem?.step === '') return seeOther(reply, at('', state));
    return messagePage(request, reply, state, {}, null);
  });

  app.post(
    '/staff/campaigns/new/message',
    { config: { access }, onRequest: writeLimit },
    async (request, reply) => {
      const state = decodeState(field(request.body, 'state'));
      const problem = firstProblem(state, await svc.filterChoices(db, actorOf(request)));
      if (problem?.step === '') return seeOther(reply, at('', state));
      const values = withFields(state, request.body, MESSAGE_FIELDS);
      const errors = svc.parseMessage(messageInput(values));
      const failed = Object.keys(errors).length > 0;
      if (field(request.body, 'action') === 'preview') {
        const m = messageInput(values);
        const previews = m.subjectRu && m.bodyRu ? previewsOf(config.baseUrl, m) : null;
        return messagePage(request, reply, values, errors, previews, failed ? 422 : 200);
      }
      if (failed) return messagePage(request, reply, values, errors, null, 422);
      return seeOther(reply, at(fromCheck(request) ? 'check' : 'schedule', values));
    },
  );

  // ------------------------------------------------------------ the schedule

  const schedulePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Draft,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const ctx = pageContext(request, reply);
    const from = fromCheck(request);
    return sendPage(
      reply,
      h(SchedulePage, {
        ctx,
        values,
        state: encodeState(values),
        fromCheck: from,
        back: from ? at('check', values) : at('message', values),
        errors: shown(ctx.t, errors),
      }),
      status,
    );
  };

  app.get('/staff/campaigns/new/schedule', { config: { access } }, async (request, reply) => {
    const state = decodeState(field(queryOf(request), 'state'));
    const problem = firstProblem(state, await svc.filterChoices(db, actorOf(request)));
    if (problem?.step === '' || problem?.step === 'message') return seeOther(reply, at(problem.step, state));
    return schedulePage(request, reply, state, {});
  });

  app.post(
    '/staff/campaigns/new/schedule',
    { config: { access }, onRequest: writeLimit },
    async (request, reply) => {
      const state = decodeState(field(request.body, 'state'));
      const values = withFields(state, request.body, SCHEDULE_FIELDS);
      const parsed = svc.parseSchedule(scheduleInput(values));
      if ('errors' in parsed) return schedulePage(request, reply, values, parsed.errors, 422);
      return seeOther(reply, at('check', values));
    },
  );

  // ------------------------------------------------------------ check answers, then schedule

  const checkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: Draft,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const staff = actorOf(request);
    const ctx = pageContext(request, reply);
    const { t, locale } = ctx;
    const choices = await svc.filterChoices(db, staff);
    const parsed = svc.parseFilter(choices, filterInput(state), regionToday());
    if ('errors' in parsed) return seeOther(reply, at('', state));
    const { count } = await svc.countGroup(db, staff, parsed.filter);
    const described = describeFilter(t, locale, choices, parsed.filter, scopeOf(staff).all);
    const m = messageInput(state);
    const s = scheduleInput(state);
    const group: CheckRow[] = [
      { key: t('campaigns.check.districts'), value: described.districts, change: at('', state, true) },
      { key: t('campaigns.check.age'), value: described.age, change: at('', state, true) },
      { key: t('campaigns.check.categories'), value: described.categories, change: at('', state, true) },
      { key: t('campaigns.check.measure'), value: described.measure, change: at('', state, true) },
      { key: t('campaigns.check.size'), value: t('campaigns.residents', { count }) },
    ];
    const notTranslated = t('campaigns.check.sameAsRussian');
    const message: CheckRow[] = [
      { key: t('campaigns.check.name'), value: m.title, change: at('message', state, true) },
      { key: t('campaigns.check.subjectRu'), value: m.subjectRu, change: at('message', state, true) },
      { key: t('campaigns.check.bodyRu'), value: m.bodyRu, change: at('message', state, true) },
      {
        key: t('campaigns.check.subjectEn'),
        value: m.subjectEn || notTranslated,
        change: at('message', state, true),
      },
      {
        key: t('campaigns.check.bodyEn'),
        value: m.bodyEn || notTranslated,
        change: at('message', state, true),
      },
      {
        key: t('campaigns.check.when'),
        value:
          s.when === 'now'
            ? t('campaigns.check.whenNow')
            : svc.formatRegionTime(locale, svc.regionInstant(s.date, s.time)),
        change: at('schedule', state, true),
      },
    ];
    return sendPage(
      reply,
      h(CheckPage, {
        ctx,
        group,
        message,
        state: encodeState(state),
        submissionKey: randomUUID(),
        back: at('schedule', state),
        previews: previewsOf(config.baseUrl, m),
        errors: shown(t, errors),
      }),
      status,
    );
  };

  app.get('/staff/campaigns/new/check', { config: { access } }, async (request, reply) => {
    const state = decodeState(field(queryOf(request), 'state'));
    const problem = firstProblem(state, await svc.filterChoices(db, actorOf(request)));
    if (problem?.step === 'schedule' && Object.keys(state).some((k) => SCHEDULE_ERRORS.has(k)))
      // The time chosen has passed while the analyst was writing: ask again, saying why.
      return schedulePage(request, reply, state, problem.errors, 422);
    if (problem) return seeOther(reply, at(problem.step, state));
    return await checkPage(request, reply, state);
  });

  app.post(
    '/staff/campaigns/new/check',
    { config: { access }, onRequest: writeLimit },
    async (request, reply) => {
      const staff = actorOf(request);
      const state = decodeState(field(request.body, 'state'));
      const choices = await svc.filterChoices(db, staff);
      const problem = firstProblem(state, choices);
      if (problem?.step === 'schedule') return schedulePage(request, reply, state, problem.errors, 422);
      if (problem) return seeOther(reply, at(problem.step, state));
      const filter = svc.parseFilter(choices, filterInput(state), regionToday());
      const schedule = svc.parseSchedule(scheduleInput(state));
      if ('errors' in filter || 'errors' in schedule) return seeOther(reply, at('', state));
      let id: number;
      try {
        id = await db.transaction().execute((trx) =>
          svc.scheduleCampaign(
            trx,
            staff,
            {
              filter: filter.filter,
              message: messageInput(state),
              at: schedule.at,
              key: field(request.body, 'key'),
            },
            request.ip,
          ),
        );
      } catch (error) {
        if (error instanceof ValidationError) {
          const fields = Object.keys(error.fields);
          if (fields.some((f) => GROUP_ERRORS.has(f))) {
            const counted = error.fields.group ? { count: 0, asOf: regionToday(), sweepAsOf: null } : null;
            return await groupPage(request, reply, state, { errors: error.fields, counted, status: 422 });
          }
          if (fields.some((f) => SCHEDULE_ERRORS.has(f)))
            return schedulePage(request, reply, state, error.fields, 422);
          return messagePage(request, reply, state, error.fields, null, 422);
        }
        if (error instanceof AppError && error.code === 'form_expired')
          return await checkPage(request, reply, state, { key: 'campaigns.error.formExpired' }, 422);
        throw error;
      }
      return seeOther(reply, `/staff/campaigns/${id}?scheduled=1`);
    },
  );

  // ------------------------------------------------------------ the figures

  const campaignPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const staff = actorOf(request);
    const ctx = pageContext(request, reply);
    const { t, locale } = ctx;
    const figures = await svc.campaignFigures(db, staff, idOf(request));
    const c = figures.campaign;
    const choices = await svc.filterChoices(db, staff);
    const described = describeFilter(t, locale, choices, c.filter, c.district_ids === null);
    const filterRows: [string, string][] = [
      [t('campaigns.check.districts'), described.districts],
      [t('campaigns.check.age'), described.age],
      [t('campaigns.check.categories'), described.categories],
      [t('campaigns.check.measure'), described.measure],
    ];
    filterRows.push([t('campaigns.view.asOf'), formatDate(locale, c.filter.asOf)]);
    const q = queryOf(request);
    const notice =
      field(q, 'scheduled') === '1' ? 'scheduled' : field(q, 'cancelled') === '1' ? 'cancelled' : null;
    return sendPage(
      reply,
      h(CampaignPage, {
        ctx,
        campaign: c,
        author: figures.author,
        filterRows,
        delivery: figures.delivery,
        measureTitle: figures.measure
          ? pick(locale, figures.measure.title_ru, figures.measure.title_en)
          : null,
        response: figures.response,
        notice: Object.keys(errors).length > 0 ? null : notice,
        errors: shown(t, errors),
      }),
      status,
    );
  };

  app.get('/staff/campaigns/:id', { config: { access }, schema: { params: ID } }, (request, reply) =>
    campaignPage(request, reply),
  );

  app.post(
    '/staff/campaigns/:id/cancel',
    { config: { access }, schema: { params: ID }, onRequest: writeLimit },
    async (request, reply) => {
      const id = idOf(request);
      try {
        await db.transaction().execute((trx) => svc.cancelCampaign(trx, actorOf(request), id, request.ip));
      } catch (error) {
        if (error instanceof AppError && error.code === 'campaign_not_scheduled')
          return await campaignPage(request, reply, { cancel: 'campaigns.error.notScheduled' }, 409);
        throw error;
      }
      return seeOther(reply, `/staff/campaigns/${id}?cancelled=1`);
    },
  );
};
