// The staff side of personal reception: the offices, booking on a resident's behalf (by phone or at
// the desk), an office's schedule and desks, the reception day (check-in, call next, served, no-show,
// the application registered at the desk), and the public queue screen for the hall.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { StaffActor } from '../../platform/auth/actor.ts';
import { AppError, ValidationError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { type MessageKey, pick, translator } from '../../platform/i18n/i18n.ts';
import { regionToday } from '../../platform/time.ts';
import { type Application, applicationsOfPerson } from '../applications/applications.service.ts';
import { measureRefs } from '../catalog/catalog.service.ts';
import { findPersonFromQuery, translateErrors } from '../registry/registry.find.ts';
import * as registry from '../registry/registry.service.ts';
import type { StaffRole } from '../staff/staff.schema.ts';
import { registerBookingFlow, shown } from './reception.flow.ts';
import { QueueScreen } from './reception.queue.pages.tsx';
import type { ScheduleDay, ScheduleDays } from './reception.schema.ts';
import * as svc from './reception.service.ts';
import { isClockTime, regionClock, WEEKDAYS } from './reception.slots.ts';
import {
  breaksText,
  DayPage,
  FindPersonPage,
  hoursText,
  ReceptionHomePage,
  SchedulePage,
  StaffBookedPage,
} from './reception.staff.pages.tsx';

/** Who runs reception: books for residents, checks them in, calls and serves. */
export const RECEPTION_STAFF: readonly StaffRole[] = ['specialist', 'district_head', 'administrator'];
/** Who sets schedules and plans field visits. */
export const SCHEDULERS: readonly StaffRole[] = ['district_head', 'administrator'];

const params = (...names: string[]) =>
  ({
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'integer', minimum: 1, maximum: 2 ** 31 }])),
    required: names,
  }) as const;

export const actorOf = (request: FastifyRequest) => request.actor as StaffActor;
export const ctxOf = (request: FastifyRequest): svc.Ctx => ({ ip: request.ip });
const p = <T extends string>(request: FastifyRequest, name: T) => (request.params as Record<T, number>)[name];
const isoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Refusals a reception page explains in place. */
const EXPLAINED: Record<string, MessageKey> = {
  stale_appointment: 'reception.error.stale',
  not_booked: 'reception.error.not_booked',
  not_today: 'reception.error.not_today',
};

/** "08:00–17:00" → ["08:00", "17:00"]; also accepts a hyphen. */
function range(text: string): [string, string] | undefined {
  const m = /^\s*(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const pad = (x: string) => x.padStart(5, '0');
  return [pad(m[1]!), pad(m[2]!)];
}

/** The schedule form's fields as schedule days; field errors for what cannot be read. */
function parseDays(body: unknown): { days: ScheduleDays; errors: Record<string, MessageKey> } {
  const days = {} as ScheduleDays;
  const errors: Record<string, MessageKey> = {};
  for (const wd of WEEKDAYS) {
    const hours = field(body, `hours_${wd}`);
    if (!hours) {
      days[wd] = null;
      continue;
    }
    const open = range(hours);
    const breaks = field(body, `breaks_${wd}`)
      .split(/[,;]/)
      .map((x) => x.trim())
      .filter(Boolean)
      .map(range);
    if (
      !open ||
      breaks.some((b) => !b) ||
      ![...(open ?? []), ...breaks.flat()].every((x) => x && isClockTime(x))
    ) {
      errors[`day${wd}`] = 'reception.schedule.error.time';
      days[wd] = null;
      continue;
    }
    days[wd] = { open: open[0], close: open[1], breaks: breaks as [string, string][] } satisfies ScheduleDay;
  }
  return { days, errors };
}

export const receptionStaffRoutes: RouteModule = (app, { db }) => {
  const writeLimit = rateLimit(db, { name: 'reception-staff-write', max: 600, windowSeconds: 60 });
  const searchLimit = rateLimit(db, { name: 'reception-person-search', max: 120, windowSeconds: 60 });
  const staffConfig = { access: RECEPTION_STAFF };

  app.get('/staff/reception', { config: staffConfig }, async (request, reply) => {
    const staff = actorOf(request);
    return sendPage(
      reply,
      h(ReceptionHomePage, {
        ctx: pageContext(request, reply),
        offices: await svc.officesForStaff(db, staff),
        canSchedule: SCHEDULERS.includes(staff.role),
        today: regionToday(),
      }),
    );
  });

  // ---------------------------------------------------------- booking on a resident's behalf

  app.get(
    '/staff/reception/book',
    { config: staffConfig, onRequest: searchLimit },
    async (request, reply) => {
      const t = translator(request.locale);
      const found = await findPersonFromQuery(db, actorOf(request), request.query, request.ip);
      if (found.kind === 'found') return seeOther(reply, `/staff/reception/book/${found.personId}`);
      return sendPage(
        reply,
        h(FindPersonPage, {
          ctx: pageContext(request, reply),
          title: t('reception.find.title'),
          action: '/staff/reception/book',
          next: '/staff/reception/book/',
          back: '/staff/reception',
          errors: found.kind === 'form' ? translateErrors(t, found.errors) : {},
          values: found.values,
          results: found.kind === 'results' ? found.results : undefined,
        }),
        found.kind === 'form' ? found.status : 200,
      );
    },
  );

  registerBookingFlow(app, db, {
    route: '/staff/reception/book/:personId',
    access: RECEPTION_STAFF,
    limit: writeLimit,
    params: params('personId'),
    exit: '/staff/reception/book',
    async subject(request, reply) {
      const staff = actorOf(request);
      const personId = p(request, 'personId');
      const read = await db
        .transaction()
        .execute((trx) => registry.personForStaff(trx, staff, personId, request.ip));
      const t = translator(request.locale);
      if (read.denied) {
        await sendPage(
          reply,
          h(FindPersonPage, {
            ctx: pageContext(request, reply),
            title: t('reception.find.title'),
            action: '/staff/reception/book',
            next: '/staff/reception/book/',
            back: '/staff/reception',
            errors: { snils: t('reception.find.otherDistrict') },
            values: {},
          }),
          403,
        );
        return undefined;
      }
      const name = registry.fullName(read.person);
      return {
        personId,
        districtId: read.person.district_id,
        districtName: pick(request.locale, read.person.district_ru, read.person.district_en),
        caption: t('reception.book.for', { name }),
        person: name,
        area: 'staff',
        base: `/staff/reception/book/${personId}`,
        staff,
      };
    },
    confirm: (trx, s, b, request) =>
      svc.book(
        trx,
        {
          personId: s.personId,
          slotId: b.slotId,
          measureId: b.measureId,
          channel: b.channel,
          key: b.key,
          staff: s.staff!,
        },
        ctxOf(request),
      ),
    keyScope: (s) => `staff:${s.staff!.userId}`,
    done: (id) => `/staff/reception/appointments/${id}`,
  });

  app.get(
    '/staff/reception/appointments/:id',
    { config: staffConfig, schema: { params: params('id') } },
    async (request, reply) => {
      const staff = actorOf(request);
      const { a, office, name } = await db.transaction().execute(async (trx) => {
        const a = await svc.appointmentForStaff(trx, staff, p(request, 'id'), ctxOf(request));
        const read = await registry.personForStaff(trx, staff, a.person_id, request.ip);
        return {
          a,
          office: await svc.officeOrFail(trx, a.office_id),
          name: read.denied ? '' : registry.fullName(read.person),
        };
      });
      const [m] = await measureRefs(db, { ids: [a.measure_id] });
      return sendPage(
        reply,
        h(StaffBookedPage, {
          ctx: pageContext(request, reply),
          appointment: a,
          office,
          person: name,
          measure: m ? pick(request.locale, m.title_ru, m.title_en) : '',
        }),
      );
    },
  );

  // ---------------------------------------------------------- schedule and desks

  const scheduleConfig = { access: SCHEDULERS };
  const officeParams = { params: params('officeId') };

  async function schedulePage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> | undefined,
    errors: Record<string, string>,
    status: number,
  ) {
    const officeId = p(request, 'officeId');
    const s = await db.transaction().execute((trx) => svc.scheduleOf(trx, actorOf(request), officeId));
    const initial: Record<string, string> = {
      slot_minutes: String(s.schedule.slot_minutes),
      priority_share: String(s.schedule.priority_share),
      days_ahead: String(s.schedule.days_ahead),
    };
    for (const wd of WEEKDAYS) {
      initial[`hours_${wd}`] = hoursText(s.schedule.days[wd]);
      initial[`breaks_${wd}`] = breaksText(s.schedule.days[wd]);
    }
    return sendPage(
      reply,
      h(SchedulePage, {
        ctx: pageContext(request, reply),
        office: s.office,
        days: s.schedule.days,
        values: { ...initial, ...values },
        version: s.schedule.version,
        desks: s.desks,
        lengths: s.lengths,
        measures: s.measures,
        openSlots: s.openSlots,
        errors,
        saved: field(request.query, 'saved') === '1',
      }),
      status,
    );
  }

  const base = (request: FastifyRequest) => `/staff/reception/offices/${p(request, 'officeId')}`;

  app.get(
    '/staff/reception/offices/:officeId/schedule',
    { config: scheduleConfig, schema: officeParams },
    (request, reply) => schedulePage(request, reply, undefined, {}, 200),
  );

  /** Runs a schedule change; a field error or a stale form shows the page again with the errors. */
  async function scheduleChange(
    request: FastifyRequest,
    reply: FastifyReply,
    change: () => Promise<unknown>,
  ) {
    const t = translator(request.locale);
    const values = Object.fromEntries(
      Object.entries((request.body ?? {}) as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf',
      ),
    );
    try {
      await change();
    } catch (error) {
      if (error instanceof ValidationError)
        return schedulePage(request, reply, values, shown(t, error.fields), 422);
      if (error instanceof AppError && error.code === 'stale_schedule')
        return schedulePage(
          request,
          reply,
          values,
          { slot_minutes: t('reception.schedule.error.stale') },
          409,
        );
      throw error;
    }
    return seeOther(reply, `${base(request)}/schedule?saved=1`);
  }

  app.post(
    '/staff/reception/offices/:officeId/schedule',
    { config: scheduleConfig, schema: officeParams, onRequest: writeLimit },
    (request, reply) =>
      scheduleChange(request, reply, async () => {
        const { days, errors } = parseDays(request.body);
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        const num = (name: string) =>
          /^\d{1,4}$/.test(field(request.body, name)) ? Number(field(request.body, name)) : Number.NaN;
        await db.transaction().execute((trx) =>
          svc.saveSchedule(
            trx,
            actorOf(request),
            p(request, 'officeId'),
            {
              days,
              slotMinutes: num('slot_minutes'),
              priorityShare: num('priority_share'),
              daysAhead: num('days_ahead'),
              version: Number(field(request.body, 'version')),
            },
            ctxOf(request),
          ),
        );
      }),
  );

  app.post(
    '/staff/reception/offices/:officeId/desks',
    { config: scheduleConfig, schema: officeParams, onRequest: writeLimit },
    (request, reply) =>
      scheduleChange(request, reply, async () => {
        const raw = (request.body as Record<string, unknown>).desk_measures;
        const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
        const measureIds = list.map(Number).filter((n) => Number.isSafeInteger(n));
        await db
          .transaction()
          .execute((trx) =>
            svc.addDesk(
              trx,
              actorOf(request),
              p(request, 'officeId'),
              { name: field(request.body, 'desk_name'), measureIds },
              ctxOf(request),
            ),
          );
      }),
  );

  app.post(
    '/staff/reception/offices/:officeId/desks/:deskId/remove',
    { config: scheduleConfig, schema: { params: params('officeId', 'deskId') }, onRequest: writeLimit },
    (request, reply) =>
      scheduleChange(request, reply, () =>
        db
          .transaction()
          .execute((trx) =>
            svc.removeDesk(
              trx,
              actorOf(request),
              p(request, 'officeId'),
              p(request, 'deskId'),
              ctxOf(request),
            ),
          ),
      ),
  );

  app.post(
    '/staff/reception/offices/:officeId/lengths',
    { config: scheduleConfig, schema: officeParams, onRequest: writeLimit },
    (request, reply) =>
      scheduleChange(request, reply, async () => {
        const officeId = p(request, 'officeId');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const errors: Record<string, MessageKey> = {};
        const changes: [number, number | null][] = [];
        for (const [k, v] of Object.entries(body)) {
          const m = /^length_(\d+)$/.exec(k);
          if (!m || typeof v !== 'string') continue;
          const text = v.trim();
          if (text && !/^\d{1,3}$/.test(text)) errors[k] = 'reception.schedule.error.minutes';
          else changes.push([Number(m[1]), text ? Number(text) : null]);
        }
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        await db.transaction().execute(async (trx) => {
          for (const [measureId, minutes] of changes)
            await svc.setSlotLength(trx, actorOf(request), officeId, measureId, minutes, ctxOf(request));
        });
      }),
  );

  // ---------------------------------------------------------- the reception day

  async function dayPage(
    request: FastifyRequest,
    reply: FastifyReply,
    officeId: number,
    day: string,
    errors: Record<string, string>,
    status: number,
    notice?: string,
  ) {
    const staff = actorOf(request);
    const view = await db
      .transaction()
      .execute((trx) => svc.dayList(trx, staff, officeId, day, ctxOf(request)));
    // The served residents' applications, to attach the one registered at the desk.
    const applications = new Map<number, Application[]>();
    for (const a of view.appointments)
      if (a.status === 'served' && !applications.has(a.person_id))
        applications.set(a.person_id, await applicationsOfPerson(db, a.person_id));
    return sendPage(
      reply,
      h(DayPage, {
        ctx: pageContext(request, reply),
        office: view.office,
        day,
        today: regionToday(),
        appointments: view.appointments,
        names: view.names,
        measures: view.measures,
        desks: view.desks,
        applications,
        notice,
        errors,
      }),
      status,
    );
  }

  app.get(
    '/staff/reception/offices/:officeId/day',
    { config: staffConfig, schema: officeParams },
    async (request, reply) => {
      const date = field(request.query, 'date');
      const day = isoDate(date) ? date : regionToday();
      const t = translator(request.locale);
      const done = field(request.query, 'done');
      const ticket = field(request.query, 'ticket').slice(0, 10);
      const desk = field(request.query, 'desk').slice(0, 60);
      const notices: Record<string, string> = {
        checked_in: t('reception.notice.checkedIn', { ticket }),
        called: t('reception.notice.called', { ticket, desk }),
        nobody: t('reception.notice.nobody'),
        served: t('reception.notice.served'),
        no_show: t('reception.notice.noShow'),
        attached: t('reception.notice.attached'),
      };
      return dayPage(request, reply, p(request, 'officeId'), day, {}, 200, notices[done]);
    },
  );

  /** Runs a reception-day action on an appointment; then back to its day with a notice. */
  function appointmentAction(
    name: string,
    run: (
      staff: StaffActor,
      request: FastifyRequest,
      id: number,
      version: number,
    ) => Promise<Record<string, string>>,
  ) {
    app.post(
      `/staff/reception/appointments/:id/${name}`,
      { config: staffConfig, schema: { params: params('id') }, onRequest: writeLimit },
      async (request, reply) => {
        const staff = actorOf(request);
        const id = p(request, 'id');
        const t = translator(request.locale);
        const a = await db
          .transaction()
          .execute((trx) => svc.appointmentForStaff(trx, staff, id, ctxOf(request)));
        let query: Record<string, string>;
        try {
          query = await run(staff, request, id, Number(field(request.body, 'version')));
        } catch (error) {
          if (error instanceof ValidationError)
            return dayPage(
              request,
              reply,
              a.office_id,
              a.day,
              { [`application-${id}`]: t(error.fields.application as MessageKey) },
              422,
            );
          if (error instanceof AppError && EXPLAINED[error.code])
            return dayPage(
              request,
              reply,
              a.office_id,
              a.day,
              { date: t(EXPLAINED[error.code]!) },
              error.status,
            );
          throw error;
        }
        const q = new URLSearchParams({ date: a.day, ...query });
        return seeOther(reply, `/staff/reception/offices/${a.office_id}/day?${q}`);
      },
    );
  }

  appointmentAction('check-in', async (staff, request, id, version) => {
    const ticket = await db
      .transaction()
      .execute((trx) => svc.checkIn(trx, staff, id, version, ctxOf(request)));
    return { done: 'checked_in', ticket };
  });
  appointmentAction('served', async (staff, request, id, version) => {
    await db.transaction().execute((trx) => svc.markServed(trx, staff, id, version, ctxOf(request)));
    return { done: 'served' };
  });
  appointmentAction('no-show', async (staff, request, id, version) => {
    await db.transaction().execute((trx) => svc.markNoShow(trx, staff, id, version, ctxOf(request)));
    return { done: 'no_show' };
  });
  appointmentAction('application', async (staff, request, id, version) => {
    const applicationId = Number(field(request.body, 'application'));
    if (!Number.isSafeInteger(applicationId) || applicationId < 1)
      throw new ValidationError({ application: 'reception.attach.error.missing' });
    await db
      .transaction()
      .execute((trx) => svc.attachApplication(trx, staff, id, version, applicationId, ctxOf(request)));
    return { done: 'attached' };
  });

  app.post(
    '/staff/reception/offices/:officeId/desks/:deskId/call-next',
    { config: staffConfig, schema: { params: params('officeId', 'deskId') }, onRequest: writeLimit },
    async (request, reply) => {
      const staff = actorOf(request);
      const officeId = p(request, 'officeId');
      const deskId = p(request, 'deskId');
      const called = await db
        .transaction()
        .execute((trx) => svc.callNext(trx, staff, officeId, deskId, ctxOf(request)));
      const q = new URLSearchParams({ date: regionToday() });
      if (called === undefined) q.set('done', 'nobody');
      else {
        const a = await db
          .transaction()
          .execute((trx) => svc.appointmentForStaff(trx, staff, called, ctxOf(request)));
        const desks = await svc.deskNames(db, [deskId]);
        q.set('done', 'called');
        q.set('ticket', a.ticket ?? '');
        q.set('desk', desks.get(deskId) ?? '');
      }
      return seeOther(reply, `/staff/reception/offices/${officeId}/day?${q}`);
    },
  );

  // ---------------------------------------------------------- the hall's queue screen (public)

  app.get(
    '/offices/:officeId/queue',
    { config: { access: 'public' }, schema: officeParams },
    async (request, reply) => {
      const board = await svc.queueBoard(db, p(request, 'officeId'));
      return sendPage(
        reply,
        h(QueueScreen, {
          ctx: pageContext(request, reply),
          board,
          time: regionClock(new Date()).time,
          refresh: field(request.query, 'refresh') !== 'off',
        }),
      );
    },
  );
};
